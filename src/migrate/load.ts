import { Readable } from 'node:stream';
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
 * reconciled and undone. What is sent is added to the tally for reconciliation.
 */
export async function insertRows(ctx: RunContext, table: string, rows: MappedRow[], stamp: Record<string, SqlValue>, tally: LoadTally): Promise<void> {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const stampCols = Object.keys(stamp).filter((c) => !columns.includes(c));
  const all = [...columns, ...stampCols];
  const values = rows.map((r) => [...columns.map((c) => r.values[c] ?? null), ...stampCols.map((c) => stamp[c] ?? null)]);
  await writeBatch(ctx, table, all, values);
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
}

/**
 * The batch goes to the server as LOAD DATA LOCAL INFILE fed from memory (no file): the same
 * server path as a raw bulk load, on the run's transaction. Where the server or the client
 * refuses local infile (MySQL 8 turns it off by default), multi-row INSERTs do the same job.
 */
async function writeBatch(ctx: RunContext, table: string, columns: string[], values: SqlValue[][]): Promise<void> {
  if (ctx.bulk.localInfile) {
    try {
      const tsv = Buffer.from(values.map((row) => row.map(tsvField).join('\t')).join('\n') + '\n', 'utf8');
      await ctx.db.query({
        sql: `LOAD DATA LOCAL INFILE 'batch.tsv' INTO TABLE ${table} CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns.join(', ')})`,
        infileStreamFactory: () => Readable.from([tsv]),
      });
      return;
    } catch (e) {
      const code = (e as { errno?: number }).errno ?? 0;
      // Local infile refused: 1148 (MySQL/MariaDB), 3948 (MySQL 8), 4166 (MariaDB 10.x+), 1227 (privilege).
      if (![1148, 3948, 4166, 1227].includes(code)) throw e;
      ctx.bulk.localInfile = false;
    }
  }
  await ctx.db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [values]);
}

/** A value in LOAD DATA's default text format: \N for NULL, backslash escapes. */
function tsvField(v: SqlValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r\0]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\0'));
}
