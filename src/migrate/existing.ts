import type { Connection as CoreConnection } from 'mysql2';
import type { ObjectDef } from './objects.js';
import { tableName, type Db, type TargetDb } from './target.js';
import type { MappedRow } from './types.js';
import type { RowLayout } from './layout.js';

/**
 * The external keys already in a table (lower-cased key -> rowid), read once per job with one
 * streamed scan. Dolibarr does not index ref_ext (llx_societe.key.sql, llx_socpeople.key.sql),
 * so asking per batch would scan the table again for every batch; one scan, then memory.
 */
export async function readExistingKeys(db: Db, target: TargetDb, def: ObjectDef, entity: number): Promise<Map<string, number>> {
  const keys = new Map<string, number>();
  await streamRows(db, `SELECT rowid, ${def.keyColumn} AS k FROM ${tableName(target, def.table)} WHERE entity = ? AND ${def.keyColumn} IS NOT NULL AND ${def.keyColumn} <> ''`, [entity], (r) => {
    keys.set(String(r.k).toLowerCase(), Number(r.rowid));
  });
  return keys;
}

/**
 * Unique codes (code_client, barcode…) of a batch already used by other records: one query per
 * column for the whole batch, answered by Dolibarr's unique indexes.
 */
export async function findClashes(db: Db, target: TargetDb, def: ObjectDef, layout: RowLayout, entity: number, rows: MappedRow[]): Promise<Map<number, { field: string; reason: string }>> {
  const clashes = new Map<number, { field: string; reason: string }>();
  const table = tableName(target, def.table);
  for (const column of def.unique) {
    const slot = layout.slot(column);
    if (slot < 0) continue;
    const values = rows.filter((r) => r.values[slot]).map((r) => String(r.values[slot]));
    if (values.length === 0) continue;
    const found = await lookup(db, table, column, def.keyColumn, entity, values);
    for (const r of rows) {
      const v = r.values[slot];
      const hit = v ? found.get(String(v).toLowerCase()) : undefined;
      if (hit && !clashes.has(r.line)) {
        clashes.set(r.line, { field: column, reason: `${column} "${v}" is already used by ${def.table} rowid ${hit.rowid}${hit.key ? ` (${def.keyColumn} ${hit.key})` : ''}` });
      }
    }
  }
  return clashes;
}

/** value (lower-cased) -> {rowid, key} for the rows of `entity` whose `column` is one of `values`. */
export async function lookup(db: Db, table: string, column: string, keyColumn: string, entity: number, values: string[]): Promise<Map<string, { rowid: number; key: string | null }>> {
  const out = new Map<string, { rowid: number; key: string | null }>();
  if (values.length === 0) return out;
  const [rows] = await db.query(`SELECT rowid, ${column} AS v, ${keyColumn} AS k FROM ${table} WHERE entity = ? AND ${column} IN (?)`, [entity, values]);
  for (const r of rows as { rowid: number; v: string; k: string | null }[]) out.set(String(r.v).toLowerCase(), { rowid: Number(r.rowid), key: r.k });
  return out;
}

/** Rows one at a time (memory stays flat on a million rows): the promise wrapper would buffer them all. */
export function streamRows(db: Db, sql: string, params: unknown[], onRow: (row: Record<string, string | number | null>) => void): Promise<void> {
  return streamQuery(db, { sql }, params, onRow);
}

/** streamRows with each row as an array in SELECT order (no object per row: reconciliation reads back every row). */
export function streamRowArrays(db: Db, sql: string, params: unknown[], onRow: (row: (string | number | null)[]) => void): Promise<void> {
  return streamQuery(db, { sql, rowsAsArray: true }, params, onRow);
}

function streamQuery<T>(db: Db, options: { sql: string; rowsAsArray?: boolean }, params: unknown[], onRow: (row: T) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const core = (db as unknown as { connection: CoreConnection }).connection;
    const q = core.query({ ...options, values: params });
    q.on('result', (row: unknown) => onRow(row as T));
    q.on('error', reject);
    q.on('end', () => resolve());
  });
}
