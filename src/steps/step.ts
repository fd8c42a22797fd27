import type { Command, FileWrite, Host } from '../hosts/host.js';
import type { Plan } from '../core/plan.js';
import type { Policy } from '../policy/types.js';
import type { Secret } from '../core/secret.js';

/**
 * An action is what a step wants done, as data (STYLE.md 1, 5). Only the runner performs
 * actions, on a Host; `--dry-run` prints them; tests compare them.
 */
export type Action =
  | {
      kind: 'run';
      description: string;
      command: Command;
      /** exit codes that count as success (default [0]) */ okCodes?: number[];
    }
  | { kind: 'write'; description: string; file: FileWrite };

export interface StepContext {
  plan: Plan;
  policy: Policy;
  /** Facts read from the target or the release before planning (versions, paths, existing install). */
  facts: Record<string, unknown>;
  /** Values produced by earlier steps of the same run (e.g. the release directory name). */
  outputs: Record<string, unknown>;
  /**
   * Resolves a secret by name (a plan's `secret:` reference, e.g. "acme/db", or a name a step derives such as
   * "acme/instance-unique-id"). Backed by the encrypted store; a name not stored yet is generated once with
   * Secret.generate() and stored. Optional: steps that need none do not require it.
   */
  secret?(name: string): Secret;
}

export interface Step {
  /** Stable id used by the journal, e.g. "install:database". */
  id: string;
  title: string;
  /** Policy section this step implements, e.g. "deploy.phase2.configure-database". */
  policyRef: string;
  /** Pure: what this step would do. */
  plan(ctx: StepContext): Action[];
  /** Optional probe: true when the step's effect is already in place (idempotence, resume). */
  isDone?(ctx: StepContext, host: Host): Promise<boolean>;
  /** Steps whose effect this step checks: when it fails, they are not done and the next run redoes them (issue 23). */
  checks?: readonly string[];
}
