import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { SqliteStore } from '../../src/store/sqlite.js';
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
  const s = new SqliteStore(ws.storePath);
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
    expect(r.stdout).toMatch(/verify\.backup-jobs: \[backups\.schedule\] schedule the backup/);
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
      /hypercare run acme-live --as tina --ca-file \S+ >> \S+hypercare-acme-live\.log 2>&1$/,
    );
    expect(cron).toContain(`MOKODEPLOY_HOME=${join(ws.dir, '.mokodeploy')}`);
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
