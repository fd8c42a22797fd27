import type { LoginResult } from '../../dolibarr/login-form.js';
import { startDowntimeProbe } from '../../runner/downtime-probe.js';
import { CommandError } from '../../runner/index.js';
import { layoutOf } from '../install/context.js';
import { rollbackBeforeWritesPipeline } from '../rollback/before-writes.js';
import { upgradeInventoryStep } from '../rollback/upgrade-inventory.js';
import { upgradeFacts } from '../upgrade/context.js';
import { runPipeline } from '../upgrade/engine-run.js';
import { checkSiteHealth } from '../upgrade/health.js';
import { dolibarrPageErrors } from '../upgrade/page-errors.js';
import type { UpgradeOptions, UpgradeResult } from '../upgrade/run-upgrade.js';
import type { Outage } from '../upgrade/outage.js';
import { copyUpgradePipeline, leaveReadOnlyPipeline, swapStepId, writeWindow } from './index.js';
import { archiveDatabaseName } from './names.js';
import { stepWindow } from './windows.js';

/**
 * Issue 19: the upgrade by copy (index.ts) run and checked: the health check through the real login once the new
 * release serves, then the inventory after it (issue 25: a login writes llx_user). On failure: before the swap,
 * the old release leaves read-only mode and nothing else is undone; after it (the health check included), the
 * rollback before writes swaps the old database back and switches back, nothing restored.
 */
export interface CopyUpgradeResult extends UpgradeResult {
  engine: 'copy';
  /** Writes refused (cron paused, old release read-only) until the new release or the old one took them again. */
  writeUnavailable?: Outage;
  /** The old database, whole, after a successful swap: what a rollback before writes swaps back. */
  archiveDatabase?: string;
}

export async function runCopyUpgrade(o: UpgradeOptions): Promise<CopyUpgradeResult> {
  const started = Date.now();
  upgradeFacts(o.ctx);
  const probe = o.probe === false ? undefined : startDowntimeProbe({ url: o.ctx.plan.site.url, ...o.access });
  const pipeline = (facts: Record<string, unknown>) =>
    copyUpgradePipeline(upgradeFacts({ ...o.ctx, facts }), o.ctx.plan);
  const run = await runPipeline(o, 'upgrade', pipeline, o.ctx.facts, { leaveOpen: true });
  const used = { ...o.ctx, facts: run.facts };
  const steps = pipeline(run.facts);
  const archive = archiveDatabaseName(used.plan, upgradeFacts(used).stamp);
  const base = {
    engine: 'copy' as const,
    previousRelease: upgradeFacts(used).previousRelease,
    newRelease: layoutOf(used).releaseName,
    backupStamp: String(run.facts.backupStamp ?? run.facts.stamp),
    steps: run.steps,
    facts: { ...run.facts, archiveDatabase: archive },
    runId: run.runId,
    resumed: run.resumed,
  };
  let health: LoginResult | undefined;
  if (run.ok) {
    health = o.checkHealth === false ? undefined : await checkSiteHealth(used, o.access ?? {});
    if (!health || health.ok) {
      // the baseline of what the new release then receives, after our own login wrote llx_user
      await runPipeline(
        { ...o, ctx: used },
        'upgrade-inventory',
        [upgradeInventoryStep('after-upgrade')],
        run.facts,
      );
      run.close('done');
      return {
        ...base,
        outcome: 'upgraded',
        health,
        archiveDatabase: archive,
        downtime: await probe?.stop(),
        writeUnavailable: stepWindow(run.records(), writeWindow.from, [writeWindow.to]),
        durationMs: Date.now() - started,
      };
    }
  }
  const reason = run.ok
    ? `health check after the upgrade failed: ${health?.reason ?? 'login refused'}`
    : failureReason(run.error);
  const failedStep = run.ok ? undefined : (run.failedStep ?? steps[run.steps.length]?.id);
  const ids = steps.map((s) => s.id);
  // RENAME TABLE is atomic: a failed swap changed nothing, the old database is still the live one
  const swapped = run.ok || (failedStep !== undefined && ids.indexOf(failedStep) > ids.indexOf(swapStepId));
  const rollbackFacts = { ...run.facts, badRelease: base.newRelease, archiveDatabase: archive, reason };
  const rollback = await runPipeline(
    { ...o, ctx: used },
    'rollback',
    swapped ? rollbackBeforeWritesPipeline() : leaveReadOnlyPipeline(),
    rollbackFacts,
  );
  run.close(rollback.ok ? 'rolled-back' : 'failed', reason);
  const after =
    rollback.ok && swapped && o.checkHealth !== false ? await checkSiteHealth(used, o.access ?? {}) : health;
  const outcome =
    !rollback.ok || (swapped && o.checkHealth !== false && !after?.ok)
      ? 'rollback-failed'
      : swapped
        ? 'rolled-back'
        : 'failed-before-switch';
  const records = [...run.records(), ...rollback.records()];
  return {
    ...base,
    outcome,
    reason: rollback.ok ? reason : `${reason}; the way back failed too: ${rollback.error?.message}`,
    failedStep: failedStep ?? 'health-check',
    rollbackSteps: rollback.steps,
    health: after,
    downtime: await probe?.stop(),
    writeUnavailable: stepWindow(records, writeWindow.from, [
      writeWindow.to,
      'abort:reload-php',
      'rollback:reload-php',
    ]),
    output: run.error instanceof CommandError ? run.error.output : undefined,
    durationMs: Date.now() - started,
  };
}

function failureReason(error: Error | undefined): string {
  const message = error?.message ?? 'the upgrade failed';
  const cause = error instanceof CommandError ? dolibarrPageErrors(error.output) : [];
  return cause.length > 0 ? `${message}: ${cause.join('; ')}` : message;
}
