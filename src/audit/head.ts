import type { KeyObject } from 'node:crypto';
import { inputError } from '../core/errors.js';
import type { AuditEntry } from './entry.js';
import { signatureValid } from './signing-key.js';
import { anchorMessage, type Anchor, type ChainProblem } from './verify.js';

/**
 * An auditor's copy of the trail's signed head (`audit export --head`), kept away from the store and the key:
 * the trail may only grow past it. A later `audit verify --head FILE` names a trail that ends before it or that
 * holds another entry at its position — a rolled-back or rewritten log, even with store, anchor and key restored.
 */
export interface SignedHead {
  format: 'mokodeploy-audit-head/1';
  seq: number;
  hash: string;
  /** When the head entry was written. */
  at: string;
  signature: string;
}

export function signedHeadOf(anchor: Anchor, entries: readonly AuditEntry[]): SignedHead | undefined {
  const entry = entries.find((e) => e.seq === anchor.seq && e.hash === anchor.hash);
  if (!entry || !anchor.signature) return undefined;
  return {
    format: 'mokodeploy-audit-head/1',
    seq: anchor.seq,
    hash: anchor.hash,
    at: entry.at,
    signature: anchor.signature,
  };
}

export function parseSignedHead(text: string, where: string): SignedHead {
  try {
    const h = JSON.parse(text) as SignedHead;
    if (h.format === 'mokodeploy-audit-head/1' && Number.isInteger(h.seq) && typeof h.hash === 'string')
      return h;
  } catch {
    // reported below
  }
  throw inputError('not a signed audit head', {
    where,
    fix: 'give the file written by `mokodeploy audit export --head`',
  });
}

export function verifyHead(
  entries: readonly AuditEntry[],
  head: SignedHead,
  publicKey: KeyObject,
): ChainProblem[] {
  if (!signatureValid(publicKey, anchorMessage(head.seq, head.hash), head.signature))
    return [
      {
        seq: head.seq,
        kind: 'forged',
        message: `the exported head (entry ${head.seq}) is not signed by this audit key`,
      },
    ];
  const at = entries.find((e) => e.seq === head.seq);
  const lastSeq = entries.reduce((m, e) => Math.max(m, e.seq), 0);
  if (!at)
    return [
      {
        seq: head.seq,
        kind: 'rolled-back',
        message: `the trail ends at entry ${lastSeq}, but the head exported on ${head.at} had entry ${head.seq}: the trail was rolled back (entries ${lastSeq + 1}..${head.seq} are gone)`,
      },
    ];
  if (at.hash !== head.hash)
    return [
      {
        seq: head.seq,
        kind: 'rolled-back',
        message: `entry ${head.seq} is not the one in the head exported on ${head.at}: the trail was rewritten since`,
      },
    ];
  return [];
}
