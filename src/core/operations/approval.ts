import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { transition } from '../transitions.js';
import { refused } from '../errors.js';
import { planSchema } from '../plan.js';
import { hashPlan } from '../canonical.js';
import type { DeploymentRecord } from '../record.js';
import type { OperationContext } from '../operation.js';
import type { RoleId } from '../plan.js';

/**
 * Policy "Responsibilities / Deployment Manager — Approving deployment plans": whoever wrote or revised the
 * plan never approves it (policy `separation` author-not-approver).
 */
export const approve = defineOperation({
  name: 'approve',
  permission: 'plan.approve',
  input: z.strictObject({ note: z.string().optional() }),
  describe: () => 'approved the deployment plan',
  apply(record, input, ctx) {
    const wrote = record.author === ctx.actor.login;
    if (wrote || (record.revisedBy ?? []).includes(ctx.actor.login)) {
      const did = wrote ? 'wrote' : 'revised';
      throw refused(`${ctx.actor.login} ${did} this plan and may not approve it (separation of duties)`, {
        fix: `another deployment manager approves it: mokodeploy approve ${record.id} --as <login>`,
        security: true,
      });
    }
    const moved = transition(record, 'approved', ctx, input.note);
    const stamp = { by: ctx.actor.login, role: ctx.role, at: ctx.now.toISOString() };
    return {
      ...moved,
      // issue 22: the approval covers the package built for this plan, by its hash
      approval: { stamp, planHash: record.planHash, ...packageHashOf(record) },
      checklist: {
        ...moved.checklist,
        'plan-approved': {
          ticked: true,
          evidence: [{ kind: 'approval', planHash: record.planHash, ...packageHashOf(record) }],
          stamp,
          history: [
            ...(moved.checklist['plan-approved']?.history ?? []),
            { action: 'tick', by: stamp.by, at: stamp.at, note: 'approval' },
          ],
        },
      },
    };
  },
});

export const submit = defineOperation({
  name: 'submit',
  permission: 'plan.submit',
  input: z.strictObject({ note: z.string().optional() }),
  describe: () => 'submitted the deployment plan',
  apply: (record, input, ctx) => transition(record, 'submitted', ctx, input.note),
});

/**
 * A revised plan replaces the old one. Once approved, a change voids the approval (the
 * approval signed the old plan's hash) and sends the deployment back to submitted.
 */
export const revisePlan = defineOperation({
  name: 'revise-plan',
  permission: 'plan.submit',
  input: z.strictObject({ plan: planSchema, planFile: z.string().optional() }),
  describe: () => 'revised the deployment plan',
  apply(record, input, ctx) {
    if (!['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'].includes(record.state)) {
      throw refused(`${record.id} is ${record.state}: its plan can no longer change`, {
        fix: 'start a new deployment with a new id for the changed plan',
      });
    }
    if (input.plan.client !== record.client) {
      throw refused(`the revised plan is for client "${input.plan.client}", not "${record.client}"`);
    }
    const planHash = hashPlan(input.plan);
    if (planHash === record.planHash) {
      ctx.warnings.push('the plan is unchanged');
      return record;
    }
    if (['approved', 'ready', 'scheduled'].includes(record.state))
      ctx.warnings.push('the approval covered the previous plan: it must be approved again');
    const revisedBy = (record.revisedBy ?? []).includes(ctx.actor.login)
      ? record.revisedBy
      : [...(record.revisedBy ?? []), ctx.actor.login];
    return voidApproval(
      {
        ...record,
        revisedBy,
        plan: input.plan,
        planHash,
        kind: input.plan.kind,
        environment: input.plan.environment,
        planFile: input.planFile ?? record.planFile,
      },
      record,
      ctx,
      'plan revised',
    );
  },
});

/**
 * An approval no longer covers the record (plan revised, new package): the plan-approved item is unticked and an
 * approved, ready or scheduled deployment goes back to submitted (the approval signed the old hashes).
 */
export function voidApproval(
  next: DeploymentRecord,
  record: DeploymentRecord,
  ctx: OperationContext & { role: RoleId },
  note: string,
): DeploymentRecord {
  const backToSubmitted = ['approved', 'ready', 'scheduled'].includes(record.state);
  const checklist = { ...next.checklist };
  const e = checklist['plan-approved'];
  if (e?.ticked)
    checklist['plan-approved'] = {
      ticked: false,
      evidence: [],
      history: [...e.history, { action: 'untick', by: ctx.actor.login, at: ctx.now.toISOString(), note }],
    };
  if (!backToSubmitted) return { ...next, checklist };
  return {
    ...next,
    checklist,
    state: 'submitted',
    schedule: undefined,
    transitions: [
      ...record.transitions,
      { from: record.state, to: 'submitted', by: ctx.actor.login, role: ctx.role, at: ctx.now.toISOString(), note },
    ],
  };
}

/** The package hash an approval covers, when a package was built for the record (issue 22). */
export function packageHashOf(record: DeploymentRecord): { packageHash?: string } {
  return record.package ? { packageHash: record.package.hash } : {};
}
