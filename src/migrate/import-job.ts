import { objectDefs } from './objects.js';
import { newReadStats, readSourceChunks, type ReadStats, type SourceFormat } from './read.js';
import { compileMapper, isMapped, sourceColumns } from './map.js';
import { compileTextCheck, newTextWarnings, type TextWarnings } from './mojibake.js';
import { compileValidator } from './validate.js';
import { jobLayout, type RowLayout } from './layout.js';
import { SourceRow } from './source-row.js';
import { DuplicateFinder } from './duplicates.js';
import { assignCodes, codeProblem } from './codes.js';
import { checkBatch } from './check-batch.js';
import { readExistingKeys, streamRowArrays } from './existing.js';
import { insertRows, newTally, stampColumns, type LoadTally } from './load.js';
import { tableName } from './target.js';
import type { Job, RunContext } from './job.js';
import type { DateStats } from './dates.js';
import type { FieldStats } from './transforms.js';
import type { JobCounts, MappedRow, Reject, SqlValue } from './types.js';

export interface JobResult {
  job: Job;
  format: SourceFormat;
  counts: JobCounts & { deferred: number };
  rejects: Reject[];
  tally: LoadTally;
  /** The second count of the file's records, and what recovery did (read.ts). */
  read: ReadStats;
  /** Per Dolibarr column with a date transform: which format read how many values. */
  dates: Record<string, DateStats>;
  /** Rows whose text looks damaged before export (mojibake.ts): loaded, but flagged. */
  warnings: TextWarnings;
}

/**
 * One file, one pass, on the run's transaction: read -> map -> check the row -> check a batch
 * against the database -> insert the batch. A single pass (not validate-then-load) halves the
 * reading and mapping; the run's transaction is what keeps "nothing is written" true: it is
 * rolled back when a row was rejected and not accepted, on a dry run, or when reconciliation fails.
 */
export async function importJob(ctx: RunContext, job: Job, format: SourceFormat, importKey: string, sample?: number, recover = false): Promise<JobResult> {
  const def = objectDefs[job.mapping.object];
  const schema = ctx.schemas.get(def.table)!;
  const table = tableName(ctx.target, def.table);
  // Compiled once per file: column slots, transforms, checks (nothing is decided per row).
  const layout = jobLayout(def, job.mapping, stampColumns(def.kind, ctx, importKey));
  const fieldStats: Record<string, FieldStats> = {};
  const mapRow = compileMapper(job.mapping, format.header, layout, ctx, fieldStats);
  const validate = compileValidator(def, schema, layout.columns, layout.checked);
  const out: JobResult = { job, format, counts: { source: 0, loaded: 0, alreadyPresent: 0, rejected: 0, deferred: 0 }, rejects: [], tally: newTally(schema, layout), read: newReadStats(), dates: {}, warnings: newTextWarnings() };
  const checkText = compileTextCheck(format.header, sourceColumns(job.mapping), out.warnings);
  const dupes = new DuplicateFinder(def, layout);
  const codes = def.kind === 'thirdparty' ? codeSlots(layout) : undefined;
  const prices = def.kind === 'product' && !('price_ttc' in job.mapping.fields) ? priceSlots(layout) : undefined;
  const existing = await readExistingKeys(ctx.db, ctx.target, def, ctx.entity);
  if (def.kind === 'thirdparty') for (const [k, id] of existing) ctx.thirdpartyRowids.set(k, id);
  if (def.kind === 'contact' && !ctx.thirdpartyRowids.size) {
    for (const [k, id] of await readExistingKeys(ctx.db, ctx.target, objectDefs.thirdparty, ctx.entity)) ctx.thirdpartyRowids.set(k, id);
  }
  let batch: MappedRow[] = [];
  // One insert in flight while the next batch is read and mapped: the database and the parser
  // work at the same time. Queries on one connection still run in order.
  let inflight: Promise<void> = Promise.resolve();
  let accepted = 0;
  const flush = async () => {
    const rows = batch;
    batch = [];
    if (rows.length === 0) return;
    const verdict = await checkBatch(ctx, job, layout, rows, existing, sample !== undefined);
    for (const r of verdict.rejects) out.rejects.push(r);
    out.counts.alreadyPresent += verdict.present;
    out.counts.deferred += verdict.deferred;
    if (codes) for (const r of verdict.insert) assignRowCodes(r.values, codes, ctx.codeRule);
    if (prices) for (const r of verdict.insert) setPriceWithTax(r.values, prices);
    accepted += verdict.insert.length;
    await inflight;
    inflight = (async () => {
      await insertRows(ctx, table, layout, verdict.insert, out.tally);
      if (def.kind === 'thirdparty' && verdict.insert.length > 0) await rememberRowids(ctx, table, importKey);
    })();
    inflight.catch(() => undefined); // awaited (and rethrown) at the next flush or the end
  };
  // --sample: rows past N still go through the database half of the checks (codes used by other
  // records, the third party they name), in batches, without being loaded. A bad row anywhere
  // stops the sample run, not the full one after it.
  let unloaded: MappedRow[] = [];
  const checkUnloaded = async () => {
    const rows = unloaded;
    unloaded = [];
    if (rows.length === 0) return;
    const verdict = await checkBatch(ctx, job, layout, rows, existing, true);
    for (const r of verdict.rejects) out.rejects.push(r);
    out.counts.deferred += rows.length - verdict.rejects.length;
  };
  const codeCheck = codes && 'unsupported' in ctx.codeRule ? codes : undefined;
  for await (const chunk of readSourceChunks(job.file, format, { recover, stats: out.read })) {
    for (let i = 0; i < chunk.length; i++) {
      const item = chunk[i]!;
      out.counts.source++;
      if (!(item instanceof SourceRow)) {
        out.rejects.push(item);
        continue;
      }
      checkText(item.line, item.fields);
      const m = mapRow(item);
      if (!isMapped(m)) {
        out.rejects.push(m);
        continue;
      }
      let problems = validate(m.values);
      const code = codeCheck ? codeProblem(rowCodes(m.values, codeCheck), ctx.codeRule) : undefined;
      if (code) problems = [...problems, { field: 'code_client', reason: code }];
      const dup = problems.length === 0 ? dupes.check(m) : undefined;
      if (dup) problems = [dup];
      if (problems.length > 0) {
        out.rejects.push({ line: m.line, field: problems[0]!.field, reason: problems.map((p) => p.reason).join('; '), record: item.record });
        continue;
      }
      if (def.kind === 'thirdparty') ctx.thirdpartyKeys.add(m.lowerKey);
      // --sample: rows past N are still read and checked (their rejects are reported), not loaded.
      if (sample !== undefined && accepted >= sample) {
        unloaded.push(m);
        if (unloaded.length >= ctx.batchSize) await checkUnloaded();
        continue;
      }
      batch.push(m);
      // A sample fills up exactly: a contact whose third party is not in the sample leaves room for the next.
      if (batch.length >= (sample === undefined ? ctx.batchSize : Math.min(ctx.batchSize, sample - accepted))) await flush();
    }
  }
  await flush();
  await checkUnloaded();
  await inflight;
  for (const [column, st] of Object.entries(fieldStats)) if (st.dates) out.dates[column] = st.dates;
  out.counts.loaded = out.tally.loaded;
  out.counts.rejected = out.rejects.length;
  out.rejects.sort((a, b) => a.line - b.line);
  return out;
}

