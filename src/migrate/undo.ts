import { inputError, notFound, refused } from '../core/errors.js';
import { describeBlockers, findUndoBlockers } from './undo-blockers.js';
import { loadOrder, objectDefs } from './objects.js';
import { importKeyPattern } from './import-key.js';
import { tableName, type Db, type TargetDb } from './target.js';

export interface UndoResult {
  batch: string;
  deleted: Record<string, number>;
  dryRun: boolean;
}

/**
 * `migrate undo <batch>`: delete the rows one batch inserted, found by its import_key, in one
 * transaction, contacts before third parties. Refused, with the list of what blocks it, when
 * rows outside the batch point at its rows through a foreign key (a contact entered by hand since,
 * a sales representative given to an imported third party, a category): deleting would fail or
 * orphan them (undo-blockers.ts reads the keys from the live schema).
 */
export async function undoBatch(db: Db, target: TargetDb, batch: string, entity: number, dryRun = false): Promise<UndoResult> {
  if (!importKeyPattern.test(batch)) throw inputError(`"${batch}" is not a batch id (14 digits, YYYYMMDDHHMMSS)`);
  const deleted: Record<string, number> = {};
  await db.beginTransaction();
  try {
    const tables = loadOrder.map((kind) => tableName(target, objectDefs[kind].table));
    const blockers = await findUndoBlockers(db, tables, batch, entity, target.prefix);
    if (blockers.length > 0) {
      throw refused(`batch ${batch} cannot be undone: rows entered since point at its records`, {
        details: describeBlockers(blockers),
        fix: 'remove or reassign those rows in Dolibarr (or undo the later batch first), then undo again',
      });
    }
    for (const kind of [...loadOrder].reverse()) {
      const table = tableName(target, objectDefs[kind].table);
      const [res] = await db.query(`DELETE FROM ${table} WHERE import_key = ? AND entity = ?`, [batch, entity]).catch((e: unknown) => {
        // A reference made between the check and the delete: still a refusal, never an internal error.
        if ((e as { errno?: number }).errno === 1451) throw refused(`batch ${batch} cannot be undone: ${table} rows are referenced by rows entered since`, { details: [(e as Error).message], fix: 'remove or reassign those rows in Dolibarr, then undo again' });
        throw e;
      });
      deleted[objectDefs[kind].label] = (res as { affectedRows: number }).affectedRows;
    }
    if (Object.values(deleted).every((c) => c === 0)) throw notFound(`no rows carry the import key ${batch}`, { fix: 'see the batch ids in the migration reports (mokodeploy migrate run prints it)' });
    if (dryRun) await db.rollback();
    else await db.commit();
    return { batch, deleted, dryRun };
  } catch (e) {
    await db.rollback();
    throw e;
  }
}
