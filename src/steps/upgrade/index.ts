import { backupPipeline } from '../../backup/index.js';
import { applyRetention } from '../../backup/steps/retention.js';
import { checkModules } from '../install/check-modules.js';
import { layoutOf } from '../install/context.js';
import { extractRelease } from '../install/extract-release.js';
import { installCustomModules } from '../install/install-custom-modules.js';
import { setPermissions } from '../install/set-permissions.js';
import { verifyRelease } from '../install/verify-release.js';
import { writePhpTools } from '../install/write-php-tools.js';
import type { Step } from '../step.js';
import { carryOver } from './carry-over.js';
import type { UpgradeFacts } from './context.js';
import { maintenanceStep } from './maintenance.js';
import { migrateStep } from './migrate.js';
import { reloadPhpStep } from './reload-php.js';
import { switchStep } from './switch-release.js';
import { relockStep, unlockUpgrade } from './unlock.js';
import { verifyDbVersion } from './verify-db-version.js';

/**
 * Issue 5 upgrade, in order. While the site keeps serving the old release: a verified backup, the new release
 * extracted beside it with custom modules and conf.php carried over. Then the only window of 503s: maintenance
 * on, atomic switch, PHP-FPM reload, Dolibarr's migration one major per pass with upgrade.unlock, the lock put
 * back, the database version checked, maintenance off. A failure anywhere is rolled back by run.ts.
 */
export function upgradePipeline(facts: Pick<UpgradeFacts, 'passes'>): Step[] {
  return [
    ...backupPipeline({ retention: false }),
    verifyRelease,
    checkModules,
    extractRelease,
    installCustomModules,
    carryOver,
    setPermissions,
    writePhpTools,
    maintenanceStep('upgrade:maintenance-on', true),
    switchStep('upgrade:switch', 'Switch current to the new release', (ctx) => layoutOf(ctx).releaseName),
    reloadPhpStep('upgrade:reload-php'),
    unlockUpgrade,
    ...facts.passes.map(migrateStep),
    relockStep('upgrade:relock'),
    verifyDbVersion,
    maintenanceStep('upgrade:maintenance-off', false),
    applyRetention,
  ];
}

/** Steps whose time the site answers 503 (between maintenance on and off): their sum is the predicted downtime. */
export function downtimeSteps(steps: Step[]): string[] {
  const ids = steps.map((s) => s.id);
  return ids.slice(ids.indexOf('upgrade:maintenance-on'), ids.indexOf('upgrade:maintenance-off') + 1);
}

export { migrationPasses, type MigrationPass } from './passes.js';
export { gatherUpgradeFacts } from './facts.js';
export type { UpgradeFacts, PhpReload } from './context.js';
