import type { DeploymentRecord } from './record.js';
import { deploymentMonth, metricsByMonth, metricsOf, type MonthMetrics } from './metrics.js';

/**
 * Policy "Continuous Improvement — Regular reviews": monthly deployment review, quarterly process
 * improvement, annual policy review. A period is a month (2026-11), a quarter (2026-Q4) or a year (2026).
 */
export interface ReviewPeriod {
  label: string;
  kind: 'month' | 'quarter' | 'year';
  months: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

export function parseReviewPeriod(text: string): ReviewPeriod | undefined {
  const m = /^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$/i.exec(text.trim());
  if (!m) return undefined;
  const year = m[1]!;
  if (m[2]) return { label: `${year}-${m[2]}`, kind: 'month', months: [`${year}-${m[2]}`] };
  if (m[3]) {
    const q = Number(m[3]);
    const months = [1, 2, 3].map((i) => `${year}-${pad((q - 1) * 3 + i)}`);
    return { label: `${year}-Q${q}`, kind: 'quarter', months };
  }
  return {
    label: year,
    kind: 'year',
    months: Array.from({ length: 12 }, (_, i) => `${year}-${pad(i + 1)}`),
  };
}

/** The review of a period: its deployments, totals, the month-by-month trend, rollbacks, exceptions, lessons. */
export function periodReview(records: readonly DeploymentRecord[], period: ReviewPeriod) {
  const inPeriod = (at: string) => period.months.includes(at.slice(0, 7));
  const per = records.filter((r) => period.months.includes(deploymentMonth(r))).map(metricsOf);
  const trend = metricsByMonth(per);
  return {
    period: period.label,
    kind: period.kind,
    deployments: per,
    totals: metricsByMonth(per.map((m) => ({ ...m, month: period.label })))[0] ?? null,
    trend,
    rollbacks: records.flatMap((r) =>
      r.rollbacks.filter((x) => inPeriod(x.at)).map((x) => ({ deploymentId: r.id, ...x })),
    ),
    windowExceptions: records.flatMap((r) =>
      (r.windowExceptions ?? []).filter((x) => inPeriod(x.at)).map((x) => ({ deploymentId: r.id, ...x })),
    ),
    openIssues: records.flatMap((r) =>
      r.issues.filter((i) => !i.resolvedAt).map((i) => ({ deploymentId: r.id, ...i })),
    ),
    lessons: records.flatMap((r) =>
      r.lessons.filter((l) => inPeriod(l.at)).map((l) => ({ deploymentId: r.id, ...l })),
    ),
  };
}

/** The months a review's charts show: the period's own, or for a month the six months up to it. */
export function chartMonths(period: ReviewPeriod): string[] {
  if (period.kind !== 'month') return period.months;
  const [y, m] = period.label.split('-').map(Number) as [number, number];
  return Array.from({ length: 6 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 6 + i, 1));
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
  });
}

/** One row per chart month, months without deployments included (zero counts, no means). */
export function trendOf(records: readonly DeploymentRecord[], months: readonly string[]): MonthMetrics[] {
  const per = records.filter((r) => months.includes(deploymentMonth(r))).map(metricsOf);
  const found = new Map(metricsByMonth(per).map((m) => [m.month, m]));
  return months.map(
    (month) =>
      found.get(month) ?? {
        month,
        deployments: 0,
        meanDurationMinutes: null,
        totalDowntimeSeconds: 0,
        issues: 0,
        meanHoursToResolution: null,
        meanSatisfaction: null,
        rollbacks: 0,
      },
  );
}
