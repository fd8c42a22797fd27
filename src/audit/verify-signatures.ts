import type { KeyObject } from 'node:crypto';
import type { AuditEntry } from './entry.js';
import { signatureValid } from './signing-key.js';
import { anchorMessage, type Anchor, type ChainProblem } from './verify.js';

/**
 * With the audit public key: every entry must carry a valid signature of its hash, and the anchor a valid
 * signature of its position. A rewritten chain (recomputed hashes) fails here even when verifyChain passes.
 * Runs of unsigned entries are reported once each (a store written before signing shows as one run).
 */
export function verifySignatures(
  entries: readonly AuditEntry[],
  anchor: Anchor | undefined,
  publicKey: KeyObject,
): ChainProblem[] {
  const unsigned: ChainProblem[] = [];
  const forged: ChainProblem[] = [];
  let unsignedFrom: AuditEntry | undefined;
  let previous: AuditEntry | undefined;
  const closeRun = () => {
    if (!unsignedFrom || !previous) return;
    const span =
      unsignedFrom === previous ? `entry ${previous.seq}` : `entries ${unsignedFrom.seq}..${previous.seq}`;
    unsigned.push({
      seq: unsignedFrom.seq,
      kind: 'unsigned',
      message: `${span} carry no signature: written without the audit key, or the signatures were stripped`,
    });
    unsignedFrom = undefined;
  };
  for (const e of entries) {
    if (!e.signature) unsignedFrom ??= e;
    else {
      closeRun();
      if (!signatureValid(publicKey, e.hash, e.signature))
        forged.push({
          seq: e.seq,
          kind: 'forged',
          message: `entry ${e.seq} (${e.action} by ${e.actor} at ${e.at}) has a signature the audit key did not make: the entry was rewritten`,
        });
    }
    previous = e;
  }
  closeRun();
  const signed = entries.filter((e) => e.signature).length;
  // not one signature matches: far more likely another key than a rewrite of every entry
  const keyReplaced = signed > 1 && forged.length === signed;
  return [
    ...unsigned,
    ...(keyReplaced
      ? [
          {
            seq: forged[0]!.seq,
            kind: 'forged' as const,
            message: `none of the ${signed} signatures was made by this key: the audit key was replaced (restore the key file, or check with --public-key) or every entry was rewritten`,
          },
        ]
      : forged),
    ...anchorProblems(entries, anchor, publicKey),
  ];
}

function anchorProblems(
  entries: readonly AuditEntry[],
  anchor: Anchor | undefined,
  publicKey: KeyObject,
): ChainProblem[] {
  if (entries.length > 0 && !anchor)
    return [
      {
        seq: entries.at(-1)!.seq,
        kind: 'truncated',
        message:
          "the anchor (the trail's signed head, beside the audit key) is missing: a deleted tail could not be seen; restore it from a backup",
      },
    ];
  if (
    anchor &&
    !(anchor.signature && signatureValid(publicKey, anchorMessage(anchor.seq, anchor.hash), anchor.signature))
  )
    return [
      {
        seq: anchor.seq,
        kind: 'forged',
        message: `the anchor (entry ${anchor.seq}) is not signed by the audit key: it was rewritten, perhaps to hide a deleted tail`,
      },
    ];
  return [];
}
