import type Database from 'better-sqlite3';
import type { AuditEntry } from '../audit/entry.js';
import type { Delivery, OutboxDraft, OutboxMessage, OutboxStatus } from '../notify/message.js';

/** An outbox row as SQLite holds it (migration 4). */
interface OutboxRow {
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
}

function messageOf(r: OutboxRow): OutboxMessage {
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

/** Queue the messages an audit entry causes; called inside the entry's own transaction. */
export function insertOutbox(db: Database.Database, entry: AuditEntry, drafts: readonly OutboxDraft[]): void {
  const insert = db.prepare(
    `INSERT INTO outbox (deployment_id, audit_seq, event, template, channel, recipient, recipient_name, subject,
       body_text, body_html, attachments, status, attempts, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
  );
  for (const d of drafts)
    insert.run(
      entry.deploymentId, entry.seq, d.event, d.template, d.channel, d.recipient, d.recipientName ?? null,
      d.subject, d.text, d.html ?? null, JSON.stringify(d.attachments), entry.at, entry.at,
    );
}

export function listOutbox(db: Database.Database, filter: { deploymentId?: string } = {}): OutboxMessage[] {
  const rows = (
    filter.deploymentId === undefined
      ? db.prepare('SELECT * FROM outbox ORDER BY id').all()
      : db.prepare('SELECT * FROM outbox WHERE deployment_id = ? ORDER BY id').all(filter.deploymentId)
  ) as OutboxRow[];
  return rows.map(messageOf);
}

export interface ClaimOptions {
  claimer: string;
  now: string;
  limit: number;
  deploymentId?: string;
  /** Also take messages claimed before this time by a sender that never settled them (it may have sent them). */
  staleBefore?: string;
}

/**
 * Take the due queued messages for one sender: in one IMMEDIATE transaction they move to `sending` with the
 * sender's id, so a second sender running at the same moment finds none of them (exactly once).
 */
export function claimOutbox(
  db: Database.Database,
  opts: ClaimOptions,
): OutboxMessage[] {
  // a claim older than `staleBefore` belongs to a sender that died mid-delivery: taken again only when asked
  const stale = opts.staleBefore ?? '';
  return db
    .transaction(() => {
      const due = (
        db
          .prepare(
            `SELECT id FROM outbox WHERE ((status = 'queued' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_at < ?))
             AND (? IS NULL OR deployment_id = ?) ORDER BY id LIMIT ?`,
          )
          .all(opts.now, stale, opts.deploymentId ?? null, opts.deploymentId ?? null, opts.limit) as { id: number }[]
      ).map((r) => r.id);
      const claim = db.prepare(
        "UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_at = ? WHERE id = ? AND (status = 'queued' OR (status = 'sending' AND claimed_at < ?))",
      );
      const taken = due.filter((id) => claim.run(opts.claimer, opts.now, id, stale).changes === 1);
      const get = db.prepare('SELECT * FROM outbox WHERE id = ?');
      return taken.map((id) => messageOf(get.get(id) as OutboxRow));
    })
    .immediate();
}

/** Back-off after a failed attempt: 1, 2, 4 ... minutes, at most 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/**
 * Record what one claimed message's delivery came to: sent; or queued again after the back-off; or failed for
 * good (a permanent refusal, or `maxAttempts` reached). Only the sender holding the claim may settle it.
 */
export function settleOutbox(
  db: Database.Database,
  id: number,
  opts: { claimer: string; now: string; delivery: Delivery; maxAttempts: number },
): void {
  const row = db.prepare('SELECT attempts FROM outbox WHERE id = ? AND claimed_by = ? AND status = ?').get(
    id,
    opts.claimer,
    'sending',
  ) as { attempts: number } | undefined;
  if (!row) return;
  const attempts = row.attempts + 1;
  const d = opts.delivery;
  const status: OutboxStatus = d.ok ? 'sent' : d.permanent || attempts >= opts.maxAttempts ? 'failed' : 'queued';
  const next = d.ok ? opts.now : new Date(Date.parse(opts.now) + retryDelayMs(attempts)).toISOString();
  db.prepare(
    `UPDATE outbox SET status = ?, attempts = ?, reply = ?, next_attempt_at = ?, sent_at = ?,
       claimed_by = NULL, claimed_at = NULL WHERE id = ?`,
  ).run(status, attempts, d.reply.slice(0, 2000), next, d.ok ? opts.now : null, id);
}
