/**
 * End-to-end install of a real Dolibarr release on this machine:
 *   npm run e2e -- --release /work/releases/dolibarr-20.0.2.tgz [--apache] [--keep] [--small-db] [--no-verify]
 *   npm run e2e -- --release NEW.tgz --upgrade-from OLD.tgz   (upgrade then rollback: scripts/e2e-upgrade.ts)
 *   npm run e2e -- --release R.tgz --ssh   (target reached over a real sshd as the non-root deploy user, then
 *     verify on broken sites: scripts/e2e-ssh.ts, issue 25)
 * Starts its own MariaDB, runs the install pipeline (LocalHost) with a custom module (our template) and a
 * user with rights, starts PHP-FPM + nginx (or Apache) from the files the pipeline wrote, logs in through
 * the real login form over HTTPS, checks headers / redirect / denied paths, runs the cron wrapper, adopts
 * the result, prints version and timings; then runs the post-deployment verification and writes the handoff pack,
 * sign-off document and deployment report (scripts/e2e-verify.ts). Needs root and the packages of .ci/install.sh.
 * Nothing of the release is copied into the repository.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loginThroughForm } from '../src/dolibarr/login-form.js';
import { detectExistingInstall } from '../src/steps/install/adopt.js';
import { cronLastRunFile } from '../src/steps/install/cron-by-url.js';
import { packCustomModule } from '../test/helpers/fixture-release/custom-module.js';
import { caOf, startInstallStack, type InstallStack } from '../test/helpers/install-stack/index.js';
import { inspectSite } from '../test/helpers/install-stack/web-checks.js';
import { e2eVerify } from './e2e-verify.js';
import { e2eSshBroken, startSshTarget } from './e2e-ssh.js';

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function hasCronScript(tarball: string): Promise<boolean> {
  return new Promise((resolve) =>
    execFile(
      'tar',
      ['-tzf', tarball, '--wildcards', '--no-anchored', '*/scripts/cron/cron_run_jobs.php'],
      { maxBuffer: 1 << 20 },
      (e, out) => resolve(!e && out.trim() !== ''),
    ),
  );
}

const line = (label: string, text: string) => console.log(`${label.padEnd(12)} ${text}`);

/**
 * A release without scripts/: the install's cron file runs `curl -K FILE` as the web user (src/steps/install/
 * cron-by-url.ts); run that line's command as cron would, then show the page's answer (the last Result line).
 */
async function runCronLine(stack: InstallStack) {
  const file = join(stack.dir, 'cron.d', `mokocrm-${stack.plan.client}`);
  const text = (await stack.host.run({ argv: ['cat', '--', file], sudo: true })).stdout;
  const m = /^\S+ \S+ \S+ \S+ \S+ (\S+) curl -K (\S+) /m.exec(text);
  if (!m) throw new Error(`no curl -K line in ${file}:\n${text}`);
  const run = await stack.host.run({ argv: ['curl', '-K', m[2]!], asUser: m[1]! });
  if (run.code !== 0) return run;
  const answer = await stack.host.run({ argv: ['cat', '--', cronLastRunFile(stack.ctx)], sudo: true });
  const result =
    answer.stdout
      .split('\n')
      .filter((l) => /Result:/.test(l))
      .slice(-1)[0] ?? answer.stdout.slice(0, 200);
  return { ...run, stdout: `${m[1]} ${m[0].split(' ').slice(6, 9).join(' ')}: ${result}` };
}

