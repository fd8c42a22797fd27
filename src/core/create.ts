import type { Policy } from '../policy/types.js';
import type { Plan } from './plan.js';
import type { DeploymentRecord } from './record.js';
import type { Actor } from './team.js';
import { roleFor } from './authorize.js';
import { hashPlan } from './canonical.js';
import { refused } from './errors.js';

/** Deployment id: the plan's, else <client>-<yyyy>-<mm> of the window (or of today). */
export function deploymentIdFor(plan: Plan, now: Date): string {
  if (plan.id) return plan.id;
  const when = plan.window ? new Date(plan.window.start) : now;
  return `${plan.client}-${when.getUTCFullYear()}-${String(when.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * A new deployment record from a validated plan, written by a technical lead (policy
 * "CRM Technical Lead — Creating deployment plans"). `submit` records it as submitted.
 */
export function createDeployment(
  plan: Plan,
  opts: { policy: Policy; actor: Actor; now: Date; planFile?: string; submit: boolean },
): DeploymentRecord {
  const role = roleFor(opts.policy, opts.actor, 'plan.submit');
  const kinds = opts.policy.scope.appliesTo.map((k) => k.id);
  if (!kinds.includes(plan.kind))
    throw refused(`the policy does not know the deployment kind "${plan.kind}"`);
  if (plan.people['technical-lead'] !== opts.actor.login && !opts.actor.roles.includes('technical-lead')) {
    throw refused('only a technical lead creates a deployment plan');
  }
  const at = opts.now.toISOString();
  const id = deploymentIdFor(plan, opts.now);
  const record: DeploymentRecord = {
    id,
    client: plan.client,
    kind: plan.kind,
    environment: plan.environment,
    state: opts.submit ? 'submitted' : 'draft',
    policyVersion: opts.policy.version,
    plan,
    planHash: hashPlan(plan),
    planFile: opts.planFile,
    author: opts.actor.login,
    createdAt: at,
    checklist: {},
    validations: [],
    verifications: [],
    runs: [],
    issues: [],
    signoffs: [],
    trainings: [],
    rollbacks: [],
    lessons: [],
    transitions: opts.submit ? [{ from: 'draft', to: 'submitted', by: opts.actor.login, role, at }] : [],
    facts: {},
  };
  return record;
}
