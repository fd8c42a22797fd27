import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { LocalHost } from '../../src/hosts/local.js';
import { acquireLock, lockDir, releaseLock } from '../../src/runner/index.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { workspace, type Workspace } from '../helpers/cli.js';
import { act, newRecord, passingValidation, policy, t0 } from '../helpers/records.js';

// real processes on a 2-core machine shared with other suites: generous time, never a retry
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * `mokodeploy deploy` and `mokodeploy lock` through the real executable (npm test builds dist first):
 * gates refuse before anything is touched, the dry run lists the real install pipeline, a held lock
 * names its holder, and a dead run's lock is released deliberately, by a permitted role, with an audit entry.
 */
const id = 'acme-2026-12';
const later = new Date(t0.getTime() + 30 * 24 * 3600_000).toISOString(); // the validation is stale by then
const whoTicks: Record<string, string> = {
  'technical-lead': 'tina',
  'deployment-manager': 'dave',
  'client-success-manager': 'carla',
  qa: 'quinn',
};

let ws: Workspace;
let root: string;

function scheduledRecord(): DeploymentRecord {
  const fixture = buildFixtureRelease({ version: '20.0.2' }, join(ws.dir, 'release'));
  root = join(ws.dir, 'target', 'www', 'acme');
  let r = act(
    newRecord({
      dolibarr: { version: fixture.version, release: fixture.tarball, sha256: fixture.sha256 },
      target: {
        host: 'local',
        port: 22,
        sudo: false,
        root,
        dataRoot: join(ws.dir, 'target', 'lib'),
        backupRoot: join(ws.dir, 'target', 'backups'),
        webUser: 'www-data',
        webGroup: 'www-data',
        webServer: 'nginx',
      },
    }),
    'approve',
    {},
    'dave',
  );
  for (const item of policy.checklist.mandatory.filter(
    (i) => i.auto !== 'approval' && i.auto !== 'validation',
  )) {
    r = act(r, 'tick', { item: item.id, evidence: [{ kind: 'text', text: 'done' }] }, whoTicks[item.role]!);
  }
  r = act(r, 'record-validation', passingValidation(t0), 'quinn');
  r = act(r, 'ready', {}, 'tina');
  return act(r, 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave');
}

beforeAll(async () => {
  ws = workspace();
  const record = scheduledRecord();
  const store = new SqliteStore(ws.storePath);
  await store.create({
    record,
    audit: {
      at: t0.toISOString(),
      actor: 'tina',
      role: 'technical-lead',
      action: 'plan-submit',
      deploymentId: id,
      summary: 'test record',
      before: null,
      after: null,
    },
  });
  await store.close();
});

const deadPid = () => spawnSync('true').pid!;

describe('mokodeploy deploy', () => {
  it('refuses while a gate is open, names the gate, and touches neither target nor record', () => {
    const before = ws.dumpStore();
    const r = ws.run(['deploy', id, '--as', 'tina'], { MOKODEPLOY_CLOCK: later });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${id} cannot move to deploying`);
    expect(r.stderr).toMatch(
      /\[validation-fresh\] the environment validation is 720.0 h old.*-> run again: mokodeploy validate acme-2026-12/,
    );
    expect(existsSync(root)).toBe(false);
    expect(ws.dumpStore()).toBe(before);
  });

  it('refuses a person without the execute permission before touching anything, and audits the refusal', () => {
    const r = ws.run(['deploy', id, '--as', 'quinn'], { MOKODEPLOY_CLOCK: t0.toISOString() });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('quinn may not do deployment.execute');
    expect(existsSync(root)).toBe(false);
    expect(ws.dumpStore()).toContain('refused:start-run');
  });

  it('--dry-run lists the install pipeline, numbered by step, warns of the open gate, creates nothing', () => {
    const r = ws.run(['deploy', id, '--dry-run'], { MOKODEPLOY_CLOCK: later });
    expect(r.stderr).toMatch(/warning: deploy would be refused: \[validation-fresh\]/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[1\/\d+\] install:verify-release — /m);
    expect(r.stdout).toMatch(/^\s+1\. /m);
    expect(r.stdout).toMatch(/^\[\d+\/\d+\] install:extract-release — [^\n]*\n\s+\d+\. (sudo -n )?rm -rf -- /m);
    expect(r.stdout).toMatch(/write \S+\/conf\.php \(mode 0\d{3}, [^)]*\d+ bytes, secret\)/);
    expect(existsSync(root)).toBe(false);
    expect(existsSync(join(ws.dir, '.mokodeploy', 'secrets.json'))).toBe(false);
  });
});

describe('mokodeploy lock', () => {
  it('status says the target is free, then names the holder of a lock left by a dead run', () => {
    expect(ws.run(['lock', 'status', id]).stdout.trim()).toBe(`local:${root}: free`);
    mkdirSync(lockDir(root), { recursive: true });
    const owner = {
      person: 'bob',
      deploymentId: 'acme-2026-11',
      reason: 'deploy acme-2026-11',
      since: '2026-11-27T08:00:00.000Z',
      pid: deadPid(),
      toolHost: hostname(),
      runId: 'x',
    };
    writeFileSync(join(lockDir(root), 'owner.json'), JSON.stringify(owner));
    const r = ws.run(['lock', 'status', id]);
    expect(r.stdout).toContain(`locked by bob since 2026-11-27T08:00:00.000Z for deployment acme-2026-11`);
    expect(r.stdout).toContain('that process is no longer running');
  });

  it('deploy is refused while another deployment holds the target, naming it and how to release it', () => {
    const r = ws.run(['deploy', id, '--as', 'tina'], { MOKODEPLOY_CLOCK: t0.toISOString() });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/is locked by bob since 2026-11-27T08:00:00.000Z for deployment acme-2026-11/);
    expect(r.stderr).toContain(
      `fix: wait for that run to finish; if it died, release the lock deliberately: mokodeploy lock release ${id} --reason`,
    );
    expect(ws.dumpStore()).toContain('"state":"scheduled"');
  });

  it('release needs a permitted role (refusal audited), a reason, and is audited with the holder', () => {
    const refused = ws.run(['lock', 'release', id, '--as', 'quinn', '--reason', 'dead run']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('quinn may not do lock.release');
    expect(ws.run(['lock', 'release', id, '--as', 'tina']).code).not.toBe(0); // --reason is required
    const ok = ws.run([
      'lock',
      'release',
      id,
      '--as',
      'tina',
      '--reason',
      'the run of acme-2026-11 died (host rebooted)',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain(
      'released the lock held by bob since 2026-11-27T08:00:00.000Z for deployment acme-2026-11',
    );
    expect(existsSync(lockDir(root))).toBe(false);
    const store = ws.dumpStore();
    expect(store).toContain('refused:lock-release');
    expect(store).toMatch(
      /"action":"lock-release"[^}]*"summary":"released the target lock local:[^"]* held by bob[^"]*: the run of acme-2026-11 died \(host rebooted\)"/,
    );
  });

  it('refuses to release the lock of a run that is still going', async () => {
    const lock = await acquireLock(
      { host: new LocalHost(), root },
      { person: 'erin', deploymentId: id, reason: 'deploy' },
    );
    const r = ws.run(['lock', 'release', id, '--as', 'tina', '--reason', 'impatient']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('the run holding the lock is still running');
    expect(existsSync(lockDir(root))).toBe(true);
    await releaseLock(lock);
  });

  it('lock status accepts --plan FILE instead of a deployment', async () => {
    const plan = ws.writePlan('p.yaml', await recordedPlan());
    expect(ws.run(['lock', 'status', '--plan', plan]).stdout.trim()).toBe(`local:${root}: free`);
    expect(ws.run(['lock', 'status']).stderr).toContain('name a deployment or give --plan FILE');
  });
});

async function recordedPlan() {
  const store = new SqliteStore(ws.storePath);
  try {
    return (await store.get(id))!.record.plan;
  } finally {
    await store.close();
  }
}
