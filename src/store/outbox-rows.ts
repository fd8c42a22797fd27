import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import type { AuditEntry } from '../audit/entry.js';
import { signatureValid, type AuditSigner } from '../audit/signing-key.js';
import type { Delivery, OutboxDraft, OutboxMessage, OutboxStatus } from '../notify/message.js';

/** An outbox row as both stores hold it (SQLite migration 4, PostgreSQL migration 1). */
export interface OutboxRow {
  id: number;
  deployment_id: string | null;
  audit_seq: number;
  event: string;
  template: string;
  channel: string;
  recipient: string;
  recipient_name: string | null;
  subject: string;
  body_text: string;
  body_html: string | null;
  attachments: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  claimed_at: string | null;
  reply: string | null;
  sent_at: string | null;
  created_at: string;
  /** The store's audit key's signature of `outboxDigest` (SQLite migration 5, PostgreSQL migration 2). */
  signature?: string | null;
  /**
   * The message's own id, unique in the table and covered by the signature (SQLite migration 6, PostgreSQL
   * migration 3): a copy of a signed row under a new row id carries the same id and is never mailed a second time.
   */
  message_id?: string | null;
}

export function messageOf(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    deploymentId: r.deployment_id,
    auditSeq: r.audit_seq,
    event: r.event as OutboxMessage['event'],
    template: r.template,
    channel: r.channel as OutboxMessage['channel'],
    recipient: r.recipient,
    ...(r.recipient_name ? { recipientName: r.recipient_name } : {}),
    subject: r.subject,
    text: r.body_text,
    ...(r.body_html ? { html: r.body_html } : {}),
    attachments: JSON.parse(r.attachments),
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    ...(r.claimed_by ? { claimedBy: r.claimed_by, claimedAt: r.claimed_at! } : {}),
    ...(r.reply ? { reply: r.reply } : {}),
    ...(r.sent_at ? { sentAt: r.sent_at } : {}),
    createdAt: r.created_at,
  };
}

export interface ClaimOptions {
  claimer: string;
  now: string;
  limit: number;
  deploymentId?: string;
  /** Also take messages claimed before this time by a sender that never settled them (it may have sent them). */
  staleBefore?: string;
}

/** Back-off after a failed attempt: 1, 2, 4 ... minutes, at most 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/** What a claimed message's delivery comes to: sent; queued again after the back-off; or failed for good. */
export function settlement(
  attemptsBefore: number,
  opts: { now: string; delivery: Delivery; maxAttempts: number },
): { status: OutboxStatus; attempts: number; reply: string; next: string; sentAt: string | null } {
  const attempts = attemptsBefore + 1;
  const d = opts.delivery;
  const status: OutboxStatus = d.ok
    ? 'sent'
    : d.permanent || attempts >= opts.maxAttempts
      ? 'failed'
      : 'queued';
  const next = d.ok ? opts.now : new Date(Date.parse(opts.now) + retryDelayMs(attempts)).toISOString();
  return { status, attempts, reply: d.reply.slice(0, 2000), next, sentAt: d.ok ? opts.now : null };
}

/** The outbox columns a new message fills, in the order of `queuedValues` (status 'queued', 0 attempts). */
export const queuedColumns =
  'deployment_id, audit_seq, event, template, channel, recipient, recipient_name, subject, body_text, body_html, ' +
  'attachments, status, attempts, next_attempt_at, created_at, signature, message_id';

/**
 * One queued message's values for `queuedColumns`, without the constant status and attempts; then the signature of
 * what is sent (`outboxDigest`) with the store's audit key, when the store signs, and the message's own id (new for
 * each message, covered by the signature).
 */
export function queuedValues(
  entry: AuditEntry,
  d: OutboxDraft,
  signer?: AuditSigner,
): (string | number | null)[] {
  const message = [
    entry.deploymentId,
    entry.seq,
    d.event,
    d.template,
    d.channel,
    d.recipient,
    d.recipientName ?? null,
    d.subject,
    d.text,
    d.html ?? null,
    JSON.stringify(d.attachments),
  ] as const;
  const messageId = randomUUID();
  const signature = signer ? signer.sign(outboxDigest([...message, entry.at, messageId])) : null;
  // next_attempt_at and created_at are both the entry's time
  return [...message, entry.at, entry.at, signature, messageId];
}

