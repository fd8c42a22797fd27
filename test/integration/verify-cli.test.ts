import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { anchorFileFor } from '../../src/audit/anchor.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { SecretStore } from '../../src/store/secrets.js';
import { workspace, type Workspace } from '../helpers/cli.js';
import { liveRecord, recordPlan, verifyingRecord } from '../helpers/verify/record.js';
import { startVerifySite, type VerifySite } from '../helpers/verify/site.js';

/**
 * The built executable, as a user runs it after a deployment: `verify` records evidence and keeps the technical
 * sign-off closed with reasons; a critical failure in the window records the rollback trigger; `hypercare run`
 * keeps a check-in; `hypercare schedule` writes the daily cron entries; `report all` writes HTML + PDF.
 */
let site: VerifySite;
let ws: Workspace;
let env: NodeJS.ProcessEnv;
const now = new Date();
const keyDir = mkdtempSync(join(tmpdir(), 'moko-key-'));

async function store(records: DeploymentRecord[]) {
  // signed with the workspace's audit key, as the CLI signs: the store then knows that key (issue 25)
  const keyFile = ws.env.MOKODEPLOY_AUDIT_KEY_FILE!;
  const s = new SqliteStore(ws.storePath, {
    signer: readOrCreateAuditSigner(keyFile),
    anchorFile: anchorFileFor(ws.storePath, keyFile),
  });
  for (const record of records) {
    await s.create({
      record,
      audit: {
        at: now.toISOString(),
        actor: 'tina',
        role: 'technical-lead',
        action: 'create',
        deploymentId: record.id,
        summary: 'test record',
        before: null,
        after: null,
      },
    });
  }
  await s.close();
}

const record = async (id: string) => {
  const s = new SqliteStore(ws.storePath);
  try {
    return (await s.get(id))!.record;
  } finally {
    await s.close();
  }
};

let flags: string[];

beforeAll(async () => {
  site = await startVerifySite();
  ws = workspace();
  env = { MOKODEPLOY_SECRET_KEY_FILE: join(keyDir, 'secret.key') };
  execFileSync('mkdir', ['-p', join(ws.dir, '.mokodeploy')]);
  const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), env.MOKODEPLOY_SECRET_KEY_FILE!);
  for (const name of ['acme/admin', 'acme/db', 'acme/alice'])
    secrets.set(name, site.stack.secrets.secret(name));
  secrets.set('acme/admin-wrong', new Secret('not-the-password'));
  const plan = recordPlan(site.stack.plan, {}, now);
  const wrong = recordPlan(
    site.stack.plan,
    {
      id: 'acme-rb',
      rollbackOnCriticalFailure: true,
      admin: { login: 'admin', password: { secret: 'acme/admin-wrong' } },
    },
    now,
  );
  await store([
    verifyingRecord(plan, now),
    verifyingRecord(wrong, now),
    liveRecord(recordPlan(site.stack.plan, { id: 'acme-live' }, now), now),
    verifyingRecord(recordPlan(site.stack.plan, { id: 'acme-sched' }, now), now),
  ]);
  const o = site.options;
  flags = [
    '--ca',
    o.caFile!,
    '--address',
    '127.0.0.1',
    '--cron-dir',
    o.cronDir!,
    '--backup-cron',
    o.cronPaths![0]!,
    '--log',
    o.logFiles![0]!,
    '--log',
    o.logFiles![1]!,
    '--loads',
    '2',
  ];
}, 240_000);

afterAll(async () => {
  await site?.stop();
  execFileSync('rm', ['-rf', keyDir, ws?.dir ?? '/nonexistent']);
});