async function report(stack: InstallStack, hasScripts: boolean): Promise<boolean> {
  const login = (user: string, secret: string) =>
    loginThroughForm({
      url: stack.plan.site.url,
      login: user,
      password: stack.secrets.secret(secret),
      address: '127.0.0.1',
      ca: caOf(stack),
    });
  const admin = await login('admin', 'acme/admin');
  const alice = await login('alice', 'acme/alice');
  for (const t of stack.timings)
    console.log(
      `  ${t.id.padEnd(28)} ${(t.ms / 1000).toFixed(2).padStart(7)} s${t.skipped ? ' (in place)' : ''}`,
    );
  line('install', `${(stack.installMs / 1000).toFixed(1)} s`);
  line(
    'login',
    `admin ${admin.ok ? 'OK' : `FAILED: ${admin.reason}`} (${admin.durationMs} ms, landed on ${new URL(admin.finalUrl).pathname}${new URL(admin.finalUrl).search})`,
  );
  line('login', `alice ${alice.ok ? 'OK' : `FAILED: ${alice.reason}`} (${alice.durationMs} ms)`);
  const site = await inspectSite(stack);
  line(
    'headers',
    Object.entries(site.headerCounts)
      .map(([n, c]) => `${n}=${c}`)
      .join(' '),
  );
  line('redirect', `${site.redirect.status} -> ${String(site.redirect.location)}`);
  line(
    'denied',
    Object.entries(site.denied)
      .map(([p, s]) => `${p}=${s}`)
      .join(' '),
  );
  const q = (sql: string) => stack.db.rootClient.query(sql);
  const [schema] = await q(
    "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'acme_crm'",
  );
  const tables = await q(
    "SELECT TABLE_COLLATION, COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'acme_crm' GROUP BY TABLE_COLLATION",
  );
  line(
    'database',
    `${schema?.join(' / ')}; tables by collation: ${tables.map((t) => t.join(' x')).join(', ')}`,
  );
  const consts = await q(
    "SELECT name, value FROM acme_crm.llx_const WHERE name IN ('MAIN_VERSION_FIRST_INSTALL', 'MAIN_VERSION_LAST_INSTALL', 'MAIN_INFO_SOCIETE_COUNTRY', 'MAIN_LANG_DEFAULT', 'MAIN_SECURITY_HASH_ALGO') OR (name LIKE 'MAIN_MODULE\\_%' AND name NOT LIKE 'MAIN_MODULE\\_%\\_%') ORDER BY name",
  );
  line('consts', consts.map(([n, v]) => `${n}=${v}`).join(' '));
  const rights = await q(
    "SELECT CONCAT(d.module, '.', d.perms) FROM acme_crm.llx_user_rights r JOIN acme_crm.llx_rights_def d ON d.id = r.fk_id JOIN acme_crm.llx_user u ON u.rowid = r.fk_user WHERE u.login = 'alice' ORDER BY 1",
  );
  line('rights', `alice: ${rights.map((r) => r[0]).join(', ')}`);
  const cron = hasScripts
    ? await stack.host.run({
        argv: [
          'php',
          `${stack.plan.target.root}/shared/mokodeploy/run-cron-jobs.php`,
          `${stack.plan.target.root}/current`,
          'firstadmin',
        ],
        asUser: stack.plan.target.webUser,
      })
    : await runCronLine(stack);
  line(
    'cron',
    `${hasScripts ? 'run-cron-jobs.php' : 'curl -K (no scripts/: the public cron page)'} exit ${cron.code}: ${(cron.stdout + cron.stderr).trim().split('\n').slice(-1).join('')}`,
  );
  const step1 = await stack.host.run({
    argv: ['php', 'step1.php', 'set', 'en_US'],
    cwd: `${stack.plan.target.root}/current/htdocs/install`,
    asUser: stack.plan.target.webUser,
  });
  line(
    'step1',
    /lock file install\.lock|locked/i.test(step1.stdout.replace(/<[^>]*>/g, ''))
      ? 'locked by install.lock'
      : `NOT locked: ${step1.stdout
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 160)}`,
  );
  const adopted = await detectExistingInstall(stack.host, `${stack.plan.target.root}/current`);
  line(
    'adopt',
    `files ${adopted?.filesVersion}, db ${adopted?.database.version} (reachable ${adopted?.database.reachable}), install.lock ${adopted?.installLock}`,
  );
  const rerunStart = Date.now();
  const rerun = await stack.rerun();
  line(
    're-run',
    `${((Date.now() - rerunStart) / 1000).toFixed(1)} s, ${rerun.filter((t) => t.skipped).length} steps already in place`,
  );
  return admin.ok && alice.ok;
}

