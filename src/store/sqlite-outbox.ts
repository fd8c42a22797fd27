import type Database from 'better-sqlite3';
import type { AuditEntry } from '../audit/entry.js';
import type { AuditSigner } from '../audit/signing-key.js';
import type { Delivery, OutboxDraft, OutboxMessage } from '../notify/message.js';
import {
  messageOf,
  queuedColumns,
  queuedValues,
  settlement,
  type ClaimOptions,
  refuseClaimedSql,
  duplicateOfSql,
  sortClaimed,
  type OutboxRow,
} from './outbox-rows.js';

export { retryDelayMs, type ClaimOptions } from './outbox-rows.js';

/** Queue the messages an audit entry causes; called inside the entry's own transaction. */
export function insertOutbox(
  db: Database.Database,
  entry: AuditEntry,
  drafts: readonly OutboxDraft[],
  signer?: AuditSigner,
): void {
  const insert = db.prepare(
    `INSERT INTO outbox (${queuedColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)`,
  );
  for (const d of drafts) insert.run(...queuedValues(entry, d, signer));
}

export function listOutbox(db: Database.Database, filter: { deploymentId?: string } = {}): OutboxMessage[] {
  const rows = (
    filter.deploymentId === undefined
      ? db.prepare('SELECT * FROM outbox ORDER BY id').all()
      : db.prepare('SELECT * FROM outbox WHERE deployment_id = ? ORDER BY id').all(filter.deploymentId)
  ) as OutboxRow[];
  return rows.map(messageOf);
}

/**
 * Take the due queued messages for one sender: in one IMMEDIATE transaction they move to `sending` with the
 * sender's id, so a second sender running at the same moment finds none of them (exactly once).
 */
export function claimOutbox(
  db: Database.Database,
  opts: ClaimOptions,
  signer?: AuditSigner,
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
          .all(opts.now, stale, opts.deploymentId ?? null, opts.deploymentId ?? null, opts.limit) as {
          id: number;
        }[]
      ).map((r) => r.id);
      const claim = db.prepare(
        "UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_at = ? WHERE id = ? AND (status = 'queued' OR (status = 'sending' AND claimed_at < ?))",
      );
      const taken = due.filter((id) => claim.run(opts.claimer, opts.now, id, stale).changes === 1);
      const get = db.prepare('SELECT * FROM outbox WHERE id = ?');
      const refuse = db.prepare(refuseClaimedSql('?', '?'));
      const rows = taken.map((id) => get.get(id) as OutboxRow);
      const duplicateOf = db.prepare(duplicateOfSql('?', '?', '?'));
      const duplicates = new Map<number, number>();
      for (const r of rows) {
        const first = r.message_id ? (duplicateOf.get(r.message_id, r.id, r.id) as { id: number } | undefined) : undefined;
        if (first) duplicates.set(r.id, first.id);
      }
      const claimed = sortClaimed(rows, signer, duplicates);
      for (const r of claimed.refuse) refuse.run(r.why, r.id);
      return claimed.send;
    })
    .immediate();
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
  const row = db
    .prepare('SELECT attempts FROM outbox WHERE id = ? AND claimed_by = ? AND status = ?')
    .get(id, opts.claimer, 'sending') as { attempts: number } | undefined;
  if (!row) return;
  const u = settlement(row.attempts, opts);
  db.prepare(
    `UPDATE outbox SET status = ?, attempts = ?, reply = ?, next_attempt_at = ?, sent_at = ?,
       claimed_by = NULL, claimed_at = NULL WHERE id = ?`,
  ).run(u.status, u.attempts, u.reply, u.next, u.sentAt, id);
}
