import type Database from 'better-sqlite3';
import { entryHash, type AuditEntry } from '../audit/entry.js';
import { planDifferences, rowDifferences } from '../audit/record-binding.js';
import { signatureValid, type AuditSigner } from '../audit/signing-key.js';
import type { Anchor } from '../audit/verify.js';
import { entryOf, type AuditRow, type StoredRow } from './sqlite-rows.js';

/**
 * Why a stored row may not be used (empty when it may): it must be what its last audit entry wrote, that entry
 * intact, signed (with a signer) and the one the anchor holds at its position, and the trail not behind its
 * anchor (a restored older store). The whole trail is `audit verify`'s; this is the quick check before acting.
 */
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
  const problems = [
    ...rowDifferences(row, first && last ? { first, last } : undefined),
    ...planDifferences(row),
  ];
  if (last && entryHash(last.prevHash, last) !== last.hash)
    problems.push(`its last audit entry ${last.seq} was edited`);
  if (last && opts.signer && !signedAsExpected(db, last, opts.signer))
    problems.push(`its last audit entry ${last.seq} is not signed by the audit key`);
  const { anchor } = opts;
  if (last && anchor && anchor.seq === last.seq && anchor.hash !== last.hash)
    problems.push(`its last audit entry ${last.seq} is not the one the anchor holds: it was rewritten`);
  const behind = behindAnchor(db, anchor);
  if (behind) problems.push(behind);
  return problems;
}

/**
 * A wrong signature never passes; a missing one only before the first signed entry (a store seeded without
 * the key): a signature stripped from a later entry is a rewrite.
 */
function signedAsExpected(db: Database.Database, entry: AuditEntry, signer: AuditSigner): boolean {
  if (entry.signature) return signatureValid(signer.publicKey, entry.hash, entry.signature);
  const first = db.prepare('SELECT MIN(seq) AS seq FROM audit WHERE signature IS NOT NULL').get() as {
    seq: number | null;
  };
  return first.seq === null || entry.seq < first.seq;
}

/** The trail ends before the entry its anchor says was written: its tail was deleted or an older store restored. */
export function behindAnchor(db: Database.Database, anchor: Anchor | undefined): string | undefined {
  const last = db.prepare('SELECT MAX(seq) AS seq FROM audit').get() as { seq: number | null };
  return anchor && anchor.seq > (last.seq ?? 0)
    ? `the audit trail ends at entry ${last.seq ?? 0} but entry ${anchor.seq} was written (the anchor): its tail was deleted or an older store restored`
    : undefined;
}
