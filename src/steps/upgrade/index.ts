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
import type { Step } from '../step.js';
import { carryOver } from './carry-over.js';
import type { UpgradeFacts } from './context.js';
import { maintenanceStep } from './maintenance.js';
import { migrateStep } from './migrate.js';
import { reloadPhpStep } from './reload-php.js';
import { switchStep } from './switch-release.js';
import { relockStep, unlockUpgrade } from './unlock.js';
import { verifyDbVersion } from './verify-db-version.js';
import { upgradeInventoryStep } from '../rollback/upgrade-inventory.js';
import type { Plan } from '../../core/plan.js';
import { upgradeIntegrationSteps } from '../upgrade-integrations.js';

/**
 * Issue 5 upgrade, in order. While the site keeps serving the old release: a verified backup, the new release
 * extracted beside it with custom modules and conf.php carried over, upgrade.unlock created. Then the only window
 * of 503s: maintenance on, atomic switch, PHP-FPM reload, Dolibarr's migration one major per pass, maintenance
 * off. Then upgrade.unlock removed (install.lock checked) and the database version checked. A failure anywhere
 * (or of the health check that follows) is rolled back by run-upgrade.ts.
 */
export function upgradePipeline(facts: Pick<UpgradeFacts, 'passes'>, plan?: Plan): Step[] {
  return [
    ...backupPipeline({ retention: false }),
    verifyRelease,
    checkModules,
    extractRelease,
    installCustomModules,
    carryOver,
    setPermissions,
    writePhpTools,
    // upgrade.unlock opens only the CLI install pages: the web server denies /install/ (src/webserver/)
    unlockUpgrade,
    // issue 25: what the site received since the backup, so a later rollback names the client's writes
    upgradeInventoryStep('before-switch'),
    maintenanceStep('upgrade:maintenance-on', true),
    switchStep('upgrade:switch', 'Switch current to the new release', (ctx) => layoutOf(ctx).releaseName),
    reloadPhpStep('upgrade:reload-php'),
    ...facts.passes.map(migrateStep),
    maintenanceStep('upgrade:maintenance-off', false),
    // checks after serving again: a failure still rolls back, but they cost no downtime
    relockStep('upgrade:relock'),
    // the plan's modules, a custom module new in this release included, through activateModule() as at install
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

/**
 * Issue 25: the after-upgrade inventory is taken once the health check has logged in (every real login writes
 * llx_user, Dolibarr main.inc.php), by run-upgrade.ts, so that a rollback right after a healthy upgrade with no
 * client writes finds nothing to discard.
 */
export const afterUpgradeInventory = upgradeInventoryStep('after-upgrade');

/** Steps whose time the site answers 503 (between maintenance on and off): their sum is the predicted downtime. */
export function downtimeSteps(steps: Step[]): string[] {
  const ids = steps.map((s) => s.id);
  return ids.slice(ids.indexOf('upgrade:maintenance-on'), ids.indexOf('upgrade:maintenance-off') + 1);
}

export { migrationPasses, type MigrationPass } from './passes.js';
export { gatherUpgradeFacts } from './facts.js';
export type { UpgradeFacts, PhpReload } from './context.js';