/**
 * The rowids of the third parties just inserted, for their contacts: the rows of this batch above
 * the highest rowid seen (a primary-key range; ref_ext has no index), on the run's transaction.
 */
async function rememberRowids(ctx: RunContext, table: string, importKey: string): Promise<void> {
  await streamRowArrays(ctx.db, `SELECT rowid, ref_ext FROM ${table} WHERE rowid > ? AND import_key = ? AND entity = ?`, [ctx.lastThirdpartyRowid, importKey, ctx.entity], (r) => {
    const rowid = Number(r[0]);
    ctx.thirdpartyRowids.set(String(r[1]).toLowerCase(), rowid);
    if (rowid > ctx.lastThirdpartyRowid) ctx.lastThirdpartyRowid = rowid;
  });
}

type CodeSlots = Record<'client' | 'fournisseur' | 'code_client' | 'code_fournisseur', number>;

function codeSlots(layout: RowLayout): CodeSlots {
  return { client: layout.slot('client'), fournisseur: layout.slot('fournisseur'), code_client: layout.slot('code_client'), code_fournisseur: layout.slot('code_fournisseur') };
}

function rowCodes(values: SqlValue[], s: CodeSlots): Record<string, SqlValue> {
  return { client: values[s.client] ?? null, fournisseur: values[s.fournisseur] ?? null, code_client: values[s.code_client] ?? null, code_fournisseur: values[s.code_fournisseur] ?? null };
}

/** Give a validated third party its generated codes (codes.ts decides which and how). */
function assignRowCodes(values: SqlValue[], s: CodeSlots, rule: RunContext['codeRule']): void {
  if (!('next' in rule)) return;
  const codes = rowCodes(values, s);
  assignCodes(codes, rule);
  values[s.code_client] = codes.code_client ?? null;
  values[s.code_fournisseur] = codes.code_fournisseur ?? null;
}

function priceSlots(layout: RowLayout): Record<'price' | 'tva_tx' | 'price_base_type' | 'price_ttc', number> {
  return { price: layout.slot('price'), tva_tx: layout.slot('tva_tx'), price_base_type: layout.slot('price_base_type'), price_ttc: layout.slot('price_ttc') };
}

/** Product::create() stores price_ttc next to price (excl. tax): price x (1 + VAT rate), as Dolibarr rounds to 8 decimals. */
function setPriceWithTax(values: SqlValue[], s: ReturnType<typeof priceSlots>): void {
  if (values[s.price_base_type] !== 'HT') {
    values[s.price_ttc] = 0; // the column's default (llx_product.sql), as when the column was not sent
    return;
  }
  const price = Number(values[s.price] ?? 0);
  const vat = Number(values[s.tva_tx] ?? 0);
  values[s.price_ttc] = Number((price * (1 + vat / 100)).toFixed(8));
}
