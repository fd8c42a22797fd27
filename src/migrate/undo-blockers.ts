import type { Db } from './target.js';

/** Rows outside the batch that point at its rows through a foreign key: deleting would fail (or orphan them). */
export interface UndoBlocker {
  /** The table holding the references, e.g. llx_societe_commerciaux. */
  table: string;
  column: string;
  /** The batch's table they point at. */
  references: string;
  /** A declared foreign key (else a reference by Dolibarr's column naming, with no constraint: deleting would orphan it silently). */
  constraint: boolean;
  rows: number;
  /** How many of the batch's rows they point at. */
  pointedAt: number;
  /** A few rowids of the batch's rows that are pointed at. */
  ids: number[];
}

/**
 * Every reference to the tables a batch undo deletes from, and how many rows outside the batch use
 * each one: the foreign keys of the live information_schema (Dolibarr declares many in its
 * *.key.sql files: llx_categorie_societe.fk_soc, llx_socpeople.fk_soc -> llx_societe.rowid...), and
 * the columns named by Dolibarr's convention where no constraint exists (llx_societe_commerciaux.fk_soc
 * has none in 19.0.4, it came with 20.0's migration; llx_actioncomm.fk_soc has none in 20.0.2).
 * Rows of the batch itself (a contact of the batch pointing at a third party of the batch) do not
 * block: they go too.
 */
export async function findUndoBlockers(db: Db, tables: string[], batch: string, entity: number, prefix: string): Promise<UndoBlocker[]> {
  const [fks] = await db.query(
    `SELECT k.TABLE_NAME AS t, k.COLUMN_NAME AS c, k.REFERENCED_TABLE_NAME AS rt, k.REFERENCED_COLUMN_NAME AS rc
       FROM information_schema.KEY_COLUMN_USAGE k
      WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IN (?)`,
    [tables],
  );
  const refs = (fks as Reference[]).map((r) => ({ ...r, constraint: true }));
  // Dolibarr's own naming for references it declares no constraint for (llx_societe_commerciaux.fk_soc
  // in 19.0.4, llx_actioncomm.fk_soc, llx_user.fk_soc in 20.0.2): fk_soc -> societe, fk_product -> product...
  const named = Object.entries(conventions).flatMap(([table, columns]) => columns.map((c) => ({ c, rt: `${prefix}${table}` }))).filter((x) => tables.includes(x.rt));
  if (named.length > 0) {
    const [cols] = await db.query(`SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN (?) AND TABLE_NAME LIKE ?`, [[...new Set(named.map((x) => x.c))], `${prefix.replace(/_/g, '\\_')}%`]);
    for (const col of cols as { t: string; c: string }[]) {
      for (const n of named.filter((x) => x.c === col.c && x.rt !== col.t)) {
        if (!refs.some((r) => r.t === col.t && r.c === col.c)) refs.push({ t: col.t, c: col.c, rt: n.rt, rc: 'rowid', constraint: false });
      }
    }
  }
  const [withKey] = await db.query(`SELECT TABLE_NAME AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'import_key' AND TABLE_NAME IN (?)`, [tables]);
  const stamped = new Set((withKey as { t: string }[]).map((r) => r.t));
  const out: UndoBlocker[] = [];
  for (const fk of refs.sort((a, b) => a.rt.localeCompare(b.rt) || a.t.localeCompare(b.t) || a.c.localeCompare(b.c))) {
    // Names from information_schema still go into SQL only as plain identifiers.
    if (![fk.t, fk.c, fk.rt, fk.rc].every((n) => /^[A-Za-z0-9_]+$/.test(n))) continue;
    const sameBatch = stamped.has(fk.t) ? ' AND NOT (c.import_key <=> ?)' : '';
    const [rows] = await db.query(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT p.rowid) AS m, SUBSTRING_INDEX(GROUP_CONCAT(DISTINCT p.rowid ORDER BY p.rowid), ',', 5) AS ids
         FROM \`${fk.t}\` c JOIN \`${fk.rt}\` p ON p.\`${fk.rc}\` = c.\`${fk.c}\`
        WHERE p.import_key = ? AND p.entity = ?${sameBatch}`,
      sameBatch ? [batch, entity, batch] : [batch, entity],
    );
    const r = (rows as { n: number; m: number; ids: string | null }[])[0];
    const n = Number(r?.n ?? 0);
    if (n > 0) out.push({ table: fk.t, column: fk.c, references: fk.rt, constraint: fk.constraint, rows: n, pointedAt: Number(r?.m ?? 0), ids: String(r?.ids ?? '').split(',').filter(Boolean).map(Number) });
  }
  return out;
}

interface Reference {
  t: string;
  c: string;
  rt: string;
  rc: string;
}

/** Columns that name a row of these tables by Dolibarr's naming (without the prefix). */
const conventions: Record<string, string[]> = { societe: ['fk_soc'], socpeople: ['fk_socpeople', 'fk_contact'], product: ['fk_product'] };

/** One line per blocker: `llx_societe_commerciaux.fk_soc: 1 row(s) point at llx_societe rowid 12`. */
export function describeBlockers(blockers: UndoBlocker[]): string[] {
  return blockers.map((b) => `${b.table}.${b.column}: ${b.rows} row(s) point at ${b.references} rowid ${b.ids.join(', ')}${b.pointedAt > b.ids.length ? ', …' : ''}${b.constraint ? '' : ' (no foreign key declared: deleting would leave them pointing at nothing)'}`);
}