describe('mokodeploy verify', () => {
  it('records the evidence and keeps the technical sign-off closed, saying why', async () => {
    const r = await ws.runAsync(
      ['verify', 'acme-2026-11', '--as', 'quinn', ...flags, '--mail-to', 'qa@acme.test'],
      env,
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/ok\s+login\.browser\s+admin logged in with Chromium/);
    expect(r.stdout).toMatch(/technical sign-off stays closed until these pass: .*verify\.backup-jobs/);
    expect(r.stdout).toMatch(/verify\.backup-jobs: \[backups\.schedule\] schedule `mokodeploy backup acme/);
    const rec = await record('acme-2026-11');
    expect(rec.state).toBe('awaiting-signoff');
    expect(rec.verifications).toHaveLength(1);
    expect(rec.verifications[0]).toMatchObject({ source: 'automated', by: 'quinn', passed: false });
    expect(rec.verifications[0]!.results.find((x) => x.id === 'verify.workflows')).toMatchObject({
      status: 'pass',
    });
    const signoff = ws.run(['signoff', 'acme-2026-11', 'technical', '--as', 'tina'], env);
    expect(signoff.code).not.toBe(0);
    expect(signoff.stderr).toMatch(/verification items not passed: .*verify\.backup-jobs/);
  }, 180_000);

  it('records the rollback trigger on a critical failure inside the window when the plan says so', async () => {
    const r = await ws.runAsync(['verify', 'acme-rb', '--as', 'tina', ...flags, '--only', 'login-http'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the rollback trigger is recorded/);
    const rec = await record('acme-rb');
    expect(rec.state).toBe('rolled-back');
    expect(rec.rollbacks[0]).toMatchObject({
      trigger: 'critical-functionality',
      fromState: 'awaiting-signoff',
    });
    expect(rec.rollbacks[0]!.reason).toMatch(/verify\.login failed/);
  }, 120_000);
});

describe('mokodeploy hypercare', () => {
  it('run keeps the verification summary as a scheduled-verification check-in', async () => {
    const r = await ws.runAsync(
      ['hypercare', 'run', 'acme-live', '--as', 'tina', ...flags, '--only', 'login-http,headers,tls'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const rec = await record('acme-live');
    expect(rec.support!.checkIns).toHaveLength(1);
    expect(rec.support!.checkIns[0]).toMatchObject({ source: 'scheduled-verification', by: 'tina' });
    expect(rec.support!.checkIns[0]!.summary).toMatch(
      /^automated verification: 2 passed, 1 warnings, 0 failing/,
    );
  }, 120_000);

  it('schedule writes one cron line per check-in day', () => {
    const dir = join(ws.dir, 'cron.d');
    const r = ws.run(
      ['hypercare', 'schedule', 'acme-live', '--dir', dir, '--at', '06:30', '--ca', site.options.caFile!],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const cron = readFileSync(join(dir, 'mokodeploy-hypercare-acme-live'), 'utf8');
    const lines = cron.split('\n').filter((l) => /^30 6 /.test(l));
    expect(lines).toHaveLength(7);
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    expect(lines[0]).toContain(`30 6 ${first.getUTCDate()} ${first.getUTCMonth() + 1} * root `);
    expect(lines[0]).toMatch(
      /hypercare run acme-live --as tina --ca-file \S+ --schedule-file \S+mokodeploy-hypercare-acme-live >> \S+hypercare-acme-live\.log 2>&1$/,
    );
    expect(cron).toContain(`MOKODEPLOY_HOME=${join(ws.dir, '.mokodeploy')}`);
  });

  it('schedule refuses a deployment still awaiting sign-off (the scheduled run would refuse)', () => {
    const dir = join(ws.dir, 'cron-refused');
    const r = ws.run(['hypercare', 'schedule', 'acme-sched', '--dir', dir], env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/acme-sched is verifying: hypercare starts at go-live/);
    expect(r.stderr).toMatch(/mokodeploy golive acme-sched/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('the cron line, run as cron runs it (env -i, cwd and HOME elsewhere), signs with the store key: audit verify stays intact', async () => {
    const dir = join(ws.dir, 'cron-envi');
    const r = ws.run(
      ['hypercare', 'schedule', 'acme-live', '--dir', dir, '--only', 'login-http', ...flags.slice(0, 4)],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const cron = readFileSync(join(dir, 'mokodeploy-hypercare-acme-live'), 'utf8').split('\n');
    const vars = cron.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.replace(/^([A-Z_]+)='(.*)'$/, '$1=$2'));
    for (const name of [
      'MOKODEPLOY_HOME',
      'MOKODEPLOY_TEAM',
      'MOKODEPLOY_SECRET_KEY_FILE',
      'MOKODEPLOY_AUDIT_KEY_FILE',
    ])
      expect(
        vars.some((v) => v.startsWith(`${name}=/`)),
        name,
      ).toBe(true);
    const command = cron.find((l) => /^\d+ \d+ \d+ \d+ \* root /.test(l))!.replace(/^(\S+ ){6}/, '');
    const cronHome = mkdtempSync(join(tmpdir(), 'moko-cron-home-'));
    const before = (await record('acme-live')).support!.checkIns.length;
    // what cron gives a job: HOME, LOGNAME, SHELL, a short PATH, then the file's variables; /bin/sh -c LINE
    const run = spawnSync(
      'env',
      [
        '-i',
        `HOME=${cronHome}`,
        'LOGNAME=root',
        'SHELL=/bin/sh',
        'PATH=/usr/bin:/bin',
        ...vars,
        '/bin/sh',
        '-c',
        command,
      ],
      { cwd: cronHome, encoding: 'utf8', timeout: 120_000 },
    );
    const log = readFileSync(join(ws.dir, '.mokodeploy', 'hypercare-acme-live.log'), 'utf8');
    expect(run.status, log).toBe(0);
    expect((await record('acme-live')).support!.checkIns.length).toBe(before + 1);
    expect(existsSync(join(cronHome, '.config', 'mokodeploy'))).toBe(false); // no key made under cron's HOME
    const audit = ws.run(['audit', 'verify'], env);
    expect(audit.code, `${audit.stdout}\n${audit.stderr}`).toBe(0);
  }, 180_000);

  it('a run outside the hypercare period does nothing, says so, and removes its cron file', async () => {
    const dir = join(ws.dir, 'cron-late');
    const file = join(dir, 'mokodeploy-hypercare-acme-live');
    expect(ws.run(['hypercare', 'schedule', 'acme-live', '--dir', dir], env).code).toBe(0);
    const before = (await record('acme-live')).support!.checkIns.length;
    const nextYear = new Date(now.getTime() + 365 * 86_400_000).toISOString();
    const r = ws.run(['hypercare', 'run', 'acme-live', '--as', 'tina', '--schedule-file', file, ...flags], {
      ...env,
      MOKODEPLOY_CLOCK: nextYear,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/is after its hypercare \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\): nothing done/);
    expect(r.stdout).toMatch(/hypercare check-ins are over: removed \S+mokodeploy-hypercare-acme-live/);
    expect(existsSync(file)).toBe(false);
    expect((await record('acme-live')).support!.checkIns.length).toBe(before);
  });

  it('refuses to sign the store with another audit key, or to make a new key for a store with entries', () => {
    const other = join(ws.dir, 'elsewhere', 'audit-signing.pem');
    const r = ws.run(['hypercare', 'run', 'acme-live', '--as', 'tina', ...flags], {
      ...env,
      MOKODEPLOY_AUDIT_KEY_FILE: other,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /no audit signing key at \S+elsewhere\/audit-signing\.pem, but the store \S+ already has \d+ signed entries/,
    );
    expect(r.stderr).toMatch(/point MOKODEPLOY_AUDIT_KEY_FILE at the key this store was created with/);
    expect(existsSync(other)).toBe(false);
    execFileSync('mkdir', ['-p', join(ws.dir, 'elsewhere')]);
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', other]);
    const wrongKey = ws.run(['hypercare', 'run', 'acme-live', '--as', 'tina', ...flags], {
      ...env,
      MOKODEPLOY_AUDIT_KEY_FILE: other,
    });
    expect(wrongKey.code).not.toBe(0);
    expect(wrongKey.stderr).toMatch(/the audit key \S+ \(SHA256:\S+\) is not the key of the store/);
    expect(ws.run(['audit', 'verify'], env).code).toBe(0);
  });
});

describe('mokodeploy report', () => {
  it('writes the handoff pack, sign-off document and deployment report as HTML and PDF', async () => {
    const out = join(ws.dir, 'reports');
    const r = await ws.runAsync(['report', 'acme-2026-11', 'all', '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    for (const kind of ['handoff', 'signoff', 'deployment']) {
      expect(existsSync(join(out, `acme-2026-11-${kind}.pdf`)), kind).toBe(true);
    }
    const text = execFileSync('pdftotext', [join(out, 'acme-2026-11-handoff.pdf'), '-'], {
      encoding: 'utf8',
    }).replace(/\s+/g, ' ');
    expect(text).toContain('mokoinvoice modMokoInvoice 1.4.2');
    expect(r.stdout).toContain('deliver it: mokodeploy handoff-deliver acme-2026-11 --file');
  }, 180_000);
});
