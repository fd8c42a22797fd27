import type { VerificationItemResult } from '../core/record.js';
import type { Policy } from '../policy/types.js';
import type { CheckResult, VerifyStatus } from './check.js';

/**
 * Many check results -> one result per policy item, the shape 'record-verification' keeps. The worst
 * status wins (fail > skip > warn > pass): a skipped item is not evidence, so it keeps the technical
 * sign-off closed until someone records it by hand (mokodeploy verification-record).
 */
const rank: Record<VerifyStatus, number> = { pass: 0, warn: 1, skip: 2, unknown: 3, fail: 4 };

export function policyItems(
  policy: Policy,
): { id: string; label: string; group: string; optional: boolean }[] {
  const v = policy.verification;
  return (['functional', 'security', 'performance'] as const).flatMap((group) =>
    v[group].map((i) => ({ id: i.id, label: i.label, group, optional: Boolean(i.optional) })),
  );
}

export function summarise(policy: Policy, results: CheckResult[]): VerificationItemResult[] {
  return policyItems(policy).map(({ id }) => {
    const mine = results.filter((r) => r.item === id);
    if (mine.length === 0) {
      return {
        id,
        status: 'skip',
        observed: 'not checked automatically',
        detail: `check it by hand and record it: mokodeploy verification-record <id> results.yaml`,
      };
    }
    const status = mine.reduce<VerifyStatus>((w, r) => (rank[r.status] > rank[w] ? r.status : w), 'pass');
    const observed = mine
      .map((r) => `[${r.check}]${r.status === 'unknown' ? ' unknown:' : ''} ${r.observed}`)
      .join('; ');
    const detail = mine
      .filter((r) => r.status !== 'pass' && r.detail)
      .map((r) => `[${r.check}] ${r.detail}`)
      .join('; ');
    // the record keeps four statuses: what could not be seen is not evidence, like a skipped check
    return { id, status: status === 'unknown' ? 'skip' : status, observed, ...(detail ? { detail } : {}) };
  });
}
