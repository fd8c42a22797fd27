import type { KeyObject } from 'node:crypto';
import type { Store } from '../store/store.js';
import { SqliteStore } from '../store/sqlite.js';
import { verifyChain, type ChainProblem } from './verify.js';
import { verifySignatures } from './verify-signatures.js';

export interface TrailStatus {
  ok: boolean;
  entries: number;
  head: string | null;
  /** Whether signatures were checked (a public key was at hand). */
  signaturesChecked: boolean;
  problems: ChainProblem[];
}

/** The whole audit check shared by `audit verify` and the server: the chain, the anchor, and the signatures. */
export async function checkTrail(store: Store, publicKey?: KeyObject): Promise<TrailStatus> {
  const entries = await store.auditEntries();
  const anchor = store instanceof SqliteStore ? store.readAnchor() : undefined;
  const problems = [
    ...verifyChain(entries, anchor),
    ...(publicKey ? verifySignatures(entries, anchor, publicKey) : []),
  ].sort((a, b) => a.seq - b.seq);
  return {
    ok: problems.length === 0,
    entries: entries.length,
    head: entries.at(-1)?.hash ?? null,
    signaturesChecked: publicKey !== undefined,
    problems,
  };
}
