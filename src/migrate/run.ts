import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { objectDefs, loadOrder } from './objects.js';
import { readMapping, checkMappingColumns } from './mapping.js';
import { openRunContext } from './context.js';
import { freeImportKey } from './import-key.js';
import { importJob, type JobResult } from './import-job.js';
import { reconcileJob, type JobReconciliation } from './reconcile.js';
import { backupBeforeLoad } from './backup.js';
import { inspectSource, type SourceFormat } from './read.js';
import { sourceColumns } from './map.js';
import { inputError } from '../core/errors.js';
import { writeReport } from './write-report.js';
import { shadowTables } from './dry-copy.js';
import { recordCountProblems } from './record-check.js';
import type { Job } from './job.js';
import { tableName, type Db, type TargetDb } from './target.js';
import type { SourceEncoding } from './encoding.js';
import type { JobReport, MigrationMode, MigrationOutcome, MigrationReport } from './report.js';

export interface RunOptions {
  jobs: { file: string; mapping: string }[];
  entity: number;
  createdBy?: string;
  now: Date;
  dryRun: boolean;
  /** Load only the first N valid rows of each file (policy "Sample data migrated successfully"); the rest is still checked. */
  sample?: number;
  /** Load the valid rows even though some were rejected (else nothing is written). */
  acceptRejects: boolean;
  encoding?: SourceEncoding;
  /** Where the batch folder (report, rejects, backup) goes. */
  reportRoot: string;
  batchSize?: number;
  /** Read the lines after an unclosed quote again as new records (read.ts). */
  recoverQuotes?: boolean;
}

export interface RunResult {
  report: MigrationReport;
  files: { json: string; html: string; dir: string };
}

/**
 * A migration in the policy's order: check mappings, headers and columns against the live schema
 * -> back up the target tables and the sources -> on ONE transaction, per file (third parties,
 * products, then contacts): read, map, validate, insert in batches -> reconcile on that
 * transaction -> commit only if no row was rejected (or --accept-rejects), it reconciles, and
 * this is not a dry run; else roll back -> report. One transaction is what makes "nothing is
 * written" hold for refused runs, dry runs and failures alike, and lets contacts find third
 * parties inserted moments before.
 */
