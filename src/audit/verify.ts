import { entryHash, genesisHash, type AuditEntry } from './entry.js';

export interface ChainProblem {
  seq: number;
  kind:
    | 'edited'
    | 'deleted'
    | 'inserted'
    | 'reordered'
    | 'truncated'
    | 'unsigned'
    | 'forged'
    /** an entry dated before the one it follows */
    | 'backdated'
    /** a stored deployment that differs from what its audit entries wrote (record-binding.ts) */
    | 'record'
    /** a stored plan that does not hash to its planHash, or an approval of another plan */
    | 'plan'
    /** the trail is behind a signed head exported earlier (head.ts) */
    | 'rolled-back';
  message: string;
}

export interface Anchor {
  seq: number;
  hash: string;
  /** Signature of anchorMessage(seq, hash): a truncated tail cannot be hidden by rewriting the anchor. */
  signature?: string;
}

/** What the anchor's signature covers; distinct from an entry's so an entry signature cannot pass as one. */
export const anchorMessage = (seq: number, hash: string): string =>
  `mokodeploy audit anchor\n${seq}\n${hash}`;

/**
 * Walk the chain in storage order and name every entry that was edited, deleted, inserted
 * or reordered. The anchor (last seq and hash, kept outside the database) catches a
 * truncated tail, which a chain alone cannot show.
 */
export function verifyChain(entries: readonly AuditEntry[], anchor?: Anchor): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prevHash = genesisHash;
  let prevSeq = 0;
  let previous: AuditEntry | undefined;
  for (const e of entries) {
    const recomputed = entryHash(e.prevHash, e);
    if (recomputed !== e.hash) {
      problems.push({
        seq: e.seq,
        kind: 'edited',
        message: `entry ${e.seq} (${e.action} by ${e.actor} at ${e.at}) was edited: its content no longer matches its hash`,
      });
    } else if (e.seq <= prevSeq) {
      problems.push({
        seq: e.seq,
        kind: 'reordered',
        message: `entry ${e.seq} comes after entry ${prevSeq}: the entries were reordered`,
      });
    } else if (e.prevHash !== prevHash) {
      if (e.seq > prevSeq + 1) {
        problems.push({
          seq: e.seq,
          kind: 'deleted',
          message: `entries ${prevSeq + 1}..${e.seq - 1} are missing before entry ${e.seq}: they were deleted`,
        });
      } else {
        problems.push({
          seq: e.seq,
          kind: 'inserted',
          message: `entry ${e.seq} does not chain to entry ${prevSeq}: an entry was inserted or replaced here`,
        });
      }
    } else if (e.seq !== prevSeq + 1) {
      problems.push({
        seq: e.seq,
        kind: 'inserted',
        message: `entry ${e.seq} follows entry ${prevSeq} with a gap in numbering but a valid link: renumbered`,
      });
    }
    if (previous && Date.parse(e.at) < Date.parse(previous.at)) {
      problems.push({
        seq: e.seq,
        kind: 'backdated',
        message: `entry ${e.seq} (${e.action} by ${e.actor}) is dated ${e.at}, before entry ${previous.seq} (${previous.at}): time went backwards`,
      });
    }
    prevHash = e.hash;
    prevSeq = e.seq;
    previous = e;
  }
  if (anchor && anchor.seq > prevSeq) {
    problems.push({
      seq: prevSeq + 1,
      kind: 'truncated',
      message: `the trail ends at entry ${prevSeq} but entry ${anchor.seq} was written: entries ${prevSeq + 1}..${anchor.seq} were deleted`,
    });
  } else if (anchor) {
    const at = entries.find((e) => e.seq === anchor.seq);
    if (at && at.hash !== anchor.hash) {
      problems.push({
        seq: anchor.seq,
        kind: 'edited',
        message: `entry ${anchor.seq} differs from the one recorded in the anchor: the trail was rewritten`,
      });
    }
  }
  return problems;
}
