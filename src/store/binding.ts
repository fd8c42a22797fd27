import { entryHash, type AuditEntry } from '../audit/entry.js';
import { planDifferences, rowDifferences, type StoredRow } from '../audit/record-binding.js';
import { signatureValid, type AuditSigner } from '../audit/signing-key.js';
import type { Anchor } from '../audit/verify.js';

/** What a store reads about one row's trail before the row may be used; each store reads it its own way. */
export interface BindingFacts {
  /** The first and the last entry that wrote the row (with a record hash), in storage order. */
  first?: AuditEntry;
  last?: AuditEntry;
  /** The seq of the first signed entry of the whole trail (null: none is signed). */
  firstSignedSeq: number | null;
  /** The highest seq of the trail (null: empty). */
  lastSeq: number | null;
}

/**
 * Why a stored row may not be used (empty when it may): it must be what its last audit entry wrote, that entry
 * intact, signed (with a signer) and the one the anchor holds at its position, and the trail not behind its
 * anchor (a restored older store). The whole trail is `audit verify`'s; this is the quick check before acting.
 */
export function bindingProblemsOf(
  row: StoredRow,
  facts: BindingFacts,
  opts: { signer?: AuditSigner; anchor?: Anchor },
): string[] {
  const { first, last } = facts;
  const problems = [
    ...rowDifferences(row, first && last ? { first, last } : undefined),
    ...planDifferences(row),
  ];
  if (last && entryHash(last.prevHash, last) !== last.hash)
    problems.push(`its last audit entry ${last.seq} was edited`);
  if (last && opts.signer && !signedAsExpected(last, facts.firstSignedSeq, opts.signer))
    problems.push(`its last audit entry ${last.seq} is not signed by the audit key`);
  const { anchor } = opts;
  if (last && anchor && anchor.seq === last.seq && anchor.hash !== last.hash)
    problems.push(`its last audit entry ${last.seq} is not the one the anchor holds: it was rewritten`);
  const behind = behindAnchorOf(facts.lastSeq, anchor);
  if (behind) problems.push(behind);
  return problems;
}

/**
 * A wrong signature never passes; a missing one only before the first signed entry (a store seeded without
 * the key): a signature stripped from a later entry is a rewrite.
 */
function signedAsExpected(entry: AuditEntry, firstSignedSeq: number | null, signer: AuditSigner): boolean {
  if (entry.signature) return signatureValid(signer.publicKey, entry.hash, entry.signature);
  return firstSignedSeq === null || entry.seq < firstSignedSeq;
}

/** The trail ends before the entry its anchor says was written: its tail was deleted or an older store restored. */
export function behindAnchorOf(lastSeq: number | null, anchor: Anchor | undefined): string | undefined {
  return anchor && anchor.seq > (lastSeq ?? 0)
    ? `the audit trail ends at entry ${lastSeq ?? 0} but entry ${anchor.seq} was written (the anchor): its tail was deleted or an older store restored`
    : undefined;
}
