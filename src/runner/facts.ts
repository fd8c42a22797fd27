import { Secret } from '../core/secret.js';

/**
 * Facts are journaled at a run's first start so a resume plans with the same values (the release
 * stamp above all); step outputs are journaled when the step is done. A value holding a Secret is
 * never written to the journal: on resume it comes from the facts gathered (or the plan run) afresh.
 */
export function withoutSecrets(facts: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => !containsSecret(value)));
}

/**
 * Facts for a resumed run: fresh ones, overridden by what the interrupted run recorded. Only a resumed run has
 * journaled facts (ResumeState.facts): a new run plans with its own facts, never a finished run's.
 */
export function resumedFacts(
  fresh: Record<string, unknown>,
  journaled?: Record<string, unknown>,
): Record<string, unknown> {
  return journaled ? { ...fresh, ...journaled } : fresh;
}

function containsSecret(value: unknown): boolean {
  if (value instanceof Secret) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === 'object') return Object.values(value).some(containsSecret);
  return false;
}
