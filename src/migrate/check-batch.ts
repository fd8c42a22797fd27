import { objectDefs } from './objects.js';
import { checkExisting, lookup } from './existing.js';
import { tableName } from './target.js';
import type { Job, RunContext } from './job.js';
import type { MappedRow, Reject } from './types.js';

export interface BatchVerdict {
  insert: MappedRow[];
  rejects: Reject[];
  /** Rows already in the database under their key: skipped (idempotent re-run). */
  present: number;
  /** Sample runs: contacts whose third party is in this migration but not in the sample. */
  deferred: number;
}

/**
 * The database half of validation, for a batch of rows that passed the row checks: existing
 * keys (skipped), unique codes used by other records (rejected), and for contacts the third
 * party they name — looked up on the run's transaction, so third parties inserted moments
 * before are found, and the lookup gives the fk_soc to insert. One query per column per batch.
 */
export async function checkBatch(ctx: RunContext, job: Job, rows: MappedRow[], sampling: boolean): Promise<BatchVerdict> {
  const def = objectDefs[job.mapping.object];
  const out: BatchVerdict = { insert: [], rejects: [], present: 0, deferred: 0 };
  const existing = await checkExisting(ctx.db, ctx.target, def, ctx.entity, rows);
  const by = job.mapping.thirdparty?.by ?? 'ref_ext';
  const refs = [...new Set(rows.flatMap((r) => (r.refs.thirdparty ? [r.refs.thirdparty] : [])))];
  const parents = refs.length > 0 ? await lookup(ctx.db, tableName(ctx.target, 'societe'), by, 'ref_ext', ctx.entity, refs) : new Map();
  for (const r of rows) {
    const clash = existing.clashes.get(r.line);
    if (existing.present.has(r.line)) {
      out.present++;
      continue;
    }
    if (clash) {
      out.rejects.push({ line: r.line, field: clash.field, reason: clash.reason, record: r.source });
      continue;
    }
    if (r.refs.thirdparty) {
      const parent = parents.get(r.refs.thirdparty.toLowerCase());
      if (!parent) {
        if (sampling && by === 'ref_ext' && ctx.thirdpartyKeys.has(r.refs.thirdparty.toLowerCase())) out.deferred++;
        else out.rejects.push({ line: r.line, field: job.mapping.thirdparty!.from, reason: `third party "${r.refs.thirdparty}" not found (${by}) in this migration or the database`, record: r.source });
        continue;
      }
      r.values.fk_soc = parent.rowid;
    }
    out.insert.push(r);
  }
  return out;
}
