import { dbConnection } from '../../backup/connection.js';
import { liveDatabase } from '../../backup/live-database.js';
import { backupOf } from '../../backup/context.js';
import { inventoryCommands } from '../../backup/inventory.js';
import type { Step } from '../step.js';

/**
 * Issue 25: so that a later rollback tells the client's writes from the upgrade's own changes, an upgrade records
 * the row counts and CHECKSUM TABLE of the live database twice in its backup's tables/ (beside the files the
 * manifest lists; not in SHA256SUMS): just before maintenance on (what was written while the backup ran and the
 * new release was prepared) and once the upgrade is done (the baseline of what the new release then receives).
 */
export type InventoryMoment = 'before-switch' | 'after-upgrade';

export function momentFiles(tablesDir: string, moment: InventoryMoment) {
  return { rows: `${tablesDir}/${moment}-rows.tsv`, checksums: `${tablesDir}/${moment}-checksums.tsv` };
}

export function upgradeInventoryStep(moment: InventoryMoment): Step {
  return {
    id: `upgrade:inventory-${moment}`,
    title:
      moment === 'before-switch'
        ? 'Row counts and checksums before the switch (what the site received since the backup)'
        : 'Row counts and checksums after the upgrade (the baseline of what a rollback would discard)',
    policyRef: 'rollback.process',
    plan(ctx) {
      const conn = dbConnection(ctx);
      const f = momentFiles(backupOf(ctx).tablesDir, moment);
      const [r, s] = inventoryCommands(conn, liveDatabase(ctx), f.rows, f.checksums);
      return [
        ...conn.before,
        { kind: 'run', description: `row counts (${moment})`, command: r! },
        { kind: 'run', description: `CHECKSUM TABLE (${moment})`, command: s! },
        ...conn.after,
      ];
    },
  };
}
