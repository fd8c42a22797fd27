import { result, type CheckResult, type VerifyCheck } from '../check.js';
import type { VerifyContext } from '../context.js';
import { baseModules } from '../../steps/install/enable-modules.js';
import { versionArray, versionCompare } from '../../dolibarr/versioncompare.js';
import { readText, refusedWhy } from '../target-probe.js';
import { cronByUrlResult } from './cron-by-url.js';

/**
 * Policy Phase 3 "System health check" (all modules load, database connectivity, cron jobs configured),
 * reported under "Critical workflows functional": the version recorded in the database equals the release
 * (max of MAIN_VERSION_LAST_UPGRADE / LAST_INSTALL, as Dolibarr's docker-run.sh reads it), every module the
 * deployment enables has its MAIN_MODULE_<NAME> constant, and the scheduled-jobs command runs.
 */
const item = 'verify.workflows';

export const moduleConst = (className: string) =>
  `MAIN_MODULE_${className.replace(/^mod/, '').toUpperCase()}`;

async function dbVersion(ctx: VerifyContext): Promise<CheckResult> {
  const rows = await ctx.db.query(
    "SELECT name, value FROM llx_const WHERE name IN ('MAIN_VERSION_LAST_UPGRADE', 'MAIN_VERSION_LAST_INSTALL') AND entity IN (0, 1)",
  );
  const versions = rows.map((r) => r[1]!).filter((v) => /^\d+\.\d+\.\d+/.test(v));
  const db = versions.sort((a, b) => versionCompare(versionArray(b), versionArray(a)))[0];
  const want = ctx.plan.dolibarr.version;
  if (db === want) return result(item, 'dolibarr.db-version', 'pass', `database at ${db} = release ${want}`);
  return result(
    item,
    'dolibarr.db-version',
    'fail',
    `database at ${db ?? '(no version constant)'}, release ${want}`,
    'the upgrade did not finish: run the upgrade steps (install/upgrade.php, upgrade2.php, step5.php) to the release version',
  );
}

async function modules(ctx: VerifyContext, extra: string[]): Promise<CheckResult> {
  const wanted = [...new Set([...baseModules, ...ctx.plan.modules, ...extra])];
  const rows = await ctx.db.query(
    "SELECT name FROM llx_const WHERE name LIKE 'MAIN\\_MODULE\\_%' AND value <> '' AND value <> '0'",
  );
  const enabled = new Set(rows.map((r) => r[0]!));
  const missing = wanted.filter((m) => !enabled.has(moduleConst(m)));
  return missing.length === 0
    ? result(item, 'dolibarr.modules', 'pass', `enabled: ${wanted.join(', ')}`)
    : result(
        item,
        'dolibarr.modules',
        'fail',
        `not enabled: ${missing.join(', ')}`,
        'enable them (Home > Setup > Modules, or redeploy the modules step); a module whose descriptor fails to load cannot be enabled',
      );
}

async function cron(ctx: VerifyContext): Promise<CheckResult> {
  const file = `${ctx.options.cronDir}/mokocrm-${ctx.plan.client}`;
  const text = await readText(ctx, file);
  if (!text.known) return result(item, 'dolibarr.cron', 'unknown', `${file}: could not look`, text.why);
  const line = text.value?.split('\n').find((l) => l.includes('run-cron-jobs.php'));
  if (!line && / curl -K /.test(text.value ?? '')) return cronByUrlResult(ctx, file); // release without scripts/
  if (!line)
    return result(
      item,
      'dolibarr.cron',
      'fail',
      `no scheduled-jobs entry in ${file}`,
      'install the cron file (deploy step install:cron)',
    );
  const r = await ctx.host.run({
    argv: [ctx.options.php, `${ctx.paths.toolsDir}/run-cron-jobs.php`, ctx.paths.current, 'firstadmin'],
    asUser: ctx.plan.target.webUser,
    cwd: ctx.paths.htdocs,
    timeoutMs: 120_000,
  });
  const refused = refusedWhy(r);
  if (refused)
    return result(
      item,
      'dolibarr.cron',
      'unknown',
      `${file} present; the jobs command could not run`,
      refused,
    );
  const said = (r.stdout + r.stderr).trim().split('\n').slice(-1)[0] ?? '';
  return r.code === 0
    ? result(item, 'dolibarr.cron', 'pass', `${file} present; a run now: ${said}`)
    : result(
        item,
        'dolibarr.cron',
        'fail',
        `${file} present but the jobs command failed (exit ${r.code}): ${said}`,
        'run it by hand as the web user and fix what it prints (module Cron enabled? CRON_KEY set?)',
      );
}

export const dolibarrHealthCheck: VerifyCheck = {
  id: 'dolibarr-health',
  item: 'verify.workflows',
  title: 'Dolibarr version, modules and scheduled jobs',
  async run(ctx) {
    const custom = (
      (ctx.record?.facts.customModules as { descriptor?: { className: string } }[] | undefined) ?? []
    ).flatMap((m) => (m.descriptor ? [m.descriptor.className] : []));
    return [await dbVersion(ctx), await modules(ctx, custom), await cron(ctx)];
  },
};
