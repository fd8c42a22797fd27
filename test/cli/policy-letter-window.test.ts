import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import type { PlanInput } from '../../src/core/plan.js';
import { lockDir } from '../../src/runner/index.js';
import { workspace, type Workspace } from '../helpers/cli.js';
import { act, newRecord, passingValidation, policy } from '../helpers/records.js';

/**
 * Issue 16 "The approved window" through the real executable: deploy, upgrade, a non-emergency rollback and
 * migrate run are refused outside the client-approved window (2026-12-05 20:00-23:00 UTC), naming the window
 * and the time now, with nothing changed; an exception recorded by a deployment manager lets the work run
 * and shows in the review; schedule refuses a past window and warns for one less than 24 h ahead.
 */
const id = 'acme-2026-12';
const prepared = '2026-12-04T08:00:00Z'; // validation and schedule
const outside = '2026-12-04T10:00:00Z';
const byRole: Record<string, string> = {
  'technical-lead': 'tina',
  'deployment-manager': 'dave',
  'client-success-manager': 'carla',
  qa: 'quinn',
};

function targetIn(ws: Workspace): Partial<PlanInput> {
  return {
    target: {
      host: 'local',
      root: join(ws.dir, 'target', 'www'),
      dataRoot: join(ws.dir, 'target', 'lib'),
      backupRoot: join(ws.dir, 'target', 'backups'),
      sudo: false,
    } as PlanInput['target'],
  };
}

