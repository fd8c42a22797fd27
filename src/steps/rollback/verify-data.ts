import { bashCommand } from '../../backup/bash.js';
import { liveDatabase } from '../../backup/live-database.js';
import { dbConnection } from '../../backup/connection.js';
import { backupOf } from '../../backup/context.js';
import { inventoryCommands } from '../../backup/inventory.js';
import { checkManifestCommand } from '../../backup/steps/write-manifest.js';
import type { Step } from '../step.js';

/** Policy "Immediate Actions: verify backup availability": every file of the backup present and matching its sha256. */
export const checkBackup: Step = {
  id: 'rollback:check-backup',
  title: 'Check the backup against its manifest (sha256sum --check)',
  policyRef: 'rollback.process',
  plan(ctx) {
    return [
      {
        kind: 'run',
        description: `sha256sum --check ${backupOf(ctx).sums}`,
        command: checkManifestCommand(backupOf(ctx).dir),
      },
    ];
  },
};

/**
 * Policy "Verify Rollback: verify data integrity": the row count and CHECKSUM TABLE of every table of the restored
 * database equal those recorded from the backup's test restore (tables/rows.tsv, checksums.tsv).
 */
export const verifyData: Step = {
  id: 'rollback:verify-data',
  title: 'Verify the data: row counts and table checksums equal the backup',
  policyRef: 'rollback.process',
  plan(ctx) {
    const b = backupOf(ctx);
    const conn = dbConnection(ctx);
    const rows = `${b.tablesDir}/after-restore-rows.tsv`;
    const sums = `${b.tablesDir}/after-restore-checksums.tsv`;
    const [r, s] = inventoryCommands(conn, liveDatabase(ctx), rows, sums);
    const compare = bashCommand('cmp "$1" "$2" && cmp "$3" "$4"', undefined, [
      b.rows,
      rows,
      b.checksums,
      sums,
    ]);
    return [
      ...conn.before,
      { kind: 'run', description: 'row counts after the restore', command: r! },
      { kind: 'run', description: 'CHECKSUM TABLE after the restore', command: s! },
      ...conn.after,
      { kind: 'run', description: 'identical to the backup', command: compare },
    ];
  },
};
