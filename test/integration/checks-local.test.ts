import { chmodSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidation } from '../../src/checks/run-validation.js';
import { exitCodeFor, formatReport } from '../../src/checks/format.js';
import type { Check, Finding, ValidationReport } from '../../src/checks/finding.js';
import type { ValidationOptions } from '../../src/checks/options.js';
import type { Plan } from '../../src/core/plan.js';
import { loadPolicy } from '../../src/policy/load.js';
import { LocalHost } from '../../src/hosts/local.js';
import type { Host } from '../../src/hosts/host.js';
import { releaseStamp } from '../../src/dolibarr/layout.js';
import { tlsCheck } from '../../src/checks/tls.js';
import { databaseVersionCheck } from '../../src/checks/database-version.js';
import { databaseAccessCheck } from '../../src/checks/database-access.js';
import { sshConfigCheck } from '../../src/checks/ssh-config.js';
import { permissionsCheck } from '../../src/checks/permissions.js';
import { backupsCheck } from '../../src/checks/backups.js';
import { phpVersionCheck } from '../../src/checks/php-version.js';
import { webServerConfigCheck } from '../../src/checks/webserver-config.js';
import { dnsCheck } from '../../src/checks/dns.js';
import { diskCheck } from '../../src/checks/disk.js';
import {
  makeCertificate,
  startApache,
  startMariadb,
  startNginx,
  startTestEnvironment,
  type TestEnvironment,
} from '../helpers/services/index.js';
import { Secret } from '../../src/core/secret.js';
import { webServerVersionCheck } from '../../src/checks/webserver-version.js';
import { phpHardeningCheck } from '../../src/checks/php-hardening.js';

const policy = loadPolicy();
let env: TestEnvironment;
let healthy: ValidationReport;

beforeAll(async () => {
  env = await startTestEnvironment();
  healthy = await runValidation({ plan: env.plan, options: env.options }, { policy });
});
afterAll(() => env?.stop());

const byId = (r: ValidationReport | Finding[], id: string) =>
  (Array.isArray(r) ? r : r.findings).find((f) => f.checkId === id);
const check = (c: Check, plan: Plan = env.plan, options: ValidationOptions = env.options) =>
  runValidation({ plan, options, host: new LocalHost() }, { policy, checks: [c] }).then((r) => r.findings);
const withSite = (site: Partial<Plan['site']>): Plan => ({
  ...env.plan,
  site: { ...env.plan.site, ...site },
});

