import { inputError } from '../../core/errors.js';
import { backupLayout } from '../../backup/layout.js';
import { latestBackup, readBackup } from '../../backup/read.js';
import { recordedManifests } from '../../backup/recorded.js';
import { verifyBackupManifest } from '../../backup/verify-manifest.js';
import { readTargetState } from '../../backup/target-state.js';
import { releaseStamp, targetLayout } from '../../dolibarr/layout.js';
import { gatherRestoreFacts } from '../restore/index.js';
import { runPipeline, type EngineContext, type StepTime } from '../upgrade/engine-run.js';
import { gatherUpgradeFacts } from '../upgrade/facts.js';
import { downtimeSteps, upgradePipeline, type MigrationPass } from '../upgrade/index.js';
import { runUpgrade, type UpgradeResult } from '../upgrade/run-upgrade.js';
import { rehearsalPlan, rehearsalRestorePlan } from './plan.js';
import { rehearsalRestorePipeline, removeCopy } from './steps.js';
import { runCopyUpgrade, type CopyUpgradeResult } from '../upgrade-copy/run-copy-upgrade.js';
import { dropArchiveStep } from '../upgrade-copy/copy-database.js';
import { readDatabaseBytes } from './db-size.js';
import { predictUpgrade, sizeWarning, type Engine, type Prediction } from './predict.js';
import { readLoadAverage, reloadingSteps } from './reloads.js';

/**
 * `mokodeploy rehearse` (issue 5): production's latest backup restored into a throwaway copy beside it, the whole
 * upgrade run there with the same steps, each step timed; the time between maintenance on and off is the
 * predicted downtime. The copy is removed afterwards, whatever happened. Production is only read.
 */
export interface RehearsalResult {
  backupStamp: string;
  fromVersion: string;
  restore: { ok: boolean; steps: StepTime[]; reason?: string };
  upgrade?: UpgradeResult;
  predictedDowntimeSeconds?: number;
  /** Issue 19, the upgrade by copy rehearsed: writes unavailable (cron pause to the reload after the switch). */
  predictedWriteUnavailableSeconds?: number;
  /** Issue 19: the switch (swap of the changed tables, `current`, reload): when readers may wait. */
  predictedSwitchSeconds?: number;
  engine?: Engine;
  /**
   * Issue 19: the real upgrade's writes-unavailable time and outage, built from the rehearsal's measured parts
   * (predict.ts): the steps of the window as measured, PHP reloads estimated.
   */
  prediction?: Prediction;
  /**
   * The restored copy's size and production's when the rehearsal started (information_schema), with the room an
   * upgrade by copy needs on the database server (upgrade:check-copy: production + a fifth) and a warning when the
   * two sizes differ by more than a quarter.
   */
  sizes?: { rehearsalBytes?: number; productionBytes?: number; copyNeedsBytes?: number; warning?: string };
  durationMs: number;
  removed: boolean;
}

