import type { DeploymentRecord } from './record.js';

/** Policy "Deployment Metrics": duration, downtime, issues, time to resolution, satisfaction. */
export interface DeploymentMetrics {
  id: string;
  client: string;
  month: string;
  state: string;
  durationMinutes: number | null;
  downtimeSeconds: number | null;
  issues: number;
  openIssues: number;
  meanHoursToResolution: number | null;
  satisfaction: number | null;
  rollbacks: number;
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number | null, digits = 2) =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

/** The month a deployment counts in: its first run, else its creation. */
export function deploymentMonth(r: DeploymentRecord): string {
  return (r.runs[0]?.startedAt ?? r.createdAt).slice(0, 7);
}

/**
 * Downtime of the rollbacks performed after a run (`mokodeploy rollback`, recorded in facts.rollbackRuns; the last
 * one, also a verification's automatic rollback, in facts.lastRollback): the site is in maintenance for them too. An
 * upgrade's own automatic rollback is already in its run's downtime.
 */
function rollbackDowntimes(r: DeploymentRecord): number[] {
  type Rollback = { at?: unknown; downtimeSeconds?: unknown };
  const runs = Array.isArray(r.facts.rollbackRuns) ? (r.facts.rollbackRuns as Rollback[]) : [];
  const last = r.facts.lastRollback as Rollback | undefined;
  const all = last && !runs.some((x) => x.at === last.at) ? [...runs, last] : runs;
  return all.map((x) => x.downtimeSeconds).filter((x): x is number => typeof x === 'number');
}

export function metricsOf(r: DeploymentRecord): DeploymentMetrics {
  const finished = r.runs.filter((x) => x.durationSeconds !== undefined);
  const downtimes = [
    ...r.runs.map((x) => x.downtimeSeconds).filter((x): x is number => x !== undefined),
    ...rollbackDowntimes(r),
  ];
  const resolutions = r.issues
    .filter((i) => i.resolvedAt)
    .map((i) => (Date.parse(i.resolvedAt!) - Date.parse(i.openedAt)) / 3_600_000);
  return {
    id: r.id,
    client: r.client,
    month: deploymentMonth(r),
    state: r.state,
    durationMinutes: finished.length
      ? round(finished.reduce((a, x) => a + x.durationSeconds!, 0) / 60)
      : null,
    downtimeSeconds: downtimes.length ? round(downtimes.reduce((a, b) => a + b, 0)) : null,
    issues: r.issues.length,
    openIssues: r.issues.filter((i) => !i.resolvedAt).length,
    meanHoursToResolution: round(mean(resolutions)),
    satisfaction: r.satisfaction?.score ?? null,
    rollbacks: r.rollbacks.length,
  };
}

export interface MonthMetrics {
  month: string;
  deployments: number;
  meanDurationMinutes: number | null;
  totalDowntimeSeconds: number;
  issues: number;
  meanHoursToResolution: number | null;
  meanSatisfaction: number | null;
  rollbacks: number;
}

export function metricsByMonth(all: readonly DeploymentMetrics[]): MonthMetrics[] {
  const months = [...new Set(all.map((m) => m.month))].sort();
  return months.map((month) => {
    const ms = all.filter((m) => m.month === month);
    const nums = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
    return {
      month,
      deployments: ms.length,
      meanDurationMinutes: round(mean(nums(ms.map((m) => m.durationMinutes)))),
      totalDowntimeSeconds: round(nums(ms.map((m) => m.downtimeSeconds)).reduce((a, b) => a + b, 0)) ?? 0,
      issues: ms.reduce((a, m) => a + m.issues, 0),
      meanHoursToResolution: round(mean(nums(ms.map((m) => m.meanHoursToResolution)))),
      meanSatisfaction: round(mean(nums(ms.map((m) => m.satisfaction)))),
      rollbacks: ms.reduce((a, m) => a + m.rollbacks, 0),
    };
  });
}

/** Policy "Continuous Improvement — Monthly deployment review": the month's record of improvement. */
export function monthlyReview(records: readonly DeploymentRecord[], month: string) {
  const inMonth = records.filter((r) => deploymentMonth(r) === month);
  const per = inMonth.map(metricsOf);
  return {
    month,
    deployments: per,
    totals: metricsByMonth(per)[0] ?? null,
    rollbacks: records.flatMap((r) =>
      r.rollbacks.filter((x) => x.at.startsWith(month)).map((x) => ({ deploymentId: r.id, ...x })),
    ),
    openIssues: records.flatMap((r) =>
      r.issues.filter((i) => !i.resolvedAt).map((i) => ({ deploymentId: r.id, ...i })),
    ),
    lessons: records.flatMap((r) =>
      r.lessons.filter((l) => l.at.startsWith(month)).map((l) => ({ deploymentId: r.id, ...l })),
    ),
  };
}
