import type { StepTime } from '../upgrade/engine-run.js';

/**
 * Issue 19: what the real upgrade will cost, from the parts a rehearsal measured on a restored copy. Pure.
 * - Steps whose work grows with the data (the copy, its row check, the migration passes, the comparison or write
 *   mark, and in place the migration) are scaled by production's size now over the size of the copy the rehearsal worked on
 *   (production may have grown since the backup it restored).
 * - PHP-FPM reloads are not run by a rehearsal (nothing serves the copy, and production's PHP is not touched):
 *   each counts `reloadSeconds`, a figure measured by the bench (bench/upgrade.ts), overridable per run.
 * - Every other step of the window counts as measured.
 * Writes unavailable: copy, from the cron pause to the reload after the switch; in place, maintenance on to off.
 * Outage: copy, the switch (swap, `current`, reload: when readers may wait); in place, the same maintenance window.
 */
export type Engine = 'copy' | 'in-place';

export const predictionDefaults = {
  /** One PHP-FPM reload waited for (reload-wait.ts), seconds: bench/upgrade.ts on this kind of machine. */
  reloadSeconds: 0.3,
} as const;

const windows: Record<Engine, { from: string; to: string; outage: readonly string[] }> = {
  copy: {
    from: 'upgrade:cron-pause',
    to: 'upgrade:reload-php',
    // swap-database: the engine that renamed tables at the switch (readers waited on its metadata locks)
    outage: ['upgrade:swap-database', 'upgrade:switch', 'upgrade:reload-php'],
  },
  'in-place': { from: 'upgrade:maintenance-on', to: 'upgrade:maintenance-off', outage: [] },
};

const scaled = [
  /^upgrade:copy-database$/,
  /^upgrade:verify-copy$/,
  /^upgrade:migrate-/,
  /^upgrade:compare-copy$/,
  /^upgrade:write-mark$/,
];
const reload = /^upgrade:reload-php/;

export interface PredictedPart {
  id: string;
  seconds: number;
  basis: 'measured' | 'scaled' | 'estimated';
}

export interface Prediction {
  engine: Engine;
  writeUnavailableSeconds: number;
  outageSeconds: number;
  /** Production's size now over the rehearsed copy's (1 when either is unknown). */
  scale: number;
  /** The copy's speed in the rehearsal (bytes of the copied schema a second), for the record. */
  copyBytesPerSecond?: number;
  parts: PredictedPart[];
}

export interface PredictionInput {
  engine: Engine;
  /** The rehearsal's upgrade steps in the order they ran. */
  steps: readonly StepTime[];
  rehearsalBytes?: number;
  productionBytes?: number;
  reloadSeconds?: number;
}

const round = (s: number) => Math.round(s * 100) / 100;

/** The prediction, or undefined when the rehearsal did not run the whole window. */
export function predictUpgrade(i: PredictionInput): Prediction | undefined {
  const w = windows[i.engine];
  const ids = i.steps.map((s) => s.id);
  const start = ids.indexOf(w.from);
  const end = ids.indexOf(w.to);
  if (start < 0 || end < start) return undefined;
  const scale =
    i.rehearsalBytes && i.productionBytes && i.rehearsalBytes > 0 ? i.productionBytes / i.rehearsalBytes : 1;
  const reloadSeconds = i.reloadSeconds ?? predictionDefaults.reloadSeconds;
  const parts = i.steps.slice(start, end + 1).map((s): PredictedPart => {
    if (reload.test(s.id)) return { id: s.id, seconds: reloadSeconds, basis: 'estimated' };
    if (scaled.some((r) => r.test(s.id)))
      return { id: s.id, seconds: (s.ms / 1000) * scale, basis: 'scaled' };
    return { id: s.id, seconds: s.ms / 1000, basis: 'measured' };
  });
  const sum = (list: PredictedPart[]) => round(list.reduce((t, p) => t + p.seconds, 0));
  const writeUnavailableSeconds = sum(parts);
  const copyMs = i.steps.find((s) => s.id === 'upgrade:copy-database')?.ms;
  return {
    engine: i.engine,
    writeUnavailableSeconds,
    outageSeconds: w.outage.length
      ? sum(parts.filter((p) => w.outage.includes(p.id)))
      : writeUnavailableSeconds,
    scale: round(scale * 1000) / 1000,
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
