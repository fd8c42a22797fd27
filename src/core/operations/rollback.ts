import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { transition } from '../transitions.js';
import { notFound, refused } from '../errors.js';

/** Policy "Rollback Procedures": a rollback names its trigger and reason; root cause follows. */
export const recordRollback = defineOperation({
  name: 'rollback',
  permission: 'deployment.rollback',
  input: z.strictObject({ trigger: z.string(), reason: z.string().min(1, 'say why') }),
  describe: (i) => `rolled back (${i.trigger}): ${i.reason}`,
  apply(record, input, ctx) {
    const triggers = ctx.policy.rollback.triggers;
    if (!triggers.some((t) => t.id === input.trigger)) {
      throw notFound(`unknown rollback trigger "${input.trigger}"`, {
        fix: `one of: ${triggers.map((t) => t.id).join(', ')}`,
      });
    }
    const moved = transition(record, 'rolled-back', ctx, input.reason);
    const entry = {
      at: ctx.now.toISOString(),
      by: ctx.actor.login,
      trigger: input.trigger,
      reason: input.reason,
      fromState: record.state,
    };
    return { ...moved, rollbacks: [...moved.rollbacks, entry] };
  },
});

export const analyseRollback = defineOperation({
  name: 'rollback-analysis',
  permission: 'deployment.rollback',
  input: z.strictObject({ rootCause: z.string().min(1), remediation: z.string().min(1) }),
  describe: () => 'documented the rollback root cause',
  apply(record, input) {
    const last = record.rollbacks.at(-1);
    if (!last) throw refused(`${record.id} has no rollback to analyse`);
    return {
      ...record,
      rollbacks: [
        ...record.rollbacks.slice(0, -1),
        { ...last, rootCause: input.rootCause, remediation: input.remediation },
      ],
    };
  },
});

/** A new attempt after a rollback goes back to approved, once the root cause is written down. */
export const retry = defineOperation({
  name: 'retry',
  permission: 'plan.approve',
  input: z.strictObject({ note: z.string().optional() }),
  describe: () => 'opened a new attempt after rollback',
  apply(record, input, ctx) {
    const moved = transition(record, 'approved', ctx, input.note ?? 'new attempt');
    return { ...moved, schedule: undefined };
  },
});
