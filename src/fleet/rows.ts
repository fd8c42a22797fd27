import type pg from 'pg';
import { notFound } from '../core/errors.js';
import { signatureValid, type AuditSigner } from '../audit/signing-key.js';
import { queueRowMessage } from '../queue/signature.js';
import type { FleetMember } from './select.js';

export type MemberStatus = 'blocked' | 'pending' | 'running' | 'done' | 'failed' | 'untouched';

export interface FleetRow {
  id: string;
  operation: string;
  options: Record<string, unknown>;
  requestedBy: string;
  state: 'running' | 'done' | 'halted';
  createdAt: string;
  finishedAt: string | null;
  haltedReason: string | null;
  members: {
    client: string;
    clientName: string | null;
    deploymentId: string | null;
    position: number;
    wave: number | null;
    status: MemberStatus;
    reason: string | null;
    jobId: number | null;
  }[];
  /**
   * Read with the store's key: the rows that are not what the coordinator signed (the fleet's own row, `member
   * <client>`), shown as unverified. Absent when read without the key.
   */
  unverified?: string[];
}

type Member = FleetRow['members'][number];

/**
 * Trust (issue 12): a fleet's rows are progress for people (the coordinator decides from its own memory and the
 * jobs' signed settlements, run-fleet.ts), but a report is evidence: each row is signed by the coordinator with the
 * store's audit key, over its table and identity (fleet id, client) and content; a reader with the key names the
 * rows that do not verify as unverified.
 */
const fleetMessage = (f: { id: string; operation: string; options: unknown; requestedBy: string; state: string; haltedReason: string | null }) =>
  queueRowMessage('fleets', { id: f.id, operation: f.operation, options: f.options, requestedBy: f.requestedBy, state: f.state, haltedReason: f.haltedReason });

const memberMessage = (fleetId: string, m: Member) =>
  queueRowMessage('fleet_members', {
    fleet: fleetId,
    client: m.client,
    clientName: m.clientName,
    deploymentId: m.deploymentId,
    position: m.position,
    wave: m.wave,
    status: m.status,
    reason: m.reason,
    jobId: m.jobId,
  });

const memberOf = (r: Record<string, unknown>): Member => ({
  client: r.client as string,
  clientName: (r.client_name as string | null) ?? null,
  deploymentId: (r.deployment_id as string | null) ?? null,
  position: r.position as number,
  wave: (r.wave as number | null) ?? null,
  status: r.status as MemberStatus,
  reason: (r.reason as string | null) ?? null,
  jobId: r.job_id === null || r.job_id === undefined ? null : Number(r.job_id),
});

