import { objectDefs } from './objects.js';
import { findClashes, lookup } from './existing.js';
import { tableName } from './target.js';
import type { Job, RunContext } from './job.js';
import type { MappedRow, Reject } from './types.js';
import type { RowLayout } from './layout.js';

export interface BatchVerdict {
  insert: MappedRow[];
  rejects: Reject[];
  /** Rows already in the database under their key: skipped (idempotent re-run). */
  present: number;
  /** Sample runs: contacts whose third party is in this migration but not in the sample. */
  deferred: number;
}

/**
 * The database half of validation for a batch of rows that passed the row checks: keys already
 * present (skipped), unique codes used by other records (rejected), and for contacts the third
 * party they name, which gives the fk_soc to insert. Third parties named by ref_ext come from
 * the run's map (existing + inserted on this transaction); by code or name, from one query.
 */
export async function checkBatch(ctx: RunContext, job: Job, layout: RowLayout, rows: MappedRow[], existing: Map<string, number>, sampling: boolean): Promise<BatchVerdict> {
  const def = objectDefs[job.mapping.object];
  const out: BatchVerdict = { insert: [], rejects: [], present: 0, deferred: 0 };
  const fresh: MappedRow[] = [];
  for (const r of rows) {
    if (existing.has(r.lowerKey)) out.present++;
    else fresh.push(r);
  }
  const clashes = def.unique.length > 0 ? await findClashes(ctx.db, ctx.target, def, layout, ctx.entity, fresh) : undefined;
  const parentOf = await parentResolver(ctx, job, fresh);
  const fkSoc = layout.slot('fk_soc');
  for (const r of fresh) {
    const clash = clashes?.get(r.line);
    if (clash) {
      out.rejects.push({ line: r.line, field: clash.field, reason: clash.reason, record: r.source.record });
      continue;
    }
    if (r.parentRef !== undefined) {
      const parent = parentOf(r.parentRef);
      if (parent === undefined) {
        const by = job.mapping.thirdparty?.by ?? 'ref_ext';
        if (sampling && by === 'ref_ext' && ctx.thirdpartyKeys.has(r.parentRef.toLowerCase())) out.deferred++;
        else out.rejects.push({ line: r.line, field: job.mapping.thirdparty!.from, reason: missingParent(r.parentRef, by), record: r.source.record });
        continue;
      }
      r.values[fkSoc] = parent;
    }
    out.insert.push(r);
  }
  return out;
}

async function parentResolver(ctx: RunContext, job: Job, rows: MappedRow[]): Promise<(ref: string) => number | undefined> {
  const by = job.mapping.thirdparty?.by ?? 'ref_ext';
  if (by === 'ref_ext') return (ref) => ctx.thirdpartyRowids.get(ref.toLowerCase());
  const refs = [...new Set(rows.flatMap((r) => (r.parentRef !== undefined ? [r.parentRef] : [])))];
  const found = await lookup(ctx.db, tableName(ctx.target, 'societe'), by, 'ref_ext', ctx.entity, refs);
  return (ref) => found.get(ref.toLowerCase())?.rowid;
}

export function missingParent(ref: string, by: string): string {
  return `third party "${ref}" not found (${by}) in this migration or the database`;
}
