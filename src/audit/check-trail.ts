import type { KeyObject } from 'node:crypto';
import type { Store } from '../store/store.js';
import { verifyChain, type ChainProblem } from './verify.js';
import { verifySignatures } from './verify-signatures.js';
import { verifyRecords } from './record-binding.js';
import { verifyHead, type SignedHead } from './head.js';

export interface TrailStatus {
  ok: boolean;
  entries: number;
  head: string | null;
  /** Whether signatures were checked (a public key was at hand). */
  signaturesChecked: boolean;
  problems: ChainProblem[];
}

/**
 * The whole audit check shared by `audit verify` and the server: the chain, the anchor, the signatures, every
 * stored record against the entries that wrote it, and (given one) an earlier exported head.
 */
export async function checkTrail(
  store: Store,
  publicKey?: KeyObject,
  opts: { head?: SignedHead } = {},
): Promise<TrailStatus> {
  const entries = await store.auditEntries();
  const anchor = store.readAnchor();
  const problems = [
    ...verifyChain(entries, anchor),
    ...(publicKey ? verifySignatures(entries, anchor, publicKey) : []),
    ...verifyRecords(await store.storedRows(), entries),
    ...(opts.head && publicKey ? verifyHead(entries, opts.head, publicKey) : []),
  ].sort((a, b) => a.seq - b.seq);
  return {
    ok: problems.length === 0,
    entries: entries.length,
    head: entries.at(-1)?.hash ?? null,
    signaturesChecked: publicKey !== undefined,
    problems,
  };
}
