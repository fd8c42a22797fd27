import { objectDefs } from './objects.js';
import { FieldChecksums, pairHash } from './checksum.js';
import { tableName } from './target.js';
import { streamRowArrays, streamRows } from './existing.js';
import type { RunContext } from './job.js';
import type { JobResult } from './import-job.js';

export interface FieldCheck {
  field: string;
  source: number;
  database: number;
  match: boolean;
}

export interface JobReconciliation {
  /** source rows = loaded + already present + rejected + deferred (sample). */
  countsBalance: boolean;
  rowsInDatabase: number;
  fields: FieldCheck[];
  relationships?: { expected: number; linked: number; orphans: number; pairsMatch: boolean };
  passed: boolean;
}

/**
 * Stage "reconcile" (policy "Data Migration Deployment: validate record counts, check data
 * integrity, verify relationships"): read back what this batch wrote, on the same transaction,
 * and compare with what the source gave — counts, per-field checksums, contact -> third party links.
 */
export async function reconcileJob(ctx: RunContext, v: JobResult, importKey: string): Promise<JobReconciliation> {
  const load = v.tally;
  const def = objectDefs[v.job.mapping.object];
  const schema = ctx.schemas.get(def.table)!;
  const table = tableName(ctx.target, def.table);
  const c = v.counts;
  const countsBalance = c.source === c.loaded + c.alreadyPresent + c.rejected + c.deferred;
  const columns = load.sent.columns;
  const stored = new FieldChecksums(schema, columns);
  // The key first, then the checksummed columns: each row read back as an array, no object per row.
  const slots = columns.map((_, i) => i + 1);
  await streamRowArrays(ctx.db, `SELECT ${[def.keyColumn, ...columns].join(', ')} FROM ${table} WHERE import_key = ? AND entity = ?`, [importKey, ctx.entity], (row) => {
    stored.addRow(String(row[0]), row, slots);
  });
  const fields = columns.map((f) => {
    const source = load.sent.sum(f);
    const database = stored.sum(f);
    return { field: f, source, database, match: source === database };
  });
  const relationships = def.kind === 'contact' ? await checkLinks(ctx, v, importKey) : undefined;
  const passed = countsBalance && stored.rows === load.loaded && fields.every((f) => f.match) && (!relationships || (relationships.pairsMatch && relationships.orphans === 0 && relationships.linked === relationships.expected));
  return { countsBalance, rowsInDatabase: stored.rows, fields, relationships, passed };
}

async function checkLinks(ctx: RunContext, v: JobResult, importKey: string): Promise<NonNullable<JobReconciliation['relationships']>> {
  const by = v.job.mapping.thirdparty?.by ?? 'ref_ext';
  const contacts = tableName(ctx.target, 'socpeople');
  const societe = tableName(ctx.target, 'societe');
  let linked = 0;
  let sum = 0;
  let orphans = 0;
  await streamRows(
    ctx.db,
    `SELECT c.ref_ext AS k, s.rowid AS sid, s.${by} AS ref FROM ${contacts} c LEFT JOIN ${societe} s ON s.rowid = c.fk_soc WHERE c.import_key = ? AND c.entity = ? AND c.fk_soc IS NOT NULL`,
    [importKey, ctx.entity],
    (row) => {
      if (row.sid === null) orphans++;
      else {
        linked++;
        sum += pairHash(String(row.k), String(row.ref));
      }
    },
  );
  return { expected: v.tally.links.count, linked, orphans, pairsMatch: sum === v.tally.links.sum };
}