describe('validation of a healthy local target', () => {
  it('passes the server requirements with the real observed values', () => {
    expect(byId(healthy, 'php-version.fpm')).toMatchObject({
      status: 'pass',
      observed: expect.stringMatching(/^php-fpm8\.2 8\.2\.\d+$/),
    });
    expect(byId(healthy, 'php-memory-limit.fpm')).toMatchObject({
      status: 'pass',
      observed: expect.stringMatching(/^php-fpm8\.2 memory_limit = \d+M$/),
    });
    expect(byId(healthy, 'php-version')).toMatchObject({
      status: 'pass',
      observed: expect.stringMatching(/^PHP 8\.\d+\.\d+$/),
      policyRef: 'env.server.php',
    });
    expect(byId(healthy, 'database-version')).toMatchObject({
      status: 'pass',
      observed: expect.stringContaining('MariaDB 10.'),
      threshold: 'MariaDB >= 10.4 or MySQL >= 8.0',
    });
    expect(byId(healthy, 'database-charset')?.status).toBe('pass');
    expect(byId(healthy, 'webserver-version')).toMatchObject({
      status: 'pass',
      observed: expect.stringMatching(/^nginx 1\.\d+/),
    });
    expect(byId(healthy, 'webserver-config')?.status).toBe('pass');
    for (const id of ['tls.validity', 'tls.hostname', 'tls.chain', 'tls.key'])
      expect(byId(healthy, id)?.status, id).toBe('pass');
    expect(byId(healthy, 'memory')).toMatchObject({
      status: 'pass',
      observed: expect.stringMatching(/GB RAM$/),
    });
    expect(
      healthy.findings.filter((f) => f.checkId.startsWith('disk.')).every((f) => f.status === 'pass'),
    ).toBe(true);
  });

  it('passes security and network requirements it can see', () => {
    for (const id of [
      'ssh-config.root-login',
      'ssh-config.password-auth',
      'database-access.listen',
      'database-access.remote-root',
      'database-access.anonymous',
      'permissions.conf-php',
      'permissions.web-root',
      'backups.schedule',
      'backups.recent',
      'dns',
      'dns.on-target',
      'mail',
      'apis.web-self',
      'ports.80',
      'ports.443',
    ]) {
      expect(byId(healthy, id)?.status, `${id}: ${JSON.stringify(byId(healthy, id))}`).toBe('pass');
    }
    expect(byId(healthy, 'mail')?.observed).toMatch(/^220 /);
  });

  it('reports PHP extensions from Dolibarr check.php: imap is only a warning', () => {
    const ext = byId(healthy, 'php-extensions')!;
    expect(['pass', 'warn']).toContain(ext.status);
    expect(ext.threshold).toContain('check.php');
    if (ext.status === 'warn') expect(ext.observed).toBe('missing: imap');
  });

  it('never passes the firewall without evidence: this machine has no input filter', () => {
    const fw = byId(healthy, 'firewall')!;
    expect(['fail', 'unknown']).toContain(fw.status);
    expect(fw.detail ?? fw.observed).toMatch(/nft|ufw|iptables/);
  });

  it('reads every threshold from the policy and formats a table', () => {
    expect(byId(healthy, 'disk./')?.threshold).toBe(`>= ${policy.environment.server.diskFreeGb.min} GB free`);
    expect(healthy.policyVersion).toBe(policy.version);
    const table = formatReport(healthy);
    expect(table).toContain('PASS     php-version');
    expect(table).not.toContain('\x1b[');
    expect(exitCodeFor([healthy])).toBe(healthy.worst === 'pass' || healthy.worst === 'warn' ? 0 : 1);
  });
});

describe('other set-ups', () => {
  it("asks the database as the plan's admin account, its password by stdin only", async () => {
    const password = new Secret('Adm1n-pass-9f3k');
    await env.db.rootClient.query(
      `CREATE USER IF NOT EXISTS 'mokoadmin'@'localhost' IDENTIFIED BY '${password.reveal()}'; GRANT ALL ON *.* TO 'mokoadmin'@'localhost'`,
    );
    const plan = {
      ...env.plan,
      database: { ...env.plan.database, admin: { user: 'mokoadmin', password: { secret: 'acme/db-admin' } } },
    };
    const run = (secret?: (n: string) => Secret | undefined) =>
      runValidation(
        { plan, options: env.options, host: new LocalHost(), secret },
        { policy, checks: [databaseVersionCheck] },
      ).then((r) => r.findings[0]!);
    const withPassword = await run((n) => (n === 'acme/db-admin' ? password : undefined));
    expect(withPassword, JSON.stringify(withPassword)).toMatchObject({ status: 'pass' });
    const without = await run();
    expect(without.status).toBe('unknown');
    expect(without.detail).toContain('Access denied');
    expect(without.detail).not.toContain(password.reveal());
  });

  it('PHP hardening: Debian defaults warn (allow_url_fopen), hardened settings pass', async () => {
    const fpm = byId(healthy, 'php-hardening')!;
    expect(fpm).toMatchObject({
      status: 'warn',
      policyRef: 'env.security.hardening',
      observed: expect.stringMatching(/^php-fpm8\.2: /),
    });
    expect(fpm.detail).toContain('allow_url_fopen');
    const hardened = join(env.dir, 'php-hardened');
    const flags =
      '-d expose_php=0 -d allow_url_fopen=0 -d session.use_strict_mode=1 -d disable_functions=exec,passthru,shell_exec,system,proc_open,popen';
    writeFileSync(hardened, `#!/bin/sh\nexec php ${flags} "$@"\n`, { mode: 0o755 });
    const plan = { ...env.plan, target: { ...env.plan.target, phpFpmService: undefined } };
    const f = await check(phpHardeningCheck, plan, { ...env.options, phpBinary: hardened });
    expect(f[0]).toMatchObject({ status: 'pass', observed: expect.stringContaining('php-cli: expose_php=') });
  });

  it('an Apache target: version and config test', async () => {
    const ap = await startApache();
    try {
      const plan = { ...env.plan, target: { ...env.plan.target, webServer: 'apache' as const } };
      const version = await check(webServerVersionCheck, plan);
      expect(version[0]).toMatchObject({
        status: 'pass',
        observed: expect.stringMatching(/^apache 2\.4\.\d+$/),
        threshold: 'apache >= 2.4',
      });
      const config = await check(webServerConfigCheck, plan, { ...env.options, apacheConfig: ap.confPath });
      expect(config[0]).toMatchObject({ status: 'pass', observed: 'Syntax OK' });
    } finally {
      await ap.stop();
    }
  });
});

