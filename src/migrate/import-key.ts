import { tableName, type Db, type TargetDb } from './target.js';
import { objectDefs } from './objects.js';

/**
 * The batch id: Dolibarr's import_key format, YYYYMMDDHHMMSS (imports/import.php, varchar(14)),
 * moved on by a second while an earlier batch already uses it, so each batch can be undone alone.
 */
export async function freeImportKey(db: Db, target: TargetDb, now: Date): Promise<string> {
  let t = now.getTime();
  for (;;) {
    const key = new Date(t).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    if (!(await importKeyUsed(db, target, key))) return key;
    t += 1000;
  }
}

export async function importKeyUsed(db: Db, target: TargetDb, key: string): Promise<boolean> {
  for (const def of Object.values(objectDefs)) {
    const [rows] = await db.query(`SELECT 1 FROM ${tableName(target, def.table)} WHERE import_key = ? LIMIT 1`, [key]);
    if ((rows as unknown[]).length > 0) return true;
  }
  return false;
}

export const importKeyPattern = /^\d{14}$/;
