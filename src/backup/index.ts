import type { Step } from '../steps/step.js';
import { archiveFiles } from './steps/archive-files.js';
import { dumpDatabase } from './steps/dump-database.js';
import { prepareBackup } from './steps/prepare.js';
import { restoreTest } from './steps/restore-test.js';
import { applyRetention } from './steps/retention.js';
import { writeManifest } from './steps/write-manifest.js';

/**
 * Policy Phase 1 "Backup production": full database backup, full file backup, test restoration, stored
 * securely (0700, root), then retention. Used alone (`mokodeploy backup`) and as the first steps of an upgrade.
 */
export function backupPipeline(options: { retention?: boolean } = {}): Step[] {
  const steps = [prepareBackup, dumpDatabase, archiveFiles, restoreTest, writeManifest];
  return options.retention === false ? steps : [...steps, applyRetention];
}

export { backupLayout, manifestFiles, type BackupLayout } from './layout.js';
export { backupFacts, backupOf, type BackupFacts } from './context.js';
export { readTargetState, type TargetState } from './target-state.js';
export { inventoryDifferences, parseInventory, type TableInventory } from './inventory.js';
export { readBackup, latestBackup, type BackupSummary } from './read.js';
