import type { LoginResult } from '../../dolibarr/login-form.js';
import { readBackup, type BackupSummary } from '../../backup/read.js';
import { startDowntimeProbe, type DowntimeReport } from '../../runner/downtime-probe.js';
import { openRun } from '../../runner/index.js';
import {
  closeInterrupted,
  journalId,
  runPipeline,
  type EngineContext,
  type StepTime,
} from '../upgrade/engine-run.js';
import { maintenanceWindow, recordedDowntime, type Outage } from '../upgrade/outage.js';
import type { JournalRecord } from '../../runner/index.js';
import { checkSiteHealth, type SiteAccess } from '../upgrade/health.js';
import { upgradeFacts } from '../upgrade/context.js';
import { rollbackPipeline } from './index.js';
import { backupOf } from '../../backup/context.js';
import { refused } from '../../core/errors.js';
import { changeCounts, describeChanges, hasChanges, measureChanges, type SiteChanges } from './changes.js';
import { evidenceOf, type RollbackEvidence } from './keep-evidence.js';

/**
 * `mokodeploy rollback`: the policy's procedure on demand (rollback/index.ts), then "Verify Rollback": the health
 * check (login) and the data against the backup (the pipeline's verify-data step: row counts and checksums).
 * ctx.facts must name the backup (backupStamp), the release to go back to (previousRelease) and the one left
 * (badRelease); the caller records the outcome with the core 'rollback' operation.
 */
export interface RollbackOptions extends EngineContext {
  access?: SiteAccess;
  probe?: boolean;
  /**
   * Issue 25: false (`rollback` without --discard-changes) refuses when the site changed since the backup;
   * true goes on; undefined (an automatic rollback) goes on. Every way, the evidence is kept before the restore.
   */
  discardChanges?: boolean;
}

export interface RollbackResult {
  ok: boolean;
  reason?: string;
  failedStep?: string;
  steps: StepTime[];
  backup?: BackupSummary;
  health?: LoginResult;
  downtime?: DowntimeReport;
  /** Maintenance on -> off: from an interrupted upgrade's maintenance on, when it left the site in maintenance. */
  outage?: Outage;
  runId: string;
  durationMs: number;
  /** What the live site held that the backup did not, measured before the restore. */
  changes?: SiteChanges;
  /** The dump and documents archive kept just before the restore. */
  evidence?: RollbackEvidence;
}

export async function runRollback(o: RollbackOptions): Promise<RollbackResult> {
  const started = Date.now();
  const facts = upgradeFacts(o.ctx);
  const changes = await changesSinceBackup(o);
  const probe = o.probe === false ? undefined : startDowntimeProbe({ url: o.ctx.plan.site.url, ...o.access });
  // an upgrade killed half-way (still open) is what this rollback undoes: its maintenance on starts the outage
  const interrupted = openRun(o.storeDir, journalId(o.deploymentId, 'upgrade'))?.records ?? [];
  const run = await runPipeline(o, 'rollback', rollbackPipeline(), {
    ...o.ctx.facts,
    reason: facts.reason ?? 'rollback on demand',
  });
  const health = run.ok ? await checkSiteHealth(o.ctx, o.access ?? {}) : undefined;
  // the backup this run restored (a resumed rollback's is the interrupted run's): the one it is verified against
  const stamp = String(run.facts.backupStamp);
  const backup = await readBackup(o.host, o.ctx.plan.target.backupRoot, stamp).catch(() => undefined);
  const ok = run.ok && health?.ok === true;
  // an upgrade interrupted (kill -9) and now rolled back is not to be resumed: the next upgrade starts afresh
  if (run.ok) closeInterrupted(o, 'upgrade', 'rolled-back', `rolled back by run ${run.runId}`);
  return {
    ok,
    reason: run.ok
      ? health?.ok
        ? undefined
        : `health check after the rollback failed: ${health?.reason}`
      : run.error?.message,
    failedStep: run.failedStep,
    steps: run.steps,
    backup,
    health,
    downtime: await probe?.stop(),
    outage: maintenanceWindow([...interruptedInMaintenance(interrupted), ...run.records()]),
    runId: run.runId,
    durationMs: Date.now() - started,
    changes,
    evidence: run.steps.some((x) => x.id === 'rollback:keep-evidence') ? evidenceOf(o.ctx) : undefined,
  };
}

/** Measured before anything changes; without --discard-changes a changed site is refused, untouched. */
async function changesSinceBackup(o: RollbackOptions): Promise<SiteChanges | undefined> {
  const b = backupOf(o.ctx);
  const backup = await readBackup(o.host, o.ctx.plan.target.backupRoot, b.stamp).catch(() => undefined);
  if (!backup) return undefined; // the pipeline's check-backup step says why
  const changes = await measureChanges(o.host, o.ctx, backup);
  if (o.discardChanges === false && hasChanges(changes))
    throw refused(
      `the site changed since backup ${b.stamp}; the rollback would discard:\n  ${describeChanges(changes).join('\n  ')}`,
      {
        where: b.dir,
        fix: `roll back anyway with --discard-changes (the database and these documents are kept under ${evidenceOf(o.ctx).dir} first), or keep the release`,
      },
    );
  return changes;
}

/** An interrupted upgrade's records when it left the site in maintenance (on, and never off). */
function interruptedInMaintenance(records: JournalRecord[]): JournalRecord[] {
  const w = maintenanceWindow(records);
  return w && !w.to ? records : [];
}

/** What a rollback leaves on the record (facts.lastRollback), whether asked for or automatic. */
export function lastRollbackFacts(
  r: RollbackResult,
  facts: { backupStamp: string; previousRelease: string },
  at: Date,
  automatic = false,
) {
  return {
    at: at.toISOString(),
    ...(automatic ? { automatic: true, ok: r.ok } : {}),
    backup: facts.backupStamp,
    release: facts.previousRelease,
    durationSeconds: r.durationMs / 1000,
    downtimeSeconds: recordedDowntime(r.downtime?.downtimeSeconds, r.outage),
    outage: r.outage,
    runId: r.runId,
    steps: r.steps,
    verified: { login: r.health?.ok, tables: r.backup?.tables.rows.size },
    ...(r.changes && hasChanges(r.changes) ? { discardedChanges: changeCounts(r.changes) } : {}),
    ...(r.evidence ? { evidence: r.evidence } : {}),
  };
}
