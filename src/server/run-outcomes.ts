import type { DeploymentRecord } from '../core/record.js';

/** Per month: the mean of the runs that worked, and the failed runs and rollbacks counted apart (never in the mean). */
export interface RunOutcomes {
  month: string;
  succeededRuns: number;
  meanSucceededMinutes: number | null;
  failedRuns: number;
  rolledBack: number;
}

export function runOutcomes(records: readonly DeploymentRecord[]): RunOutcomes[] {
  const runs = records.flatMap((r) => r.runs);
  const months = [
    ...new Set([
      ...runs.map((x) => x.startedAt.slice(0, 7)),
      ...records.flatMap((r) => r.rollbacks.map((b) => b.at.slice(0, 7))),
    ]),
  ].sort();
  return months.map((month) => {
    const inMonth = runs.filter((x) => x.startedAt.startsWith(month));
    const ok = inMonth.filter(
      (x) =>
        (x.outcome === 'succeeded' || x.outcome === 'recorded-manually') && x.durationSeconds !== undefined,
    );
    const mean = ok.length ? ok.reduce((a, x) => a + x.durationSeconds!, 0) / ok.length / 60 : null;
    return {
      month,
      succeededRuns: ok.length,
      meanSucceededMinutes: mean === null ? null : Math.round(mean * 100) / 100,
      failedRuns: inMonth.filter((x) => x.outcome === 'failed').length,
      rolledBack: records.flatMap((r) => r.rollbacks).filter((b) => b.at.startsWith(month)).length,
    };
  });
}
