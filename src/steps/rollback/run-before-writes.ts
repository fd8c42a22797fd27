import { refused } from '../../core/errors.js';
import type { LoginResult } from '../../dolibarr/login-form.js';
import { startDowntimeProbe, type DowntimeReport } from '../../runner/downtime-probe.js';
import { stepWindow } from '../upgrade-copy/windows.js';
import { upgradeFacts } from '../upgrade/context.js';
import { closeInterrupted, runPipeline, type EngineContext, type StepTime } from '../upgrade/engine-run.js';
import { checkSiteHealth, type SiteAccess } from '../upgrade/health.js';
import type { Outage } from '../upgrade/outage.js';
import { rollbackBeforeWritesPipeline } from './before-writes.js';
import { inventoryNow, writesSinceUpgrade } from './writes-since.js';

/**
 * Issue 19: `rollback` after an upgrade by copy, while the new release has taken no write: the archive the upgrade
 * kept is swapped back and `current` switched back (before-writes.ts), checked by a login. Refused, changing
 * nothing, when the archive is gone or (`requireNoWrites`) when the live database changed since the upgrade's
 * inventory: then the verified restore of run-rollback.ts is the way back.
 */
export interface BeforeWritesOptions extends EngineContext {
  access?: SiteAccess;
  probe?: boolean;
  /** Check the live database against the after-upgrade inventory first (default true). */
  requireNoWrites?: boolean;
}

export interface BeforeWritesResult {
  ok: boolean;
  reason?: string;
  failedStep?: string;
  steps: StepTime[];
  /** How long the check for writes took (row counts and checksums), before anything changed. */
  checkMs?: number;
  /** From the first change (new release read-only) to the reload after the swap back. */
  switchWindow?: Outage;
  health?: LoginResult;
  downtime?: DowntimeReport;
  runId: string;
  durationMs: number;
}

export async function runRollbackBeforeWrites(o: BeforeWritesOptions): Promise<BeforeWritesResult> {
  const started = Date.now();
  upgradeFacts(o.ctx);
  let checkMs: number | undefined;
  if (o.requireNoWrites !== false) {
    const t0 = Date.now();
    const check = await runPipeline(o, 'rollback-check', [inventoryNow], o.ctx.facts);
    const writes = check.ok ? await writesSinceUpgrade(o.host, o.ctx) : undefined;
    checkMs = Date.now() - t0;
    if (!writes)
      throw refused('cannot tell whether the new release took writes (no inventory after the upgrade)', {
        fix: 'roll back with the verified restore: mokodeploy rollback … --discard-changes',
      });
    if (writes.length > 0)
      throw refused(`the new release took writes since the upgrade:\n  ${writes.join('\n  ')}`, {
        fix: 'roll back with the verified restore (mokodeploy rollback without --before-writes), which names what it discards',
      });
  }
  const probe =
    o.probe === false
      ? undefined
      : startDowntimeProbe({ url: o.ctx.plan.site.url, intervalMs: 50, ...o.access });
  const run = await runPipeline(o, 'rollback', rollbackBeforeWritesPipeline(), o.ctx.facts);
  const health = run.ok ? await checkSiteHealth(o.ctx, o.access ?? {}) : undefined;
  if (run.ok) closeInterrupted(o, 'upgrade', 'rolled-back', `rolled back before writes by run ${run.runId}`);
  return {
    ok: run.ok && health?.ok === true,
    reason: run.ok
      ? health?.ok
        ? undefined
        : `health check after the rollback failed: ${health?.reason}`
      : run.error?.message,
    failedStep: run.failedStep,
    steps: run.steps,
    checkMs,
    switchWindow: stepWindow(run.records(), 'rollback:new-read-only', ['rollback:reload-php']),
    health,
    downtime: await probe?.stop(),
    runId: run.runId,
    durationMs: Date.now() - started,
  };
}
