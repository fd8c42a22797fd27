import { describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import { liveReporter, plainReporter, seconds, type RunEvent } from '../../src/runner/index.js';

const at = '2026-11-27T10:00:00.000Z';
const events: RunEvent[] = [
  { type: 'run-start', at, deploymentId: 'acme-2026-12', total: 2, resumed: false },
  {
    type: 'step-skipped',
    at,
    step: 'install:verify',
    title: 'Verify',
    index: 0,
    total: 2,
    reason: 'in-place',
  },
  { type: 'step-start', at, step: 'install:db', title: 'Create the database', index: 1, total: 2 },
  { type: 'command', at, step: 'install:db', number: 3, text: 'mysql < (secret on stdin)' },
  {
    type: 'step-failed',
    at,
    step: 'install:db',
    index: 1,
    total: 2,
    error: new MokoError('target', 'step install:db failed: exit code 1'),
  },
  { type: 'run-failed', at, durationMs: 1500, step: 'install:db' },
];

function sink() {
  let text = '';
  return { out: { write: (s: string) => (text += s) }, text: () => text };
}

describe('plain reporter (not a terminal)', () => {
  it('prints one timestamped line per event', () => {
    const s = sink();
    const r = plainReporter(s.out);
    events.forEach(r.onEvent);
    expect(s.text().split('\n').filter(Boolean)).toEqual([
      `${at} starting deployment acme-2026-12 (2 steps)`,
      `${at} [1/2] install:verify skipped: already in place`,
      `${at} [2/2] install:db — Create the database`,
      `${at}     3. mysql < (secret on stdin)`,
      `${at} [2/2] install:db FAILED: step install:db failed: exit code 1`,
      `${at} run stopped after 1.5s at install:db`,
    ]);
  });
});

describe('live reporter (terminal)', () => {
  it('redraws the current step in place and leaves one line per finished step', () => {
    const s = sink();
    const r = liveReporter({ ...s.out, columns: 200 }, 10_000);
    events.slice(0, 4).forEach(r.onEvent);
    expect(s.text()).toContain('\r\x1b[2K▶ [2/2] install:db — Create the database');
    expect(s.text()).toContain('$ mysql < (secret on stdin)');
    r.onEvent({ type: 'step-done', at, step: 'install:db', index: 1, total: 2, durationMs: 2300 });
    r.close();
    expect(s.text()).toContain('\r\x1b[2K✓ [2/2] install:db  2.3s\n');
    expect(s.text()).toContain('· [1/2] install:verify  skipped: already in place\n');
  });
});

it('seconds formats short and long durations', () => {
  expect(seconds(1234)).toBe('1.2s');
  expect(seconds(119_600)).toBe('2m00s');
});