async function main(): Promise<number> {
  // issue 5: `--upgrade-from OLD.tgz` installs OLD, upgrades to --release, rolls back (scripts/e2e-upgrade.ts)
  if (process.argv.includes('--upgrade-from')) return (await import('./e2e-upgrade.js')).e2eUpgrade();
  const { values } = parseArgs({
    options: {
      release: { type: 'string' },
      keep: { type: 'boolean', default: false },
      apache: { type: 'boolean', default: false },
      'small-db': { type: 'boolean', default: false },
      'no-verify': { type: 'boolean', default: false },
      ssh: { type: 'boolean', default: false },
    },
  });
  if (!values.release) {
    console.error(
      'usage: npm run e2e -- --release PATH/dolibarr-X.Y.Z.tgz [--apache] [--keep] [--small-db] [--no-verify] [--ssh]',
    );
    return 2;
  }
  const version = /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(basename(values.release))?.[1];
  if (!version) {
    console.error(
      `cannot tell the version from the file name ${values.release} (expected dolibarr-X.Y.Z.tgz)`,
    );
    return 2;
  }
  const wall = Date.now();
  const hasScripts = await hasCronScript(values.release);
  line('release', `${values.release} (${version})`);
  if (!hasScripts)
    line(
      'note',
      'this tarball has no scripts/ (cron_run_jobs.php): the jobs run through the public cron page (curl -K)',
    );
  const ssh = values.ssh ? await startSshTarget() : undefined;
  const modules = mkdtempSync(join(tmpdir(), 'moko-e2e-modules-'));
  const moduleTgz = packCustomModule(modules, {
    name: 'mokotest',
    className: 'modMokoTest',
    numero: 500000,
    phpmin: [8, 1],
    needDolibarrVersion: [19, 0],
    rights: [[500001, 'Read mokotest', 'read']],
  });
  // The test MariaDB defaults (32M buffer pool, 8M redo log) slow step2's thousands of statements down;
  // a server sized like a small production one is the fairer measure (--small-db keeps the test defaults).
  const mariadbArgs = values['small-db']
    ? []
    : ['--innodb-buffer-pool-size=256M', '--innodb-log-file-size=128M'];
  const stack = await startInstallStack({
    release: values.release,
    version,
    sha256: await sha256(values.release),
    keep: values.keep,
    mariadbArgs,
    connection: ssh?.connection,
    // issue 6: verification builds a proposal PDF (and an invoice PDF with proposals off), workflows through the REST API
    modules: ['modApi', 'modPropale', 'modFacture'],
    webServer: values.apache ? 'apache' : 'nginx',
    customModules: [{ name: 'mokotest', source: moduleTgz }],
    users: [
      {
        login: 'alice',
        lastname: 'Martin',
        admin: false,
        password: { secret: 'acme/alice' },
        rights: ['societe.lire', 'produit.lire', 'mokotest.read'],
      },
    ],
  });
  try {
    line(
      'version',
      `${String(stack.ctx.facts.releaseVersion)} (php ${String(stack.ctx.facts.phpVersion)}, ${values.apache ? 'apache' : 'nginx'})`,
    );
    const ok = await report(stack, hasScripts);
    const failing = values['no-verify']
      ? []
      : await e2eVerify(stack, { keep: values.keep, host: stack.host });
    if (failing.length) line('FAILED', `functional verification items: ${failing.join(', ')}`);
    const broken = ssh ? await e2eSshBroken(stack, ssh) : [];
    if (broken.length) line('FAILED', `verify said ok on a broken site: ${broken.join('; ')}`);
    line(
      'wall',
      `${((Date.now() - wall) / 1000).toFixed(1)} s (MariaDB start, facts, install, PHP-FPM + web server, checks)`,
    );
    if (values.keep) line('kept', stack.dir);
    return ok && failing.length === 0 && broken.length === 0 ? 0 : 1;
  } finally {
    await stack.stop();
    await ssh?.sshd.stop().catch(() => {});
    rmSync(modules, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(
      e instanceof Error && 'describe' in e && typeof e.describe === 'function' ? e.describe() : e,
    );
    process.exit(1);
  },
);
