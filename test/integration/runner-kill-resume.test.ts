import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readJournal, journalPath, lockDir } from '../../src/runner/index.js';
import { spawnRunner } from '../helpers/runner-spawn.js';
import { snapshotTree } from '../helpers/runner-tree.js';

// real processes on a 2-core machine shared with other suites: generous time, never a retry
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * Fault injection: the demo pipeline (6 steps) runs in a child process that is kill -9'd at every
 * step boundary in turn (frozen exactly there by the child's event hook), then resumed by a new
 * process; the resulting tree must equal that of an uninterrupted run.
 */
const steps = [
  'demo:prepare',
  'demo:release',
  'demo:config',
  'demo:link-config',
  'demo:switch',
  'demo:marker',
];
const boundaries = steps.flatMap((_, i) => [`step-start:${i}`, `step-done:${i}`]);

let base: string;
let reference: string[];

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'moko-runner-kill-'));
  const run = spawnRunner(join(base, 'reference'), join(base, 'reference-store'), 'S1');
  expect((await run.exited).code).toBe(0);
  reference = snapshotTree(join(base, 'reference', 'app'));
}, 300_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('kill -9 at each step boundary, then resume', () => {
  it('the reference run produced the whole tree', () => {
    expect(reference).toContain('current link -> releases/1.0.0-S1');
    expect(reference).toContain('data/installed.lock file 0400 "installed\\n"');
    expect(reference.some((l) => l.startsWith('shared/conf/conf.php file 0440'))).toBe(true);
    expect(reference.some((l) => l.includes('.mokodeploy-lock'))).toBe(false);
  });

  it.each(boundaries)(
    'killed at %s: resume finishes and the tree equals an uninterrupted run',
    async (point) => {
      const [event, n] = point.split(':') as [string, string];
      const index = Number(n);
      const root = join(base, point.replace(':', '-'));
      const store = join(base, `${point.replace(':', '-')}-store`);

      const first = spawnRunner(root, store, 'S1', point);
      await first.waitFor('paused');
      const pid = first.child.pid!;
      process.kill(pid, 'SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      // the journal says exactly how far the killed run got, and it left its lock behind
      const records = readJournal(journalPath(store, 'acme-demo'));
      const doneBefore = records
        .filter((r) => r.type === 'step-done')
        .map((r) => (r.type === 'step-done' ? r.step : ''));
      expect(doneBefore).toEqual(steps.slice(0, event === 'step-done' ? index + 1 : index));
      expect(records.some((r) => r.type === 'run-finished')).toBe(false);
      expect(existsSync(lockDir(join(root, 'app')))).toBe(true);

      // a new process with another stamp: the journal's facts win, so the release name stays S1
      const second = spawnRunner(root, store, 'S2');
      expect((await second.exited).code).toBe(0);
      const outcome = second.lines.find((l) => l.type === 'outcome') as {
        steps: { step: string; status: string }[];
        lockTakenOver: number;
      };
      expect(outcome.lockTakenOver).toBe(pid);
      const skipped = outcome.steps.filter((s) => s.status === 'journal').map((s) => s.step);
      expect(skipped).toEqual(doneBefore);
      expect(snapshotTree(join(root, 'app'))).toEqual(reference);
    },
  );

  it('killed in the middle of a command: resume re-runs that step and finishes the same', async () => {
    const root = join(base, 'mid-command');
    const store = join(base, 'mid-command-store');
    const first = spawnRunner(root, store, 'S1');
    await first.waitFor('command', (l) => l.text === 'sleep 0.3');
    await new Promise((r) => setTimeout(r, 100));
    first.child.kill('SIGKILL');
    await first.exited;
    const second = spawnRunner(root, store, 'S2');
    expect((await second.exited).code).toBe(0);
    const starts = second.lines.filter((l) => l.type === 'step-start').map((l) => l.step);
    expect(starts).toEqual(['demo:link-config', 'demo:switch', 'demo:marker']);
    expect(snapshotTree(join(root, 'app'))).toEqual(reference);
  });
});
