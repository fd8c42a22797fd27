import type { DeploymentRecord } from '../core/record.js';

/** What went wrong last, if anything still shows: a failed run, a failed verification, a rollback. */
export function troubleOf(r: DeploymentRecord): string | undefined {
  if (r.state === 'closed' || r.state === 'cancelled') return undefined;
  const run = r.runs.at(-1);
  if (run?.outcome === 'failed') return 'run failed';
  const v = r.verifications.at(-1);
  if (v && !v.passed) return 'verification failed';
  if (r.state === 'rolled-back') return 'rolled back';
  return undefined;
}
