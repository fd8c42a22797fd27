import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import {
  deployUser,
  ensureUser,
  freePort,
  sshTargetOf,
  startSshd,
  type Sshd,
} from '../helpers/services/index.js';
import { prepareDeployTarget, type DeployTarget } from '../helpers/deploy-target.js';
import {
  startFpmWithPools,
  startNginxWithSites,
  type Running,
} from '../helpers/install-stack/web-servers.js';
import { dirMaker, tempTargetPaths } from '../helpers/site-parts.js';
import { startLoopbackS3, type LoopbackS3 } from '../helpers/s3.js';

/** The submitted plan file as YAML reads it (reused for the recovery plan). */
type PlanDoc = {
  database: { socket: string; name: string };
  target: { dataRoot: string } & Record<string, unknown>;
  site: Record<string, unknown>;
} & Record<string, unknown>;

/**
 * Issue 23 "a server can be rebuilt from nothing but the operator's store (or the bucket)": production is installed
 * over SSH (sshd A, deploy user with sudo), backed up with `mokodeploy backup --offsite store,s3 --delete-target-copy`
 * (every file pulled over the connection, sealed in the store, put in a loopback S3 bucket, checked there; the
 * target's copy removed); then recovered by `deploy` of a disaster-recovery plan onto a second target (sshd B,
 * another root, another database, another backup root) that never saw the backup: the tool ships it. A byte changed
 * in the stored dump or in the stored manifest is refused before any change on the new target.
 */
let t: DeployTarget;
let a: Sshd;
let b: Sshd;
let s3: LoopbackS3;
let plan: PlanDoc;
let env: NodeJS.ProcessEnv;
let stamp: string;
const running: Running[] = [];
const sql = (query: string) =>
  execFileSync(
    'mariadb',
    [
      '--no-defaults',
      `--socket=${plan.database.socket}`,
      '-uroot',
      '--batch',
      '--skip-column-names',
      '-e',
      query,
    ],
    {
      encoding: 'utf8',
    },
  );
const store = () => join(t.ws.dir, '.mokodeploy', 'offsite');
const tables = (db: string) =>
  sql(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = '${db}' AND table_type = 'BASE TABLE' ORDER BY 1`,
  )
    .split('\n')
    .filter(Boolean);
/** Every table's CHECKSUM TABLE and row count. */
const fingerprint = (db: string) =>
  Object.fromEntries(
    tables(db).map((x) => [
      x,
      `${sql(`SELECT COUNT(*) FROM \`${db}\`.\`${x}\``).trim()} ${sql(`CHECKSUM TABLE \`${db}\`.\`${x}\``).split('\t')[1]!.trim()}`,
    ]),
  );

beforeAll(async () => {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  [a, b, s3] = await Promise.all([
    startSshd({ users: [deployUser] }),
    startSshd({ users: [deployUser] }),
    startLoopbackS3(),
  ]);
  t = await prepareDeployTarget(sshTargetOf(a, deployUser));
  env = { ...t.env, ...s3.env };
  plan = parse(readFileSync(join(t.ws.dir, 'plan.yaml'), 'utf8')) as PlanDoc;
  const r = await t.ws.runAsync(['deploy', t.id, '--as', 'tina'], env);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  sql(
    `INSERT INTO acme_crm.llx_societe (nom, client, code_client, datec) VALUES ('Paris Office', 1, 'CU0009', NOW())`,
  );
}, 600_000);

afterAll(async () => {
  for (const r of running.reverse()) await r.stop().catch(() => {});
  await t?.stop();
  await Promise.all([a?.stop(), b?.stop(), s3?.stop()].map((p) => p?.catch(() => {})));
});

const backup = async (...extra: string[]) => {
  const r = await t.ws.runAsync(
    ['--json', 'backup', t.id, '--as', 'tina', '--offsite', 'store,s3', ...t.engineOptions, ...extra],
    env,
  );
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as {
    backup: string;
    manifestSha256: string;
    copies: Record<string, string | null>;
  };
};

describe('backup copies every backup off the server', () => {
  it('lands in the store sealed and in the bucket, checked there; the target copy is deleted; backup list says where', async () => {
    const first = await backup('--keep', '2');
    const out = await backup('--keep', '1', '--delete-target-copy');
    stamp = out.backup.split('/').at(-1)!;
    expect(existsSync(out.backup)).toBe(false); // the target's own copy, removed after the copies were checked
    expect(out.copies).toMatchObject({ target: null, store: store() });
    expect(out.copies.s3).toContain(`s3://${s3.bucket}/acme-test`);
    // the store: an index per backup, blobs named by sha256, none of them plaintext
    const index = JSON.parse(readFileSync(join(store(), 'backups', 'acme', `${stamp}.json`), 'utf8'));
    expect(index).toMatchObject({ stamp, manifestSha256: out.manifestSha256, target: { deleted: true } });
    const dump = index.files.find((f: { name: string }) => f.name === 'database.sql');
    const blob = readFileSync(join(store(), 'blobs', `${dump.sha256}.sealed`));
    expect(blob.subarray(0, 8).toString()).toBe('MOKOBK1\n');
    expect(blob.includes(Buffer.from('Paris Office'))).toBe(false);
    expect(blob.includes(Buffer.from('CREATE TABLE'))).toBe(false);
    expect(statSync(join(store(), 'blobs')).mode & 0o777).toBe(0o700);
    // retention (--keep 1) on every copy: the first backup is gone from the store and the bucket
    const firstStamp = first.backup.split('/').at(-1)!;
    expect(existsSync(join(store(), 'backups', 'acme', `${firstStamp}.json`))).toBe(false);
    const bucketFiles = execFileSync('find', [s3.dir, '-type', 'f'], { encoding: 'utf8' });
    expect(bucketFiles).toContain(`${stamp}.json`);
    expect(bucketFiles).not.toContain(`${firstStamp}.json`);
    expect(bucketFiles).toContain(`${dump.sha256}.sealed`);
    // not spawnSync: s3rver answers from this process
    const list = await t.ws.runAsync(['backup', 'list', t.id], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`${stamp} .*target: \\(deleted\\)\\s+store: yes\\s+s3: s3://${s3.bucket}/acme-test`),
    );
  }, 600_000);
});

