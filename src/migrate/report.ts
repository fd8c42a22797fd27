import type { MigrationBackup } from './backup.js';
import type { JobReconciliation } from './reconcile.js';
import type { ObjectKind } from './types.js';
import type { ReadStats } from './read.js';
import type { DateStats } from './dates.js';
import type { TextWarnings } from './mojibake.js';

export type MigrationMode = 'dry-run' | 'sample' | 'full';
/**
 * committed: written; rolled-back: dry run, or reconciliation failed; refused: rows were
 * rejected and --accept-rejects was not given, so nothing was written.
 */
export type MigrationOutcome = 'committed' | 'rolled-back' | 'refused';

export interface JobReport {
  object: ObjectKind;
  file: string;
  mapping: string;
  encoding: string;
  encodingReason: string;
  delimiter: string;
  /** loaded: inserted on the run's transaction — written only when the outcome is committed. */
  counts: { source: number; loaded: number; alreadyPresent: number; rejected: number; deferred: number };
  /** The file's records by the second scanner, its physical lines, and what quote recovery did. */
  read: ReadStats;
  /** Per Dolibarr column with a date transform: which format read how many values, and the ambiguous ones. */
  dates?: Record<string, DateStats>;
  /** Rows loaded but whose text looks damaged before export ("Ma?gorzata", "Ã©", U+FFFD). */
  warnings: TextWarnings;
  reconciliation?: JobReconciliation;
  rejects: { line: number; field?: string; reason: string }[];
  rejectsCsv?: string;
}

/** What a migration did: the evidence attached to the deployment (policy "Data Migration Validation"). */
export interface MigrationReport {
  batch: string;
  mode: MigrationMode;
  outcome: MigrationOutcome;
  /** Why it ended as it did, in one sentence. */
  summary: string;
  startedAt: string;
  durationSeconds: number;
  target: { database: string; where: string; entity: number };
  backup?: MigrationBackup;
  jobs: JobReport[];
  /** Every file's records, counted apart from the reader, equal rows read + rejected (else nothing is written). */
  recordsMatch: boolean;
  /** Counts balance, checksums match and relationships hold for every job (false when not loaded). */
  reconciled: boolean;
  rowsPerSecond: number;
  /** How batches reached the server: LOAD DATA LOCAL INFILE, or INSERT where local infile is refused. */
  bulkLoad: 'load-data' | 'insert';
  /** Wall time per stage (inspect, backup, load, reconcile, commit). */
  stageSeconds: Record<string, number>;
}

/** Total of one count over the jobs. */
export function total(report: MigrationReport, count: keyof JobReport['counts']): number {
  return report.jobs.reduce((n, j) => n + j.counts[count], 0);
}
