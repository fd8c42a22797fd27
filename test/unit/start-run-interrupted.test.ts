import { describe, expect, it } from 'vitest';
import { metricsOf } from '../../src/core/metrics.js';
import { act, readyRecord } from '../helpers/records.js';

/** Issue 13: a killed run does not stay `running` on the record for ever; issue 14.3: its time counts. */
describe('a run resumed after a kill', () => {
  it('ends the killed run as abandoned at its last journal record; its duration is in the metrics', () => {
    let r = act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane' }, 'dave');
    r = act(r, 'start-run', {}, 'tina');
    const killedAt = new Date(Date.parse(r.runs[0]!.startedAt) + 90_000).toISOString();
    r = act(r, 'start-run', { interruptedEndedAt: killedAt }, 'tina');
    expect(r.runs).toHaveLength(2);
    expect(r.runs[0]).toMatchObject({ outcome: 'abandoned', finishedAt: killedAt, durationSeconds: 90 });
    expect(r.runs[1]).toMatchObject({ outcome: 'running' });
    r = act(r, 'finish-run', { outcome: 'succeeded', durationSeconds: 30, downtimeSeconds: 40 }, 'tina');
    expect(metricsOf(r)).toMatchObject({ durationMinutes: 2, downtimeSeconds: 40 });
  });

  it('a rollback done on demand counts in the downtime of the metrics', () => {
    let r = act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane' }, 'dave');
    r = act(r, 'start-run', {}, 'tina');
    r = act(r, 'finish-run', { outcome: 'succeeded', durationSeconds: 60, downtimeSeconds: 3 }, 'tina');
    r = act(
      r,
      'record-facts',
      { rollbackRuns: [{ at: r.createdAt, durationSeconds: 20, downtimeSeconds: 12 }] },
      'tina',
    );
    expect(metricsOf(r).downtimeSeconds).toBe(15);
  });

  it("a verification's automatic rollback (facts.lastRollback only) counts too, once", () => {
    let r = act(readyRecord(), 'schedule', { clientApprovedBy: 'Jane' }, 'dave');
    r = act(r, 'start-run', {}, 'tina');
    r = act(r, 'finish-run', { outcome: 'succeeded', durationSeconds: 60, downtimeSeconds: 3 }, 'tina');
    const at = '2026-12-06T06:00:00.000Z';
    r = act(r, 'record-facts', { lastRollback: { at, automatic: true, downtimeSeconds: 7 } }, 'tina');
    expect(metricsOf(r).downtimeSeconds).toBe(10);
    r = act(r, 'record-facts', { rollbackRuns: [{ at, downtimeSeconds: 7 }] }, 'tina');
    expect(metricsOf(r).downtimeSeconds).toBe(10);
  });
});
