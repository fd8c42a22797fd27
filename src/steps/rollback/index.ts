import type { Step } from '../step.js';
import { maintenanceStep } from '../upgrade/maintenance.js';
import { reloadPhpStep } from '../upgrade/reload-php.js';
import { switchStep } from '../upgrade/switch-release.js';
import { relockStep } from '../upgrade/unlock.js';
import { dbVersionCheck } from '../upgrade/verify-db-version.js';
import { upgradeFacts } from '../upgrade/context.js';
import { keepEvidence } from './keep-evidence.js';
import { markBadRelease } from './mark-bad.js';
import { restoreDatabase } from './restore-database.js';
import { restoreFiles } from './restore-files.js';
import { checkBackup, verifyData } from './verify-data.js';

/** After the restore, the database is at the version it had when backed up. */
const verifyRestoredVersion: Step = {
  id: 'rollback:verify-db-version',
  title: 'The database is back at the version of the backup',
  policyRef: 'rollback.process',
  plan: (ctx) => {
    const want = upgradeFacts(ctx).target.dbVersion;
    return want ? dbVersionCheck(ctx, () => want) : [];
  },
};

/**
 * Policy "Rollback Procedures / Execute Rollback" with our layout: check the backup, 503 while the data changes,
 * keep the database and changed documents as they are (evidence), switch `current` back to the previous release (still on disk, untouched), reload PHP-FPM, restore the database
 * (exactly: tables the upgrade created are dropped) and files, lock the upgrade pages, check the version, serve
 * again; then "Verify Rollback": row counts and checksums against the backup, and mark the release bad.
 */
export function rollbackPipeline(): Step[] {
  return [
    checkBackup,
    maintenanceStep('rollback:maintenance-on', true),
    // issue 25: what the restore discards is kept first (the site in maintenance: no write after it)
    keepEvidence,
    switchStep(
      'rollback:switch-back',
      'Switch current back to the previous release',
      (ctx) => upgradeFacts(ctx).previousRelease,
    ),
    reloadPhpStep('rollback:reload-php'),
    restoreDatabase,
    restoreFiles,
    relockStep('rollback:relock'),
    verifyRestoredVersion,
    maintenanceStep('rollback:maintenance-off', false),
    verifyData,
    markBadRelease,
  ];
}
