import type pg from 'pg';
import { refused } from '../core/errors.js';
import type { StoreDump } from './dump.js';
import { selectRows, type AuditRow, type StoredRow } from './rows.js';
import type { OutboxRow } from './outbox-rows.js';

/** Every row of the store in one snapshot (REPEATABLE READ, read only): what `store migrate` copies. */
export async function dumpPostgres(db: pg.PoolClient): Promise<StoreDump> {
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const deployments = (await db.query<StoredRow>(`${quotedAliases(selectRows)} ORDER BY created_at`)).rows;
    const audit = (await db.query<AuditRow>('SELECT * FROM audit ORDER BY pos')).rows;
    const outbox = (await db.query<OutboxRow>('SELECT * FROM outbox ORDER BY id')).rows;
    return { deployments, audit, outbox };
  } finally {
    await db.query('COMMIT');
  }
}

/** PostgreSQL folds unquoted aliases to lower case: `created_at AS createdAt` must be `AS "createdAt"`. */
export const quotedAliases = (sql: string): string => sql.replace(/ AS (\w+)/g, ' AS "$1"');

const deploymentColumns = 'id, client, state, kind, environment, revision, doc, created_at, updated_at';
const auditColumns =
  'pos, seq, at, actor, role, action, deployment_id, summary, before, after, prev_hash, hash, signature, record_hash, revision';
const outboxColumns =
  'id, deployment_id, audit_seq, event, template, channel, recipient, recipient_name, subject, body_text, body_html, attachments, status, attempts, next_attempt_at, claimed_by, claimed_at, reply, sent_at, created_at, signature, message_id';

async function insertAll(
  db: Pick<pg.PoolClient, 'query'>,
  table: string,
  columns: string,
  rows: unknown[][],
) {
  const placeholders = columns
    .split(',')
    .map((_, i) => `$${i + 1}`)
    .join(', ');
  for (const values of rows)
    await db.query(`INSERT INTO ${table} (${columns}) VALUES (${placeholders})`, values);
}

/**
 * Write a whole store's rows into an empty PostgreSQL store, in the caller's transaction (holding the write
 * lock): the ids and positions as they were, then the identity sequences moved past them.
 */
export async function importDump(db: Pick<pg.PoolClient, 'query'>, dump: StoreDump): Promise<void> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT (SELECT COUNT(*) FROM deployments)::int + (SELECT COUNT(*) FROM audit)::int + (SELECT COUNT(*) FROM outbox)::int AS n',
  );
  if (rows[0]!.n > 0)
    throw refused('the target store is not empty: nothing was copied', {
      fix: 'migrate into a new, empty database (createdb), never over a store in use',
    });
  await insertAll(
    db,
    'deployments',
    deploymentColumns,
    dump.deployments.map((r) => [
      r.id,
      r.client,
      r.state,
      r.kind,
      r.environment,
      r.revision,
      r.doc,
      r.createdAt,
      r.updatedAt,
    ]),
  );
  await insertAll(
    db,
    'audit',
    auditColumns,
    dump.audit.map((r) => [
      r.pos,
      r.seq,
      r.at,
      r.actor,
      r.role,
      r.action,
      r.deployment_id,
      r.summary,
      r.before,
      r.after,
      r.prev_hash,
      r.hash,
      r.signature,
      r.record_hash,
      r.revision,
    ]),
  );
  await insertAll(
    db,
    'outbox',
    outboxColumns,
    dump.outbox.map((r) => [
      r.id,
      r.deployment_id,
      r.audit_seq,
      r.event,
      r.template,
      r.channel,
      r.recipient,
      r.recipient_name,
      r.subject,
      r.body_text,
      r.body_html,
      r.attachments,
      r.status,
      r.attempts,
      r.next_attempt_at,
      r.claimed_by,
      r.claimed_at,
      r.reply,
      r.sent_at,
      r.created_at,
      r.signature ?? null,
      r.message_id ?? null,
    ]),
  );
  for (const [table, column] of [
    ['audit', 'pos'],
    ['outbox', 'id'],
  ] as const)
    await db.query(
      `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), COALESCE((SELECT MAX(${column}) FROM ${table}), 0) + 1, false)`,
    );
}
