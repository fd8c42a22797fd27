import type { DeploymentRecord } from '../core/record.js';
import type { Policy } from '../policy/types.js';
import { inputError } from '../core/errors.js';
import { evaluateGates } from '../core/gates.js';
import { windowDecision } from '../core/window.js';

/** The fleet operations and the command each client's job runs. */
export const fleetOperations = {
  validate: ['validate'],
  upgrade: ['upgrade'],
  verify: ['verify'],
} as const;
export type FleetOperation = keyof typeof fleetOperations;

/** One client of a fleet: the record it runs on, or why it is blocked (never bypassed). */
export interface FleetMember {
  client: string;
  clientName: string;
  deploymentId: string | null;
  blocked?: string;
}

const closed = new Set(['cancelled', 'closed', 'rolled-back']);
const upgradeKinds = new Set(['upgrade', 'customization']);
const verifiable = new Set(['verifying', 'awaiting-signoff', 'live']);

/**
 * Pure: the fleet's clients (named, or every client with a record) and, for each, its own record for the
 * operation — an upgrade needs that client's upgrade record approved and scheduled with no gate open and its
 * window open (the same rules as `mokodeploy upgrade`); validation takes the client's newest open record;
 * verification its newest record after a run. A client without such a record is blocked, with the reason.
 */
export function selectMembers(
  records: readonly DeploymentRecord[],
  op: FleetOperation,
  clients: readonly string[] | 'all',
  ctx: { policy: Policy; now: Date },
): FleetMember[] {
  const known = [...new Set(records.map((r) => r.client))].sort();
  const names = clients === 'all' ? known : [...new Set(clients)];
  const unknown = names.filter((c) => !known.includes(c));
  if (unknown.length > 0) {
    throw inputError(`no deployment for client${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, {
      where: '--clients',
      fix: 'name clients as their plans do (mokodeploy list), or use --all',
    });
  }
  return names.map((client) => member(records.filter((r) => r.client === client), client, op, ctx));
}

function member(
  mine: DeploymentRecord[],
  client: string,
  op: FleetOperation,
  ctx: { policy: Policy; now: Date },
): FleetMember {
  const newest = [...mine].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const base = { client, clientName: newest[0]!.plan.clientName };
  const pick = (ok: (r: DeploymentRecord) => boolean) => newest.find((r) => ok(r));
  if (op === 'validate') {
    const r = pick((x) => !closed.has(x.state));
    return r ? { ...base, deploymentId: r.id } : { ...base, deploymentId: null, blocked: 'no open deployment record' };
  }
  if (op === 'verify') {
    const r = pick((x) => verifiable.has(x.state));
    return r
      ? { ...base, deploymentId: r.id }
      : { ...base, deploymentId: null, blocked: 'no record deployed and awaiting verification (verifying, awaiting sign-off or live)' };
  }
  const r = pick((x) => upgradeKinds.has(x.plan.kind) && !closed.has(x.state) && x.state !== 'live');
  if (!r) return { ...base, deploymentId: null, blocked: 'no upgrade record' };
  return { ...base, deploymentId: r.id, ...blockedUpgrade(r, ctx) };
}

function blockedUpgrade(r: DeploymentRecord, ctx: { policy: Policy; now: Date }): { blocked?: string } {
  if (r.state !== 'scheduled' && r.state !== 'deploying')
    return { blocked: `${r.id} is ${r.state}: an upgrade runs once its record is approved and scheduled` };
  if (r.state === 'scheduled') {
    const open = evaluateGates(r, 'deploying', ctx).open;
    if (open.length > 0) return { blocked: `gate${open.length > 1 ? 's' : ''} open: ${open.map((g) => `[${g.gate}] ${g.message}`).join('; ')}` };
  }
  const w = windowDecision(r, ctx.policy, ctx.now, { command: 'upgrade' });
  return w.allowed ? {} : { blocked: w.message };
}
