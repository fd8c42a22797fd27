import type { PoolClient } from 'pg';
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

type Db = Pick<PoolClient, 'query'>;

/** Queue the messages an audit entry causes; called inside the entry's own transaction. */
export async function insertOutbox(
  db: Db,
  entry: AuditEntry,
  drafts: readonly OutboxDraft[],
  signer?: AuditSigner,
): Promise<void> {
  for (const d of drafts)
    await db.query(
      `INSERT INTO outbox (${queuedColumns})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'queued', 0, $12, $13, $14, $15)`,
      queuedValues(entry, d, signer),
    );
}

export async function listOutbox(db: Db, filter: { deploymentId?: string } = {}): Promise<OutboxMessage[]> {
  const { rows } =
    filter.deploymentId === undefined
      ? await db.query<OutboxRow>('SELECT * FROM outbox ORDER BY id')
      : await db.query<OutboxRow>('SELECT * FROM outbox WHERE deployment_id = $1 ORDER BY id', [
          filter.deploymentId,
        ]);
  return rows.map(messageOf);
}

/**
 * Take the due queued messages for one sender in one statement: `FOR UPDATE SKIP LOCKED` gives each row to
 * one transaction only, so a second sender on another machine at the same moment finds none of them.
 */
export async function claimOutbox(
  db: Db,
  opts: ClaimOptions,
  signer?: AuditSigner,
): Promise<OutboxMessage[]> {
  const stale = opts.staleBefore ?? '';
  const { rows } = await db.query<OutboxRow>(
    `UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_at = $2
     WHERE id IN (
       SELECT id FROM outbox
       WHERE ((status = 'queued' AND next_attempt_at <= $2) OR (status = 'sending' AND claimed_at < $3))
         AND ($4::text IS NULL OR deployment_id = $4)
       ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [opts.claimer, opts.now, stale, opts.deploymentId ?? null, opts.limit],
  );
  const duplicates = new Map<number, number>();
  for (const r of rows) {
    if (!r.message_id) continue;
    const first = await db.query<{ id: number }>(duplicateOfSql('$1', '$2', '$2'), [r.message_id, r.id]);
    if (first.rows[0]) duplicates.set(r.id, Number(first.rows[0].id));
  }
  const claimed = sortClaimed(
    rows.sort((a, b) => a.id - b.id),
    signer,
    duplicates,
  );
  for (const r of claimed.refuse) await db.query(refuseClaimedSql('$1', '$2'), [r.why, r.id]);
  return claimed.send;
}

/** Record what one claimed message's delivery came to (outbox-rows.ts); only its claimer may settle it. */
export async function settleOutbox(
  db: Db,
  id: number,
  opts: { claimer: string; now: string; delivery: Delivery; maxAttempts: number },
): Promise<void> {
  const { rows } = await db.query<{ attempts: number }>(
    "SELECT attempts FROM outbox WHERE id = $1 AND claimed_by = $2 AND status = 'sending' FOR UPDATE",
    [id, opts.claimer],
  );
  if (!rows[0]) return;
  const u = settlement(rows[0].attempts, opts);
  await db.query(
    `UPDATE outbox SET status = $1, attempts = $2, reply = $3, next_attempt_at = $4, sent_at = $5,
       claimed_by = NULL, claimed_at = NULL WHERE id = $6`,
    [u.status, u.attempts, u.reply, u.next, u.sentAt, id],
  );
}
