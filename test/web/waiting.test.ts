import { describe, expect, it } from 'vitest';
import { waitingFor } from '../../src/web/waiting.js';
import { act, newRecord, people, policy, t0 } from '../helpers/records.js';
import type { DeploymentRecord } from '../../src/core/record.js';

const day = 86_400_000;
const words = (records: DeploymentRecord[], who: string, now = t0) =>
  waitingFor(records, people[who]!, policy, now).map((i) => `${i.deploymentId}: ${i.words}`);

/** A live record in hypercare since `start`, with the given check-ins and one open issue. */
function live(id: string, start: Date, checkIns: Date[]): DeploymentRecord {
  const r = newRecord({ id, client: id.split('-')[0] });
  return {
    ...r,
    state: 'live',
    support: {
      hypercareStart: start.toISOString(),
      hypercareDays: 7,
      checkIns: checkIns.map((at) => ({
        at: at.toISOString(),
        by: 'carla',
        summary: 'ok',
        source: 'manual',
      })),
      feedback: [],
    },
    issues: [
      { id: 1, title: 'Logo missing', severity: 'minor', openedBy: 'carla', openedAt: start.toISOString() },
    ],
  };
}

describe('what waits for a person (issue 21)', () => {
  it('an approval waits for the deployment manager the plan names, never for its author', () => {
    const r = newRecord({ id: 'acme-2026-12' });
    expect(words([r], 'dave')).toEqual(['acme-2026-12: Approve the plan']);
    expect(words([r], 'tina')).toEqual([]);
    expect(words([r], 'dual')).toEqual([]); // a manager the plan does not name
  });

  it('after the approval, each role sees its own checklist items and nothing of the others', () => {
    const r = act(newRecord({ id: 'acme-2026-12' }), 'approve', {}, 'dave');
    expect(words([r], 'quinn')).toEqual([
      'acme-2026-12: Tick “Security scan completed” with its evidence',
      'acme-2026-12: Tick “Performance baseline established” with its evidence',
    ]);
    expect(words([r], 'dave')).toEqual([]); // "Mark it ready" waits until the gates are closed
  });

  it('a hypercare check-in is due today until it is recorded; open issues wait to be resolved', () => {
    const now = new Date(t0.getTime() + 2.5 * day);
    const none = live('initech-2026-11', t0, [t0]);
    expect(words([none], 'carla', now)).toContain('initech-2026-11: Record the hypercare check-in for day 3');
    const done = live('initech-2026-11', t0, [t0, new Date(t0.getTime() + 2.2 * day)]);
    expect(words([done], 'carla', now)).not.toContain(
      'initech-2026-11: Record the hypercare check-in for day 3',
    );
    expect(words([done], 'tina', now)).toContain('initech-2026-11: Resolve issue #1 (minor): Logo missing');
    expect(words([done], 'quinn', now).some((w) => w.includes('check-in'))).toBe(false);
  });

  it('orders by the deployment window, soonest first, across clients', () => {
    const later = newRecord({
      id: 'zeta-2027-03',
      client: 'zeta',
      window: { start: '2027-03-10T20:00:00Z', end: '2027-03-10T23:00:00Z', timezone: 'UTC' },
    });
    const sooner = newRecord({
      id: 'alpha-2027-01',
      client: 'alpha',
      window: { start: '2027-01-05T20:00:00Z', end: '2027-01-05T23:00:00Z', timezone: 'UTC' },
    });
    expect(words([later, sooner], 'dave')).toEqual([
      'alpha-2027-01: Approve the plan',
      'zeta-2027-03: Approve the plan',
    ]);
  });
});