/** What a message's signature covers: who gets what, caused by which audit entry, queued when, under which id. */
type SignedFields = [
  string | null,
  number,
  string,
  string,
  string,
  string,
  string | null,
  string,
  string,
  string | null,
  string,
  string,
  string,
];

/** Trust (issue 12): the digest a queued message's signature covers (domain-separated from audit entry hashes). */
export function outboxDigest(fields: SignedFields): string {
  return createHash('sha256')
    .update(`mokodeploy-outbox-v2\n${JSON.stringify(fields)}`)
    .digest('hex');
}

const signedFieldsOf = (r: OutboxRow): SignedFields => [
  r.deployment_id,
  Number(r.audit_seq),
  r.event,
  r.template,
  r.channel,
  r.recipient,
  r.recipient_name,
  r.subject,
  r.body_text,
  r.body_html,
  r.attachments,
  r.created_at,
  r.message_id ?? '',
];

/**
 * Trust (issue 12): a row in the outbox is data whoever can write the store's database could insert or change; it
 * is mailed only when it carries the store's signature of what it sends. The reason it is refused, else undefined.
 */
export function unsignedOutboxReason(r: OutboxRow, publicKey: KeyObject): string | undefined {
  if (!r.signature)
    return 'not sent: the message carries no signature of this store (queued before messages were signed, or inserted outside mokodeploy)';
  if (!r.message_id)
    return 'not sent: the message carries no message id (queued before store migration 6 / PostgreSQL 3, or inserted outside mokodeploy): queue it again';
  return signatureValid(publicKey, outboxDigest(signedFieldsOf(r)), r.signature)
    ? undefined
    : "not sent: the message does not match this store's signature (changed after it was queued, or inserted outside mokodeploy)";
}

/**
 * Claimed rows sorted for a store that signs (a store without a signer sends them all): the messages to send, and
 * the rows to mark failed with their reason (unsignedOutboxReason).
 */
export function sortClaimed(
  rows: readonly OutboxRow[],
  signer: AuditSigner | undefined,
  /** Claimed rows whose message id an earlier or already sent row holds (duplicateOfSql): the row id of that one. */
  duplicates: ReadonlyMap<number, number> = new Map(),
): { send: OutboxMessage[]; refuse: { id: number; why: string }[] } {
  const send: OutboxMessage[] = [];
  const refuse: { id: number; why: string }[] = [];
  for (const r of rows) {
    const first = duplicates.get(r.id);
    const why =
      (signer ? unsignedOutboxReason(r, signer.publicKey) : undefined) ??
      (first !== undefined
        ? `not sent: its message id ${r.message_id} is already message ${first}'s (a copy of a queued or sent message, inserted outside mokodeploy)`
        : undefined);
    if (why === undefined) send.push(messageOf(r));
    else refuse.push({ id: r.id, why });
  }
  return { send, refuse };
}

/** How a refused claimed row is settled, for both stores: failed, with the reason, unclaimed. */
export const refuseClaimedSql = (p1: string, p2: string): string =>
  `UPDATE outbox SET status = 'failed', reply = ${p1}, claimed_by = NULL, claimed_at = NULL WHERE id = ${p2}`;

/**
 * Trust (issue 12): the row that already holds a claimed row's message id: an earlier row, or one already sent. The
 * unique index on `message_id` stops a second row at insert; this check at claim time holds even if the index was
 * dropped. Parameters: the message id, the claimed row's id (twice).
 */
export const duplicateOfSql = (messageId: string, id: string, id2: string): string =>
  `SELECT id FROM outbox WHERE message_id = ${messageId} AND id <> ${id} AND (id < ${id2} OR status = 'sent') ORDER BY id LIMIT 1`;
