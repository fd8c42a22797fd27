import type pg from 'pg';
import { entryOf, type AuditRow } from './rows.js';
import type { BindingFacts } from './binding.js';

/**
 * What the binding check (binding.ts) needs about one record's trail, in one round trip; each part walks an index
 * (audit (deployment_id, pos), audit seq), never the whole trail.
 */
export async function bindingFacts(db: Pick<pg.PoolClient, 'query'>, id: string): Promise<BindingFacts> {
  const entryAt = (order: 'ASC' | 'DESC') =>
    `(SELECT row_to_json(a) FROM (SELECT * FROM audit WHERE deployment_id = $1 AND record_hash IS NOT NULL ORDER BY pos ${order} LIMIT 1) a)`;
  const { rows } = await db.query<{
    first: AuditRow | null;
    last: AuditRow | null;
    signed: number | null;
    lastSeq: number | null;
  }>(
    `SELECT ${entryAt('ASC')} AS first, ${entryAt('DESC')} AS last,
       (SELECT seq FROM audit WHERE signature IS NOT NULL ORDER BY seq LIMIT 1) AS signed,
       (SELECT seq FROM audit ORDER BY seq DESC LIMIT 1) AS "lastSeq"`,
    [id],
  );
  const f = rows[0]!;
  return {
    first: f.first ? entryOf(f.first) : undefined,
    last: f.last ? entryOf(f.last) : undefined,
    firstSignedSeq: f.signed,
    lastSeq: f.lastSeq,
  };
}
