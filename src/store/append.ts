import {
  entryHash,
  genesisHash,
  sanitizeDraft,
  type AuditDraft,
  type AuditEntry,
  type RecordBinding,
} from '../audit/entry.js';
import type { AuditSigner } from '../audit/signing-key.js';
import { refused } from '../core/errors.js';

/** The chain's last entry as a store reads it under its write lock. */
export interface ChainHead {
  seq: number;
  hash: string;
  at: string;
}

/**
 * The next entry of the chain after `last`, for every store. Refused when the trail is behind its anchor
 * (`behind`: a deleted tail must not be papered over) and when the entry is dated before the last one: time
 * along the chain never goes backwards.
 */
export function nextEntry(
  raw: AuditDraft,
  last: ChainHead | undefined,
  opts: { behind?: string; binding?: RecordBinding; signer?: AuditSigner },
): AuditEntry {
  const draft = sanitizeDraft(raw);
  if (opts.behind)
    throw refused(`nothing was recorded: ${opts.behind}`, {
      fix: 'run `mokodeploy audit verify`; restore the store from its newest backup',
    });
  if (last && !(Date.parse(draft.at) >= Date.parse(last.at)))
    throw refused(
      `nothing was recorded: this change is dated ${draft.at}, before the last audit entry (${last.at}); time in the trail never goes backwards`,
      { fix: "check the machine's clock (timedatectl) and run the command again" },
    );
  const binding = opts.binding ?? {};
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? genesisHash;
  const hash = entryHash(prevHash, { ...draft, seq, ...binding });
  const signature = opts.signer?.sign(hash);
  return { ...draft, seq, prevHash, hash, ...(signature ? { signature } : {}), ...binding };
}

/** The audit table's columns, in the order of `auditValues`. */
export const auditColumns =
  'seq, at, actor, role, action, deployment_id, summary, before, after, prev_hash, hash, signature, record_hash, revision';

/** One entry as the audit table's columns hold it (before/after as JSON text, absent values as NULL). */
export function auditValues(e: AuditEntry): unknown[] {
  return [
    e.seq,
    e.at,
    e.actor,
    e.role,
    e.action,
    e.deploymentId,
    e.summary,
    JSON.stringify(e.before),
    JSON.stringify(e.after),
    e.prevHash,
    e.hash,
    e.signature ?? null,
    e.recordHash ?? null,
    e.revision ?? null,
  ];
}
