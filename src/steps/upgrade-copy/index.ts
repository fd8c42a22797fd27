import { backupPipeline } from '../../backup/index.js';
import { applyRetention } from '../../backup/steps/retention.js';
import { checkModules } from '../install/check-modules.js';
import { layoutOf } from '../install/context.js';
import { extractRelease } from '../install/extract-release.js';
import { installCustomModules } from '../install/install-custom-modules.js';
import { setPermissions } from '../install/set-permissions.js';
import { verifyRelease } from '../install/verify-release.js';
import { writePhpTools } from '../install/write-php-tools.js';
import { markBadRelease } from '../rollback/mark-bad.js';
import { upgradeInventoryStep } from '../rollback/upgrade-inventory.js';
import type { Step } from '../step.js';
import type { UpgradeFacts } from '../upgrade/context.js';
import { flipReloadStep } from './reload-wait.js';
import { carryOverOwnConf, ownConfStep } from './own-conf.js';
import { switchStep } from '../upgrade/switch-release.js';
import { relockStep, unlockUpgrade } from '../upgrade/unlock.js';
import { verifyDbVersion } from '../upgrade/verify-db-version.js';
import { checkCopy } from './check-copy.js';
import { copyDatabase, dropCopyStep } from './copy-database.js';
import {
  copyConf,
  migrateCopyStep,
  modulesOnCopy,
  relinkNewConf,
  switchConf,
  verifyCopyVersion,
} from './migrate-copy.js';
import { pauseCron, previousRelease, readOnlyOffStep, readOnlyOn, resumeCronStep } from './read-only.js';
import { copyOf } from './names.js';
import { sharedConfDatabaseStep } from './shared-conf.js';
import { writeMarkExactStep, writeMarkStep } from './write-mark.js';
import { onLiveDatabase } from '../../backup/live-database.js';
import { verifyCopy } from './verify-copy.js';
import type { Plan } from '../../core/plan.js';
import { upgradeIntegrationSteps } from '../upgrade-integrations.js';

/**
 * Issue 19, the upgrade by copy, in order. While the site serves as usual: a verified backup, the new release
 * beside the old with its own conf.php (release-conf.ts), the copy's preconditions. Then writes are unavailable,
 * reads are not: cron paused, the old release read-only (a state file its conf.php tests per request; in-flight
 * requests drained), the database copied and checked, the copy migrated by the new release, its version checked,
 * the plan's modules enabled on it. Then the switch: no table renamed (RENAME TABLE holds every named table's
 * metadata lock: readers waited seconds), only `current` renamed to the new release, whose conf.php names the copy
 * and which is read-only for the web; no PHP-FPM reload (nginx passes `$realpath_root` and every path PHP uses is
 * the release's real one; Apache keeps one, reload-wait.ts flipReloadStep). Then, serving the new release: the
 * shared conf.php names the copy, our own writing steps, the write mark, and writes back (its state file removed),
 * cron back; then, outside the window, the write mark's exact part (the cost that grows with the data).
 * The health check and the inventory after it are run by run-copy-upgrade.ts; so is the way back on failure.
 */
export function copyUpgradePipeline(facts: Pick<UpgradeFacts, 'passes'>, plan?: Plan): Step[] {
  return [
    ...backupPipeline({ retention: false }),
    verifyRelease,
    checkModules,
    extractRelease,
    installCustomModules,
    carryOverOwnConf,
    setPermissions,
    writePhpTools,
    // a site installed before own conf.php files: converted once, outside the window (its only PHP-FPM reload)
    ownConfStep('upgrade:own-conf', (ctx) => [previousRelease(ctx)]),
    checkCopy,
    unlockUpgrade,
    upgradeInventoryStep('before-switch'),
    ...writeUnavailableSteps(facts),
    ...switchSteps,
    sharedConfDatabaseStep('upgrade:live-database', copyOf),
    readOnlyOffStep('upgrade:read-only-off', { unpin: true }),
    relockStep('upgrade:relock'),
    { ...verifyDbVersion, plan: (ctx) => verifyDbVersion.plan(onLiveDatabase(ctx, copyOf(ctx))) },
    // issue 17: telemetry again (upgrade2.php re-arms the ping) and the plan's integrations, before the inventory
    ...upgradeIntegrationSteps(plan),
    applyRetention,
    // our own writes are done: the mark a rollback before writes compares with, then writes come back
    writeMarkStep('upgrade:write-mark', copyOf),
    relinkNewConf,
    resumeCronStep('upgrade:cron-resume'),
    // outside the window: the mark's exact part, whose cost grows with the data (write-mark.ts)
    writeMarkExactStep(writeMarkExactStepId),
  ];
}

/** From the moment writes stop being accepted to the switch: the copy and its migration. */
function writeUnavailableSteps(facts: Pick<UpgradeFacts, 'passes'>): Step[] {
  return [
    pauseCron,
    readOnlyOn,
    copyDatabase,
    verifyCopy,
    copyConf,
    ...facts.passes.map(migrateCopyStep),
    verifyCopyVersion,
    modulesOnCopy,
    switchConf,
  ];
}

/** The switch: the only moment the site may miss a request. */
const switchSteps: Step[] = [
  switchStep('upgrade:switch', 'Switch current to the new release', (ctx) => layoutOf(ctx).releaseName),
  flipReloadStep('upgrade:reload-php'),
];

/** The first and last steps of the write-unavailable window (for the journal's times). */
export const writeWindow = { from: 'upgrade:cron-pause', to: 'upgrade:writable' } as const;

/** The write mark's exact part: after writes are back, never inside the window. */
export const writeMarkExactStepId = 'upgrade:write-mark-exact';

/** Done: the new release may have taken writes (before it, the web was read-only: no check needed to go back). */
export const writableStepId = 'upgrade:writable';

/** The step before which a failure leaves the old release on the old database (`current` not moved yet). */
export const swapStepId = 'upgrade:switch';

/**
 * A failure before the swap: the old release leaves read-only mode and serves writes again, cron resumes, the copy
 * is dropped, the new release is marked bad. The old database was never written: nothing to restore.
 */
export function leaveReadOnlyPipeline(): Step[] {
  return [
    readOnlyOffStep('abort:read-only-off'),
    resumeCronStep('abort:cron-resume'),
    { ...relinkNewConf, id: 'abort:relink-conf' },
    dropCopyStep('abort:drop-copy'),
    relockStep('abort:relock'),
    markBadRelease,
  ];
}