describe('checks fail for real', () => {
  it('an expired certificate', async () => {
    const cert = makeCertificate({ cn: 'localhost', expired: true });
    const web = await startNginx({
      domain: 'localhost',
      tls: { certificatePath: cert.fullchainPath, keyPath: cert.keyPath },
    });
    try {
      const f = await check(
        tlsCheck,
        withSite({ httpsPort: web.httpsPort!, tls: { certificate: cert.fullchainPath, key: cert.keyPath } }),
        { ...env.options, trustedCaFile: cert.caPath },
      );
      expect(byId(f, 'tls.validity')).toMatchObject({
        status: 'fail',
        observed: expect.stringContaining('EXPIRED'),
      });
      expect(byId(f, 'tls.hostname')?.status).toBe('pass');
    } finally {
      await web.stop();
    }
  });

  it('a hostname mismatch, an incomplete chain and a key that does not match', async () => {
    const cert = makeCertificate({ cn: 'other.example' });
    const web = await startNginx({
      domain: 'localhost',
      tls: { certificatePath: cert.certPath, keyPath: cert.keyPath },
    });
    try {
      const f = await check(tlsCheck, withSite({ httpsPort: web.httpsPort! }), {
        ...env.options,
        trustedCaFile: cert.caPath,
      });
      expect(byId(f, 'tls.hostname')).toMatchObject({
        status: 'fail',
        observed: expect.stringContaining('other.example'),
      });
      expect(byId(f, 'tls.chain')).toMatchObject({
        status: 'fail',
        observed: expect.stringContaining('does not send the issuer'),
      });
      expect(byId(f, 'tls.key')?.status).toBe('fail'); // plan still names the healthy env's key
    } finally {
      await web.stop();
    }
  });

  it('a self-signed certificate is not a complete chain', async () => {
    const cert = makeCertificate({ cn: 'localhost', selfSigned: true });
    const web = await startNginx({ tls: { certificatePath: cert.certPath, keyPath: cert.keyPath } });
    try {
      const f = await check(
        tlsCheck,
        withSite({ httpsPort: web.httpsPort!, tls: { certificate: cert.certPath, key: cert.keyPath } }),
      );
      expect(byId(f, 'tls.chain')).toMatchObject({
        status: 'fail',
        observed: expect.stringContaining('self-signed'),
      });
      expect(byId(f, 'tls.key')?.status).toBe('pass');
    } finally {
      await web.stop();
    }
  });

  it('a database listening everywhere with a remote root and an anonymous user; then stopped', async () => {
    const db = await startMariadb({ args: ['--bind-address=0.0.0.0'] });
    const plan = { ...env.plan, database: { ...env.plan.database, socket: db.socket } };
    try {
      await db.rootClient.query(
        "CREATE USER 'root'@'%' IDENTIFIED BY 'Xy12345678'; CREATE USER ''@'localhost'",
      );
      const f = await check(databaseAccessCheck, plan);
      expect(byId(f, 'database-access.listen')).toMatchObject({
        status: 'fail',
        observed: 'bind_address = 0.0.0.0',
      });
      expect(byId(f, 'database-access.remote-root')).toMatchObject({ status: 'fail', observed: 'root@%' });
      expect(byId(f, 'database-access.anonymous')).toMatchObject({
        status: 'fail',
        observed: "''@localhost",
      });
      expect((await check(databaseVersionCheck, plan))[0]?.status).toBe('pass');
    } finally {
      await db.stop();
    }
    const stopped = await check(databaseVersionCheck, plan);
    expect(stopped[0]).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('no database server answering'),
    });
  });

  it('sshd allowing root and password login', async () => {
    const cfg = join(env.dir, 'sshd_config_weak');
    writeFileSync(cfg, `HostKey ${env.hostKey}\nPermitRootLogin yes\nPasswordAuthentication yes\n`);
    const f = await check(sshConfigCheck, env.plan, { ...env.options, sshdConfig: cfg });
    expect(byId(f, 'ssh-config.root-login')).toMatchObject({
      status: 'fail',
      observed: 'PermitRootLogin yes',
    });
    expect(byId(f, 'ssh-config.password-auth')).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('PasswordAuthentication yes'),
    });
  });

  it('a world-writable conf.php and web root', async () => {
    const root = join(env.dir, 'bad-root');
    mkdirSync(join(root, 'shared/conf'), { recursive: true });
    mkdirSync(join(root, 'current/htdocs'), { recursive: true });
    writeFileSync(join(root, 'shared/conf/conf.php'), '<?php\n');
    chmodSync(join(root, 'shared/conf/conf.php'), 0o666);
    chmodSync(join(root, 'current/htdocs'), 0o777);
    const f = await check(
      permissionsCheck,
      { ...env.plan, target: { ...env.plan.target, root } },
      { ...env.options, confPhp: undefined, webRoot: undefined },
    );
    expect(byId(f, 'permissions.conf-php')).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('world-writable, world-readable'),
    });
    expect(byId(f, 'permissions.web-root')).toMatchObject({
      status: 'fail',
      observed: expect.stringContaining('0777'),
    });
  });

  it('a backup older than the policy allows, and no schedule', async () => {
    const dir = join(env.dir, 'old-backups');
    const old = new Date(Date.now() - (policy.environment.security.backupMaxAgeHours + 5) * 3_600_000);
    const stamp = releaseStamp(old);
    mkdirSync(join(dir, stamp), { recursive: true });
    writeFileSync(join(dir, stamp, 'SHA256SUMS'), 'x');
    utimesSync(join(dir, stamp, 'SHA256SUMS'), old, old);
    const emptyCron = join(env.dir, 'empty-cron');
    mkdirSync(emptyCron);
    const f = await check(
      backupsCheck,
      { ...env.plan, target: { ...env.plan.target, backupRoot: dir } },
      { ...env.options, cronPaths: [emptyCron] },
    );
    expect(byId(f, 'backups.recent')).toMatchObject({
      status: 'fail',
      observed: expect.stringMatching(/3\d\.\d h old/),
    });
    expect(byId(f, 'backups.schedule')?.status).toBe('fail');
  });

  it('PHP below the policy minimum, and a Dolibarr release whose PHP range is not known', async () => {
    const strict = {
      ...policy,
      environment: {
        ...policy.environment,
        server: { ...policy.environment.server, php: { id: 'env.server.php', min: '8.3' } },
      },
    };
    const r = await runValidation(
      { plan: env.plan, options: env.options },
      { policy: strict, checks: [phpVersionCheck] },
    );
    expect(r.findings.map((f) => [f.checkId, f.status, f.threshold])).toEqual([
      ['php-version', 'fail', '>= 8.3 and <= 8.4.x (Dolibarr 22.0.2)'],
      ['php-version.fpm', 'fail', '>= 8.3 and <= 8.4.x (Dolibarr 22.0.2)'],
    ]);
    const f = await check(phpVersionCheck, {
      ...env.plan,
      dolibarr: { ...env.plan.dolibarr, version: '21.0.0' },
    });
    expect(f[0]).toMatchObject({ status: 'warn', detail: expect.stringContaining('is not known') });
  });

  it("finds the backup schedule in the plan's cronDir among the system cron paths", async () => {
    const cronDir = env.options.cronPaths![0]!;
    const f = await check(
      backupsCheck,
      { ...env.plan, target: { ...env.plan.target, cronDir } },
      { ...env.options, cronPaths: undefined },
    );
    expect(byId(f, 'backups.schedule')).toMatchObject({
      status: 'pass',
      observed: expect.stringContaining(`cron ${cronDir}/mokocrm-acme`),
    });
  });

  it('a broken nginx config', async () => {
    const bad = join(env.dir, 'nginx-bad.conf');
    writeFileSync(bad, 'events {}\nhttp { server { listen 127.0.0.1:1; bogus_directive on; } }\n');
    const f = await check(webServerConfigCheck, env.plan, { ...env.options, nginxConfig: bad });
    expect(f[0]).toMatchObject({ status: 'fail', observed: expect.stringContaining('bogus_directive') });
  });

  it('a domain that does not resolve', async () => {
    const f = await check(dnsCheck, withSite({ domain: 'crm.acme.invalid' }));
    expect(f[0]).toMatchObject({ status: 'fail', observed: expect.stringContaining('does not resolve') });
    expect(byId(f, 'dns.on-target')).toMatchObject({
      status: 'fail',
      policyRef: 'env.network.domain',
      observed: 'crm.acme.invalid does not resolve on local',
    });
  });

  it('a disk threshold above the free space', async () => {
    const greedy = {
      ...policy,
      environment: {
        ...policy.environment,
        server: { ...policy.environment.server, diskFreeGb: { id: 'env.server.disk', min: 1_000_000 } },
      },
    };
    const r = await runValidation(
      { plan: env.plan, options: env.options },
      { policy: greedy, checks: [diskCheck] },
    );
    expect(r.findings[0]).toMatchObject({ status: 'fail', threshold: '>= 1000000 GB free' });
  });
});

