import type { AnyOperation, OperationContext } from './operation.js';
import type { DeploymentRecord } from './record.js';
import type { RoleId } from './plan.js';
import { roleFor } from './authorize.js';
import { inputError } from './errors.js';

export interface Performed {
  record: DeploymentRecord;
  role: RoleId;
  summary: string;
}

/** Validate an operation's raw input, check the role, apply it. Pure; throws MokoError on refusal. */
export function perform(
  op: AnyOperation,
  record: DeploymentRecord,
  rawInput: unknown,
  ctx: OperationContext,
): Performed {
  const parsed = op.input.safeParse(rawInput);
  if (!parsed.success) {
    throw inputError(`invalid input for ${op.name}`, {
      details: parsed.error.issues.map(
        (i: { path: PropertyKey[]; message: string }) => `${i.path.join('.') || '(input)'}: ${i.message}`,
      ),
      fix: 'correct the options shown',
    });
  }
  const role = roleFor(ctx.policy, ctx.actor, op.permission);
  const next = op.apply(record, parsed.data, { ...ctx, role });
  return { record: next, role, summary: op.describe(parsed.data) };
}
