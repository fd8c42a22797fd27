/**
 * `npm run demo` (through scripts/demo.sh, which checks the Debian packages first): the whole path, for real,
 * on the embedded default (SQLite store, local target) in the scratch folder demo/, on a staging plan:
 * init → submit → approve (the author's own approval refused) → validate → ready → schedule → deploy of the
 * fixture release (or DEMO_RELEASE=dolibarr-X.Y.Z.tgz) onto a private MariaDB, PHP-FPM and nginx on
 * loopback ports → verify → report all → a summary (URL, admin login, handoff PDF, audit trail verified).
 * The site stays up until Ctrl-C (which stops what the demo started), or `--no-serve` exits after the summary.
 * `--screenshots DIR` also saves the login page and the dashboard as PNGs (the README's pictures).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFixtureRelease } from '../test/helpers/fixture-release/build.js';
import { dirMaker } from '../test/helpers/site-parts.js';
import { demoCli, type Cli } from './demo-cli.js';
import { editDemoPlan } from './demo-plan.js';
import { readRelease } from './demo-release.js';
import { prepareFolder } from './demo-folder.js';
import { startDemoServices, type DemoServices } from './demo-services.js';
import { readAdminPassword, writeBackupSchedule, writeEnvFile } from './demo-site.js';
import { printSummary, type DemoOutcome } from './demo-summary.js';

const root = resolve(import.meta.dirname, '..');
const usage =
  'usage: npm run demo [-- --no-serve] [--install] [--screenshots DIR]  (DEMO_RELEASE=dolibarr-X.Y.Z.tgz, DEMO_DIR=folder)';
const flags = (() => {
  try {
    return parseArgs({
      options: { 'no-serve': { type: 'boolean', default: false }, screenshots: { type: 'string' } },
    }).values;
  } catch (e) {
    console.error(`demo: ${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
})();
const dir = resolve(process.env.DEMO_DIR ?? join(root, 'demo'));
const started = Date.now();
const note = (text: string) => console.log(`\n(demo) ${text}`);

/** The store and its keys, all in the scratch folder (nothing in ~/.config). */
const demoEnv = () => ({
  MOKODEPLOY_HOME: join(dir, '.mokodeploy'),
  MOKODEPLOY_SECRET_KEY_FILE: join(dir, 'keys', 'secret.key'),
  MOKODEPLOY_AUDIT_KEY_FILE: join(dir, 'keys', 'audit-signing.pem'),
});

function cliFor(): Cli {
  const env = {
    ...process.env,
    ...demoEnv(),
    MOKODEPLOY_TEAM: undefined,
    MOKODEPLOY_AS: undefined,
    NO_COLOR: '1',
  };
  const shown = (a: string) => (a.startsWith(`${dir}/`) ? relative(dir, a) : a);
  return demoCli(dir, env, shown);
}

/** The engine commands' site options: the private CA, the loopback address, the stand-alone PHP-FPM. */
const engine = (s: DemoServices) => [
  '--address',
  '127.0.0.1',
  '--ca-file',
  s.cert.caPath,
  '--fpm-pid',
  join(dir, 'fpm', 'php-fpm.pid'),
];

