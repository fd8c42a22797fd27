import type { VerifyContext } from './context.js';

/**
 * One post-deployment check (policy "Post-Deployment Activities / Verification Checklist"). A check
 * reports on one or more checklist items (ids from the policy's `verification` section, e.g. verify.login);
 * `check` names what was looked at, so several checks can report on one item. 'unknown' is a probe that
 * could not see what it checks (sudo refused, file unreadable): never evidence, recorded on the item as
 * 'skip' with the reason, so it keeps the technical sign-off closed (issue 25).
 */
export type VerifyStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'unknown';

export interface CheckResult {
  item: string;
  check: string;
  status: VerifyStatus;
  /** What was seen, e.g. "median 0.21 s, p95 0.40 s over 10 loads of /index.php". */
  observed: string;
  /** Why it fails and what to change. */
  detail?: string;
}

export interface VerifyCheck {
  id: string;
  /** The policy item it reports on (failures to run are reported there). */
  item: string;
  title: string;
  run(ctx: VerifyContext): Promise<CheckResult[]>;
}

export const result = (
  item: string,
  check: string,
  status: VerifyStatus,
  observed: string,
  detail?: string,
): CheckResult => ({ item, check, status, observed, ...(detail ? { detail } : {}) });

/** Run a probe; an exception becomes a failing result naming the check (a check never aborts the run). */
export async function runCheck(check: VerifyCheck, ctx: VerifyContext): Promise<CheckResult[]> {
  try {
    return await check.run(ctx);
  } catch (e) {
    return [result(check.item, check.id, 'fail', `${check.title}: could not run`, (e as Error).message)];
  }
}