describe('recovery onto a second server from the off-server copy', () => {
  let d: (p: string) => string;
  let site: { url: string; httpPort: number; httpsPort: number };
  const dr = 'acme-dr';
  const untouched = () => {
    expect(sql("SHOW DATABASES LIKE 'acme_dr'").trim()).toBe('');
    expect(existsSync(join(d('www'), 'acme', 'releases'))).toBe(false);
    expect(existsSync(join(d('www'), 'acme', 'current'))).toBe(false);
    expect(readdirSync(d('backups'))).toEqual([]); // not even the backup was shipped
  };
  /** Flip one byte in the middle of a stored blob, run the body, put it back. */
  const flipped = async (name: string, body: () => Promise<void>) => {
    const index = JSON.parse(readFileSync(join(store(), 'backups', 'acme', `${stamp}.json`), 'utf8'));
    const sha =
      name === 'SHA256SUMS'
        ? index.manifestSha256
        : index.files.find((f: { name: string }) => f.name === name).sha256;
    const path = join(store(), 'blobs', `${sha}.sealed`);
    const good = readFileSync(path);
    const bad = Buffer.from(good);
    bad[Math.floor(bad.length / 2)]! ^= 0x01;
    writeFileSync(path, bad);
    try {
      await body();
    } finally {
      writeFileSync(path, good);
    }
  };

  beforeAll(async () => {
    d = dirMaker(join(t.ws.dir, 'dr'));
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    site = { url: `https://crm.acme.test:${httpsPort}`, httpPort, httpsPort };
    t.ws.writePlan(`${dr}.yaml`, {
      ...plan,
      id: dr,
      kind: 'disaster-recovery',
      target: {
        ...plan.target,
        ...sshTargetOf(b, deployUser), // another sshd
        ...tempTargetPaths(d), // another root, data root, backup root
        phpFpmSocket: join(d('run'), 'php-fpm-dr.sock'),
        cronDir: d('cron.d'),
      },
      site: { ...plan.site, ...site },
      database: { ...plan.database, name: 'acme_dr' }, // another database
      recovery: { backup: stamp },
    } as never);
    for (const args of [
      ['plan', 'submit', `${dr}.yaml`, '--as', 'tina'],
      ['approve', dr, '--as', 'dave'],
      ['ready', dr, '--as', 'tina'],
      ['schedule', dr, '--as', 'dave', '--client-approved-by', 'Jane Client'],
    ]) {
      const r = t.ws.run(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 120_000);

  it('a byte changed in the stored dump is refused before any change, naming database.sql and the manifest', async () => {
    await flipped('database.sql', async () => {
      const r = await t.ws.runAsync(['deploy', dr, '--as', 'tina'], env);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/database\.sql/);
      expect(r.stderr).toMatch(/manifest/);
      untouched();
    });
  }, 300_000);

  it('a byte changed in the stored manifest is refused before any change', async () => {
    await flipped('SHA256SUMS', async () => {
      const r = await t.ws.runAsync(['deploy', dr, '--as', 'tina'], env);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/manifest SHA256SUMS/);
      untouched();
    });
  }, 300_000);

  it('a store index naming another manifest than the one recorded is refused', async () => {
    const path = join(store(), 'backups', 'acme', `${stamp}.json`);
    const good = readFileSync(path);
    writeFileSync(path, JSON.stringify({ ...JSON.parse(good.toString()), manifestSha256: 'f'.repeat(64) }));
    try {
      const r = await t.ws.runAsync(['deploy', dr, '--as', 'tina'], env);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(
        /manifest SHA256SUMS .* differs from the one recorded when the backup was taken/,
      );
      untouched();
    } finally {
      writeFileSync(path, good);
    }
  }, 300_000);

  it('a dry run checks the copy in the store and lists the recovery without shipping anything', async () => {
    const r = await t.ws.runAsync(['deploy', dr, '--dry-run'], env);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('restore:database');
    expect(r.stdout).toContain('restore:cron');
    untouched();
  }, 300_000);

  it('the intact copy is shipped and recovered: every table equal, cron, pool and site written, the backup password logs in', async () => {
    const r = await t.ws.runAsync(['deploy', dr, '--as', 'tina'], env);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(fingerprint('acme_dr')).toEqual(fingerprint('acme_crm'));
    expect(sql("SELECT nom FROM acme_dr.llx_societe WHERE code_client = 'CU0009'").trim()).toBe(
      'Paris Office',
    );
    // shipped by the tool as root's files, checked against the manifest
    expect(statSync(join(d('backups'), stamp, 'SHA256SUMS')).uid).toBe(0);
    expect(readFileSync(join(d('backups'), stamp, 'database.sql'), 'utf8')).toContain('Paris Office');
    // a complete install: the scheduled jobs, the pool, the site
    expect(readFileSync(join(d('cron.d'), 'mokocrm-acme'), 'utf8')).toMatch(
      /run-cron-jobs\.php|cron_run_jobs_by_url/,
    );
    expect(readdirSync(d('pool.d')).join(' ')).toMatch(/acme/);
    expect(readdirSync(d('sites')).join(' ')).toMatch(/acme/);
    expect(r.stdout).toContain(
      `admin login after recovery: "admin" with the password it had when backup ${stamp} was taken`,
    );
    running.push(await startFpmWithPools(d('fpm'), d('pool.d'), join(d('run'), 'php-fpm-dr.sock')));
    running.push(await startNginxWithSites(d('nginx'), d('sites'), [site.httpPort, site.httpsPort]));
    const ca = readFileSync(t.engineOptions[t.engineOptions.indexOf('--ca-file') + 1]!);
    const login = (password: Secret) =>
      loginThroughForm({ url: site.url, login: 'admin', password, address: '127.0.0.1', ca });
    const ok = await login(t.secrets().get('acme/admin'));
    expect(ok.ok, ok.reason).toBe(true);
    expect((await login(new Secret('not-the-password-123'))).ok).toBe(false);
  }, 600_000);
});

describe('recovery from the bucket alone, the admin password reset by the plan', () => {
  it("the store's copy gone, the bucket's is checked and shipped; the plan's secret logs in, the backup's no longer", async () => {
    const d = dirMaker(join(t.ws.dir, 'dr2'));
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const url = `https://crm.acme.test:${httpsPort}`;
    t.ws.writePlan('acme-dr2.yaml', {
      ...plan,
      id: 'acme-dr2',
      kind: 'disaster-recovery',
      target: {
        ...plan.target,
        ...sshTargetOf(b, deployUser),
        ...tempTargetPaths(d),
        phpFpmSocket: join(d('run'), 'php-fpm-dr2.sock'),
        cronDir: d('cron.d'),
      },
      site: { ...plan.site, url, httpPort, httpsPort },
      database: { ...plan.database, name: 'acme_dr2' },
      admin: { ...(plan.admin as object), password: { secret: 'acme/admin-dr' } },
      recovery: { backup: stamp, resetAdminPassword: true },
    } as never);
    for (const args of [
      ['plan', 'submit', 'acme-dr2.yaml', '--as', 'tina'],
      ['approve', 'acme-dr2', '--as', 'dave'],
      ['ready', 'acme-dr2', '--as', 'tina'],
      ['schedule', 'acme-dr2', '--as', 'dave', '--client-approved-by', 'Jane Client'],
    ]) {
      const r = t.ws.run(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const hidden = `${store()}.elsewhere`;
    execFileSync('mv', [store(), hidden]); // the operator's store lost its copies: only the bucket has them
    try {
      const r = await t.ws.runAsync(['deploy', 'acme-dr2', '--as', 'tina'], env);
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(`admin login after recovery: "admin" with the plan's secret acme/admin-dr`);
    } finally {
      execFileSync('rm', ['-rf', store()]);
      execFileSync('mv', [hidden, store()]);
    }
    const { llx_user: _u1, ...restored } = fingerprint('acme_dr2');
    const { llx_user: _u2, ...production } = fingerprint('acme_crm');
    expect(restored).toEqual(production); // llx_user differs by the new password hash only
    expect(statSync(join(d('backups'), stamp, 'SHA256SUMS')).uid).toBe(0);
    running.push(await startFpmWithPools(d('fpm'), d('pool.d'), join(d('run'), 'php-fpm-dr2.sock')));
    running.push(await startNginxWithSites(d('nginx'), d('sites'), [httpPort, httpsPort]));
    const ca = readFileSync(t.engineOptions[t.engineOptions.indexOf('--ca-file') + 1]!);
    const login = (password: Secret) =>
      loginThroughForm({ url, login: 'admin', password, address: '127.0.0.1', ca });
    const reset = await login(t.secrets().get('acme/admin-dr'));
    expect(reset.ok, reset.reason).toBe(true);
    expect((await login(t.secrets().get('acme/admin'))).ok).toBe(false);
  }, 600_000);
});
