import { backupPipeline } from '../../backup/index.js';
import { applyRetention } from '../../backup/steps/retention.js';
import { checkModules } from '../install/check-modules.js';
import { enableModules } from '../install/enable-modules.js';
import { layoutOf } from '../install/context.js';
import { extractRelease } from '../install/extract-release.js';
import { installCustomModules } from '../install/install-custom-modules.js';
import { setPermissions } from '../install/set-permissions.js';
import { verifyRelease } from '../install/verify-release.js';
import { writePhpTools } from '../install/write-php-tools.js';
import { markBadRelease } from '../rollback/mark-bad.js';
import { upgradeInventoryStep } from '../rollback/upgrade-inventory.js';
import type { Step } from '../step.js';
import { carryOver } from '../upgrade/carry-over.js';
import type { UpgradeFacts } from '../upgrade/context.js';
import { reloadPhpWaitStep as reloadPhpStep } from './reload-wait.js';
import { switchStep } from '../upgrade/switch-release.js';
import { relockStep, unlockUpgrade } from '../upgrade/unlock.js';
import { verifyDbVersion } from '../upgrade/verify-db-version.js';
import { checkCopy } from './check-copy.js';
import { copyDatabase, dropCopyStep } from './copy-database.js';
import { copyConf, migrateCopyStep, relinkNewConf, verifyCopyVersion } from './migrate-copy.js';
import { pauseCron, readOnlyOffStep, readOnlyOn, resumeCronStep } from './read-only.js';
import { compareCopy, swapDatabase } from './swap.js';
import { verifyCopy } from './verify-copy.js';
import type { Plan } from '../../core/plan.js';
import { upgradeIntegrationSteps } from '../upgrade-integrations.js';

/**
 * Issue 19, the upgrade by copy, in order. While the site serves as usual: a verified backup, the new release
 * beside the old (as the in-place engine, upgrade/index.ts), the copy's preconditions. Then writes are unavailable,
 * reads are not: cron paused, the old release read-only, the database copied and checked, the copy migrated by the
 * new release and its version checked. Then the switch, sub-second: one RENAME TABLE, `current` renamed, PHP-FPM
 * reloaded. Then, serving the new release: the old release's conf.php and cron back, checks that cost no outage.
 * The health check and the inventory after it are run by run-copy-upgrade.ts; so is the way back on failure.
 */
export function copyUpgradePipeline(facts: Pick<UpgradeFacts, 'passes'>, plan?: Plan): Step[] {
  return [
    ...backupPipeline({ retention: false }),
    verifyRelease,
    checkModules,
    extractRelease,
    installCustomModules,
    carryOver,
    setPermissions,
    writePhpTools,
    checkCopy,
    unlockUpgrade,
    upgradeInventoryStep('before-switch'),
    ...writeUnavailableSteps(facts),
    ...switchSteps,
    resumeCronStep('upgrade:cron-resume'),
    readOnlyOffStep('upgrade:read-only-off'),
    relockStep('upgrade:relock'),
    {
      ...enableModules,
      id: 'upgrade:modules',
      title: "Enable the plan's modules (new custom modules included)",
    },
    verifyDbVersion,
    // issue 17: telemetry again (upgrade2.php re-arms the ping) and the plan's integrations, before the inventory
    ...upgradeIntegrationSteps(plan),
    applyRetention,
  ];
}

/** From the moment writes stop being accepted to the switch: the copy and its migration. */
function writeUnavailableSteps(facts: Pick<UpgradeFacts, 'passes'>): Step[] {
  return [
    pauseCron,
    readOnlyOn,
    reloadPhpStep('upgrade:reload-php-read-only'),
    copyDatabase,
    verifyCopy,
    copyConf,
    ...facts.passes.map(migrateCopyStep),
    verifyCopyVersion,
    compareCopy,
    relinkNewConf,
  ];
}

/** The switch: the only moment the site may miss a request. */
const switchSteps: Step[] = [
  swapDatabase,
  switchStep('upgrade:switch', 'Switch current to the new release', (ctx) => layoutOf(ctx).releaseName),
  reloadPhpStep('upgrade:reload-php'),
];

/** The first and last steps of the write-unavailable window (for the journal's times). */
export const writeWindow = { from: 'upgrade:cron-pause', to: 'upgrade:reload-php' } as const;

/** The step before which a failure leaves the old database untouched (nothing swapped yet). */
export const swapStepId = 'upgrade:swap-database';

/**
 * A failure before the swap: the old release leaves read-only mode and serves writes again, cron resumes, the copy
 * is dropped, the new release is marked bad. The old database was never written: nothing to restore.
 */
export function leaveReadOnlyPipeline(): Step[] {
  return [
    readOnlyOffStep('abort:read-only-off'),
    reloadPhpStep('abort:reload-php'),
    resumeCronStep('abort:cron-resume'),
    { ...relinkNewConf, id: 'abort:relink-conf' },
    dropCopyStep('abort:drop-copy'),
    relockStep('abort:relock'),
    markBadRelease,
  ];
}