async function walk(cli: Cli, services: DemoServices): Promise<DemoOutcome> {
  await cli(['init', 'demo']);
  const d = dirMaker(dir);
  const release = process.env.DEMO_RELEASE
    ? await readRelease(resolve(process.env.DEMO_RELEASE))
    : buildFixtureRelease({ version: '20.0.2' }, d('release'));
  note(
    process.env.DEMO_RELEASE
      ? `release: ${release.tarball} (${release.version})`
      : `release: the test fixture release ${release.version} (a stand-in that follows Dolibarr's layout and install contract, not Dolibarr; DEMO_RELEASE=dolibarr-X.Y.Z.tgz for a real one)`,
  );
  const planFile = join(dir, 'plans', 'demo.yaml');
  writeFileSync(
    planFile,
    editDemoPlan(readFileSync(planFile, 'utf8'), {
      release: { path: release.tarball, version: release.version, sha256: release.sha256 },
      dir: d,
      site: {
        domain: services.domain,
        httpPort: services.httpPort,
        httpsPort: services.httpsPort,
        certificate: services.cert.certPath,
        key: services.cert.keyPath,
        chain: services.cert.chainPath,
      },
      database: { port: services.db.port, socket: services.db.socket },
      smtpPort: services.smtpPort,
    }),
  );
  note(
    `plans/demo.yaml now says: environment staging, the release above, every target path under ${dir}, ` +
      `MariaDB on 127.0.0.1:${services.db.port}, the site on ports ${services.httpPort}/${services.httpsPort}, mail to a local sink`,
  );
  const { stdout } = await cli(['--json', 'plan', 'submit', 'plans/demo.yaml', '--as', 'tina']);
  const id = (JSON.parse(stdout) as { id: string }).id;
  const self = await cli(['approve', id, '--as', 'tina'], { expect: [4] });
  note(`refused (exit ${self.code}), as the policy says: the plan's author never approves it`);
  await cli(['approve', id, '--as', 'dave']);
  const validation = await cli(['validate', id, '--as', 'tina'], { expect: [0, 1] });
  if (validation.code !== 0)
    note('this machine is not a production server: on a staging plan the findings are evidence, not gates');
  await cli(['ready', id, '--as', 'tina']);
  await cli(['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client']);
  await cli(['deploy', id, '--as', 'tina']);
  await services.serve();
  note(
    `PHP-FPM and nginx started from the pool and site files the deploy wrote (${relative(dir, join(dir, 'pool.d'))}/, sites/)`,
  );
  // not a stage of the main path: when it fails the demo goes on, and verify reports the missing backup
  const backup = await cli(['backup', id, '--as', 'tina', ...engine(services)], { expect: [0, 1, 6] });
  if (backup.code !== 0)
    note(`the backup failed (exit ${backup.code}, above): verify.backup-jobs will say so`);
  note(
    `the nightly backup line a server keeps in /etc/cron.d, written to ${writeBackupSchedule(dir, id)} (no cron daemon reads it here)`,
  );
  await cli(
    [
      'verify',
      id,
      '--as',
      'quinn',
      '--ca-file',
      services.cert.caPath,
      '--address',
      '127.0.0.1',
      '--cron-dir',
      join(dir, 'cron.d'),
      '--backup-cron',
      join(dir, 'cron.d'),
      '--log',
      join(dir, 'nginx', 'error.log'),
      '--log',
      join(dir, 'fpm', 'php-fpm.log'),
      '--loads',
      '3',
      '--mail-to',
      'qa@demo.localhost',
    ],
    { expect: [0, 1] },
  );
  await cli(['report', id, 'all', '--out', join(dir, 'reports')]);
  const password = await readAdminPassword(cli, dir);
  const audit = await cli(['audit', 'verify']);
  const envFile = writeEnvFile(dir, { ...demoEnv(), MOKODEPLOY_TEAM: join(dir, 'team.yaml') });
  return { id, dir, services, password, auditOutput: audit.stdout, envFile };
}

async function main(): Promise<void> {
  await prepareFolder(dir, note);
  note(`scratch folder ${dir}: starting a private MariaDB and a mail sink on 127.0.0.1`);
  const services = await startDemoServices(dir, dirMaker(dir));
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    note('stopping MariaDB, PHP-FPM, nginx and the mail sink');
    await services.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  try {
    const cli = cliFor();
    const outcome = await walk(cli, services);
    await printSummary(outcome, cli, (Date.now() - started) / 1000);
    if (flags.screenshots) {
      const { takeScreenshots } = await import('./demo-screens.js');
      for (const png of await takeScreenshots(outcome, resolve(flags.screenshots))) note(`saved ${png}`);
    }
  } catch (e) {
    console.error(`\ndemo failed: ${(e as Error).message}`);
    await stop(1);
  }
  if (flags['no-serve']) return stop(0);
  console.log('\nThe site stays up until Ctrl-C (which stops what the demo started).');
  setInterval(() => {}, 1 << 30); // wait for the signal
}

main().catch((e: unknown) => {
  console.error(`\ndemo failed: ${(e as Error).message}`);
  process.exit(1);
});
