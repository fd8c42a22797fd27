/**
 * End-to-end install of a real Dolibarr release on this machine:
 *   npm run e2e -- --release /work/releases/dolibarr-20.0.2.tgz [--keep]
 * Starts its own MariaDB, runs the install pipeline (LocalHost), starts PHP-FPM + nginx from the files the
 * pipeline wrote, logs in through the real login form over HTTPS, prints the version and timings.
 * Needs root and the packages of .ci/install.sh. Nothing of the release is copied into the repository.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loginThroughForm } from '../src/dolibarr/login-form.js';
import { caOf, startInstallStack } from '../test/helpers/install-stack/index.js';

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function hasCronScript(tarball: string): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) =>
    execFile('tar', ['-tzf', tarball, '--wildcards', '--no-anchored', '*/scripts/cron/cron_run_jobs.php'], { maxBuffer: 1 << 20 }, (e, out) => resolve(!e && out.trim() !== '')),
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { release: { type: 'string' }, keep: { type: 'boolean', default: false }, 'small-db': { type: 'boolean', default: false } },
  });
  if (!values.release) {
    console.error('usage: npm run e2e -- --release PATH/dolibarr-X.Y.Z.tgz [--keep]');
    return 2;
  }
  const version = /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(basename(values.release))?.[1];
  if (!version) {
    console.error(`cannot tell the version from the file name ${values.release} (expected dolibarr-X.Y.Z.tgz)`);
    return 2;
  }
  const wall = Date.now();
  // The test MariaDB defaults (32M buffer pool, 8M redo log) make step2's thousands of statements slow;
  // a server sized like a small production one is the fairer measure (--small-db keeps the test defaults).
  const mariadbArgs = values['small-db'] ? [] : ['--innodb-buffer-pool-size=256M', '--innodb-log-file-size=128M'];
  const hasScripts = await hasCronScript(values.release);
  if (!hasScripts) console.log('warning      this tarball has no scripts/ (cron_run_jobs.php): installing without the cron entry (skipCron)');
  const stack = await startInstallStack({ skipCron: !hasScripts, release: values.release, version, sha256: await sha256(values.release), keep: values.keep, mariadbArgs });
  try {
    const login = await loginThroughForm({
      url: stack.plan.site.url, login: stack.plan.admin.login, password: stack.secrets.secret('acme/admin'),
      address: '127.0.0.1', ca: caOf(stack),
    });
    console.log(`release      ${values.release}`);
    console.log(`version      ${String(stack.ctx.facts.releaseVersion)} (php ${String(stack.ctx.facts.phpVersion)})`);
    for (const t of stack.timings) console.log(`  ${t.id.padEnd(28)} ${(t.ms / 1000).toFixed(2).padStart(7)} s${t.skipped ? ' (in place)' : ''}`);
    console.log(`install      ${(stack.installMs / 1000).toFixed(1)} s`);
    console.log(`login        ${login.ok ? 'OK' : `FAILED: ${login.reason}`} (${login.durationMs} ms, landed on ${login.finalUrl})`);
    const q = (sql: string) => stack.db.rootClient.query(sql);
    const [schema] = await q("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'acme_crm'");
    const tables = await q("SELECT TABLE_COLLATION, COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'acme_crm' GROUP BY TABLE_COLLATION");
    const consts = await q("SELECT name, value FROM acme_crm.llx_const WHERE name IN ('MAIN_VERSION_FIRST_INSTALL', 'MAIN_VERSION_LAST_INSTALL', 'MAIN_INFO_SOCIETE_COUNTRY', 'MAIN_INFO_SOCIETE_NOM') OR name LIKE 'MAIN_MODULE\\_%' AND name NOT LIKE 'MAIN_MODULE\\_%\\_%'");
    console.log(`database     ${schema?.join(' / ')}; tables by collation: ${tables.map((t) => t.join(' x')).join(', ')}`);
    for (const [name, value] of consts) console.log(`  ${name} = ${value}`);
    const cron = !hasScripts ? { code: 'skipped', stdout: 'no scripts/ in this release', stderr: '' } : await stack.host.run({
      argv: ['php', `${stack.plan.target.root}/shared/mokodeploy/run-cron-jobs.php`, `${stack.plan.target.root}/current`, 'firstadmin'],
      asUser: stack.plan.target.webUser,
    });
    console.log(`cron         exit ${cron.code}: ${(cron.stdout + cron.stderr).trim().split('\n').slice(-2).join(' | ')}`);
    console.log(`wall         ${((Date.now() - wall) / 1000).toFixed(1)} s (MariaDB start, facts, install, PHP-FPM + nginx, login)`);
    if (values.keep) console.log(`kept         ${stack.dir}`);
    return login.ok ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (('describe' in e && typeof e.describe === 'function') ? e.describe() : e.stack) : e);
    process.exit(1);
  },
);
