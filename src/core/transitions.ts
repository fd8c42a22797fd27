import type { DeploymentRecord, State } from './record.js';
import type { OperationContext } from './operation.js';
import { evaluateGates } from './gates.js';
import { refused } from './errors.js';
import { roleFor } from './authorize.js';

/** The state machine of DESIGN.md: which state may follow which, and who may move it. */
interface Edge {
  from: readonly State[];
  permission: string;
}

const running = ['deploying', 'verifying', 'awaiting-signoff', 'live'] as const;

export const edges: Record<Exclude<State, 'draft'>, Edge> = {
  submitted: { from: ['draft'], permission: 'plan.submit' },
  approved: { from: ['submitted', 'rolled-back'], permission: 'plan.approve' },
  ready: { from: ['approved'], permission: 'deployment.ready' },
  scheduled: { from: ['ready'], permission: 'deployment.schedule' },
  deploying: { from: ['scheduled'], permission: 'deployment.execute' },
  verifying: { from: ['deploying'], permission: 'deployment.execute' },
  'awaiting-signoff': { from: ['verifying'], permission: 'verification.run' },
  live: { from: ['awaiting-signoff'], permission: 'signoff.go-live' },
  closed: { from: ['live'], permission: 'deployment.close' },
  'rolled-back': { from: running, permission: 'deployment.rollback' },
  cancelled: {
    from: ['draft', 'submitted', 'approved', 'ready', 'scheduled'],
    permission: 'deployment.cancel',
  },
};

/** States reachable from `state` in one move. */
export function nextStates(state: State): State[] {
  return (Object.keys(edges) as Exclude<State, 'draft'>[]).filter((to) => edges[to].from.includes(state));
}

/**
 * Move a record to `to`, or refuse naming what is wrong: an illegal move (with the moves
 * that are legal), a missing role, or every open gate with its policy section and fix.
 */
export function transition(
  record: DeploymentRecord,
  to: State,
  ctx: OperationContext,
  note?: string,
): DeploymentRecord {
  if (to === 'draft') throw refused('a deployment never goes back to draft');
  const edge = edges[to];
  if (!edge.from.includes(record.state)) {
    const legal = nextStates(record.state);
    throw refused(`${record.id} is ${record.state}; it cannot move to ${to}`, {
      fix:
        legal.length > 0
          ? `from ${record.state} it can move to: ${legal.join(', ')}`
          : `${record.state} is final`,
    });
  }
  const role = roleFor(ctx.policy, ctx.actor, edge.permission);
  const report = evaluateGates(record, to, ctx);
  if (report.open.length > 0) {
    throw refused(`${record.id} cannot move to ${to}: ${report.open.length} gate(s) open`, {
      details: report.open.map((g) => `[${g.gate}] ${g.message} (policy: ${g.section}) -> ${g.fix}`),
      fix: 'close the gates listed, then try again',
    });
  }
  for (const g of report.notApplicable) {
    ctx.warnings.push(
      `not applicable (${record.environment}): [${g.gate}] ${g.message} (policy: ${g.section})`,
    );
  }
  return {
    ...record,
    state: to,
    transitions: [
      ...record.transitions,
      {
        from: record.state,
        to,
        by: ctx.actor.login,
        role,
        at: ctx.now.toISOString(),
        ...(note ? { note } : {}),
      },
    ],
  };
}