export async function runRehearsal(
  o: EngineContext,
  options: { engine?: Engine; reloadSeconds?: number } = {},
): Promise<RehearsalResult> {
  const engine = options.engine ?? 'in-place';
  const started = Date.now();
  const plan = o.ctx.plan;
  const e = { ...o, deploymentId: `${o.deploymentId}.rehearsal` };
  const backupStamp = await latestBackup(o.host, plan.target.backupRoot);
  if (!backupStamp)
    throw inputError(`no backup under ${plan.target.backupRoot} to rehearse with`, {
      fix: `make one: mokodeploy backup ${o.deploymentId}`,
    });
  // issue 23: the backup equal to its manifest (and that to the one recorded) before the copy is touched
  await verifyBackupManifest(
    o.host,
    backupLayout(plan.target.backupRoot, backupStamp),
    recordedManifests([o.ctx.facts], backupStamp),
  );
  const meta = (await readBackup(o.host, plan.target.backupRoot, backupStamp)).meta;
  // backup.json names the release and version it was taken from; a backup made without them falls back to what runs now
  const now = meta.release && meta.filesVersion ? undefined : await readTargetState(o.host, plan);
  const fromVersion = String(meta.filesVersion ?? now?.filesVersion);
  const productionRelease = targetLayout(
    plan.target.root,
    plan.target.dataRoot,
    String(meta.release ?? now?.currentRelease),
  ).releaseDir;
  const stamp = releaseStamp(new Date());
  // production's size now (read only), before anything of the rehearsal runs beside it
  // (after an upgrade by copy the live schema is not the plan's name: what `current`'s conf.php names)
  const live = (await readTargetState(o.host, plan)) as { liveDatabase?: string };
  const productionBytes = await readDatabaseBytes(o.host, o.ctx, live.liveDatabase ?? plan.database.name);
  const restorePlan = rehearsalRestorePlan(plan, fromVersion);
  const restoreFacts = {
    ...(await gatherRestoreFacts(o.host, restorePlan, backupStamp, { serviceManager: 'none', stamp })),
  };
  const restore = await runPipeline(
    { ...e, ctx: { ...o.ctx, plan: restorePlan, facts: restoreFacts } },
    'restore',
    rehearsalRestorePipeline(productionRelease),
    restoreFacts,
  );
  let upgrade: UpgradeResult | CopyUpgradeResult | undefined;
  let removed = false;
  const copyPlan = rehearsalPlan(plan);
  let rehearsalBytes: number | undefined;
  let loadAverage: number | undefined;
  try {
    if (restore.ok) {
      rehearsalBytes = await readDatabaseBytes(o.host, { ...o.ctx, plan: copyPlan }, copyPlan.database.name);
      const facts = await gatherUpgradeFacts(o.host, copyPlan, {
        serviceManager: 'none',
        phpReload: { kind: 'none' },
        // the copy's cron file is not production's: nothing to pause (the copy has no cron entry)
        cronDir: `${copyPlan.target.root}/no-cron`,
      });
      upgrade = await (engine === 'copy' ? runCopyUpgrade : runUpgrade)({
        ...e,
        ctx: { ...o.ctx, plan: copyPlan, facts: { ...facts } },
        probe: false,
        checkHealth: false,
      });
      loadAverage = await readLoadAverage(o.host);
    }
  } finally {
    removed = (
      await runPipeline(
        { ...e, ctx: { ...o.ctx, plan: copyPlan, facts: { stamp } } },
        'cleanup',
        [removeCopy, ...(engine === 'copy' ? [dropArchiveStep('rehearse:drop-archive')] : [])],
        { stamp },
      )
    ).ok;
  }
  const copied = upgrade && 'engine' in upgrade ? upgrade : undefined;
  const window =
    upgrade && !copied ? downtimeSteps(upgradePipeline(upgrade.facts as { passes: MigrationPass[] })) : [];
  const predicted =
    upgrade?.outcome === 'upgraded' && !copied
      ? upgrade.steps.filter((s) => window.includes(s.id)).reduce((sum, s) => sum + s.ms, 0) / 1000
      : undefined;
  const switchIds = ['upgrade:swap-database', 'upgrade:switch', 'upgrade:reload-php'];
  const predicted1 =
    upgrade?.outcome === 'upgraded'
      ? predictUpgrade({
          engine,
          steps: upgrade.steps,
          rehearsalBytes,
          // the rehearsal's own window by its journal (copy: cron pause to the reload; in place: maintenance)
          windowSeconds: copied ? copied.writeUnavailable?.seconds : upgrade.outage?.seconds,
          reloadSeconds: options.reloadSeconds,
          reloadIds: reloadingSteps(engine, { ...o.ctx, plan: copyPlan, facts: upgrade.facts }),
        })
      : undefined;
  const prediction = predicted1 && { ...predicted1, loadAverage };
  return {
    engine,
    prediction,
    sizes: {
      rehearsalBytes,
      productionBytes,
      copyNeedsBytes: productionBytes === undefined ? undefined : Math.floor(productionBytes * 1.2),
      warning: sizeWarning(rehearsalBytes, productionBytes),
    },
    predictedWriteUnavailableSeconds:
      copied?.outcome === 'upgraded' ? copied.writeUnavailable?.seconds : undefined,
    predictedSwitchSeconds:
      copied?.outcome === 'upgraded'
        ? copied.steps.filter((s) => switchIds.includes(s.id)).reduce((sum, s) => sum + s.ms, 0) / 1000
        : undefined,
    backupStamp,
    fromVersion,
    restore: { ok: restore.ok, steps: restore.steps, reason: restore.error?.message },
    upgrade,
    predictedDowntimeSeconds: predicted,
    durationMs: Date.now() - started,
    removed,
  };
}
