import type { JournalRecord } from '../../runner/index.js';

/**
 * The outage of an attempt as its journals know it (issue 13 "honest outage"): from the moment maintenance went on
 * (the start of the first `…:maintenance-on` step done, in whichever run did it: a killed run's steps are carried
 * into the run that resumes it, with their own times) to the last `…:maintenance-off` done after it (the upgrade's
 * own, or the rollback's). A window never closed has no end.
 */
export interface Outage {
  from: string;
  to?: string;
  seconds?: number;
}

export function maintenanceWindow(records: readonly JournalRecord[]): Outage | undefined {
  const done = records.filter(
    (r): r is Extract<JournalRecord, { type: 'step-done' }> => r.type === 'step-done',
  );
  const starts = done
    .filter((r) => r.step.endsWith(':maintenance-on'))
    .map((r) => Date.parse(r.at) - r.durationMs);
  if (starts.length === 0) return undefined;
  const from = Math.min(...starts);
  const ends = done
    .filter((r) => r.step.endsWith(':maintenance-off'))
    .map((r) => Date.parse(r.at))
    .filter((t) => t >= from);
  const iso = (t: number) => new Date(t).toISOString();
  if (ends.length === 0) return { from: iso(from) };
  const to = Math.max(...ends);
  return { from: iso(from), to: iso(to), seconds: Math.round(to - from) / 1000 };
}

/** The downtime to record: the probe's measure, never less than the maintenance window the journals know. */
export function recordedDowntime(
  probeSeconds: number | undefined,
  outage: Outage | undefined,
): number | undefined {
  const window = outage?.seconds;
  if (probeSeconds === undefined) return window;
  return window === undefined ? probeSeconds : Math.max(probeSeconds, window);
}