describe('the probe batch', () => {
  it('cannot start on a target whose temp dir is unusable: every probe runs alone, same verdicts', async () => {
    const local = new LocalHost();
    const ran: string[] = [];
    const host: Host = {
      name: local.name,
      run: (c) => {
        ran.push(c.argv[0]!);
        const batch = c.argv.join(' ') === 'sh -s';
        return local.run(batch ? { ...c, env: { ...c.env, TMPDIR: join(env.dir, 'no-such-dir') } } : c);
      },
      readFile: (p) => local.readFile(p),
      writeFile: (f) => local.writeFile(f),
      close: () => local.close(),
    };
    const r = await runValidation({ plan: env.plan, options: env.options, host }, { policy });
    expect(ran.filter((a) => a === 'sh')).toHaveLength(2); // both batches tried, and failed
    expect(ran).toEqual(expect.arrayContaining(['php', 'php-fpm8.2', 'mariadb', 'nginx', 'sshd', 'stat']));
    const statuses = (x: ValidationReport) => x.findings.map((f) => `${f.checkId} ${f.status}`);
    expect(statuses(r)).toEqual(statuses(healthy));
  });
});

describe('a check that cannot decide says unknown, with the reason', () => {
  it('a missing command', async () => {
    const f = await check(phpVersionCheck, env.plan, { ...env.options, phpBinary: 'php-not-installed' });
    expect(f[0]).toMatchObject({
      status: 'unknown',
      detail: expect.stringContaining('`php-not-installed` is not installed'),
    });
  });

  it('a hanging command, after the per-command timeout', async () => {
    const hang = join(env.dir, 'hang.sh');
    writeFileSync(hang, '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
    const started = Date.now();
    const f = await check(phpVersionCheck, env.plan, {
      ...env.options,
      phpBinary: hang,
      commandTimeoutMs: 800,
    });
    expect(f[0]).toMatchObject({
      status: 'unknown',
      detail: expect.stringContaining('did not finish within'),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a check that throws is reported unknown, not a crash', async () => {
    const broken: Check = {
      id: 'broken',
      title: 'Broken',
      policyRef: 'env.server.php',
      run: () => Promise.reject(new Error('boom')),
    };
    const r = await runValidation(
      { plan: env.plan, options: env.options, host: new LocalHost() },
      { policy, checks: [broken] },
    );
    expect(r.findings[0]).toMatchObject({
      status: 'unknown',
      detail: expect.stringContaining('bug in check broken'),
    });
    expect(r.worst).toBe('unknown');
    expect(exitCodeFor([r])).toBe(1);
  });
});
