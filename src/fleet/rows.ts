import type pg from 'pg';
import { notFound } from '../core/errors.js';
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
}

/** The fleet and its members as rows: progress for the whole fleet, readable from any machine. */
export async function createFleet(
  pool: pg.Pool,
  f: { id: string; operation: string; options: Record<string, unknown>; requestedBy: string },
  members: (FleetMember & { wave: number | null })[],
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      'INSERT INTO mokodeploy_queue.fleets (id, operation, options, requested_by) VALUES ($1, $2, $3, $4)',
      [f.id, f.operation, f.options, f.requestedBy],
    );
    let position = 0;
    for (const m of members) {
      await client.query(
        `INSERT INTO mokodeploy_queue.fleet_members (fleet_id, client, client_name, deployment_id, position, wave, status, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [f.id, m.client, m.clientName, m.deploymentId, position++, m.wave, m.blocked ? 'blocked' : 'pending', m.blocked ?? null],
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
): Promise<void> {
  await pool.query(
    `UPDATE mokodeploy_queue.fleet_members SET status = $3, reason = coalesce($4, reason), job_id = coalesce($5, job_id)
     WHERE fleet_id = $1 AND client = $2`,
    [fleetId, client, change.status, change.reason ?? null, change.jobId ?? null],
  );
  await pool.query('SELECT pg_notify($1, $2)', ['mokodeploy_fleet', fleetId]);
}

export async function finishFleet(pool: pg.Pool, id: string, state: 'done' | 'halted', reason: string | null): Promise<void> {
  await pool.query(
    `UPDATE mokodeploy_queue.fleet_members SET status = 'untouched', reason = $2 WHERE fleet_id = $1 AND status = 'pending'`,
    [id, reason ? 'not started: the fleet halted' : null],
  );
  await pool.query(
    `UPDATE mokodeploy_queue.fleets SET state = $2, halted_reason = $3, finished_at = clock_timestamp() WHERE id = $1`,
    [id, state, reason],
  );
}

export async function readFleet(pool: pg.Pool, id: string): Promise<FleetRow> {
  const { rows } = await pool.query('SELECT * FROM mokodeploy_queue.fleets WHERE id = $1', [id]);
  const f = rows[0];
  if (!f) throw notFound(`no fleet operation ${id}`, { fix: 'list them with: mokodeploy fleet status' });
  const m = await pool.query(
    'SELECT * FROM mokodeploy_queue.fleet_members WHERE fleet_id = $1 ORDER BY position',
    [id],
  );
  return {
    id: f.id,
    operation: f.operation,
    options: f.options,
    requestedBy: f.requested_by,
    state: f.state,
    createdAt: (f.created_at as Date).toISOString(),
    finishedAt: f.finished_at ? (f.finished_at as Date).toISOString() : null,
    haltedReason: f.halted_reason,
    members: m.rows.map((r) => ({
      client: r.client,
      clientName: r.client_name,
      deploymentId: r.deployment_id,
      position: r.position,
      wave: r.wave,
      status: r.status,
      reason: r.reason,
      jobId: r.job_id === null ? null : Number(r.job_id),
    })),
  };
}

export async function listFleets(pool: pg.Pool, limit = 20): Promise<Omit<FleetRow, 'members'>[]> {
  const { rows } = await pool.query('SELECT id FROM mokodeploy_queue.fleets ORDER BY created_at DESC LIMIT $1', [limit]);
  return Promise.all(rows.map(async (r) => readFleet(pool, r.id as string)));
}
