import { objectDefs } from './objects.js';
import { readSource } from './read.js';
import { mapRow } from './map.js';
import { assignCodes } from './codes.js';
import { lookup } from './existing.js';
import { FieldChecksums, pairHash } from './checksum.js';
import { tableName } from './target.js';
import type { JobValidation, RunContext } from './job.js';
import type { MappedRow, SqlValue } from './types.js';

export interface JobLoad {
  loaded: number;
  /** Valid rows left for the full run by --sample (or contacts whose third party is not in the sample). */
  deferred: number;
  sent: FieldChecksums;
  columns: string[];
  /** Contacts loaded with a third-party reference, and the sum of their (key, reference) hashes. */
  links: { count: number; sum: number };
}

/**
 * Stage "load": read the file again (memory stays flat), map, skip the lines validation
 * rejected or found already loaded, and INSERT the rest in multi-row batches on the run's
 * transaction, each row stamped with the batch's import_key (Dolibarr's own convention,
 * DOLIBARR.md §9) so one batch can be found, reconciled and undone.
 */
export async function loadJob(ctx: RunContext, v: JobValidation, importKey: string, sample?: number): Promise<JobLoad> {
  const def = objectDefs[v.job.mapping.object];
  const schema = ctx.schemas.get(def.table)!;
  const table = tableName(ctx.target, def.table);
  const result: JobLoad = { loaded: 0, deferred: 0, sent: new FieldChecksums(schema), columns: [], links: { count: 0, sum: 0 } };
  const stamp = stampColumns(def.kind, ctx, importKey);
  let batch: MappedRow[] = [];
  const flush = async () => {
    const rows = def.kind === 'contact' ? await resolveThirdparties(ctx, v, batch, result, sample !== undefined) : batch;
    if (rows.length > 0) await insertRows(ctx, table, rows, stamp, result);
    batch = [];
  };
  for await (const item of readSource(v.job.file, v.format)) {
    if ('reject' in item || v.rejected.has(item.row.line) || v.present.has(item.row.line)) continue;
    if (sample !== undefined && result.loaded >= sample) {
      result.deferred++;
      continue;
    }
    const m = mapRow(item.row, v.job.mapping, ctx);
    if ('reject' in m) throw new Error(`bug: line ${item.row.line} of ${v.job.file} mapped differently on the second read`);
    if (def.kind === 'thirdparty') assignCodes(m.mapped.values, ctx.codeRule);
    batch.push(m.mapped);
    // A sample fills up exactly: a contact whose third party is not in the sample leaves room for the next.
    if (batch.length >= (sample === undefined ? ctx.batchSize : Math.min(ctx.batchSize, sample - result.loaded))) await flush();
  }
  await flush();
  return result;
}

/** Columns every row of a batch gets: entity, import key, creation date and creator (as create() would). */
function stampColumns(kind: string, ctx: RunContext, importKey: string): Record<string, SqlValue> {
  const now = ctx.now.toISOString().slice(0, 19).replace('T', ' ');
  const creator = kind === 'product' ? 'fk_user_author' : 'fk_user_creat';
  return { entity: ctx.entity, import_key: importKey, datec: now, [creator]: ctx.userId };
}

async function insertRows(ctx: RunContext, table: string, rows: MappedRow[], stamp: Record<string, SqlValue>, result: JobLoad): Promise<void> {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const stampCols = Object.keys(stamp).filter((c) => !columns.includes(c));
  const all = [...columns, ...stampCols];
  const values = rows.map((r) => [...columns.map((c) => r.values[c] ?? null), ...stampCols.map((c) => stamp[c] ?? null)]);
  await ctx.db.query(`INSERT INTO ${table} (${all.join(', ')}) VALUES ?`, [values]);
  const checked = all.filter((c) => c !== 'fk_soc');
  for (const c of checked) if (!result.columns.includes(c)) result.columns.push(c);
  for (const [i, r] of rows.entries()) result.sent.add(r.key, Object.fromEntries(all.map((c, j) => [c, values[i]![j]!])), checked);
  result.loaded += rows.length;
}

/** contact -> fk_soc, looked up on the run's transaction (so third parties inserted just before are seen). */
async function resolveThirdparties(ctx: RunContext, v: JobValidation, rows: MappedRow[], result: JobLoad, sampling: boolean): Promise<MappedRow[]> {
  const by = v.job.mapping.thirdparty?.by ?? 'ref_ext';
  const refs = [...new Set(rows.flatMap((r) => (r.refs.thirdparty ? [r.refs.thirdparty] : [])))];
  const found = await lookup(ctx.db, tableName(ctx.target, 'societe'), by, 'ref_ext', ctx.entity, refs);
  const kept: MappedRow[] = [];
  for (const r of rows) {
    if (!r.refs.thirdparty) {
      kept.push(r);
      continue;
    }
    const hit = found.get(r.refs.thirdparty.toLowerCase());
    if (!hit) {
      // Validation saw the third party; only a sample can leave it out.
      if (!sampling) throw new Error(`bug: third party "${r.refs.thirdparty}" of line ${r.line} vanished between validation and load`);
      result.deferred++;
      continue;
    }
    r.values.fk_soc = hit.rowid;
    result.links.count++;
    result.links.sum += pairHash(r.key, r.refs.thirdparty);
    kept.push(r);
  }
  return kept;
}
