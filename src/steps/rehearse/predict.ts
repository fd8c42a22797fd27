import { writeWindow } from '../upgrade-copy/index.js';
import type { StepTime } from '../upgrade/engine-run.js';

/**
 * Issue 19: what the real upgrade will cost, from the parts a rehearsal measured on a restored copy. Pure.
 * - The window is the engine's own (copy: upgrade-copy/index.ts writeWindow, from the cron pause to writes back; in
 *   place: maintenance on to off). Every step of it counts as the rehearsal measured it: the copy, its row check, the
 *   migration passes, the drain, our own steps after the switch and the write mark all ran on the same data
 *   (production's latest backup, restored) on the same machine; so does the runner's time between steps (the
 *   rehearsal's journal window minus its steps).
 * - A PHP-FPM reload is not run by a rehearsal (nothing serves the copy, and production's PHP is not touched): each
 *   step that reloads in the real run (`reloadIds`, asked of the steps themselves by run-rehearsal.ts) counts an
 *   estimate measured by the bench (bench/upgrade.ts --rehearse), overridable per run. Session 5's -21% at 10k was
 *   this term: the window then ended at the switch's reload, so the reload that gave writes back (and everything
 *   after the switch) was counted as the rehearsal's no-op, and the write mark waited up to a second for the clock.
 * Sizes are not used to scale: information_schema's sizes are InnoDB statistics, stale after bulk changes (the bench
 * saw production at 0.4-0.6 of its restored copy right after loading it), so the rehearsal only warns when
 * production and the copy differ by more than a quarter (rehearse again from a fresh backup).
 * Outage: copy, the switch (swap if any, `current`, its reload where there is one: when readers may wait); in
 * place, the maintenance window.
 */
export type Engine = 'copy' | 'in-place';

export const predictionDefaults = {
  /**
   * Seconds of one PHP-FPM reload as each engine runs it, measured by bench/upgrade.ts on the fixture and real
   * 20.0.2 (2 cores, load 9-12): reload and wait for the old workers (copy, reload-wait.ts) 0.10-0.23 s; the
   * in-place engine's signal alone 0.02-0.05 s.
   */
  reloadSeconds: { copy: 0.2, 'in-place': 0.05 },
  /** Production and the rehearsed copy differing by more than this fraction makes the rehearsal warn. */
  sizeWarning: 0.25,
} as const;

const windows: Record<Engine, { from: string; to: string; outage: readonly string[] }> = {
  copy: {
    ...writeWindow,
    // swap-database: the engine that renamed tables at the switch (readers waited on its metadata locks)
    outage: ['upgrade:swap-database', 'upgrade:switch', 'upgrade:reload-php'],
  },
  'in-place': { from: 'upgrade:maintenance-on', to: 'upgrade:maintenance-off', outage: [] },
};

const reload = /^upgrade:reload-php/;

export interface PredictedPart {
  id: string;
  seconds: number;
  basis: 'measured' | 'estimated';
}

export interface Prediction {
  engine: Engine;
  writeUnavailableSeconds: number;
  outageSeconds: number;
  /** The copy's speed in the rehearsal (bytes of the copied schema a second), for the record. */
  copyBytesPerSecond?: number;
  /**
   * The target's 1-minute load average when the rehearsal's window ended: on two cores shared with other work the
   * copy and the migration took 30-60% more or less time from one run to the next (TEAM-NOTES), so a prediction is
   * only as good as the load it was measured under is like the upgrade's.
   */
  loadAverage?: number;
  parts: PredictedPart[];
}

export interface PredictionInput {
  engine: Engine;
  /** The rehearsal's upgrade steps in the order they ran. */
  steps: readonly StepTime[];
  /**
   * The rehearsal's window as its journal timed it (first step's start to last step's end): what the runner spends
   * between steps (journal, process starts) is part of the real window too (2.5-3.8 s of 40-56 s on real 20.0.2).
   */
  windowSeconds?: number;
  /** Bytes of the restored copy, for the copy's speed in the record. */
  rehearsalBytes?: number;
  reloadSeconds?: number;
  /** The steps that reload PHP-FPM in the real run (default: every `upgrade:reload-php…` step of the window). */
  reloadIds?: readonly string[];
}

const round = (s: number) => Math.round(s * 100) / 100;

/** The prediction, or undefined when the rehearsal did not run the whole window. */
export function predictUpgrade(i: PredictionInput): Prediction | undefined {
  const w = windows[i.engine];
  const ids = i.steps.map((s) => s.id);
  const start = ids.indexOf(w.from);
  const end = ids.indexOf(w.to);
  if (start < 0 || end < start) return undefined;
  const reloadSeconds = i.reloadSeconds ?? predictionDefaults.reloadSeconds[i.engine];
  const window = i.steps.slice(start, end + 1);
  const reloads = (id: string) => (i.reloadIds ? i.reloadIds.includes(id) : reload.test(id));
  const parts = window.map((s): PredictedPart => {
    if (reloads(s.id)) return { id: s.id, seconds: reloadSeconds, basis: 'estimated' };
    return { id: s.id, seconds: s.ms / 1000, basis: 'measured' };
  });
  const between = (i.windowSeconds ?? 0) - window.reduce((t, s) => t + s.ms / 1000, 0);
  if (between > 0) parts.push({ id: 'between steps', seconds: between, basis: 'measured' });
  const sum = (list: PredictedPart[]) => round(list.reduce((t, p) => t + p.seconds, 0));
  const writeUnavailableSeconds = sum(parts);
  const copyMs = i.steps.find((s) => s.id === 'upgrade:copy-database')?.ms;
  return {
    engine: i.engine,
    writeUnavailableSeconds,
    outageSeconds: w.outage.length
      ? sum(parts.filter((p) => w.outage.includes(p.id)))
      : writeUnavailableSeconds,
    copyBytesPerSecond:
      copyMs && i.rehearsalBytes ? Math.round(i.rehearsalBytes / Math.max(copyMs / 1000, 0.001)) : undefined,
    parts: parts.map((p) => ({ ...p, seconds: round(p.seconds) })),
  };
}

/** Error of a prediction against what happened, in percent of what happened. */
export function predictionErrorPercent(predicted: number, actual: number): number {
  if (actual === 0) return predicted === 0 ? 0 : Infinity;
  return Math.round(((predicted - actual) / actual) * 1000) / 10;
}

/** A warning when production and the rehearsed copy differ in size by more than predictionDefaults.sizeWarning. */
export function sizeWarning(rehearsalBytes?: number, productionBytes?: number): string | undefined {
  if (!rehearsalBytes || !productionBytes) return undefined;
  const ratio = productionBytes / rehearsalBytes;
  if (Math.abs(ratio - 1) <= predictionDefaults.sizeWarning) return undefined;
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  return `production (${mb(productionBytes)}) and the rehearsed copy (${mb(rehearsalBytes)}) differ by ${Math.round(Math.abs(ratio - 1) * 100)}% (InnoDB statistics): if production changed since the backup, back up and rehearse again`;
}
