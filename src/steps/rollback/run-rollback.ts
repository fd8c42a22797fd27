import type { LoginResult } from '../../dolibarr/login-form.js';
import { readBackup, type BackupSummary } from '../../backup/read.js';
import { startDowntimeProbe, type DowntimeReport } from '../../runner/downtime-probe.js';
import { closeJournal, runPipeline, type EngineContext, type StepTime } from '../upgrade/engine-run.js';
import { checkSiteHealth, type SiteAccess } from '../upgrade/health.js';
import { upgradeFacts } from '../upgrade/context.js';
import { rollbackPipeline } from './index.js';

/**
 * `mokodeploy rollback`: the policy's procedure on demand (rollback/index.ts), then "Verify Rollback": the health
 * check (login) and the data against the backup (the pipeline's verify-data step: row counts and checksums).
 * ctx.facts must name the backup (backupStamp), the release to go back to (previousRelease) and the one left
 * (badRelease); the caller records the outcome with the core 'rollback' operation.
 */
export interface RollbackOptions extends EngineContext {
  access?: SiteAccess;
  probe?: boolean;
}

export interface RollbackResult {
  ok: boolean;
  reason?: string;
  failedStep?: string;
  steps: StepTime[];
  backup?: BackupSummary;
  health?: LoginResult;
  downtime?: DowntimeReport;
  durationMs: number;
}

export async function runRollback(o: RollbackOptions): Promise<RollbackResult> {
  const started = Date.now();
  const facts = upgradeFacts(o.ctx);
  const probe = o.probe === false ? undefined : startDowntimeProbe({ url: o.ctx.plan.site.url, ...o.access });
  const run = await runPipeline(o, 'rollback', rollbackPipeline(), {
    ...o.ctx.facts,
    reason: facts.reason ?? 'rollback on demand',
  });
  const health = run.ok ? await checkSiteHealth(o.ctx, o.access ?? {}) : undefined;
  const stamp = String(o.ctx.facts.backupStamp);
  const backup = await readBackup(o.host, o.ctx.plan.target.backupRoot, stamp).catch(() => undefined);
  const ok = run.ok && health?.ok === true;
  // an upgrade interrupted (kill -9) and now rolled back is not to be resumed: the next upgrade starts afresh
  if (run.ok) closeJournal(o, 'upgrade');
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
    durationMs: Date.now() - started,
  };
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
    downtimeSeconds: r.downtime?.downtimeSeconds,
    steps: r.steps,
    verified: { login: r.health?.ok, tables: r.backup?.tables.rows.size },
  };
}
