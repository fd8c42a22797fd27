import type { Policy } from '../policy/types.js';
import type { VerificationItemResult } from './record.js';

/**
 * Policy thresholds decide a verification item, whatever recorded it (policy "Verification Checklist":
 * "Page load times acceptable (< 2 seconds)"): a value seen by hand at 3.8 s fails, even when the person
 * wrote `warn` or `pass`. Pure: the operation turns a `refusal` into an error.
 */
export function maxSecondsOf(policy: Policy, itemId: string): number | undefined {
  const v = policy.verification;
  return [...v.functional, ...v.security, ...v.performance].find((i) => i.id === itemId)?.maxSeconds;
}

const timeValue = /(\d+(?:[.,]\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)?\b/gi;

function toSeconds(value: string, unit: string | undefined): number {
  const n = Number(value.replace(',', '.'));
  return unit && /^m/i.test(unit) ? n / 1000 : n;
}

/**
 * The seconds an observation states: the p95 when it names one (the automated check writes
 * "median 0.30 s, p95 0.50 s"), else the largest time given with a unit, else a bare number.
 */
export function observedSeconds(observed: string | undefined): number | undefined {
  if (!observed) return undefined;
  const text = observed.trim();
  if (/^\d+(?:[.,]\d+)?$/.test(text)) return Number(text.replace(',', '.'));
  const p95 = [...text.matchAll(/p95\s*[:=]?\s*(\d+(?:[.,]\d+)?)\s*(ms|s|secs?|seconds?)?\b/gi)];
  const picked = p95.length > 0 ? p95 : [...text.matchAll(timeValue)].filter((m) => m[2]);
  if (picked.length === 0) return undefined;
  return Math.max(...picked.map((m) => toSeconds(m[1]!, m[2])));
}

export type Judged = { result: VerificationItemResult; changed?: string } | { refusal: string };

/** One recorded result judged against its policy threshold (results without a threshold pass through). */
export function judgeAgainstPolicy(
  policy: Policy,
  r: VerificationItemResult,
  source: 'automated' | 'manual',
): Judged {
  const max = maxSecondsOf(policy, r.id);
  if (max === undefined || r.status === 'skip') return { result: r };
  const seconds = observedSeconds(r.observed);
  if (seconds === undefined) {
    if (source === 'automated' || r.status === 'fail') return { result: r };
    return {
      refusal: `${r.id} is judged against the policy's < ${max} s: record the time measured (observed: "p95 1.4 s"), not only "${r.status}"`,
    };
  }
  const status = seconds < max ? 'pass' : 'fail';
  if (status === r.status) return { result: r };
  const changed = `${r.id}: ${seconds} s against the policy's < ${max} s is ${status}, not ${r.status}`;
  const detail = [r.detail, `recorded as ${r.status}; the policy threshold (< ${max} s) decides`]
    .filter(Boolean)
    .join('; ');
  return { result: { ...r, status, detail }, changed };
}
