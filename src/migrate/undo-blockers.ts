import type { Db } from './target.js';

/** Rows outside the batch that point at its rows through a foreign key: deleting would fail (or orphan them). */
export interface UndoBlocker {
  /** The table holding the references, e.g. llx_societe_commerciaux. */
  table: string;
  column: string;
  /** The batch's table they point at. */
  references: string;
  rows: number;
  /** How many of the batch's rows they point at. */
  pointedAt: number;
  /** A few rowids of the batch's rows that are pointed at. */
  ids: number[];
}

/**
 * Every foreign key pointing at the tables a batch undo deletes from, read from the live
 * information_schema (Dolibarr 19/20 declare real constraints in their *.key.sql files, e.g.
 * llx_societe_commerciaux.fk_soc, llx_categorie_societe.fk_soc, llx_socpeople.fk_soc ->
 * llx_societe.rowid), and how many rows outside the batch use each one. Rows of the batch itself
 * (a contact of the batch pointing at a third party of the batch) do not block: they go too.
 */
export async function findUndoBlockers(db: Db, tables: string[], batch: string, entity: number): Promise<UndoBlocker[]> {
  const [fks] = await db.query(
    `SELECT k.TABLE_NAME AS t, k.COLUMN_NAME AS c, k.REFERENCED_TABLE_NAME AS rt, k.REFERENCED_COLUMN_NAME AS rc,
            EXISTS (SELECT 1 FROM information_schema.COLUMNS x WHERE x.TABLE_SCHEMA = k.TABLE_SCHEMA AND x.TABLE_NAME = k.TABLE_NAME AND x.COLUMN_NAME = 'import_key') AS ik
       FROM information_schema.KEY_COLUMN_USAGE k
      WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IN (?)
      ORDER BY k.REFERENCED_TABLE_NAME, k.TABLE_NAME, k.COLUMN_NAME`,
    [tables],
  );
  const out: UndoBlocker[] = [];
  for (const fk of fks as { t: string; c: string; rt: string; rc: string; ik: number }[]) {
    // Names from information_schema still go into SQL only as plain identifiers.
    if (![fk.t, fk.c, fk.rt, fk.rc].every((n) => /^[A-Za-z0-9_]+$/.test(n))) continue;
    const sameBatch = tables.includes(fk.t) && Number(fk.ik) === 1 ? ' AND NOT (c.import_key <=> ?)' : '';
    const [rows] = await db.query(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT p.rowid) AS m, SUBSTRING_INDEX(GROUP_CONCAT(DISTINCT p.rowid ORDER BY p.rowid), ',', 5) AS ids
         FROM \`${fk.t}\` c JOIN \`${fk.rt}\` p ON p.\`${fk.rc}\` = c.\`${fk.c}\`
        WHERE p.import_key = ? AND p.entity = ?${sameBatch}`,
      sameBatch ? [batch, entity, batch] : [batch, entity],
    );
    const r = (rows as { n: number; m: number; ids: string | null }[])[0];
    const n = Number(r?.n ?? 0);
    if (n > 0) out.push({ table: fk.t, column: fk.c, references: fk.rt, rows: n, pointedAt: Number(r?.m ?? 0), ids: String(r?.ids ?? '').split(',').filter(Boolean).map(Number) });
  }
  return out;
}

/** One line per blocker: `llx_societe_commerciaux.fk_soc: 1 row(s) point at llx_societe rowid 12`. */
export function describeBlockers(blockers: UndoBlocker[]): string[] {
  return blockers.map((b) => `${b.table}.${b.column}: ${b.rows} row(s) point at ${b.references} rowid ${b.ids.join(', ')}${b.pointedAt > b.ids.length ? ', …' : ''}`);
}
