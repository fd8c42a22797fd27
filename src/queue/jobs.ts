import type pg from 'pg';
import { conflict, notFound } from '../core/errors.js';
import type { JobArgs } from './job.js';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobRow {
  id: number;
  command: string[];
  deploymentId: string;
  args: JobArgs;
  requestedBy: string;
  requestedVia: string;
  fleetId: string | null;
  state: JobState;
  attempts: number;
  worker: { id: string; host: string; pid: number } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  error: string | null;
  outputTail: string | null;
  /** How far each run journal of the job has been sent as events (bytes): a worker taking the job over goes on from there. */
  journalOffsets: Record<string, number>;
  /** How long the command itself ran on the worker (ms); the rest of started..finished is the queue's own work. */
  commandMs: number | null;
  /** The writer's signature of (id, state, attempts, worker, exit code): src/queue/row-signatures.ts. */
  stateSignature?: string | null;
}

export interface JobEvent {
  seq: number;
  at: string;
  source: string;
  record: Record<string, unknown>;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toJob(r: Record<string, unknown>): JobRow {
  return {
    id: Number(r.id),
    command: r.command as string[],
    deploymentId: r.deployment_id as string,
    args: r.args as JobArgs,
    requestedBy: r.requested_by as string,
    requestedVia: r.requested_via as string,
    fleetId: (r.fleet_id as string | null) ?? null,
    state: r.state as JobState,
    attempts: r.attempts as number,
    worker: r.worker_id ? { id: r.worker_id as string, host: r.worker_host as string, pid: r.worker_pid as number } : null,
    createdAt: iso(r.created_at as Date)!,
    startedAt: iso(r.started_at as Date | null),
    finishedAt: iso(r.finished_at as Date | null),
    exitCode: (r.exit_code as number | null) ?? null,
    error: (r.error as string | null) ?? null,
    outputTail: (r.output_tail as string | null) ?? null,
    journalOffsets: (r.journal_offsets as Record<string, number> | null) ?? {},
    commandMs: (r.command_ms as number | null) ?? null,
    stateSignature: (r.state_signature as string | null) ?? null,
  };
}

export async function getJob(pool: pg.Pool | pg.PoolClient, id: number): Promise<JobRow> {
  const { rows } = await pool.query('SELECT * FROM mokodeploy_queue.jobs WHERE id = $1', [id]);
  if (!rows[0]) throw notFound(`no job ${id}`, { fix: 'list the jobs with: mokodeploy jobs' });
  return toJob(rows[0]);
}

export async function listJobs(
  pool: pg.Pool,
  filter: { deploymentId?: string; fleetId?: string; limit?: number } = {},
): Promise<JobRow[]> {
  const { rows } = await pool.query(
    `SELECT * FROM mokodeploy_queue.jobs
     WHERE ($1::text IS NULL OR deployment_id = $1) AND ($2::text IS NULL OR fleet_id = $2)
     ORDER BY id DESC LIMIT $3`,
    [filter.deploymentId ?? null, filter.fleetId ?? null, filter.limit ?? 50],
  );
  return rows.map(toJob);
}

export async function jobEvents(pool: pg.Pool, id: number, afterSeq = 0): Promise<JobEvent[]> {
  const { rows } = await pool.query(
    'SELECT seq, at, source, record FROM mokodeploy_queue.events WHERE job_id = $1 AND seq > $2 ORDER BY seq',
    [id, afterSeq],
  );
  return rows.map((r) => ({ seq: r.seq as number, at: (r.at as Date).toISOString(), source: r.source as string, record: r.record }));
}

/**
 * Append progress records of a job (next sequence numbers) and wake listeners on `mokodeploy_job`. With
 * `offsets`, the journal positions they were read up to are saved in the same transaction.
 */
export async function appendJobEvents(
  pool: pg.Pool,
  id: number,
  events: { source: string; record: Record<string, unknown> }[],
  offsets?: Record<string, number>,
): Promise<void> {
  if (events.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO mokodeploy_queue.events (job_id, seq, source, record)
         SELECT $1, (SELECT coalesce(max(seq), 0) FROM mokodeploy_queue.events WHERE job_id = $1) + e.n, e.source, e.record
         FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (source text, record jsonb)) WITH ORDINALITY AS e(source, record, n)`,
        [id, JSON.stringify(events)],
      );
      if (offsets) {
        await client.query(
          'UPDATE mokodeploy_queue.jobs SET journal_offsets = journal_offsets || $2::jsonb WHERE id = $1',
          [id, JSON.stringify(offsets)],
        );
      }
      await client.query('SELECT pg_notify($1, $2)', ['mokodeploy_job', String(id)]);
      await client.query('COMMIT');
      return;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      // two writers took the same next number (the reaper and a worker): take the next ones
      if ((e as { code?: string }).code !== '23505' || attempt >= 5) throw e;
    } finally {
      client.release();
    }
  }
}

/**
 * One statement (one round trip): change the job's row, add one `job` event with the next number and wake the
 * listeners. The worker's own bookkeeping around each command, kept short (bench/queue.ts measures it).
 */
export async function updateJobWithEvent(
  pool: pg.Pool,
  id: number,
  set: string,
  values: unknown[],
  event: Record<string, unknown>,
  /** Only while the row still names this worker and attempt (a worker declared dead must not settle a handed-over job). */
  owner?: { workerId: string; attempt: number },
  /** Only while the row is still in this state (a start: the state checked just before). */
  fromState?: JobState,
): Promise<JobRow> {
  const guard =
    (owner ? ` AND worker_id = $${values.length + 3} AND attempts = $${values.length + 4}` : '') +
    (fromState ? ` AND state = $${values.length + (owner ? 5 : 3)}` : '');
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await pool.query(
        `WITH j AS (UPDATE mokodeploy_queue.jobs SET ${set} WHERE id = $1${guard} RETURNING *),
              e AS (INSERT INTO mokodeploy_queue.events (job_id, seq, source, record)
                    SELECT $1, coalesce((SELECT max(seq) FROM mokodeploy_queue.events WHERE job_id = $1), 0) + 1, 'job', $2::jsonb
                    FROM j RETURNING seq),
              n AS (SELECT pg_notify('mokodeploy_job', $1::text) AS x)
         SELECT j.*, (SELECT x FROM n) AS notified, (SELECT seq FROM e) AS seq FROM j`,
        [id, JSON.stringify(event), ...values, ...(owner ? [owner.workerId, owner.attempt] : []), ...(fromState ? [fromState] : [])],
      );
      if (!rows[0] && fromState) throw conflict(`job ${id} is no longer ${fromState}: another worker started it`);
      if (!rows[0] && owner) throw conflict(`job ${id} is no longer attempt ${owner.attempt} of worker ${owner.workerId}: it was handed over`);
      if (!rows[0]) throw notFound(`no job ${id}`);
      return toJob(rows[0]);
    } catch (e) {
      if ((e as { code?: string }).code !== '23505' || attempt >= 5) throw e;
    }
  }
}

/** Jobs settled (succeeded or failed) among `ids`. */
export async function settledJobs(pool: pg.Pool, ids: number[]): Promise<JobRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await pool.query(
    `SELECT * FROM mokodeploy_queue.jobs WHERE id = ANY($1::bigint[]) AND state IN ('succeeded', 'failed', 'cancelled')`,
    [ids],
  );
  return rows.map(toJob);
}
