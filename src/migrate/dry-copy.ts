import { targetError } from '../core/errors.js';
import { tableName, type Db, type TargetDb } from './target.js';

/**
 * A dry run writes into session copies of the tables it imports into, never into the tables
 * themselves: InnoDB does not give back AUTO_INCREMENT values on rollback, so a rolled-back
 * insert still moved llx_societe's counter (1 -> 512 -> 1023 after two dry runs, issue 15).
 * Each table is copied into a TEMPORARY table of the same name (structure, indexes, rows), which
 * hides the real one on this connection only; every later query of the run (existing keys,
 * clashes, the inserts, the read-back) then goes to the copy unchanged. Temporary tables are
 * created outside the run's transaction (no implicit commit) and dropped at the end.
 */
export async function shadowTables(db: Db, target: TargetDb, tables: string[]): Promise<() => Promise<void>> {
  const shadowed: string[] = [];
  const drop = async () => {
    for (const t of shadowed.reverse()) await db.query(`DROP TEMPORARY TABLE IF EXISTS ${t}`);
  };
  try {
    for (const [i, table] of tables.entries()) {
      const real = tableName(target, table);
      const copy = `mokodeploy_dry_${i}`;
      await db.query(`CREATE TEMPORARY TABLE ${copy} LIKE ${real}`);
      await db.query(`INSERT INTO ${copy} SELECT * FROM ${real}`);
      await db.query(`ALTER TABLE ${copy} RENAME TO ${real}`);
      shadowed.push(real);
    }
  } catch (e) {
    await drop().catch(() => undefined);
    throw targetError(`the dry run could not copy the tables it would write to: ${(e as Error).message}`, {
      fix: 'the database user needs CREATE TEMPORARY TABLES on the Dolibarr database (GRANT ALL gives it); nothing was written',
    });
  }
  return drop;
}
