import type { z } from 'zod';
import type { Policy } from '../policy/types.js';
import type { RoleId } from './plan.js';
import type { DeploymentRecord } from './record.js';
import type { Actor } from './team.js';

export interface OperationContext {
  policy: Policy;
  now: Date;
  actor: Actor;
  /** Non-blocking remarks for the person acting (e.g. a window inside business hours). */
  warnings: string[];
}

/**
 * One change to a deployment record: pure, validated input, a permission from the policy.
 * The CLI and the HTTP API both call operations through the store (one core, two edges).
 */
export interface Operation<S extends z.ZodType = z.ZodType> {
  name: string;
  /** The permission checked before apply (policy `permissions`); apply may check more. */
  permission: string;
  input: S;
  apply(
    record: DeploymentRecord,
    input: z.output<S>,
    ctx: OperationContext & { role: RoleId },
  ): DeploymentRecord;
  describe(input: z.output<S>): string;
  /**
   * Whether this input is a result only mokodeploy's own runs produce (a validation report, an automated
   * verification, run facts): such input is never taken from a client's request body (issue 12), so the
   * generic API route refuses it; the commands (CLI, or the dashboard's run of them) record it.
   */
  engineResult?(input: z.output<S>): boolean;
}

/** For operations whose every input is an engine result. */
export const always = (): boolean => true;

export function defineOperation<S extends z.ZodType>(op: Operation<S>): Operation<S> {
  return op;
}

/** An operation with its input type erased, for tables and edges that parse input at run time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any>;
