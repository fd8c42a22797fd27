import type { DeploymentRecord } from '../core/record.js';
import type { AuditDraft, AuditEntry } from '../audit/entry.js';
import type { Delivery, OutboxMessage } from '../notify/message.js';
import type { ClaimOptions } from './sqlite-outbox.js';

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
 * The narrow persistence interface the core needs. SQLite implements it today; a
 * PostgreSQL implementation can follow without touching the core. Every change and its
 * audit entry are written in one transaction.
 */
export interface Store {
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
  outbox(filter?: { deploymentId?: string }): OutboxMessage[];
  /** Atomically take due queued messages for one sender: two senders never get the same message. */
  claimOutbox(opts: ClaimOptions): OutboxMessage[];
  /** Record a claimed message's delivery: sent, queued again after back-off, or failed. */
  settleOutbox(id: number, opts: { claimer: string; now: string; delivery: Delivery; maxAttempts: number }): void;
  close(): Promise<void>;
}
