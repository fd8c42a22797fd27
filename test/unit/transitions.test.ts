import { describe, expect, it } from 'vitest';
import { states, type State } from '../../src/core/record.js';
import { transition, nextStates } from '../../src/core/transitions.js';
import { MokoError } from '../../src/core/errors.js';
import { newRecord, policy, t0 } from '../helpers/records.js';

const everyone = {
  login: 'root',
  name: 'All roles',
  roles: ['deployment-manager', 'technical-lead', 'client-success-manager', 'qa'] as const,
};

/** The state machine of DESIGN.md, written out independently of the code under test. */
const legal: Record<State, State[]> = {
  draft: ['submitted', 'cancelled'],
  submitted: ['approved', 'cancelled'],
  approved: ['ready', 'cancelled'],
  ready: ['scheduled', 'cancelled'],
  scheduled: ['deploying', 'cancelled'],
  deploying: ['verifying', 'rolled-back'],
  verifying: ['awaiting-signoff', 'rolled-back'],
  'awaiting-signoff': ['live', 'rolled-back'],
  live: ['closed', 'rolled-back'],
  closed: [],
  'rolled-back': ['approved'],
  cancelled: [],
};

function attempt(from: State, to: State): MokoError | 'moved' {
  const record = { ...newRecord(), state: from };
  try {
    transition(record, to, {
      policy,
      now: t0,
      actor: { ...everyone, roles: [...everyone.roles] },
      warnings: [],
    });
    return 'moved';
  } catch (e) {
    if (e instanceof MokoError) return e;
    throw e;
  }
}

describe('state transitions', () => {
  for (const from of states) {
    for (const to of states) {
      const isLegal = legal[from].includes(to);
      it(`${from} -> ${to} is ${isLegal ? 'legal (moves or names an open gate)' : 'refused as illegal'}`, () => {
        const outcome = attempt(from, to);
        if (isLegal) {
          if (outcome !== 'moved') {
            expect(outcome.message).toMatch(/gate\(s\) open/);
            expect(outcome.details.length).toBeGreaterThan(0);
          }
        } else {
          expect(outcome).not.toBe('moved');
          const err = outcome as MokoError;
          expect(err.kind).toBe('refused');
          expect(err.message).toMatch(
            to === 'draft' ? /never goes back to draft/ : new RegExp(`is ${from}; it cannot move to ${to}`),
          );
        }
      });
    }
  }

  it('nextStates lists exactly the legal moves', () => {
    for (const s of states) expect(nextStates(s).sort()).toEqual([...legal[s]].sort());
  });

  it('a refusal names the legal next states', () => {
    const e = attempt('submitted', 'ready') as MokoError;
    expect(e.fix).toContain('approved');
    expect(e.fix).toContain('cancelled');
  });
});
