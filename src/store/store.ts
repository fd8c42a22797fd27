import type { DeploymentRecord } from '../core/record.js';
import type { AuditDraft, AuditEntry } from '../audit/entry.js';
import type { Delivery, OutboxMessage } from '../notify/message.js';
import type { Anchor } from '../audit/verify.js';
import type { StoredRow } from '../audit/record-binding.js';
import type { ClaimOptions } from './outbox-rows.js';
import type { StoreDump } from './dump.js';

/** What a mutation returns: the new record and the audit entry describing it. */
export interface Mutation {
  record: DeploymentRecord;
  audit: AuditDraft;
}

export interface DeploymentSummary {
  id: string;
  client: string;
  state: string;
  kind: string;
  environment: string;
  updatedAt: string;
}

/**
 * The narrow persistence interface the core needs: SQLite (embedded, src/store/sqlite.ts) and PostgreSQL
 * (shared by a team, src/store/postgres.ts) implement it; `openStore` (open.ts) picks one. Every change, its
 * audit entry and the messages it causes are written in one transaction; the contract suite
 * (test/integration/store-contract*.test.ts) runs the same tests against both.
 */
export interface Store {
  /** Where the store is, fit to print: a file path, or a PostgreSQL URL without its password. */
  readonly location: string;
  /** Insert a new record; refused when the id exists. */
  create(mutation: Mutation): Promise<void>;
  get(id: string): Promise<{ record: DeploymentRecord; revision: number } | undefined>;
  list(): Promise<DeploymentSummary[]>;
  all(): Promise<DeploymentRecord[]>;
  /**
   * Read, change and write one record atomically. With `expectedRevision`, a record that
   * changed since it was read is refused (conflict) rather than overwritten.
   */
  mutate(
    id: string,
    change: (record: DeploymentRecord) => Mutation,
    opts?: { expectedRevision?: number },
  ): Promise<DeploymentRecord>;
  /** An audit entry that changes no record (a refusal, a lock release). */
  appendAudit(draft: AuditDraft): Promise<AuditEntry>;
  auditEntries(): Promise<AuditEntry[]>;
  /** The messages queued by changes (issue 16): each written in its change's transaction (src/notify). */
  outbox(filter?: { deploymentId?: string }): Promise<OutboxMessage[]>;
  /** Atomically take due queued messages for one sender: two senders never get the same message. */
  claimOutbox(opts: ClaimOptions): Promise<OutboxMessage[]>;
  /** Record a claimed message's delivery: sent, queued again after back-off, or failed. */
  settleOutbox(
    id: number,
    opts: { claimer: string; now: string; delivery: Delivery; maxAttempts: number },
  ): Promise<void>;
  /** Every deployments row as stored, every column, for `audit verify` (record-binding.ts). */
  storedRows(): Promise<StoredRow[]>;
  /** The trail's head as last written by this machine (kept beside the audit key, anchor.ts). */
  readAnchor(): Anchor | undefined;
  /** Every row as stored, in one snapshot (dump.ts), for `mokodeploy store migrate`. */
  dump(): Promise<StoreDump>;
  close(): Promise<void>;
}
