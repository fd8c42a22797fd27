/**
 * Policy "Rollback Procedures: Decide -> Notify stakeholders -> Execute" for the rollback an upgrade does by
 * itself: the engine decides, and the decision is recorded (and the stakeholders told) like a person's
 * `rollback-decide`, with the policy trigger that fired, by the step that failed (as data; the rest, a failed
 * login or inventory after the switch, is broken functionality).
 */
const triggerByStep: readonly (readonly [RegExp, string])[] = [
  // the database is half migrated, or not the version or content the upgrade meant
  [/^upgrade:(migrate|verify-db-version|verify-copy|swap-database|compare-copy)/, 'data-integrity'],
];
const otherwise = 'critical-functionality';

export interface AutomaticRollback {
  outcome: string;
  failedStep?: string;
  reason?: string;
}

/** The decision an upgrade's own rollback answers; none when it rolled nothing back (failed before the switch). */
export function automaticRollbackDecision(
  r: AutomaticRollback,
): { trigger: string; reason: string } | undefined {
  if (r.outcome !== 'rolled-back' && r.outcome !== 'rollback-failed') return undefined;
  const step = r.failedStep ?? '';
  const trigger = triggerByStep.find(([re]) => re.test(step))?.[1] ?? otherwise;
  return { trigger, reason: `automatic rollback: ${r.reason ?? `step ${step} failed`}` };
}
