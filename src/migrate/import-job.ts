import { objectDefs } from './objects.js';
import { readSource, type SourceFormat } from './read.js';
import { mapRow } from './map.js';
import { validateRow } from './validate.js';
import { DuplicateFinder } from './duplicates.js';
import { assignCodes, codeProblem } from './codes.js';
import { checkBatch } from './check-batch.js';
import { readExistingKeys } from './existing.js';
import { insertRows, newTally, stampColumns, type LoadTally } from './load.js';
import { tableName } from './target.js';
import type { Job, RunContext } from './job.js';
import type { JobCounts, MappedRow, Reject } from './types.js';

export interface JobResult {
  job: Job;
  format: SourceFormat;
  counts: JobCounts & { deferred: number };
  rejects: Reject[];
  tally: LoadTally;
}

/**
 * One file, one pass, on the run's transaction: read -> map -> check the row -> check a batch
 * against the database -> insert the batch. A single pass (not validate-then-load) halves the
 * reading and mapping; the run's transaction is what keeps "nothing is written" true: it is
 * rolled back when a row was rejected and not accepted, on a dry run, or when reconciliation fails.
 */
export async function importJob(ctx: RunContext, job: Job, format: SourceFormat, importKey: string, sample?: number): Promise<JobResult> {
  const def = objectDefs[job.mapping.object];
  const schema = ctx.schemas.get(def.table)!;
  const table = tableName(ctx.target, def.table);
  const stamp = stampColumns(def.kind, ctx, importKey);
  const out: JobResult = { job, format, counts: { source: 0, loaded: 0, alreadyPresent: 0, rejected: 0, deferred: 0 }, rejects: [], tally: newTally(schema) };
  const dupes = new DuplicateFinder(def);
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
    const verdict = await checkBatch(ctx, job, rows, existing, sample !== undefined);
    out.rejects.push(...verdict.rejects);
    out.counts.alreadyPresent += verdict.present;
    out.counts.deferred += verdict.deferred;
    if (def.kind === 'thirdparty') for (const r of verdict.insert) assignCodes(r.values, ctx.codeRule);
    if (def.kind === 'product') for (const r of verdict.insert) setPriceWithTax(r);
    accepted += verdict.insert.length;
    await inflight;
    inflight = (async () => {
      await insertRows(ctx, table, verdict.insert, stamp, out.tally);
      if (def.kind === 'thirdparty' && verdict.insert.length > 0) await rememberRowids(ctx, table, importKey, verdict.insert);
    })();
    inflight.catch(() => undefined); // awaited (and rethrown) at the next flush or the end
  };
  for await (const item of readSource(job.file, format)) {
    out.counts.source++;
    if ('reject' in item) {
      out.rejects.push(item.reject);
      continue;
    }
    const m = mapRow(item.row, job.mapping, ctx);
    if ('reject' in m) {
      out.rejects.push(m.reject);
      continue;
    }
    const problems = validateRow(m.mapped, def, schema);
    const code = def.kind === 'thirdparty' ? codeProblem(m.mapped.values, ctx.codeRule) : undefined;
    if (code) problems.push({ field: 'code_client', reason: code });
    const dup = problems.length === 0 ? dupes.check(m.mapped) : undefined;
    if (dup) problems.push(dup);
    if (problems.length > 0) {
      out.rejects.push({ line: m.mapped.line, field: problems[0]!.field, reason: problems.map((p) => p.reason).join('; '), record: item.row.record });
      continue;
    }
    if (def.kind === 'thirdparty') ctx.thirdpartyKeys.add(m.mapped.key.toLowerCase());
    // --sample: rows past N are still read and checked (their rejects are reported), not loaded.
    if (sample !== undefined && accepted >= sample) {
      out.counts.deferred++;
      continue;
    }
    batch.push({ ...m.mapped, source: item.row });
    // A sample fills up exactly: a contact whose third party is not in the sample leaves room for the next.
    if (batch.length >= (sample === undefined ? ctx.batchSize : Math.min(ctx.batchSize, sample - accepted))) await flush();
  }
  await flush();
  await inflight;
  out.counts.loaded = out.tally.loaded;
  out.counts.rejected = out.rejects.length;
  out.rejects.sort((a, b) => a.line - b.line);
  return out;
}

/** The rowids of the third parties just inserted (by their keys, on the run's transaction), for their contacts. */
async function rememberRowids(ctx: RunContext, table: string, importKey: string, rows: MappedRow[]): Promise<void> {
  const [found] = await ctx.db.query(`SELECT rowid, ref_ext FROM ${table} WHERE import_key = ? AND entity = ? AND rowid > ? AND ref_ext IN (?)`, [importKey, ctx.entity, ctx.lastThirdpartyRowid, rows.map((r) => r.key)]);
  for (const r of found as { rowid: number; ref_ext: string }[]) {
    ctx.thirdpartyRowids.set(r.ref_ext.toLowerCase(), Number(r.rowid));
    ctx.lastThirdpartyRowid = Math.max(ctx.lastThirdpartyRowid, Number(r.rowid));
  }
}

/** Product::create() stores price_ttc next to price (excl. tax): price x (1 + VAT rate), as Dolibarr rounds to 8 decimals. */
function setPriceWithTax(r: MappedRow): void {
  if (r.values.price_ttc !== undefined || r.values.price_base_type !== 'HT') return;
  const price = Number(r.values.price ?? 0);
  const vat = Number(r.values.tva_tx ?? 0);
  r.values.price_ttc = Number((price * (1 + vat / 100)).toFixed(8));
}
