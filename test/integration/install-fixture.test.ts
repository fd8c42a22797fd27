import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { parseConfPhp } from '../../src/dolibarr/conf-php.js';
import { detectExistingInstall } from '../../src/steps/install/adopt.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { packCustomModule } from '../helpers/fixture-release/custom-module.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { inspectSite, securityHeaderNames } from '../helpers/install-stack/web-checks.js';

/**
 * The install pipeline run for real on this machine (LocalHost, real MariaDB, PHP-FPM and nginx from the
 * pool/site files the pipeline wrote) against the fixture release, then a login through the form over HTTPS.
 */
let stack: InstallStack;
const out = mkdtempSync(join(tmpdir(), 'moko-fixture-test-'));

beforeAll(async () => {
  const fixture = buildFixtureRelease({ version: '20.0.2' }, out);
  const moduleTgz = packCustomModule(join(out, 'modules'), {
    name: 'mokotest',
    className: 'modMokoTest',
    phpmin: [8, 1],
    needDolibarrVersion: [19, 0],
    rights: [[500001, 'Read moko', 'read']],
  });
  stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
    customModules: [{ name: 'mokotest', source: moduleTgz }],
    users: [
      {
        login: 'alice',
        lastname: 'Martin',
        admin: false,
        password: { secret: 'acme/alice' },
        rights: ['societe.lire', 'mokotest.read'],
      },
    ],
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

const login = (user: string, password: Secret) =>
  loginThroughForm({
    url: stack.plan.site.url,
    login: user,
    password,
    address: '127.0.0.1',
    ca: caOf(stack),
  });

describe('fresh install of the fixture release', () => {
  it('logs the admin in through the login form over HTTPS (CSRF token, session cookie)', async () => {
    const result = await login('admin', stack.secrets.secret('acme/admin'));
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.finalUrl).toMatch(/\/index\.php$/); // company set: no redirect to the setup page
  });

  it('logs in a planned user, and refuses a wrong password', async () => {
    expect((await login('alice', stack.secrets.secret('acme/alice'))).ok).toBe(true);
    const wrong = await login('admin', new Secret('not-the-password'));
    expect(wrong.ok).toBe(false);
    expect(wrong.reason).toMatch(/login form came back/);
  });

  it("leaves conf.php 0440 root:www-data with utf8mb4 and the store's instance id", () => {
    const confPath = join(stack.plan.target.root, 'shared/conf/conf.php');
    const st = statSync(confPath);
    expect(st.mode & 0o777).toBe(0o440);
    expect(st.uid).toBe(0);
    const conf = parseConfPhp(readFileSync(confPath, 'utf8'));
    expect(conf.db.characterSet).toBe('utf8mb4');
    expect(conf.instanceUniqueId.reveal()).toBe(stack.secrets.secret('acme/instance-unique-id').reveal());
    expect(statSync(join(stack.plan.target.dataRoot, 'install.lock')).isFile()).toBe(true);
    expect(statSync(join(stack.plan.target.dataRoot, '.htaccess')).mode & 0o002).toBe(0);
  });

  it('created the database utf8mb4 and set company, modules, users through Dolibarr functions', async () => {
    const [schema] = await stack.db.rootClient.query(
      "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'acme_crm'",
    );
    expect(schema).toEqual(['utf8mb4', 'utf8mb4_unicode_ci']);
    const consts = new Map(
      (await stack.db.rootClient.query('SELECT name, value FROM acme_crm.llx_const')).map(([k, v]) => [
        k!,
        v!,
      ]),
    );
    expect(consts.get('MAIN_INFO_SOCIETE_COUNTRY')).toBe('1:FR:France');
    expect(consts.get('MAIN_MODULE_MOKOTEST')).toBe('1');
    expect(consts.get('MAIN_MODULE_CRON')).toBe('1');
    // the plan's 127.0.0.1, written as localhost: Dolibarr's SMTP client refuses loopback IPs (configure-email.ts)
    expect(consts.get('MAIN_MAIL_SMTP_SERVER')).toBe('localhost');
    expect(consts.get('CRON_KEY')).toBe(stack.secrets.secret('acme/cron-key').reveal());
    const rights = await stack.db.rootClient.query(
      "SELECT d.module, d.perms FROM acme_crm.llx_user_rights r JOIN acme_crm.llx_rights_def d ON d.id = r.fk_id JOIN acme_crm.llx_user u ON u.rowid = r.fk_user WHERE u.login = 'alice' ORDER BY 1",
    );
    expect(rights).toEqual([
      ['mokotest', 'read'],
      ['societe', 'lire'],
    ]);
  });

  it("locks every install page, step1 included (it never sees the external data root's install.lock)", async () => {
    for (const page of ['step1.php', 'step2.php', 'step5.php']) {
      const r = await stack.host.run({
        argv: ['php', page, 'set', 'en_US'],
        cwd: join(stack.plan.target.root, 'current/htdocs/install'),
        asUser: 'www-data',
      });
      expect(r.stdout, page).toContain('locked');
    }
  });

  it('never put a secret in the argv of a command it ran', () => {
    const secrets = [...stack.secrets.values.values()].map((s) => s.reveal());
    for (const c of stack.host.commands) for (const s of secrets) expect(c.argv.join(' ')).not.toContain(s);
  });

  it('serves security headers once, redirects HTTP to HTTPS and denies conf/, install/, dotfiles, .sql, install.lock', async () => {
    const site = await inspectSite(stack);
    expect(site.headerCounts).toEqual(Object.fromEntries(securityHeaderNames.map((n) => [n, 1])));
    expect(site.home.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    expect(site.redirect).toEqual({
      status: 301,
      location: `https://crm.acme.test:${stack.httpsPort}/index.php`,
    });
    for (const [path, status] of Object.entries(site.denied)) expect([403, 404], path).toContain(status);
  });

  it('runs Dolibarr scheduled jobs through the cron wrapper without the key in argv', async () => {
    const cronFile = readFileSync(join(stack.dir, 'cron.d', 'mokocrm-acme'), 'utf8');
    expect(cronFile).not.toContain(stack.secrets.secret('acme/cron-key').reveal());
    const r = await stack.host.run({
      argv: [
        'php',
        join(stack.plan.target.root, 'shared/mokodeploy/run-cron-jobs.php'),
        join(stack.plan.target.root, 'current'),
        'firstadmin',
      ],
      asUser: 'www-data',
    });
    expect(r.stdout).toContain('userlogin=admin - 0 jobs run');
    expect(r.code).toBe(0);
  });

  it('is idempotent: a second run skips the installer and keeps login working', async () => {
    const timings = await stack.rerun();
    const skipped = timings.filter((t) => t.skipped).map((t) => t.id);
    expect(skipped).toEqual(
      expect.arrayContaining([
        'install:extract-release',
        'install:switch-current',
        'install:installer-step1',
        'install:installer-step2',
        'install:installer-step5',
      ]),
    );
    expect((await login('admin', stack.secrets.secret('acme/admin'))).ok).toBe(true);
  });

  it('adopt: detects version, conf.php and database version of the install', async () => {
    const root = join(stack.plan.target.root, 'current');
    const found = await detectExistingInstall(stack.host, root);
    expect(found?.filesVersion).toBe('20.0.2');
    expect(found?.conf?.db.name).toBe('acme_crm');
    expect(found?.installLock).toBe(true);
    expect(found?.database).toMatchObject({ reachable: true, version: '20.0.2', lastInstall: '20.0.2' });
  });
});
