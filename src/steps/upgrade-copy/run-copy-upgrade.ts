import type { LoginResult } from '../../dolibarr/login-form.js';
import { startDowntimeProbe } from '../../runner/downtime-probe.js';
import { CommandError, type JournalRecord } from '../../runner/index.js';
import type { StepTime } from '../upgrade/engine-run.js';
import { layoutOf } from '../install/context.js';
import { upgradeInventoryStep } from '../rollback/upgrade-inventory.js';
import { upgradeFacts } from '../upgrade/context.js';
import { runPipeline } from '../upgrade/engine-run.js';
import { checkSiteHealth } from '../upgrade/health.js';
import { dolibarrPageErrors } from '../upgrade/page-errors.js';
import type { UpgradeOptions, UpgradeResult } from '../upgrade/run-upgrade.js';
import type { Outage } from '../upgrade/outage.js';
import { copyUpgradePipeline, leaveReadOnlyPipeline, writableStepId, writeWindow } from './index.js';
import { liveDatabase } from '../../backup/live-database.js';
import { currentIs } from '../upgrade/switch-release.js';
import { runRollbackBeforeWrites } from '../rollback/run-before-writes.js';
import { copyOf } from './names.js';
import { stepWindow } from './windows.js';

/**
 * Issue 19: the upgrade by copy (index.ts) run and checked: the health check through the real login once the new
 * release serves, then the inventory after it (issue 25: a login writes llx_user). On failure: before the switch,
 * the old release leaves read-only mode and nothing else is undone; after it (the health check included), the
 * rollback before writes points the old release at the old database again and switches back, nothing restored.
 * The live database is then the copy (`liveDatabase`), the old one kept whole (`archiveDatabase`).
 */
export interface CopyUpgradeResult extends UpgradeResult {
  engine: 'copy';
  /** Writes refused (cron paused, old release read-only) until the new release or the old one took them again. */
  writeUnavailable?: Outage;
  /** The old database, whole, after a successful switch: what a rollback before writes goes back to. */
  archiveDatabase?: string;
  /** The database the site uses after the run (the copy after a switch; the old one after a way back). */
  liveDatabase?: string;
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
  // the database the run started on (its start facts: read from `current`'s conf.php), and the copy it switches to
  const archive = liveDatabase(used);
  const copy = copyOf(used);
  const base = {
    engine: 'copy' as const,
    previousRelease: upgradeFacts(used).previousRelease,
    newRelease: layoutOf(used).releaseName,
    backupStamp: String(run.facts.backupStamp ?? run.facts.stamp),
    steps: run.steps,
    facts: { ...run.facts, archiveDatabase: archive, liveDatabase: copy },
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
        base.facts,
      );
      run.close('done');
      return {
        ...base,
        outcome: 'upgraded',
        health,
        archiveDatabase: archive,
        liveDatabase: copy,
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
  // `current` is what tells: a failed or killed switch step may or may not have renamed it (rename(2) is atomic)
  const swapped = run.ok || (await currentIs(used, o.host, base.newRelease));
  const rollbackFacts = { ...base.facts, badRelease: base.newRelease, reason };
  // before `upgrade:writable` the web was read-only on the copy: nothing but our steps wrote it, no check needed
  const writable = run.ok || run.steps.some((x) => x.id === writableStepId);
  const rollback = swapped
    ? await wayBack({ ...o, ctx: { ...used, facts: rollbackFacts } }, writable)
    : await runPipeline({ ...o, ctx: used }, 'rollback', leaveReadOnlyPipeline(), rollbackFacts);
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
    liveDatabase: rollback.ok ? archive : swapped ? copy : archive,
    failedStep: failedStep ?? 'health-check',
    rollbackSteps: rollback.steps,
    health: after,
    downtime: await probe?.stop(),
    writeUnavailable: stepWindow(records, writeWindow.from, [
      writeWindow.to,
      'abort:read-only-off',
      'rollback:reload-php',
    ]),
    output: run.error instanceof CommandError ? run.error.output : undefined,
    durationMs: Date.now() - started,
  };
}

interface WayBack {
  ok: boolean;
  error?: Error;
  steps: StepTime[];
  records: () => JournalRecord[];
}

/**
 * After the switch: the rollback before writes, its write check included (a client may have written between the
 * switch and a failed check): refused, the new release serves on and the outcome is rollback-failed.
 */
async function wayBack(o: UpgradeOptions, check: boolean): Promise<WayBack> {
  try {
    const r = await runRollbackBeforeWrites({
      ...o,
      probe: false,
      checkHealth: false,
      closeUpgrade: false,
      requireNoWrites: check,
    });
    return {
      ok: r.ok,
      error: r.ok ? undefined : new Error(r.reason),
      steps: r.steps,
      records: () => r.records,
    };
  } catch (e) {
    return { ok: false, error: e as Error, steps: [], records: () => [] };
  }
}

function failureReason(error: Error | undefined): string {
  const message = error?.message ?? 'the upgrade failed';
  const cause = error instanceof CommandError ? dolibarrPageErrors(error.output) : [];
  return cause.length > 0 ? `${message}: ${cause.join('; ')}` : message;
}
