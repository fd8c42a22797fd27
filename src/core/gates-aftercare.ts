import type { DeploymentRecord } from './record.js';
import type { Gate, OpenGate } from './gates.js';

/**
 * The gates after go-live and after a rollback (policy "Support Transition", "Deployment Sign-Off",
 * "Post-Rollback Analysis"): pure functions of the record, like the rest of gates.ts.
 */
export const hypercareDone: Gate = (r, { policy, now }) => {
  const open: OpenGate[] = [];
  const section = policy.support.section;
  if (!r.support)
    return [
      {
        gate: 'hypercare',
        section,
        message: 'hypercare has not started',
        fix: `go live first: mokodeploy golive ${r.id}`,
      },
    ];
  const days = (now.getTime() - Date.parse(r.support.hypercareStart)) / 86_400_000;
  if (days < r.support.hypercareDays) {
    open.push({
      gate: 'hypercare',
      section,
      message: `hypercare runs ${r.support.hypercareDays} days; ${days.toFixed(1)} have passed`,
      fix: `wait until ${new Date(Date.parse(r.support.hypercareStart) + r.support.hypercareDays * 86_400_000).toISOString()}`,
    });
  }
  const missing = missingCheckInDays(r.support, policy.support.dailyCheckInDays, now);
  if (missing.length > 0) {
    const start = Date.parse(r.support.hypercareStart);
    const day = (d: number) =>
      `day ${d + 1} (${new Date(start + d * 86_400_000).toISOString().slice(0, 10)})`;
    open.push({
      gate: 'daily-check-ins',
      section,
      message: `no check-in on ${missing.map(day).join(', ')}: the first ${policy.support.dailyCheckInDays} days after go-live need one each`,
      fix: `record each day: mokodeploy support checkin ${r.id} --summary "..."`,
    });
  }
  return open;
};

/**
 * Policy "Support Transition — Daily check-ins first week": one check-in on each of the first `days` days after
 * go-live (day n = the n-th 24 hours from go-live); later check-ins do not count. Days not yet over are not due.
 */
export function missingCheckInDays(
  support: NonNullable<DeploymentRecord['support']>,
  days: number,
  now: Date,
): number[] {
  const start = Date.parse(support.hypercareStart);
  const covered = new Set(
    support.checkIns
      .map((c) => Math.floor((Date.parse(c.at) - start) / 86_400_000))
      .filter((d) => d >= 0 && d < days),
  );
  const due = Math.min(days, Math.floor((now.getTime() - start) / 86_400_000));
  return Array.from({ length: Math.max(0, due) }, (_, d) => d).filter((d) => !covered.has(d));
}

export const closingRecords: Gate = (r, { policy }) => {
  const open: OpenGate[] = [];
  const unresolved = r.issues.filter((i) => !i.resolvedAt);
  if (unresolved.length > 0) {
    open.push({
      gate: 'issues-resolved',
      section: policy.support.section,
      message: `${unresolved.length} issue(s) still open: ${unresolved.map((i) => `#${i.id}`).join(', ')}`,
      fix: `resolve them: mokodeploy issue resolve ${r.id} N --resolution "..."`,
    });
  }
  if (!r.satisfaction) {
    open.push({
      gate: 'satisfaction',
      section: policy.metrics.section,
      message: 'no client satisfaction score',
      fix: `mokodeploy satisfaction ${r.id} SCORE`,
    });
  }
  for (const doc of policy.signoffs.closing) {
    if ((r.documents ?? []).some((d) => d.kind === documentKindOf[doc.id])) continue;
    open.push({
      gate: doc.id,
      section: policy.signoffs.section,
      message: `${doc.label}: not on record`,
      fix:
        doc.id === 'deployment-report'
          ? `generate it: mokodeploy report ${r.id} deployment --as <login>`
          : `record the update with a link or file: mokodeploy knowledge-base ${r.id} --link URL`,
    });
  }
  if (r.lessons.length === 0) {
    open.push({
      gate: 'lessons-learned',
      section: policy.signoffs.section,
      message: 'lessons learned are not documented',
      fix: `mokodeploy lesson ${r.id} "..."`,
    });
  }
  return open;
};

/** Policy closing items -> the document kind that proves them. */
const documentKindOf = { 'deployment-report': 'deployment', 'knowledge-base': 'knowledge-base' } as const;

export const rootCauseDocumented: Gate = (r, { policy }) => {
  const last = r.rollbacks.at(-1);
  if (last?.rootCause) return [];
  return [
    {
      gate: 'root-cause',
      section: `${policy.rollback.section} / Post-Rollback Analysis`,
      message: 'the root cause of the rollback is not documented',
      fix: `mokodeploy rollback-analysis ${r.id} --root-cause "..." --remediation "..."`,
    },
  ];
};
