import type { JournalRecord } from '../../runner/index.js';
import type { Outage } from '../upgrade/outage.js';

/**
 * A window as the journals know it: from the start of step `from` (done) to the end of the last of `to` done after
 * it. Issue 19: writes are unavailable from the cron pause to the reload after the switch (or after the way back).
 */
export function stepWindow(
  records: readonly JournalRecord[],
  from: string,
  to: readonly string[],
): Outage | undefined {
  const done = records.filter(
    (r): r is Extract<JournalRecord, { type: 'step-done' }> => r.type === 'step-done',
  );
  const start = done.find((r) => r.step === from);
  if (!start) return undefined;
  const t0 = Date.parse(start.at) - start.durationMs;
  const ends = done
    .filter((r) => to.includes(r.step))
    .map((r) => Date.parse(r.at))
    .filter((t) => t >= t0);
  const iso = (t: number) => new Date(t).toISOString();
  if (ends.length === 0) return { from: iso(t0) };
  const t1 = Math.max(...ends);
  return { from: iso(t0), to: iso(t1), seconds: Math.round(t1 - t0) / 1000 };
}
