import { describe, expect, it } from 'vitest';
import { readyRecord, seededWorkspace } from '../helpers/notify/seed.js';
import { teamYaml } from '../helpers/cli.js';

/**
 * Issue 16 leftover: a run recorded by hand (`run-record`) obeys the approved window and the clock like a run
 * by the tool: it is refused when it finishes after now, or lies outside the window without an exception.
 */
const id = 'acme-2026-12';

describe('run-record on a production deployment', () => {
  it('refuses a run in the future or outside the approved window, records one inside it', async () => {
    const ws = await seededWorkspace(readyRecord(new Date('2026-12-04T08:00:00Z')), teamYaml, '2026-12-04T08:00:00Z');
    const run = (clock: string, started: string, finished: string) =>
      ws.run(['run-record', id, '--as', 'tina', '--started', started, '--finished', finished, '--evidence', 'console log'], {
        MOKODEPLOY_CLOCK: clock,
      });
    const state = () => JSON.parse(ws.run(['--json', 'show', id]).stdout).state;
    // the approval names someone who is not among the plan's approver contacts: a warning, the window is fixed
    const scheduled = ws.run(['schedule', id, '--as', 'dave', '--client-approved-by', 'Joe Bystander'], { MOKODEPLOY_CLOCK: '2026-12-04T09:00:00Z' });
    expect(scheduled.code).toBe(0);
    expect(scheduled.stderr).toContain("warning: Joe Bystander is not an approver in the plan's contacts (Jane Client)");

    const future = run('2026-12-05T21:00:00Z', '2026-12-05T20:05:00Z', '2026-12-05T21:30:00Z');
    expect(future.code).toBe(4);
    expect(future.stderr).toContain('the run finishes at 2026-12-05T21:30:00Z, after now (2026-12-05T21:00:00.000Z): a run is recorded once it is over');

    const outside = run('2026-12-06T09:00:00Z', '2026-12-05T18:00:00Z', '2026-12-05T19:00:00Z');
    expect(outside.code).toBe(4);
    expect(outside.stderr).toContain('the run recorded from 2026-12-05T18:00:00Z to 2026-12-05T19:00:00Z lies outside the approved window 2026-12-05T20:00:00Z - 2026-12-05T23:00:00Z');
    expect(outside.stderr).toContain('mokodeploy window-exception acme-2026-12');
    const overrun = run('2026-12-06T09:00:00Z', '2026-12-05T22:00:00Z', '2026-12-05T23:30:00Z');
    expect(overrun.code).toBe(4);
    expect(state()).toBe('scheduled');

    const inside = run('2026-12-06T09:00:00Z', '2026-12-05T20:05:00Z', '2026-12-05T20:45:00Z');
    expect(inside.code, inside.stderr).toBe(0);
    expect(state()).toBe('verifying');
  });
});
