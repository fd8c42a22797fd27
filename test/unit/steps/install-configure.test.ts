import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/core/secret.js';
import { configureCompany } from '../../../src/steps/install/configure-company.js';
import { configureCron } from '../../../src/steps/install/configure-cron.js';
import { configureEmail } from '../../../src/steps/install/configure-email.js';
import { createUsers } from '../../../src/steps/install/create-users.js';
import { enableModules } from '../../../src/steps/install/enable-modules.js';
import { installCustomModules } from '../../../src/steps/install/install-custom-modules.js';
import { phpFpmPool } from '../../../src/steps/install/php-fpm-pool.js';
import { webSite } from '../../../src/steps/install/web-site.js';
import type { Action } from '../../../src/steps/step.js';
import { knownSecrets, release, root, testContext } from './install-context.js';

const cmd = (a: Action | undefined) => {
  if (a?.kind !== 'run') throw new Error('expected a run action');
  return a.command;
};
const body = (a: Action | undefined) =>
  JSON.parse((cmd(a).stdin as Secret).reveal()) as Record<string, unknown>;
const tool = (name: string) => ['php', `${root}/shared/mokodeploy/${name}`];

describe('configuration through our PHP tools (run as the web user, request on stdin)', () => {
  const ctx = testContext();
  it('company: set-company.php with the plan company', () => {
    const [a] = configureCompany.plan(ctx);
    expect(cmd(a)).toMatchObject({
      argv: tool('set-company.php'),
      asUser: 'www-data',
      cwd: `${root}/current/htdocs`,
    });
    expect(body(a)).toMatchObject({
      htdocs: `${root}/current/htdocs`,
      admin: 'admin',
      company: { name: 'ACME SARL', country: 'FR' },
    });
  });
  it('email: the MAIN_MAIL_* constants', () => {
    expect(body(configureEmail.plan(ctx)[0]).constants).toEqual([
      { name: 'MAIN_MAIL_SENDMODE', value: 'smtps', entity: 1 },
      { name: 'MAIN_MAIL_SMTP_SERVER', value: 'smtp.acme.test', entity: 1 },
      { name: 'MAIN_MAIL_SMTP_PORT', value: '587', entity: 1 },
      { name: 'MAIN_MAIL_EMAIL_FROM', value: 'crm@acme.test', entity: 1 },
    ]);
    expect(configureEmail.plan(testContext({}, { email: undefined }))).toEqual([]);
  });
  it('email: a loopback SMTP server is written as localhost (Dolibarr refuses 127.x, smtps.class.php)', () => {
    const server = (smtpHost: string) =>
      (
        body(
          configureEmail.plan(
            testContext({}, { email: { from: 'crm@acme.test', smtpHost, smtpPort: 25 } }),
          )[0],
        ) as { constants: { name: string; value: string }[] }
      ).constants.find((c) => c.name === 'MAIN_MAIL_SMTP_SERVER')?.value;
    expect(server('127.0.0.1')).toBe('localhost');
    expect(server('127.3.2.1')).toBe('localhost');
    expect(server('::1')).toBe('localhost');
    expect(server('10.0.0.5')).toBe('10.0.0.5'); // private ranges work (is_ip() returns 2)
    expect(server('mail.acme.test')).toBe('mail.acme.test');
  });
  it('modules: base modules, plan modules and custom descriptors, deduplicated', () => {
    const c = testContext(
      { customModules: [{ name: 'mokotest', descriptor: { className: 'modMokoTest', depends: [] } }] },
      { modules: ['modApi', 'modSociete'] },
    );
    expect(body(enableModules.plan(c)[0]).modules).toEqual([
      'modSociete',
      'modProduct',
      'modCron',
      'modApi',
      'modMokoTest',
    ]);
  });
  it('users: passwords only inside the stdin request', () => {
    const [a] = createUsers.plan(ctx);
    expect(cmd(a).argv).toEqual(tool('create-users.php'));
    expect(body(a).users).toEqual([
      {
        login: 'alice',
        lastname: 'Martin',
        admin: false,
        password: knownSecrets['acme/alice'],
        rights: ['societe.lire', 'produit'],
      },
    ]);
  });
  it('cron: CRON_KEY on stdin at entity 0, a cron.d file without the key', () => {
    const [key, file] = configureCron.plan(ctx);
    expect(body(key).constants).toEqual([
      { name: 'CRON_KEY', value: knownSecrets['acme/cron-key'], entity: 0 },
    ]);
    if (file?.kind !== 'write') throw new Error('expected a write');
    expect(file.file).toMatchObject({ path: '/etc/cron.d/mokocrm-acme', mode: 0o644, owner: 'root' });
    expect(file.file.content).toBe(
      '# mokodeploy: Dolibarr scheduled jobs for acme\nSHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n' +
        `*/5 * * * * www-data php ${root}/shared/mokodeploy/run-cron-jobs.php ${root}/current firstadmin >/dev/null 2>&1\n`,
    );
    expect(configureCron.plan(testContext({ skipCron: true }))).toEqual([]);
  });
});

