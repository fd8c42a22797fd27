import { inputError } from '../core/errors.js';
import { objectDefs } from './objects.js';
import { inspectSource, readSource } from './read.js';
import { mapRow, sourceColumns } from './map.js';
import { validateRow } from './validate.js';
import { DuplicateFinder } from './duplicates.js';
import { checkExisting, lookup } from './existing.js';
import { codeProblem } from './codes.js';
import { tableName } from './target.js';
import type { Job, JobValidation, RunContext } from './job.js';
import type { SourceEncoding } from './encoding.js';
import type { MappedRow, Reject } from './types.js';

/**
 * Stage "validate": read -> map -> check every row, writing nothing. Rows are checked on their
 * own (types, lengths, e-mails), against the rows before them (duplicates), and in batches
 * against the database (existing keys, unique codes, referenced third parties).
 */
export async function validateJob(ctx: RunContext, job: Job, encoding?: SourceEncoding): Promise<JobValidation> {
  const def = objectDefs[job.mapping.object];
  const schema = ctx.schemas.get(def.table)!;
  const format = inspectSource(job.file, encoding);
  const missing = sourceColumns(job.mapping).filter((c) => !format.header.includes(c));
  if (missing.length > 0) {
    throw inputError(`the file lacks column(s) the mapping reads: ${missing.map((c) => `"${c}"`).join(', ')}`, {
      where: `${job.file}:1`,
      details: [`header: ${format.header.join(', ')}`, `mapping: ${job.mappingSource}`],
      fix: 'export the missing columns, or change the mapping',
    });
  }
  const out: JobValidation = { job, format, counts: { source: 0, loaded: 0, alreadyPresent: 0, rejected: 0, valid: 0 }, rejected: new Set(), present: new Set(), rejects: [] };
  const reject = (r: Reject) => {
    out.rejected.add(r.line);
    out.rejects.push(r);
  };
  const dupes = new DuplicateFinder(def);
  let batch: MappedRow[] = [];
  const flush = async () => {
    await checkBatch(ctx, job, batch, out, reject);
    batch = [];
  };
  for await (const item of readSource(job.file, format)) {
    out.counts.source++;
    if ('reject' in item) {
      reject(item.reject);
      continue;
    }
    const m = mapRow(item.row, job.mapping, ctx);
    if ('reject' in m) {
      reject(m.reject);
      continue;
    }
    const problems = validateRow(m.mapped, def, schema);
    const code = def.kind === 'thirdparty' ? codeProblem(m.mapped.values, ctx.codeRule) : undefined;
    if (code) problems.push({ field: 'code_client', reason: code });
    const dup = problems.length === 0 ? dupes.check(m.mapped) : undefined;
    if (dup) problems.push(dup);
    if (problems.length > 0) {
      reject({ line: m.mapped.line, field: problems[0]!.field, reason: problems.map((p) => p.reason).join('; '), record: item.row.record });
      continue;
    }
    batch.push({ ...m.mapped, source: item.row.record });
    if (batch.length >= ctx.batchSize) await flush();
  }
  await flush();
  out.counts.rejected = out.rejected.size;
  out.counts.alreadyPresent = out.present.size;
  out.counts.valid = out.counts.source - out.counts.rejected - out.counts.alreadyPresent;
  out.rejects.sort((a, b) => a.line - b.line);
  return out;
}

async function checkBatch(ctx: RunContext, job: Job, rows: MappedRow[], out: JobValidation, reject: (r: Reject) => void): Promise<void> {
  const def = objectDefs[job.mapping.object];
  const existing = await checkExisting(ctx.db, ctx.target, def, ctx.entity, rows);
  const missingRefs = await unresolvedThirdparties(ctx, job, rows);
  for (const r of rows) {
    const record = r.source;
    const clash = existing.clashes.get(r.line);
    if (clash) reject({ line: r.line, field: clash.field, reason: clash.reason, record });
    else if (r.refs.thirdparty && missingRefs.has(r.refs.thirdparty.toLowerCase())) {
      reject({ line: r.line, field: job.mapping.thirdparty!.from, reason: `third party "${r.refs.thirdparty}" not found (${job.mapping.thirdparty!.by}) in this migration or the database`, record });
    } else if (existing.present.has(r.line)) out.present.add(r.line);
    else if (def.kind === 'thirdparty') ctx.thirdpartyKeys.add(r.key.toLowerCase());
  }
  if (def.kind === 'thirdparty') for (const r of rows) if (existing.present.has(r.line)) ctx.thirdpartyKeys.add(r.key.toLowerCase());
}

/** Third-party references of a batch found neither among this run's third parties nor in the database. */
async function unresolvedThirdparties(ctx: RunContext, job: Job, rows: MappedRow[]): Promise<Set<string>> {
  const by = job.mapping.thirdparty?.by ?? 'ref_ext';
  const refs = [...new Set(rows.flatMap((r) => (r.refs.thirdparty ? [r.refs.thirdparty.toLowerCase()] : [])))];
  const pending = by === 'ref_ext' ? refs.filter((r) => !ctx.thirdpartyKeys.has(r)) : refs;
  const found = await lookup(ctx.db, tableName(ctx.target, 'societe'), by, 'ref_ext', ctx.entity, pending);
  return new Set(pending.filter((r) => !found.has(r)));
}
