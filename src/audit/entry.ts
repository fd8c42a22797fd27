import { canonicalJson, sha256Hex } from '../core/canonical.js';
import { redact } from '../core/secret.js';

/** One audit entry (policy "Audit Requirements"): who, in which role, did what, before/after, when. */
export interface AuditDraft {
  at: string;
  actor: string;
  role: string;
  action: string;
  deploymentId: string | null;
  summary: string;
  before: unknown;
  after: unknown;
}

/**
 * What binds a record to the chain: the entry that changed a deployment carries the hash of the record as
 * written (canonical JSON) and its revision, so a record edited in the store no longer matches its last entry.
 */
export interface RecordBinding {
  recordHash?: string;
  revision?: number;
}

export interface AuditEntry extends AuditDraft, RecordBinding {
  seq: number;
  prevHash: string;
  hash: string;
  /** Ed25519 signature of `hash` (signing-key.ts); absent when the store was opened without the audit key. */
  signature?: string;
}

export const genesisHash = '0'.repeat(64);

/** The hash chaining an entry to the one before it; any edited field changes it. */
export function entryHash(prevHash: string, entry: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  const { seq, at, actor, role, action, deploymentId, summary, before, after, recordHash, revision } = entry;
  // canonicalJson leaves out undefined fields: entries written before records were bound hash as they did
  return sha256Hex(
    `${prevHash}\n${canonicalJson({ seq, at, actor, role, action, deploymentId, summary, before, after, recordHash, revision })}`,
  );
}

/** The hash of a stored record document, as the chain binds it. */
export function hashRecordDoc(docText: string): string {
  return sha256Hex(canonicalJson(JSON.parse(docText)));
}

/** Secrets never reach the audit trail, even inside free text. */
export function sanitizeDraft(draft: AuditDraft): AuditDraft {
  return JSON.parse(redact(JSON.stringify(draft))) as AuditDraft;
}

/** The top-level fields of a record that changed, before and after. */
export function recordDiff(before: object | null, after: object): { before: unknown; after: unknown } {
  if (!before) return { before: null, after };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const bv = (before as Record<string, unknown>)[key];
    const av = (after as Record<string, unknown>)[key];
    if (canonicalJson(bv) !== canonicalJson(av)) {
      b[key] = bv ?? null;
      a[key] = av ?? null;
    }
  }
  return { before: b, after: a };
}
