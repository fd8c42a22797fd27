import type { periodReview } from '../core/review.js';
import type { MonthMetrics } from '../core/metrics.js';
import { dl, page, section, table } from './html.js';
import { barChart } from './trend-chart.js';

export const reviewTitles = { month: 'Monthly deployment review', quarter: 'Quarterly process review', year: 'Annual review' };
const show = (x: number | null | undefined) => (x === null || x === undefined ? '–' : String(x));

/** The trends of a review as charts, one per metric of the policy's "Deployment Metrics". */
export function trendCharts(trend: readonly MonthMetrics[]): string {
  const series = (pick: (m: MonthMetrics) => number | null) => trend.map((m) => ({ label: m.month, value: pick(m) }));
  return [
    barChart('Deployments', 'count', series((m) => m.deployments)),
    barChart('Mean deployment duration', 'min', series((m) => m.meanDurationMinutes)),
    barChart('Downtime', 's', series((m) => m.totalDowntimeSeconds)),
    barChart('Issues', 'count', series((m) => m.issues)),
    barChart('Rollbacks', 'count', series((m) => m.rollbacks)),
    barChart('Mean client satisfaction', '1-5', series((m) => m.meanSatisfaction)),
  ].join('\n');
}

/** Policy "Continuous Improvement — Regular reviews" as a document: totals, trend charts, then what happened. */
export function reviewHtml(review: ReturnType<typeof periodReview>, trend: readonly MonthMetrics[], generatedAt: Date): string {
  const t = review.totals;
  const body = [
    section(
      'totals',
      'Totals',
      dl([
        ['Deployments', review.deployments.length],
        ['Mean duration (min)', show(t?.meanDurationMinutes)],
        ['Downtime (s)', show(t?.totalDowntimeSeconds)],
        ['Issues', show(t?.issues)],
        ['Rollbacks', review.rollbacks.length],
        ['Window exceptions', review.windowExceptions.length],
        ['Mean satisfaction', show(t?.meanSatisfaction)],
      ]),
    ),
    section('trends', `Trends, ${trend[0]?.month ?? ''} to ${trend.at(-1)?.month ?? ''}`, trendCharts(trend)),
    section(
      'deployments',
      'Deployments',
      table(
        ['Deployment', 'State', 'Duration (min)', 'Downtime (s)', 'Issues', 'Satisfaction'],
        review.deployments.map((d) => [d.id, d.state, show(d.durationMinutes), show(d.downtimeSeconds), d.issues, show(d.satisfaction)]),
        'no deployments in this period',
      ),
    ),
    section(
      'rollbacks',
      'Rollbacks',
      table(['Deployment', 'At', 'Trigger', 'Reason', 'Root cause'], review.rollbacks.map((r) => [r.deploymentId, r.at, r.trigger, r.reason, r.rootCause ?? '–']), 'no rollbacks'),
    ),
    section(
      'exceptions',
      'Window exceptions',
      table(
        ['Deployment', 'At', 'By', 'Exception', 'Reason'],
        review.windowExceptions.map((e) => [e.deploymentId, e.at, e.by, e.emergency ? 'emergency' : `${e.start} - ${e.end}`, e.reason]),
        'no exceptions',
      ),
    ),
    section('issues', 'Open issues', table(['Deployment', '#', 'Severity', 'Title'], review.openIssues.map((i) => [i.deploymentId, i.id, i.severity, i.title]), 'no open issues')),
    section('lessons', 'Lessons learned', table(['Deployment', 'At', 'Lesson'], review.lessons.map((l) => [l.deploymentId, l.at.slice(0, 10), l.text]), 'none recorded')),
  ].join('\n');
  return page(`${reviewTitles[review.kind]} ${review.period}`, `generated ${generatedAt.toISOString()} by mokodeploy`, body);
}
