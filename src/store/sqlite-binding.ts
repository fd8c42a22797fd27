import type Database from 'better-sqlite3';
import type { AuditSigner } from '../audit/signing-key.js';
import type { Anchor } from '../audit/verify.js';
import { entryOf, type AuditRow, type StoredRow } from './rows.js';
import { behindAnchorOf, bindingProblemsOf } from './binding.js';

/** Why a stored row may not be used (binding.ts), with the facts read from SQLite. */
export function bindingProblems(
  db: Database.Database,
  row: StoredRow,
  opts: { signer?: AuditSigner; anchor?: Anchor },
): string[] {
  const bound = (order: 'ASC' | 'DESC') =>
    db
      .prepare(
        `SELECT * FROM audit WHERE deployment_id = ? AND record_hash IS NOT NULL ORDER BY pos ${order} LIMIT 1`,
      )
      .get(row.id) as AuditRow | undefined;
  const [first, last] = [bound('ASC'), bound('DESC')].map((r) => (r ? entryOf(r) : undefined));
  // along the seq index, stopping at the first signed entry: no scan of the whole trail on every read
  const signed = db
    .prepare('SELECT seq FROM audit WHERE signature IS NOT NULL ORDER BY seq LIMIT 1')
    .get() as { seq: number } | undefined;
  return bindingProblemsOf(
    row,
    { first, last, firstSignedSeq: signed?.seq ?? null, lastSeq: lastSeq(db) },
    opts,
  );
}

const lastSeq = (db: Database.Database) =>
  (db.prepare('SELECT MAX(seq) AS seq FROM audit').get() as { seq: number | null }).seq;

/** The trail ends before the entry its anchor says was written: its tail was deleted or an older store restored. */
export function behindAnchor(db: Database.Database, anchor: Anchor | undefined): string | undefined {
  return behindAnchorOf(lastSeq(db), anchor);
}
