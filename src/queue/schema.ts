import type pg from 'pg';
import { Logger, runMigrations } from 'graphile-worker';

/**
 * The queue's tables beside graphile-worker's own schema: what a job asks for (ids and options, never secrets),
 * where it ran and how it ended (`jobs`), its live progress (`events`: the run journal's records and the job's own
 * milestones, so a dashboard on another machine follows a run), the workers' heartbeats (`workers`: a dead worker's
 * job is handed to another), the run-journal lines each job wrote, exactly as written (`journal_lines`: a worker on
 * another machine rebuilds the journal from them to resume the job), and fleet operations (`fleets`, `fleet_members`). Idempotent; under an advisory lock so
 * two workers starting together do not race.
 */
export const queueSchemaSql = `
CREATE SCHEMA IF NOT EXISTS mokodeploy_queue;
CREATE TABLE IF NOT EXISTS mokodeploy_queue.jobs (
  id bigserial PRIMARY KEY,
  command text[] NOT NULL,
  deployment_id text NOT NULL,
  args jsonb NOT NULL,
  requested_by text NOT NULL,
  requested_via text NOT NULL,
  fleet_id text,
  state text NOT NULL DEFAULT 'queued',
  attempts int NOT NULL DEFAULT 0,
  worker_id text,
  worker_host text,
  worker_pid int,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  started_at timestamptz,
  finished_at timestamptz,
  exit_code int,
  error text,
  output_tail text
);
ALTER TABLE mokodeploy_queue.jobs ADD COLUMN IF NOT EXISTS journal_offsets jsonb NOT NULL DEFAULT '{}';
ALTER TABLE mokodeploy_queue.jobs ADD COLUMN IF NOT EXISTS command_ms double precision;
CREATE INDEX IF NOT EXISTS jobs_deployment ON mokodeploy_queue.jobs (deployment_id, id);
CREATE INDEX IF NOT EXISTS jobs_fleet ON mokodeploy_queue.jobs (fleet_id) WHERE fleet_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS mokodeploy_queue.events (
  job_id bigint NOT NULL REFERENCES mokodeploy_queue.jobs (id) ON DELETE CASCADE,
  seq int NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  source text NOT NULL,
  record jsonb NOT NULL,
  PRIMARY KEY (job_id, seq)
);
CREATE TABLE IF NOT EXISTS mokodeploy_queue.workers (
  id text PRIMARY KEY,
  host text NOT NULL,
  pid int NOT NULL,
  state text NOT NULL DEFAULT 'running',
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE IF NOT EXISTS mokodeploy_queue.fleets (
  id text PRIMARY KEY,
  operation text NOT NULL,
  options jsonb NOT NULL,
  requested_by text NOT NULL,
  state text NOT NULL DEFAULT 'running',
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at timestamptz,
  halted_reason text
);
CREATE TABLE IF NOT EXISTS mokodeploy_queue.fleet_members (
  fleet_id text NOT NULL REFERENCES mokodeploy_queue.fleets (id) ON DELETE CASCADE,
  client text NOT NULL,
  deployment_id text,
  position int NOT NULL,
  wave int,
  status text NOT NULL,
  reason text,
  job_id bigint,
  PRIMARY KEY (fleet_id, client)
);
ALTER TABLE mokodeploy_queue.fleet_members ADD COLUMN IF NOT EXISTS client_name text;
CREATE TABLE IF NOT EXISTS mokodeploy_queue.journal_lines (
  job_id bigint NOT NULL REFERENCES mokodeploy_queue.jobs (id) ON DELETE CASCADE,
  file text NOT NULL,
  n int NOT NULL,
  attempt int NOT NULL,
  line text NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (job_id, file, n)
);
ALTER TABLE mokodeploy_queue.jobs ADD COLUMN IF NOT EXISTS signature text;
ALTER TABLE mokodeploy_queue.journal_lines ADD COLUMN IF NOT EXISTS signature text;
ALTER TABLE mokodeploy_queue.jobs ADD COLUMN IF NOT EXISTS state_signature text;
ALTER TABLE mokodeploy_queue.workers ADD COLUMN IF NOT EXISTS signature text;
ALTER TABLE mokodeploy_queue.fleets ADD COLUMN IF NOT EXISTS signature text;
ALTER TABLE mokodeploy_queue.fleet_members ADD COLUMN IF NOT EXISTS signature text;
`;

const lockKey = 7_402_020; // any constant: the advisory lock that serialises schema set-up

/** Make graphile-worker's schema and ours exist (both idempotent). */
export async function prepareQueue(pool: pg.Pool): Promise<void> {
  await runMigrations({ pgPool: pool, logger: quietLogger() });
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockKey]);
    try {
      await client.query(queueSchemaSql);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lockKey]);
    }
  } finally {
    client.release();
  }
}


/** graphile-worker's logger, keeping only warnings and errors (a worker's log is about jobs, not polling). */
export function quietLogger(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  return new Logger(() => (level, message) => {
    if (level === 'error' || level === 'warning') write(`queue ${level}: ${message}`);
  });
}
