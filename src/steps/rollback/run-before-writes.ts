import { refused } from '../../core/errors.js';
import type { LoginResult } from '../../dolibarr/login-form.js';
import { CommandError, type JournalRecord } from '../../runner/index.js';
import { startDowntimeProbe, type DowntimeReport } from '../../runner/downtime-probe.js';
import { stepWindow } from '../upgrade-copy/windows.js';
import { upgradeFacts } from '../upgrade/context.js';
import {
  closeInterrupted,
  journalId,
  runPipeline,
  type EngineContext,
  type PipelineRun,
  type StepTime,
} from '../upgrade/engine-run.js';
import { checkSiteHealth, type SiteAccess } from '../upgrade/health.js';
import type { Outage } from '../upgrade/outage.js';
import { openRun } from '../../runner/index.js';
import {
  checkArchive,
  checkWritesStepId,
  fenceAfterFailure,
  rollbackBackSteps,
  rollbackBeforeWritesPipeline,
  rollbackFreezeSteps,
  unfreezePipeline,
} from './before-writes.js';
import { checkNoWritesStep } from '../upgrade-copy/write-mark.js';

/**
 * Issue 19: `rollback` after an upgrade by copy, while the new release has taken no write: the old release goes back
 * to the old database the upgrade left whole, `current` switched back (before-writes.ts), checked by a login.
 * Refused when the live database changed since the switch (`requireNoWrites`, default on; the check runs with the
 * new release read-only, so no write can slip in between the check and the switch back): the new release is made
 * writable again and nothing else changed; the verified restore of run-rollback.ts is then the way back.
 */
export interface BeforeWritesOptions extends EngineContext {
  access?: SiteAccess;
  probe?: boolean;
  /** Check the live database against the switch's write mark first (default true). */
  requireNoWrites?: boolean;
  /** Log in afterwards (default true; the upgrade's own way back checks the site itself). */
  checkHealth?: boolean;
  /** Close the upgrade's open run as rolled back (default true; the upgrade's own way back closes it itself). */
  closeUpgrade?: boolean;
}

export interface BeforeWritesResult {
  ok: boolean;
  reason?: string;
  failedStep?: string;
  steps: StepTime[];
  /** How long the check for writes took (the live database against the switch's mark). */
  checkMs?: number;
  /** From the first change (new release read-only) to the reload after the switch back. */
  switchWindow?: Outage;
  health?: LoginResult;
  downtime?: DowntimeReport;
  runId: string;
  durationMs: number;
  records: JournalRecord[];
}

export async function runRollbackBeforeWrites(o: BeforeWritesOptions): Promise<BeforeWritesResult> {
  const started = Date.now();
  upgradeFacts(o.ctx);
  const check = o.requireNoWrites !== false;
  let checkMs: number | undefined;
  if (check) {
    // first without changing anything: writes already taken are refused here, no run of the rollback started
    const pre = await runPipeline(
      o,
      'rollback-check',
      [checkNoWritesStep('rollback:check-writes-first')],
      o.ctx.facts,
    );
    checkMs = pre.steps[0]?.ms;
    if (!pre.ok) throw refusedForWrites(pre.error);
  }
  const probe =
    o.probe === false
      ? undefined
      : startDowntimeProbe({ url: o.ctx.plan.site.url, intervalMs: 50, ...o.access });
  abandonFencedRun(o);
  // the check again once the new release is read-only: nothing can slip in between it and the switch back
  const run = await runPipeline(o, 'rollback', rollbackBeforeWritesPipeline({ check }), o.ctx.facts);
  checkMs = run.steps.find((s) => s.id === checkWritesStepId)?.ms ?? checkMs;
  const frozen = rollbackFreezeSteps({ check }).map((s) => s.id);
  const after = rollbackBackSteps().findIndex((s) => s.id === run.failedStep);
  // a failure once `current` moved (or while moving it): the fence still holds; released all the same, or ended
  // (nobody killed) when the switch itself failed; the failure is what the result reports
  if (!run.ok && after >= 0)
    await runPipeline(o, 'rollback-release', fenceAfterFailure(after > 0), o.ctx.facts);
  if (!run.ok && run.failedStep !== undefined && frozen.includes(run.failedStep)) {
    // nothing switched yet: the new release serves on, writable again
    const undo = await runPipeline(o, 'rollback-undo', unfreezePipeline(), o.ctx.facts);
    await probe?.stop();
    if (run.failedStep !== checkWritesStepId && run.failedStep !== checkArchive.id)
      return failed(
        run,
        started,
        `${run.error?.message}; the new release serves on${undo.ok ? '' : ` (making it writable again failed: ${undo.error?.message})`}`,
      );
    throw refusedForWrites(
      run.error,
      undo.ok
        ? ''
        : `; making the new release writable again failed too: ${undo.error?.message} (see its journal)`,
    );
  }
  const health = run.ok && o.checkHealth !== false ? await checkSiteHealth(o.ctx, o.access ?? {}) : undefined;
  if (run.ok && o.closeUpgrade !== false)
    closeInterrupted(o, 'upgrade', 'rolled-back', `rolled back before writes by run ${run.runId}`);
  return {
    ok: run.ok && (o.checkHealth === false || health?.ok === true),
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
    records: run.records(),
  };
}

/**
 * A rollback before writes interrupted (kill -9) after its fence was taken is started again from its first step,
 * not resumed: the fence is a session of the dead run (gone with its client, stopped as an orphan, or at its
 * lifetime), so skipping the step that took it would check and switch with no fence. Every step is idempotent, and
 * this runs only while the new release is still the live one (`current` not moved: app/engine/rollback-before-writes).
 */
function abandonFencedRun(o: EngineContext): void {
  const open = openRun(o.storeDir, journalId(o.deploymentId, 'rollback'));
  if (!open?.records.some((r) => r.type === 'step-started' && r.step === 'rollback:new-read-only')) return;
  closeInterrupted(
    o,
    'rollback',
    'abandoned',
    'its write fence ended with it: the rollback before writes starts again',
  );
}

function failed(run: PipelineRun, started: number, reason: string): BeforeWritesResult {
  return {
    ok: false,
    reason,
    failedStep: run.failedStep,
    steps: run.steps,
    runId: run.runId,
    durationMs: Date.now() - started,
    records: run.records(),
  };
}

function refusedForWrites(error: Error | undefined, more = ''): Error {
  const found = error instanceof CommandError ? error.output.trim() : error?.message;
  return refused(`${found ?? 'the new release took writes since the switch'}${more}`, {
    fix: 'roll back with the verified restore (mokodeploy rollback without --before-writes), which names what it discards',
  });
}
