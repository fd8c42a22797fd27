import { hostname } from 'node:os';
import type pg from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import { appendJobEvents } from '../queue/jobs.js';
import type { AuditSigner } from '../audit/signing-key.js';
import { jobStateValid, signDeath, signJobState, signWorker, workerValid } from '../queue/row-signatures.js';

/**
 * Workers say they are alive every few seconds. A worker that stopped saying so (`deadAfterMs`), or whose process
 * is gone from this very machine (the same test the target lock uses: a pid on our own host), is dead: its job is
 * unlocked in graphile-worker and queued again, so another worker takes it and resumes its journal.
 *
 * Issue 12: a worker's row (id, host, pid) is signed when it registers, and the reaper acts only on a signed row;
 * it requeues only a job whose running state that worker signed, and signs what it declares (the job's queued state,
 * and the `job-worker-died` event naming job, attempt and worker: the next attempt takes over the lock on it).
 * Silence itself is not signed: whoever can write the queue can also stall a worker's beats (hold its row's lock),
 * so a stalled worker is declared dead by its rule, and fenced (journal-lines.ts: its next line is refused).
 */
export async function registerWorker(pool: pg.Pool, id: string, signer: AuditSigner): Promise<void> {
  const me = { id, host: hostname(), pid: process.pid };
  await pool.query(
    `INSERT INTO mokodeploy_queue.workers (id, host, pid, signature) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET state = 'running', heartbeat_at = clock_timestamp(), host = $2, pid = $3, signature = $4`,
    [me.id, me.host, me.pid, signWorker(signer, me)],
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

/** A row the reaper did not act on: a worker whose row, or a job whose running state, no key holder signed. */
export interface RefusedRow {
  worker: string;
  job?: number;
  reason: string;
}

export async function reapDeadWorkers(
  pool: pg.Pool,
  utils: WorkerUtils,
  self: string,
  deadAfterMs: number,
  signer: AuditSigner,
): Promise<{ reaped: DeadWorker[]; refused: RefusedRow[] }> {
  const { rows } = await pool.query<{ id: string; host: string; pid: number; signature: string | null; silent: boolean }>(
    `SELECT id, host, pid, signature, heartbeat_at < clock_timestamp() - make_interval(secs => $2::float / 1000) AS silent
     FROM mokodeploy_queue.workers WHERE state = 'running' AND id <> $1`,
    [self, deadAfterMs],
  );
  const refused: RefusedRow[] = [];
  const signed = rows.filter((w) => {
    if (workerValid(signer, w, w.signature)) return true;
    refused.push({
      worker: w.id,
      reason: `worker ${w.id}'s row (host ${w.host}, pid ${w.pid}) ${w.signature ? 'does not match its signature' : 'is not signed'} by the store's audit key: it is never declared dead on it`,
    });
    return false;
  });
  const dead = signed.filter((w) => w.silent || (w.host === hostname() && !pidAlive(w.pid)));
  const reaped: DeadWorker[] = [];
  for (const w of dead) {
    // only one reaper wins each dead worker
    const won = await pool.query(`UPDATE mokodeploy_queue.workers SET state = 'dead' WHERE id = $1 AND state = 'running'`, [w.id]);
    if (won.rowCount !== 1) continue;
    await utils.forceUnlockWorkers([w.id]);
    const running = await pool.query<{ id: string; attempts: number; state_signature: string | null }>(
      `SELECT id, attempts, state_signature FROM mokodeploy_queue.jobs WHERE worker_id = $1 AND state = 'running'`,
      [w.id],
    );
    const jobs: number[] = [];
    for (const j of running.rows) {
      const job = Number(j.id);
      const state = { id: job, state: 'running', attempts: j.attempts, worker: w.id, exitCode: null };
      if (!jobStateValid(signer, state, j.state_signature)) {
        refused.push({
          worker: w.id,
          job,
          reason: `job ${job}'s running state (attempt ${j.attempts}, worker ${w.id}) ${j.state_signature ? 'does not match its signature' : 'is not signed'} by the store's audit key: it is not handed over`,
        });
        continue;
      }
      const queued = { ...state, state: 'queued' };
      const requeued = await pool.query(
        `UPDATE mokodeploy_queue.jobs SET state = 'queued', state_signature = $3
         WHERE id = $1 AND worker_id = $2 AND state = 'running' AND attempts = $4`,
        [job, w.id, signJobState(signer, queued), j.attempts],
      );
      if (requeued.rowCount !== 1) continue;
      const declared = { job, attempt: j.attempts, worker: w.id };
      await appendJobEvents(pool, job, [
        {
          source: 'job',
          record: {
            type: 'job-worker-died',
            at: new Date().toISOString(),
            ...declared,
            host: w.host,
            pid: w.pid,
            by: self,
            signature: signDeath(signer, declared),
          },
        },
      ]);
      jobs.push(job);
    }
    reaped.push({ id: w.id, host: w.host, pid: w.pid, jobs });
  }
  return { reaped, refused };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
