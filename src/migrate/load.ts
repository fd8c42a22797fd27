import { FieldChecksums, pairHash } from './checksum.js';
import type { RunContext } from './job.js';
import type { MappedRow, ObjectKind, SqlValue } from './types.js';
import type { TableSchema } from './schema.js';

/** What a job sent to the database: the source side of reconciliation. */
export interface LoadTally {
  loaded: number;
  sent: FieldChecksums;
  columns: string[];
  /** Contacts loaded with a third-party reference, and the sum of their (key, reference) hashes. */
  links: { count: number; sum: number };
}

export function newTally(schema: TableSchema): LoadTally {
  return { loaded: 0, sent: new FieldChecksums(schema), columns: [], links: { count: 0, sum: 0 } };
}

/** Columns every row gets, as create() would set them: entity, import key, creation date, creator. */
export function stampColumns(kind: ObjectKind, ctx: RunContext, importKey: string): Record<string, SqlValue> {
  const now = ctx.now.toISOString().slice(0, 19).replace('T', ' ');
  const creator = kind === 'product' ? 'fk_user_author' : 'fk_user_creat';
  return { entity: ctx.entity, import_key: importKey, datec: now, [creator]: ctx.userId };
}

/**
 * Stage "load": one multi-row INSERT per batch on the run's transaction, every row stamped with
 * the batch's import_key (Dolibarr's own convention, DOLIBARR.md §9) so one batch can be found,
 * reconciled and undone. What is sent is added to the tally for reconciliation. Returns the
 * first new rowid.
 */
export async function insertRows(ctx: RunContext, table: string, rows: MappedRow[], stamp: Record<string, SqlValue>, tally: LoadTally): Promise<number | undefined> {
  if (rows.length === 0) return undefined;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const stampCols = Object.keys(stamp).filter((c) => !columns.includes(c));
  const all = [...columns, ...stampCols];
  const values = rows.map((r) => [...columns.map((c) => r.values[c] ?? null), ...stampCols.map((c) => stamp[c] ?? null)]);
  const [res] = await ctx.db.query(`INSERT INTO ${table} (${all.join(', ')}) VALUES ?`, [values]);
  const checked = all.filter((c) => c !== 'fk_soc');
  for (const c of checked) if (!tally.columns.includes(c)) tally.columns.push(c);
  const soc = all.indexOf('fk_soc');
  for (const [i, r] of rows.entries()) {
    const v = values[i]!;
    tally.sent.addRow(r.key, checked, soc < 0 ? v : v.filter((_, j) => j !== soc));
    if (r.refs.thirdparty) {
      tally.links.count++;
      tally.links.sum += pairHash(r.key, r.refs.thirdparty);
    }
  }
  tally.loaded += rows.length;
  return (res as { insertId: number }).insertId;
}
