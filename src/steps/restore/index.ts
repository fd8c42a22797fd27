import type { Plan } from '../../core/plan.js';
import type { Host } from '../../hosts/host.js';
import { backupLayout } from '../../backup/layout.js';
import { parseConfPhp, type ConfPhp } from '../../dolibarr/conf-php.js';
import { gatherInstallFacts } from '../install/facts.js';
import { releaseStamp } from '../../dolibarr/layout.js';
import type { InstallFacts } from '../install/context.js';
import { extractRelease } from '../install/extract-release.js';
import { phpFpmPool } from '../install/php-fpm-pool.js';
import { setPermissions } from '../install/set-permissions.js';
import { switchCurrent } from '../install/switch-current.js';
import { verifyRelease } from '../install/verify-release.js';
import { webSite } from '../install/web-site.js';
import { lockConf } from '../install/write-conf.js';
import { writePhpTools } from '../install/write-php-tools.js';
import { createDatabase } from '../install/create-database.js';
import { restoreCron } from './restore-cron.js';
import { resetAdminPassword } from './admin-password.js';
import type { Step } from '../step.js';
import {
  restoreCustomModules,
  restoreDatabaseFromBackup,
  restoreDocuments,
  verifyRestoredData,
} from './restore-steps.js';

/**
 * Install from a backup (policy Phase 2 "Restore from backup"; disaster recovery onto a new host or directory):
 * the release of the backup's version extracted, its custom modules, the database created and loaded from the
 * dump, the documents, then conf.php written for the new place (paths, URL, database from the plan) keeping the
 * backup's instance unique id (the encryption key of stored secrets, DOLIBARR.md §3), the data verified against
 * the backup (row counts, checksums), PHP-FPM pool and web site last. The installer itself never runs.
 */
export function restorePipeline(options: { web?: boolean } = {}): Step[] {
  const steps = [
    verifyRelease,
    extractRelease,
    restoreCustomModules,
    ...restoreOntoRelease,
    resetAdminPassword,
  ];
  // issue 23: a recovery is a complete install: the scheduled jobs, the pool and the site as a fresh install writes them
  return options.web === false ? steps : [...steps, restoreCron, phpFpmPool, webSite];
}

/** Once the release (custom modules included) is in place: the database, the documents and conf.php from the backup. */
export const restoreOntoRelease: Step[] = [
  setPermissions,
  writePhpTools,
  switchCurrent,
  createDatabase,
  restoreDatabaseFromBackup,
  restoreDocuments,
  lockConf,
  verifyRestoredData,
];

/** Install facts for a restore: the backup's conf.php is the "existing" one, so its instance id is kept. */
export async function gatherRestoreFacts(
  host: Host,
  plan: Plan,
  backupStamp: string,
  extra: Partial<InstallFacts> = {},
  /** The backup's conf.php when it was read elsewhere (an off-server copy in a dry run, before it is shipped). */
  backupConf?: ConfPhp,
) {
  // a recovery extracts a release of its own, never reusing the one `current` serves
  const install = await gatherInstallFacts(host, plan, { stamp: releaseStamp(new Date()), ...extra });
  const conf =
    backupConf ??
    parseConfPhp(
      (await host.readFile(backupLayout(plan.target.backupRoot, backupStamp).confPhp)).toString('utf8'),
    );
  return { ...install, backupStamp, existingConf: conf, ...extra };
}