describe('custom modules', () => {
  it('copies a directory, extracts a .tgz, unzips a .zip into htdocs/custom, then root-owned 755/644', () => {
    const c = testContext(
      {},
      {
        customModules: [
          { name: 'mokoa', source: '/srv/m/mokoa' },
          { name: 'mokob', source: '/srv/m/mokob.tgz' },
          { name: 'mokoc', source: '/srv/m/mokoc.zip' },
        ],
      },
    );
    const argvs = installCustomModules.plan(c).map((a) => cmd(a).argv);
    const custom = `${release}/htdocs/custom`;
    expect(argvs).toEqual([
      ['mkdir', '-p', custom],
      ['rm', '-rf', '--', `${custom}/mokoa`],
      ['cp', '-R', '--', '/srv/m/mokoa', `${custom}/mokoa`],
      ['rm', '-rf', '--', `${custom}/mokob`],
      ['tar', '-xzf', '/srv/m/mokob.tgz', '-C', custom, '--no-same-owner'],
      ['rm', '-rf', '--', `${custom}/mokoc`],
      ['unzip', '-q', '-o', '/srv/m/mokoc.zip', '-d', custom],
      ['chown', '-R', 'root:root', custom],
      ['find', '-P', custom, '-type', 'd', '-exec', 'chmod', '755', '{}', '+'],
      ['find', '-P', custom, '-type', 'f', '-exec', 'chmod', '644', '{}', '+'],
    ]);
  });
});

describe('web server and PHP-FPM', () => {
  it('nginx: site file, then config test and reload under systemd', () => {
    const actions = webSite.plan(testContext());
    expect(actions.map((a) => (a.kind === 'run' ? a.command.argv : a.file.path))).toEqual([
      '/etc/nginx/sites-enabled/mokocrm-acme.conf',
      ['nginx', '-t'],
      ['systemctl', 'reload', 'nginx'],
    ]);
  });
  it('apache: enables its modules and tests the config; a chain is joined to the certificate first', () => {
    const c = testContext(
      {},
      {
        target: { webServer: 'apache' },
        site: {
          tls: { certificate: '/etc/ssl/acme.crt', key: '/etc/ssl/acme.key', chain: '/etc/ssl/chain.pem' },
        },
      },
    );
    const actions = webSite.plan(c);
    expect(cmd(actions[0]).argv).toEqual([
      'sh',
      '-c',
      'umask 022 && cat -- "$1" "$2" > "$3"',
      'fullchain',
      '/etc/ssl/acme.crt',
      '/etc/ssl/chain.pem',
      `${root}/shared/conf/tls-fullchain.pem`,
    ]);
    expect(actions.slice(1).map((a) => (a.kind === 'run' ? a.command.argv : a.file.path))).toEqual([
      '/etc/apache2/sites-enabled/mokocrm-acme.conf',
      ['a2enmod', '-q', 'ssl', 'headers', 'proxy_fcgi', 'alias'],
      ['apache2ctl', 'configtest'],
      ['systemctl', 'reload', 'apache2'],
    ]);
  });
  it("PHP-FPM pool in the version's pool.d, reload only under systemd", () => {
    const actions = phpFpmPool.plan(testContext());
    expect(actions.map((a) => (a.kind === 'run' ? a.command.argv : a.file.path))).toEqual([
      '/etc/php/8.2/fpm/pool.d/mokocrm-acme.conf',
      ['systemctl', 'reload-or-restart', 'php8.2-fpm'],
    ]);
    expect(phpFpmPool.plan(testContext({ serviceManager: 'none' }))).toHaveLength(1);
  });
});
