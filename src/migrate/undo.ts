import { inputError, notFound } from '../core/errors.js';
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
 * transaction, contacts before third parties. Refused if a contact of another batch (or one
 * entered by hand since) points at a third party of this batch: deleting would orphan it.
 */
export async function undoBatch(db: Db, target: TargetDb, batch: string, entity: number, dryRun = false): Promise<UndoResult> {
  if (!importKeyPattern.test(batch)) throw inputError(`"${batch}" is not a batch id (14 digits, YYYYMMDDHHMMSS)`);
  const societe = tableName(target, 'societe');
  const socpeople = tableName(target, 'socpeople');
  const deleted: Record<string, number> = {};
  await db.beginTransaction();
  try {
    const [dependants] = await db.query(
      `SELECT COUNT(*) AS n FROM ${socpeople} c JOIN ${societe} s ON s.rowid = c.fk_soc WHERE s.import_key = ? AND s.entity = ? AND NOT (c.import_key <=> ?)`,
      [batch, entity, batch],
    );
    const n = Number((dependants as { n: number }[])[0]?.n ?? 0);
    if (n > 0) throw inputError(`${n} contact(s) outside batch ${batch} belong to its third parties`, { fix: 'undo the later batch first, or move those contacts' });
    for (const kind of [...loadOrder].reverse()) {
      const table = tableName(target, objectDefs[kind].table);
      const [res] = await db.query(`DELETE FROM ${table} WHERE import_key = ? AND entity = ?`, [batch, entity]);
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