/** The fleet and its members as rows: progress for the whole fleet, readable from any machine. */
export async function createFleet(
  pool: pg.Pool,
  f: { id: string; operation: string; options: Record<string, unknown>; requestedBy: string },
  members: (FleetMember & { wave: number | null })[],
  signer: AuditSigner,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      'INSERT INTO mokodeploy_queue.fleets (id, operation, options, requested_by, signature) VALUES ($1, $2, $3, $4, $5)',
      [f.id, f.operation, f.options, f.requestedBy, signer.sign(fleetMessage({ ...f, state: 'running', haltedReason: null }))],
    );
    let position = 0;
    for (const m of members) {
      const row: Member = {
        client: m.client,
        clientName: m.clientName,
        deploymentId: m.deploymentId,
        position: position++,
        wave: m.wave,
        status: m.blocked ? 'blocked' : 'pending',
        reason: m.blocked ?? null,
        jobId: null,
      };
      await client.query(
        `INSERT INTO mokodeploy_queue.fleet_members (fleet_id, client, client_name, deployment_id, position, wave, status, reason, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [f.id, row.client, row.clientName, row.deploymentId, row.position, row.wave, row.status, row.reason, signer.sign(memberMessage(f.id, row))],
      );
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

export async function setMember(
  pool: pg.Pool,
  fleetId: string,
  client: string,
  change: { status: MemberStatus; reason?: string | null; jobId?: number },
  signer: AuditSigner,
): Promise<void> {
  const { rows } = await pool.query('SELECT * FROM mokodeploy_queue.fleet_members WHERE fleet_id = $1 AND client = $2', [fleetId, client]);
  if (!rows[0]) throw notFound(`no member ${client} in fleet ${fleetId}`);
  const was = memberOf(rows[0]);
  const row: Member = { ...was, status: change.status, reason: change.reason ?? was.reason, jobId: change.jobId ?? was.jobId };
  await pool.query(
    `UPDATE mokodeploy_queue.fleet_members SET status = $3, reason = $4, job_id = $5, signature = $6
     WHERE fleet_id = $1 AND client = $2`,
    [fleetId, client, row.status, row.reason, row.jobId, signer.sign(memberMessage(fleetId, row))],
  );
  await pool.query('SELECT pg_notify($1, $2)', ['mokodeploy_fleet', fleetId]);
}

export async function finishFleet(
  pool: pg.Pool,
  id: string,
  state: 'done' | 'halted',
  reason: string | null,
  signer: AuditSigner,
): Promise<void> {
  const pending = await pool.query(
    `SELECT client FROM mokodeploy_queue.fleet_members WHERE fleet_id = $1 AND status = 'pending'`,
    [id],
  );
  for (const m of pending.rows)
    await setMember(pool, id, m.client as string, { status: 'untouched', reason: reason ? 'not started: the fleet halted' : null }, signer);
  const { rows } = await pool.query('SELECT * FROM mokodeploy_queue.fleets WHERE id = $1', [id]);
  const f = rows[0];
  if (!f) throw notFound(`no fleet operation ${id}`);
  const signed = { id, operation: f.operation, options: f.options, requestedBy: f.requested_by, state, haltedReason: reason };
  await pool.query(
    `UPDATE mokodeploy_queue.fleets SET state = $2, halted_reason = $3, finished_at = clock_timestamp(), signature = $4 WHERE id = $1`,
    [id, state, reason, signer.sign(fleetMessage(signed))],
  );
}

export async function readFleet(pool: pg.Pool, id: string, signer?: AuditSigner): Promise<FleetRow> {
  const { rows } = await pool.query('SELECT * FROM mokodeploy_queue.fleets WHERE id = $1', [id]);
  const f = rows[0];
  if (!f) throw notFound(`no fleet operation ${id}`, { fix: 'list them with: mokodeploy fleet status' });
  const m = await pool.query(
    'SELECT * FROM mokodeploy_queue.fleet_members WHERE fleet_id = $1 ORDER BY position',
    [id],
  );
  const fleet: FleetRow = {
    id: f.id,
    operation: f.operation,
    options: f.options,
    requestedBy: f.requested_by,
    state: f.state,
    createdAt: (f.created_at as Date).toISOString(),
    finishedAt: f.finished_at ? (f.finished_at as Date).toISOString() : null,
    haltedReason: f.halted_reason,
    members: m.rows.map(memberOf),
  };
  if (!signer) return fleet;
  const valid = (message: string, signature: unknown) =>
    typeof signature === 'string' && signatureValid(signer.publicKey, message, signature);
  const unverified = [
    ...(valid(fleetMessage(fleet), f.signature) ? [] : ['the fleet']),
    ...fleet.members.flatMap((x, i) => (valid(memberMessage(fleet.id, x), m.rows[i].signature) ? [] : [`member ${x.client}`])),
  ];
  return { ...fleet, unverified };
}

export async function listFleets(pool: pg.Pool, limit = 20, signer?: AuditSigner): Promise<Omit<FleetRow, 'members'>[]> {
  const { rows } = await pool.query('SELECT id FROM mokodeploy_queue.fleets ORDER BY created_at DESC LIMIT $1', [limit]);
  return Promise.all(rows.map(async (r) => readFleet(pool, r.id as string, signer)));
}
