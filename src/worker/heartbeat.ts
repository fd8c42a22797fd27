import { hostname } from 'node:os';
import type pg from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import { appendJobEvents } from '../queue/jobs.js';

/**
 * Workers say they are alive every few seconds. A worker that stopped saying so (`deadAfterMs`), or whose process
 * is gone from this very machine (the same test the target lock uses: a pid on our own host), is dead: its job is
 * unlocked in graphile-worker and queued again, so another worker takes it and resumes its journal.
 */
export async function registerWorker(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(
    `INSERT INTO mokodeploy_queue.workers (id, host, pid) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET state = 'running', heartbeat_at = clock_timestamp()`,
    [id, hostname(), process.pid],
  );
}

export async function beat(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(`UPDATE mokodeploy_queue.workers SET heartbeat_at = clock_timestamp() WHERE id = $1`, [id]);
}

export async function markStopped(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(`UPDATE mokodeploy_queue.workers SET state = 'stopped' WHERE id = $1`, [id]);
}

export interface DeadWorker {
  id: string;
  host: string;
  pid: number;
  jobs: number[];
}

export async function reapDeadWorkers(
  pool: pg.Pool,
  utils: WorkerUtils,
  self: string,
  deadAfterMs: number,
): Promise<DeadWorker[]> {
  const { rows } = await pool.query<{ id: string; host: string; pid: number; silent: boolean }>(
    `SELECT id, host, pid, heartbeat_at < clock_timestamp() - make_interval(secs => $2::float / 1000) AS silent
     FROM mokodeploy_queue.workers WHERE state = 'running' AND id <> $1`,
    [self, deadAfterMs],
  );
  const dead = rows.filter((w) => w.silent || (w.host === hostname() && !pidAlive(w.pid)));
  const reaped: DeadWorker[] = [];
  for (const w of dead) {
    // only one reaper wins each dead worker
    const won = await pool.query(`UPDATE mokodeploy_queue.workers SET state = 'dead' WHERE id = $1 AND state = 'running'`, [w.id]);
    if (won.rowCount !== 1) continue;
    await utils.forceUnlockWorkers([w.id]);
    const jobs = await pool.query<{ id: string }>(
      `UPDATE mokodeploy_queue.jobs SET state = 'queued' WHERE worker_id = $1 AND state = 'running' RETURNING id`,
      [w.id],
    );
    for (const j of jobs.rows) {
      await appendJobEvents(pool, Number(j.id), [
        {
          source: 'job',
          record: { type: 'job-worker-died', at: new Date().toISOString(), worker: w.id, host: w.host, pid: w.pid, by: self },
        },
      ]);
    }
    reaped.push({ id: w.id, host: w.host, pid: w.pid, jobs: jobs.rows.map((j) => Number(j.id)) });
  }
  return reaped;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
