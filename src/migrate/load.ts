import { Readable } from 'node:stream';
import { FieldChecksums, pairHash } from './checksum.js';
import type { RunContext } from './job.js';
import type { RowLayout } from './layout.js';
import type { MappedRow, ObjectKind, SqlValue } from './types.js';
import type { TableSchema } from './schema.js';

/** What a job sent to the database: the source side of reconciliation. */
export interface LoadTally {
  loaded: number;
  sent: FieldChecksums;
  /** The layout's slot of each checksummed column (all but fk_soc, checked as a link instead). */
  slots: number[];
  /** Contacts loaded with a third-party reference, and the sum of their (key, reference) hashes. */
  links: { count: number; sum: number };
}

export function newTally(schema: TableSchema, layout: RowLayout): LoadTally {
  const columns = layout.columns.filter((c) => c !== 'fk_soc');
  return { loaded: 0, sent: new FieldChecksums(schema, columns), slots: columns.map((c) => layout.slot(c)), links: { count: 0, sum: 0 } };
}

/** Columns every row gets, as create() would set them: entity, import key, creation date, creator. */
export function stampColumns(kind: ObjectKind, ctx: RunContext, importKey: string): Record<string, SqlValue> {
  const now = ctx.now.toISOString().slice(0, 19).replace('T', ' ');
  const creator = kind === 'product' ? 'fk_user_author' : 'fk_user_creat';
  return { entity: ctx.entity, import_key: importKey, datec: now, [creator]: ctx.userId };
}

/**
 * Stage "load": one bulk statement per batch on the run's transaction, every row stamped with
 * the batch's import_key (Dolibarr's own convention, DOLIBARR.md §9) so one batch can be found,
 * reconciled and undone. What is sent is added to the tally for reconciliation.
 */
export async function insertRows(ctx: RunContext, table: string, layout: RowLayout, rows: MappedRow[], tally: LoadTally): Promise<void> {
  if (rows.length === 0) return;
  await writeBatch(ctx, table, layout.columns, rows);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    tally.sent.addRow(r.key, r.values, tally.slots);
    if (r.parentRef !== undefined) {
      tally.links.count++;
      tally.links.sum += pairHash(r.key, r.parentRef);
    }
  }
  tally.loaded += rows.length;
}

/**
 * The batch goes to the server as LOAD DATA LOCAL INFILE fed from memory (no file): the same
 * server path as a raw bulk load, on the run's transaction. Where the server or the client
 * refuses local infile (MySQL 8 turns it off by default), multi-row INSERTs do the same job,
 * each statement kept under the server's max_allowed_packet.
 */
async function writeBatch(ctx: RunContext, table: string, columns: string[], rows: MappedRow[]): Promise<void> {
  if (ctx.bulk.localInfile) {
    try {
      const tsv = Buffer.from(tsvText(rows), 'utf8');
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
  for (const sql of insertStatements(ctx, table, columns, rows)) await ctx.db.query(sql);
}

/** The rows in LOAD DATA's default text format, built as one string (no array per row). */
function tsvText(rows: MappedRow[]): string {
  let text = '';
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]!.values;
    for (let j = 0; j < v.length; j++) text += (j === 0 ? '' : '\t') + tsvField(v[j]!);
    text += '\n';
  }
  return text;
}

const tsvSpecial = /[\\\t\n\r\0]/;
const tsvEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

/** A value in LOAD DATA's default text format: \N for NULL, backslash escapes. */
function tsvField(v: SqlValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return tsvSpecial.test(v) ? v.replace(/[\\\t\n\r\0]/g, (c) => tsvEscapes[c]!) : v;
}

/** Multi-row INSERT text, split so that no statement exceeds the server's packet limit. */
function insertStatements(ctx: RunContext, table: string, columns: string[], rows: MappedRow[]): string[] {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const limit = ctx.maxStatementBytes;
  const out: string[] = [];
  const headBytes = Buffer.byteLength(head);
  let sql = head;
  let bytes = headBytes;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]!.values;
    let tuple = '(';
    for (let j = 0; j < v.length; j++) tuple += (j === 0 ? '' : ',') + sqlLiteral(ctx, v[j]!);
    tuple += ')';
    // Bytes, not UTF-16 units: a row of accented text is longer on the wire than its .length.
    const tupleBytes = Buffer.byteLength(tuple) + 1;
    if (sql !== head && bytes + tupleBytes > limit) {
      out.push(sql);
      sql = head;
      bytes = headBytes;
    }
    sql += (sql === head ? '' : ',') + tuple;
    bytes += tupleBytes;
  }
  out.push(sql);
  return out;
}

function sqlLiteral(ctx: RunContext, v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return ctx.db.escape(v);
}
