import type { Check, Finding, FindingStatus } from './finding.js';
import { redact } from '../core/secret.js';

const clean = (text: string | undefined) => (text === undefined ? undefined : redact(text));

/**
 * Build a finding for `check`; policyRef and title default to the check's. Text seen on the
 * target passes through redact(): a finding is evidence kept in the record and the audit trail.
 */
export function finding(
  check: Pick<Check, 'id' | 'title' | 'policyRef'>,
  status: FindingStatus,
  observed: string,
  threshold: string,
  more: { remediation?: string; detail?: string; title?: string; policyRef?: string; idSuffix?: string } = {},
): Finding {
  const { idSuffix, title, policyRef, ...rest } = more;
  return {
    checkId: idSuffix ? `${check.id}.${idSuffix}` : check.id,
    title: title ?? check.title,
    status,
    observed: redact(observed),
    threshold,
    policyRef: policyRef ?? check.policyRef,
    ...(status === 'pass'
      ? { detail: clean(rest.detail) }
      : { detail: clean(rest.detail), remediation: clean(rest.remediation) }),
  };
}

/** The check could not decide: never a pass, always with the reason. */
export function unknown(
  check: Pick<Check, 'id' | 'title' | 'policyRef'>,
  threshold: string,
  reason: string,
  idSuffix?: string,
): Finding {
  return finding(check, 'unknown', 'could not be determined', threshold, { detail: reason, idSuffix });
}

/** Compare dotted versions numerically: -1, 0, 1. "10.11.19-MariaDB" compares as 10.11.19. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => (v.match(/^\d+(\.\d+)*/)?.[0] ?? '0').split('.').map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export const gb = 1_000_000_000;
export const formatGb = (bytes: number) => `${(bytes / gb).toFixed(1)} GB`;
