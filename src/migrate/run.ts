import { join } from 'node:path';
import { objectDefs, loadOrder } from './objects.js';
import { readMapping, checkMappingColumns } from './mapping.js';
import { openRunContext } from './context.js';
import { freeImportKey } from './import-key.js';
import { validateJob } from './validate-job.js';
import { loadJob, type JobLoad } from './load-job.js';
import { reconcileJob, type JobReconciliation } from './reconcile.js';
import { backupBeforeLoad, type MigrationBackup } from './backup.js';
import { writeReport } from './write-report.js';
import type { Job, JobValidation } from './job.js';
import type { Db, TargetDb } from './target.js';
import type { SourceEncoding } from './encoding.js';
import type { JobReport, MigrationMode, MigrationOutcome, MigrationReport } from './report.js';

export interface RunOptions {
  jobs: { file: string; mapping: string }[];
  entity: number;
  createdBy?: string;
  now: Date;
  dryRun: boolean;
  /** Load only the first N valid rows of each file (policy "Sample data migrated successfully"). */
  sample?: number;
  /** Load the valid rows even though some were rejected (else nothing is written). */
  acceptRejects: boolean;
  encoding?: SourceEncoding;
  /** Where the batch folder (report, rejects, backup) goes. */
  reportRoot: string;
  batchSize?: number;
}

export interface RunResult {
  report: MigrationReport;
  files: { json: string; html: string; dir: string };
}

/**
 * A migration in the policy's order: validate every file (nothing written) -> stop if rows are
 * rejected and not accepted -> back up the target tables and the sources -> load all jobs on ONE
 * transaction -> reconcile on that transaction -> commit only if it reconciles and this is not a
 * dry run -> report. One transaction means a failure or a dry run leaves the database as it was,
 * and contacts can reference third parties inserted moments before.
 */
export async function runMigration(db: Db, target: TargetDb, opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const jobs: Job[] = opts.jobs.map((j) => ({ file: j.file, mapping: readMapping(j.mapping), mappingSource: j.mapping }));
  jobs.sort((a, b) => loadOrder.indexOf(a.mapping.object) - loadOrder.indexOf(b.mapping.object));
  const ctx = await openRunContext(db, target, { entity: opts.entity, now: opts.now, createdBy: opts.createdBy, batchSize: opts.batchSize });
  for (const j of jobs) checkMappingColumns(j.mapping, j.mappingSource, objectDefs[j.mapping.object].table, ctx.schemas.get(objectDefs[j.mapping.object].table)!);
  const batch = await freeImportKey(db, target, opts.now);
  const dir = join(opts.reportRoot, batch);
  const mode: MigrationMode = opts.dryRun ? 'dry-run' : opts.sample !== undefined ? 'sample' : 'full';

  const validations: JobValidation[] = [];
  for (const job of jobs) validations.push(await validateJob(ctx, job, opts.encoding));
  const rejected = validations.reduce((n, v) => n + v.counts.rejected, 0);

  let outcome: MigrationOutcome = 'refused';
  let summary = `${rejected} row(s) rejected: nothing was written (fix them and run again, or load the valid rows with --accept-rejects)`;
  let backup: MigrationBackup | undefined;
  const loads: (JobLoad | undefined)[] = [];
  const recs: (JobReconciliation | undefined)[] = [];
  if (rejected === 0 || opts.acceptRejects) {
    const tables = [...new Set(jobs.map((j) => objectDefs[j.mapping.object].table))];
    backup = await backupBeforeLoad(target, tables, jobs.map((j) => j.file), join(dir, 'backup'));
    await db.beginTransaction();
    try {
      for (const v of validations) {
        const load = await loadJob(ctx, v, batch, opts.sample);
        loads.push(load);
        recs.push(await reconcileJob(ctx, v, load, batch));
      }
      const reconciled = recs.every((r) => r?.passed);
      if (reconciled && !opts.dryRun) {
        await db.commit();
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
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const sourceRows = validations.reduce((n, v) => n + v.counts.source, 0);
  const report: MigrationReport = {
    batch, mode, outcome, summary, startedAt: new Date(started).toISOString(), durationSeconds: seconds,
    target: { database: target.database, where: target.socket ?? `${target.host}:${target.port}`, entity: opts.entity },
    backup,
    jobs: validations.map((v, i) => jobReport(v, loads[i], recs[i])),
    reconciled: recs.length === validations.length && recs.every((r) => r?.passed),
    rowsPerSecond: sourceRows / Math.max(seconds, 0.001),
  };
  const files = writeReport(report, dir, validations.map((v) => ({ header: v.format.header, delimiter: v.format.delimiter, rows: v.rejects })));
  return { report, files: { ...files, dir } };
}

function jobReport(v: JobValidation, load: JobLoad | undefined, rec: JobReconciliation | undefined): JobReport {
  return {
    object: v.job.mapping.object,
    file: v.job.file,
    mapping: v.job.mappingSource,
    encoding: v.format.encoding.encoding,
    encodingReason: v.format.encoding.reason,
    delimiter: v.format.delimiter,
    counts: { source: v.counts.source, loaded: load?.loaded ?? 0, alreadyPresent: v.counts.alreadyPresent, rejected: v.counts.rejected, deferred: load?.deferred ?? 0 },
    reconciliation: rec,
    rejects: v.rejects.map(({ line, field, reason }) => ({ line, field, reason })),
  };
}