/** A production deployment walked by the core to `scheduled` (or further) at `prepared`. */
function scheduled(ws: Workspace, overrides: Partial<PlanInput> = {}, untilState = 'scheduled'): DeploymentRecord {
  const now = new Date(prepared);
  let r = act(newRecord({ ...targetIn(ws), ...overrides }), 'approve', {}, 'dave', now);
  for (const item of policy.checklist.mandatory.filter((i) => !i.auto || i.auto === 'backup')) {
    const evidence =
      item.auto === 'backup'
        ? { kind: 'backup', path: '/var/backups/acme/x', sha256: 'a'.repeat(64) }
        : { kind: 'text', text: 'done' };
    r = act(r, 'tick', { item: item.id, evidence: [evidence] }, byRole[item.role]!, now);
  }
  r = act(r, 'record-validation', passingValidation(now), 'quinn', now);
  r = act(r, 'ready', {}, 'tina', now);
  if (untilState === 'ready') return r;
  r = act(r, 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave', now);
  if (untilState === 'deploying') r = act(r, 'start-run', {}, 'tina', now);
  return r;
}

async function seeded(make: (ws: Workspace) => DeploymentRecord): Promise<Workspace> {
  const ws = workspace();
  const record = make(ws);
  const store = new SqliteStore(ws.storePath);
  await store.create({
    record,
    audit: {
      at: prepared,
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
  return ws;
}

const windowRefusal = (command: string, now: string) =>
  `${command} of ${id} is refused outside the approved window 2026-12-05T20:00:00Z - 2026-12-05T23:00:00Z (Europe/Paris); now is ${new Date(now).toISOString()}`;

describe('outside the approved window, every command that changes a production target is refused', () => {
  it('deploy: refused with the window and the time now; record, lock and target untouched', async () => {
    const ws = await seeded((w) => scheduled(w));
    const before = ws.dumpStore();
    const r = ws.run(['deploy', id, '--as', 'tina'], { MOKODEPLOY_CLOCK: outside });
    expect(r.stderr).toContain(windowRefusal('deploy', outside));
    expect(r.stderr).toContain(`fix: wait for the window, or a deployment manager records an exception: mokodeploy window-exception ${id}`);
    expect(r.code).toBe(4);
    expect(ws.dumpStore()).toBe(before);
    expect(existsSync(lockDir(join(ws.dir, 'target', 'www')))).toBe(false);
  });

  it('upgrade and migrate run: refused the same way', async () => {
    const ws = await seeded((w) => scheduled(w, { kind: 'upgrade' }));
    const before = ws.dumpStore();
    const up = ws.run(['upgrade', id, '--as', 'tina'], { MOKODEPLOY_CLOCK: outside });
    expect(up.stderr).toContain(windowRefusal('upgrade', outside));
    expect(up.code).toBe(4);
    const mig = ws.run(['migrate', 'run', id, '--as', 'tina'], { MOKODEPLOY_CLOCK: outside });
    expect(mig.stderr).toContain(windowRefusal('migrate run', outside));
    expect(mig.code).toBe(4);
    expect(ws.dumpStore()).toBe(before);
  });

  it('rollback: refused on a non-critical trigger; a critical one (an emergency) passes the window', async () => {
    const ws = await seeded((w) => scheduled(w, {}, 'deploying'));
    const later = '2026-12-06T10:00:00Z';
    const args = (trigger: string) => ['rollback', id, '--as', 'tina', '--trigger', trigger, '--reason', 'slow'];
    const asked = ws.run(args('client-request'), { MOKODEPLOY_CLOCK: later });
    expect(asked.stderr).toContain(windowRefusal('rollback', later));
    expect(asked.code).toBe(4);
    const critical = ws.run(args('data-integrity'), { MOKODEPLOY_CLOCK: later });
    expect(critical.stderr).not.toContain('outside the approved window');
  });
});

describe('window exceptions', () => {
  it('a deployment manager records one (a technical lead may not); the command then runs, the review shows it', async () => {
    const ws = await seeded((w) => scheduled(w));
    const args = ['window-exception', id, '--reason', 'client asked for this morning', '--start', '2026-12-04T09:00:00Z', '--end', '2026-12-04T12:00:00Z'];
    const byTina = ws.run([...args, '--as', 'tina'], { MOKODEPLOY_CLOCK: outside });
    expect(byTina.stderr).toContain('tina may not do window.exception');
    expect(byTina.code).toBe(4);
    const byDave = ws.run([...args, '--as', 'dave'], { MOKODEPLOY_CLOCK: outside });
    expect(byDave.stderr).toBe('');
    expect(byDave.code).toBe(0);
    const mig = ws.run(['migrate', 'run', id, '--as', 'tina'], { MOKODEPLOY_CLOCK: outside });
    expect(mig.stderr).toContain(
      `warning: under the window exception recorded by dave at ${new Date(outside).toISOString()} (2026-12-04T09:00:00Z - 2026-12-04T12:00:00Z): client asked for this morning`,
    );
    expect(mig.stderr).not.toContain('outside the approved window');
    const review = ws.run(['review', '2026-Q4']);
    expect(review.code).toBe(0);
    expect(review.stdout).toContain('Quarterly process review 2026-Q4');
    expect(review.stdout).toContain(
      `window exceptions: 1\n  ${id} ${new Date(outside).toISOString()} by dave (2026-12-04T09:00:00Z - 2026-12-04T12:00:00Z): client asked for this morning`,
    );
    const audit = ws.dumpStore();
    expect(audit).toContain('"action":"window-exception"');
    const out = join(ws.dir, 'reports');
    expect(ws.run(['report', id, 'deployment', '--no-pdf', '--out', out]).code).toBe(0);
    const html = readFileSync(join(out, `${id}-deployment.html`), 'utf8');
    expect(html).toContain('Window exceptions');
    expect(html).toMatch(/<td>dave<\/td><td>2026-12-04T09:00:00Z \.\. 2026-12-04T12:00:00Z<\/td><td>client asked for this morning<\/td>/);
  });
});

describe('schedule: a past window is refused, a window less than 24 h ahead warns', () => {
  it('refuses the past window with the time now, warns for one 12 h ahead', async () => {
    const ws = await seeded((w) => scheduled(w, {}, 'ready'));
    const past = ws.run(
      ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane', '--start', '2026-12-03T20:00:00Z', '--end', '2026-12-03T23:00:00Z'],
      { MOKODEPLOY_CLOCK: outside },
    );
    expect(past.stderr).toContain(
      'the window 2026-12-03T20:00:00Z - 2026-12-03T23:00:00Z is in the past (now 2026-12-04T10:00:00.000Z)',
    );
    expect(past.code).toBe(4);
    const soon = ws.run(
      ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane', '--start', '2026-12-04T22:00:00Z', '--end', '2026-12-04T23:30:00Z'],
      { MOKODEPLOY_CLOCK: outside },
    );
    expect(soon.stderr).toContain(
      'warning: the window starts in 12.0 h; the policy prepares 24 h or more before (Phase 1: 1-2 days before)',
    );
    expect(soon.code).toBe(0);
  });

  it('review takes a month, a quarter or a year, and refuses anything else naming the forms', async () => {
    const ws = workspace();
    for (const p of ['2026-11', '2026-Q4', '2026']) expect(ws.run(['review', p]).code).toBe(0);
    const bad = ws.run(['review', '2026-Q5']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('"2026-Q5" is not a review period');
    expect(bad.stderr).toContain('fix: give a month (2026-11), a quarter (2026-Q4) or a year (2026)');
  });
});
