import { chmodSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { SecretStore } from '../../src/store/secrets.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import {
  startFpmWithPools,
  startNginxWithSites,
  type Running,
} from '../helpers/install-stack/web-servers.js';
import {
  deployUser,
  ensureUser,
  freePort,
  makeCertificate,
  startMariadb,
  startSshd,
  type Mariadb,
  type Sshd,
} from '../helpers/services/index.js';
import { planInput } from '../helpers/records.js';
import { workspace, type Workspace } from '../helpers/cli.js';

/**
 * The same user's path as deploy-cli.test.ts, with the target reached over SSH: a real sshd on
 * 127.0.0.1, a deploy user with password-less sudo (not root), a known_hosts file. The built CLI
 * installs the fixture release through that connection; the admin then logs in over HTTPS.
 */
let ws: Workspace;
let db: Mariadb;
let sshd: Sshd;
const running: Running[] = [];
const id = 'acme-2026-12';
let url = '';
let caPath = '';

beforeAll(async () => {
  ws = workspace();
  const d = (p: string) => {
    const full = join(ws.dir, p);
    mkdirSync(full, { recursive: true });
    chmodSync(full, 0o755);
    return full;
  };
  chmodSync(ws.dir, 0o755);
  db = await startMariadb();
  ensureUser(deployUser, { sudo: 'nopasswd' });
  sshd = await startSshd({ users: [deployUser] });
  const fixture = buildFixtureRelease({ version: '20.0.2' }, d('release'));
  const cert = makeCertificate({ cn: 'crm.acme.test', dir: d('tls') });
  caPath = cert.caPath;
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  url = `https://crm.acme.test:${httpsPort}`;
  const input = planInput({
    environment: 'staging',
    dolibarr: { version: '20.0.2', release: fixture.tarball, sha256: fixture.sha256 },
    target: {
      host: '127.0.0.1',
      port: sshd.port,
      user: deployUser,
      identityFile: sshd.clientKeyPath,
      knownHostsFile: sshd.knownHostsPath,
      sudo: true,
      root: join(d('www'), 'acme'),
      dataRoot: join(d('lib'), 'acme', 'documents'),
      backupRoot: d('backups'),
      webConfigDir: d('sites'),
      phpFpmPoolDir: d('pool.d'),
      phpFpmSocket: join(d('run'), 'php-fpm-acme.sock'),
      serviceManager: 'none',
      cronDir: d('cron.d'),
    },
    site: {
      domain: 'crm.acme.test',
      url,
      httpPort,
      httpsPort,
      tls: { certificate: cert.certPath, key: cert.keyPath, chain: cert.chainPath },
    },
    database: {
      host: '127.0.0.1',
      port: db.port,
      socket: db.socket,
      name: 'acme_crm',
      user: 'acme',
      password: { secret: 'acme/db' },
    },
  });
  ws.writePlan('plan.yaml', input);
  for (const args of [
    ['plan', 'submit', 'plan.yaml', '--as', 'tina'],
    ['approve', id, '--as', 'dave'],
    ['ready', id, '--as', 'tina'],
    ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ]) {
    const r = ws.run(args, { MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') });
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}, 240_000);

afterAll(async () => {
  for (const r of running.reverse()) await r.stop().catch(() => {});
  await db?.stop().catch(() => {});
  await sshd?.stop().catch(() => {});
});

const env = () => ({ MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') });

describe('mokodeploy deploy over SSH, as a deploy user with sudo', () => {
  it('--dry-run lists what would run and changes nothing', () => {
    const r = ws.run(['deploy', id, '--dry-run'], env());
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => /^\[\d+\/\d+\] install:/.test(l));
    expect(steps.length).toBeGreaterThan(15);
    expect(r.stdout).toContain('install:database');
    expect(r.stdout).toContain('install:web-site');
    expect(readdirSync(join(ws.dir, 'www'))).toEqual([]);
    // a dry run generates no secret
    expect(new SecretStore(join(ws.dir, '.mokodeploy'), join(ws.dir, 'secret.key')).names()).toEqual([]);
  });

  it('installs the release over SSH and records the run; the admin logs in over HTTPS', async () => {
    const r = ws.run(['deploy', id, '--as', 'tina'], env());
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const record = JSON.parse(ws.run(['--json', 'show', id]).stdout);
    expect(record.state).toBe('verifying');
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(record.runs.at(-1).durationSeconds).toBeGreaterThan(0);
    mkdirSync(join(ws.dir, 'fpm'), { recursive: true });
    running.push(
      await startFpmWithPools(
        join(ws.dir, 'fpm'),
        join(ws.dir, 'pool.d'),
        join(ws.dir, 'run', 'php-fpm-acme.sock'),
      ),
    );
    mkdirSync(join(ws.dir, 'nginx'), { recursive: true });
    const ports = [record.plan.site.httpPort, record.plan.site.httpsPort];
    running.push(await startNginxWithSites(join(ws.dir, 'nginx'), join(ws.dir, 'sites'), ports));
    const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), join(ws.dir, 'secret.key'));
    const password: Secret = secrets.get('acme/admin');
    const login = await loginThroughForm({
      url,
      login: 'admin',
      password,
      address: '127.0.0.1',
      ca: readFileSync(caPath),
    });
    expect(login.ok, login.reason).toBe(true);
    const wrong = await loginThroughForm({
      url,
      login: 'admin',
      password: new Secret('not-the-password'),
      address: '127.0.0.1',
      ca: readFileSync(caPath),
    });
    expect(wrong.ok).toBe(false);
    const metrics = JSON.parse(ws.run(['--json', 'metrics']).stdout);
    expect(metrics.deployments[0].durationMinutes).toBeGreaterThan(0);
    // no secret in the audit trail or the record
    const trail = ws.run(['audit', 'export']).stdout + JSON.stringify(record);
    for (const name of secrets.names()) expect(trail).not.toContain(secrets.get(name).reveal());
  }, 600_000);
});
