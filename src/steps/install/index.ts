import type { Step } from '../step.js';
import { checkModules } from './check-modules.js';
import { configureCompany } from './configure-company.js';
import { configureCron } from './configure-cron.js';
import { configureEmail } from './configure-email.js';
import { installTelemetry } from '../integrations/telemetry.js';
import { createConfigDirs } from './create-config-dirs.js';
import { createDatabase } from './create-database.js';
import { createUsers } from './create-users.js';
import { enableModules } from './enable-modules.js';
import { extractRelease } from './extract-release.js';
import { installCustomModules } from './install-custom-modules.js';
import { phpFpmPool } from './php-fpm-pool.js';
import { installerStep1, installerStep2, installerStep5 } from './run-installer.js';
import { setPermissions } from './set-permissions.js';
import { switchCurrent } from './switch-current.js';
import { verifyRelease } from './verify-release.js';
import { webSite } from './web-site.js';
import { writePhpTools } from './write-php-tools.js';
import { lockConf, prepareConf, restoreConf } from './write-conf.js';

/**
 * Issue 4: an unattended fresh install, in order (policy Deployment Procedures, Phase 2).
 * Checks come first so a refusal changes nothing. Custom modules are copied into the release before
 * they are enabled; conf.php is locked once the installer is done with it; the web site comes last, so
 * nothing is served before the install is complete. After the pipeline the runner calls
 * checkInstallHealth() (health-check.ts).
 */
export function installPipeline(): Step[] {
  return [
    verifyRelease,
    checkModules,
    createConfigDirs,
    extractRelease,
    installCustomModules,
    setPermissions,
    writePhpTools,
    switchCurrent,
    createDatabase,
    prepareConf,
    installerStep1,
    restoreConf,
    installerStep2,
    installerStep5,
    lockConf,
    configureCompany,
    configureEmail,
    installTelemetry, // issue 17: the anonymous first ping off unless the plan opts in
    enableModules,
    createUsers,
    configureCron,
    phpFpmPool,
    webSite,
  ];
}

export { checkInstallHealth } from './health-check.js';
export { gatherInstallFacts } from './facts.js';
export { detectExistingInstall, type AdoptedInstall } from './adopt.js';
export type { InstallFacts } from './context.js';
