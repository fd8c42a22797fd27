import type { ObjectDef } from './objects.js';
import { tableName, type Db, type TargetDb } from './target.js';
import type { MappedRow } from './types.js';

export interface ExistingCheck {
  /** Lines whose key is already in the database (an earlier run): skipped, never inserted twice. */
  present: Set<number>;
  /** Lines clashing with another record's unique value. */
  clashes: Map<number, { field: string; reason: string }>;
}

/**
 * Duplicates against the database, one query per column for a whole batch of rows
 * (not one per row). Same key -> already present; same unique code under another key -> clash.
 */
export async function checkExisting(db: Db, target: TargetDb, def: ObjectDef, entity: number, rows: MappedRow[]): Promise<ExistingCheck> {
  const out: ExistingCheck = { present: new Set(), clashes: new Map() };
  if (rows.length === 0) return out;
  const table = tableName(target, def.table);
  const keyed = await lookup(db, table, def.keyColumn, def.keyColumn, entity, rows.map((r) => r.key));
  for (const r of rows) if (keyed.has(r.key.toLowerCase())) out.present.add(r.line);
  for (const column of def.unique) {
    const values = rows.filter((r) => !out.present.has(r.line) && r.values[column]).map((r) => String(r.values[column]));
    if (values.length === 0) continue;
    const found = await lookup(db, table, column, def.keyColumn, entity, values);
    for (const r of rows) {
      const hit = r.values[column] ? found.get(String(r.values[column]).toLowerCase()) : undefined;
      if (hit && !out.present.has(r.line)) {
        out.clashes.set(r.line, { field: column, reason: `${column} "${r.values[column]}" is already used by ${def.table} rowid ${hit.rowid}${hit.key ? ` (${def.keyColumn} ${hit.key})` : ''}` });
      }
    }
  }
  return out;
}

/** value (lower-cased) -> {rowid, key} for the rows of `entity` whose `column` is one of `values`. */
export async function lookup(db: Db, table: string, column: string, keyColumn: string, entity: number, values: string[]): Promise<Map<string, { rowid: number; key: string | null }>> {
  const out = new Map<string, { rowid: number; key: string | null }>();
  if (values.length === 0) return out;
  const [rows] = await db.query(`SELECT rowid, ${column} AS v, ${keyColumn} AS k FROM ${table} WHERE entity = ? AND ${column} IN (?)`, [entity, values]);
  for (const r of rows as { rowid: number; v: string; k: string | null }[]) out.set(String(r.v).toLowerCase(), { rowid: Number(r.rowid), key: r.k });
  return out;
}
