import { backupOf } from '../../backup/context.js';
import { dbConnection } from '../../backup/connection.js';
import { inventoryCommands, inventoryDifferences, parseInventory } from '../../backup/inventory.js';
import type { Host } from '../../hosts/host.js';
import type { Step, StepContext } from '../step.js';
import { momentFiles } from './upgrade-inventory.js';

/**
 * Issue 19: has the new release accepted writes since the upgrade? The live database's row counts and CHECKSUM
 * TABLE now, against the inventory taken after the upgrade's health check (upgrade-inventory.ts 'after-upgrade').
 * Equal: a rollback before writes loses nothing. Different: the differing tables (the verified restore applies).
 */
export const nowFiles = (ctx: StepContext) => ({
  rows: `${backupOf(ctx).tablesDir}/rollback-check-rows.tsv`,
  checksums: `${backupOf(ctx).tablesDir}/rollback-check-checksums.tsv`,
});

export const inventoryNow: Step = {
  id: 'rollback:inventory-now',
  title: 'Row counts and checksums now (writes since the upgrade?)',
  policyRef: 'rollback.process',
  plan(ctx) {
    const conn = dbConnection(ctx);
    const f = nowFiles(ctx);
    const [r, s] = inventoryCommands(conn, ctx.plan.database.name, f.rows, f.checksums);
    return [
      ...conn.before,
      { kind: 'run', description: 'row counts now', command: r! },
      { kind: 'run', description: 'CHECKSUM TABLE now', command: s! },
      ...conn.after,
    ];
  },
};

/** The tables that changed since the upgrade's inventory, or undefined when there is no such inventory. */
export async function writesSinceUpgrade(host: Host, ctx: StepContext): Promise<string[] | undefined> {
  const read = (p: string) => host.readFile(p).then((b) => b.toString('utf8'));
  const base = momentFiles(backupOf(ctx).tablesDir, 'after-upgrade');
  const now = nowFiles(ctx);
  try {
    const expected = parseInventory(await read(base.rows), await read(base.checksums));
    const actual = parseInventory(await read(now.rows), await read(now.checksums));
    const extra = [...actual.rows.keys()].filter((t) => !expected.rows.has(t)).map((t) => `${t}: new table`);
    return [...inventoryDifferences(expected, actual), ...extra];
  } catch {
    return undefined;
  }
}
