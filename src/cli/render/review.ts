import type { periodReview } from '../../core/review.js';

const show = (x: number | null | undefined) => (x === null || x === undefined ? '-' : String(x));
const titles = { month: 'Monthly deployment review', quarter: 'Quarterly process review', year: 'Annual review' };

/** The review as text: totals, one trend line per month, then what happened (policy "Continuous Improvement"). */
export function renderReview(review: ReturnType<typeof periodReview>): string {
  const t = review.totals;
  return [
    `${titles[review.kind]} ${review.period}`,
    `deployments: ${review.deployments.length}${t ? `; mean duration ${show(t.meanDurationMinutes)} min; downtime ${t.totalDowntimeSeconds} s; issues ${t.issues}; mean satisfaction ${show(t.meanSatisfaction)}` : ''}`,
    ...(review.kind === 'month'
      ? []
      : [
          'trend:',
          ...review.trend.map(
            (m) =>
              `  ${m.month} deployments ${m.deployments}, mean duration ${show(m.meanDurationMinutes)} min, downtime ${m.totalDowntimeSeconds} s, issues ${m.issues}, rollbacks ${m.rollbacks}, satisfaction ${show(m.meanSatisfaction)}`,
          ),
        ]),
    ...review.deployments.map(
      (d) => `  ${d.id} ${d.state} issues ${d.issues} satisfaction ${show(d.satisfaction)}`,
    ),
    `rollbacks: ${review.rollbacks.length}`,
    ...review.rollbacks.map(
      (r) =>
        `  ${r.deploymentId} ${r.at} ${r.trigger}: ${r.reason}${r.rootCause ? ` (root cause: ${r.rootCause})` : ''}`,
    ),
    `window exceptions: ${review.windowExceptions.length}`,
    ...review.windowExceptions.map(
      (e) =>
        `  ${e.deploymentId} ${e.at} by ${e.by} (${e.emergency ? 'emergency' : `${e.start} - ${e.end}`}): ${e.reason}`,
    ),
    `open issues: ${review.openIssues.length}`,
    ...review.openIssues.map((i) => `  ${i.deploymentId} #${i.id} [${i.severity}] ${i.title}`),
    `lessons learned: ${review.lessons.length}`,
    ...review.lessons.map((l) => `  ${l.deploymentId}: ${l.text}`),
  ].join('\n');
}