export async function runMigration(db: Db, target: TargetDb, opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const jobs: Job[] = opts.jobs.map((j) => ({ file: j.file, mapping: readMapping(j.mapping), mappingSource: j.mapping }));
  jobs.sort((a, b) => loadOrder.indexOf(a.mapping.object) - loadOrder.indexOf(b.mapping.object));
  const ctx = await openRunContext(db, target, { entity: opts.entity, now: opts.now, createdBy: opts.createdBy, batchSize: opts.batchSize });
  for (const j of jobs) checkMappingColumns(j.mapping, j.mappingSource, tableName(target, objectDefs[j.mapping.object].table), ctx.schemas.get(objectDefs[j.mapping.object].table)!);
  const batch = await freeImportKey(db, target, opts.now);
  const dir = join(opts.reportRoot, batch);
  const mode: MigrationMode = opts.dryRun ? 'dry-run' : opts.sample !== undefined ? 'sample' : 'full';

  const timings: Record<string, number> = {};
  const timed = async <T>(stage: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + (performance.now() - t) / 1000;
    }
  };
  // Everything that can be refused without touching the database is refused first.
  const formats = jobs.map((j) => timedSync(timings, 'inspect', () => inspectJob(j, opts.encoding)));
  const tables = [...new Set(jobs.map((j) => objectDefs[j.mapping.object].table))];
  const backup = await timed('backup', () => backupBeforeLoad(target, tables, jobs.map((j) => j.file), join(dir, 'backup')));
  const results: JobResult[] = [];
  const recs: JobReconciliation[] = [];
  let outcome: MigrationOutcome;
  let summary: string;
  let rejected = 0;
  let lost: string[] = [];
  // A dry run inserts into session copies: the real tables' AUTO_INCREMENT counters stay put.
  const dropCopies = opts.dryRun ? await timed('copy', () => shadowTables(db, target, tables)) : undefined;
  await db.beginTransaction();
  try {
    for (const [i, job] of jobs.entries()) results.push(await timed('load', () => importJob(ctx, job, formats[i]!, batch, opts.sample, opts.recoverQuotes)));
    rejected = results.reduce((n, r) => n + r.counts.rejected, 0);
    lost = recordCountProblems(results.map((r) => ({ file: r.job.file, read: r.counts.source, scanned: r.read.scanned })));
    if (lost.length === 0 && (rejected === 0 || opts.acceptRejects)) for (const r of results) recs.push(await timed('reconcile', () => reconcileJob(ctx, r, batch)));
    const reconciled = recs.length === results.length && recs.every((r) => r.passed);
    if (lost.length > 0) {
      await db.rollback();
      outcome = 'rolled-back';
      summary = `the reader and the record count disagree, nothing was written: ${lost.join('; ')}`;
    } else if (rejected > 0 && !opts.acceptRejects) {
      await db.rollback();
      outcome = 'refused';
      summary = `${rejected} row(s) rejected: nothing was written (fix them and run again, or load the valid rows with --accept-rejects)`;
    } else if (reconciled && !opts.dryRun) {
      await timed('commit', () => db.commit());
      outcome = 'committed';
      summary = `batch ${batch} committed and reconciled${rejected > 0 ? `; ${rejected} rejected row(s) accepted and left out` : ''}`;
    } else {
      await db.rollback();
      outcome = 'rolled-back';
      summary = reconciled ? 'dry run: everything was done and then rolled back' : 'reconciliation failed: the batch was rolled back, nothing was written';
    }
  } catch (e) {
    await db.rollback().catch(() => undefined);
    throw e;
  } finally {
    await dropCopies?.();
  }
  const seconds = (Date.now() - started) / 1000;
  const sourceRows = results.reduce((n, r) => n + r.counts.source, 0);
  const report: MigrationReport = {
    batch, mode, outcome, summary, startedAt: new Date(started).toISOString(), durationSeconds: seconds,
    target: { database: target.database, where: target.socket ?? `${target.host}:${target.port}`, entity: opts.entity },
    backup,
    jobs: results.map((r, i) => jobReport(r, recs[i])),
    recordsMatch: lost.length === 0,
    reconciled: outcome !== 'refused' && lost.length === 0 && recs.length === results.length && recs.every((r) => r.passed),
    rowsPerSecond: sourceRows / Math.max(seconds, 0.001),
    bulkLoad: ctx.bulk.localInfile ? 'load-data' : 'insert',
    stageSeconds: timings,
  };
  const files = writeReport(report, dir, results.map((r) => ({ header: r.format.header, delimiter: r.format.delimiter, rows: r.rejects })));
  return { report, files: { ...files, dir } };
}

function jobReport(r: JobResult, rec: JobReconciliation | undefined): JobReport {
  return {
    object: r.job.mapping.object,
    file: r.job.file,
    mapping: r.job.mappingSource,
    encoding: r.format.encoding.encoding,
    encodingReason: r.format.encoding.reason,
    delimiter: r.format.delimiter,
    counts: { ...r.counts },
    read: { ...r.read },
    warnings: r.warnings,
    ...(Object.keys(r.dates).length > 0 ? { dates: r.dates } : {}),
    reconciliation: rec,
    rejects: r.rejects.map(({ line, field, reason }) => ({ line, field, reason })),
  };
}

/** Detect the file's format and check that it has every column the mapping reads (before any row is read). */
function inspectJob(job: Job, encoding?: SourceEncoding): SourceFormat {
  if (!existsSync(job.file) || !statSync(job.file).isFile()) throw inputError(`no such source file ${job.file}`, { where: job.file, fix: 'check the path (relative to the migration or plan file)' });
  const format = inspectSource(job.file, encoding);
  const missing = sourceColumns(job.mapping).filter((c) => !format.header.includes(c));
  if (missing.length > 0) {
    throw inputError(`the file lacks column(s) the mapping reads: ${missing.map((c) => `"${c}"`).join(', ')}`, {
      where: `${job.file}:1`,
      details: [`header: ${format.header.join(', ')}`, `mapping: ${job.mappingSource}`],
      fix: 'export the missing columns, or change the mapping',
    });
  }
  return format;
}

function timedSync<T>(timings: Record<string, number>, stage: string, f: () => T): T {
  const t = performance.now();
  try {
    return f();
  } finally {
    timings[stage] = (timings[stage] ?? 0) + (performance.now() - t) / 1000;
  }
}
