import type pg from 'pg';
import type { WorkerUtils } from 'graphile-worker';
import { graphileKey } from '../queue/enqueue.js';
import { appendJobEvents } from '../queue/jobs.js';
import type { AuditSigner } from '../audit/signing-key.js';
import { signJobState } from '../queue/row-signatures.js';

/**
 * Take queued jobs back before a worker starts them (a halted fleet starts nothing more). Only jobs no worker has
 * locked are removed from graphile-worker; the ids of those withdrawn are returned, the others run to their end.
 */
export async function withdrawJobs(pool: pg.Pool, utils: WorkerUtils, jobIds: number[], signer: AuditSigner): Promise<number[]> {
  if (jobIds.length === 0) return [];
  const keys = new Map(jobIds.map((id) => [graphileKey(id), id]));
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM graphile_worker.jobs WHERE key = ANY($1::text[]) AND locked_at IS NULL',
    [[...keys.keys()]],
  );
  const removed = await utils.completeJobs(rows.map((r) => r.id));
  const withdrawn = removed.flatMap((j) => (j.key && keys.has(j.key) ? [keys.get(j.key)!] : []));
  if (withdrawn.length > 0) {
    const { rows: jobs } = await pool.query<{ id: string; attempts: number; worker_id: string | null }>(
      'SELECT id, attempts, worker_id FROM mokodeploy_queue.jobs WHERE id = ANY($1::bigint[])',
      [withdrawn],
    );
    for (const j of jobs) {
      // signed like every state (src/queue/row-signatures.ts): a fleet counts only a signed settlement
      const cancelled = { id: Number(j.id), state: 'cancelled', attempts: j.attempts, worker: j.worker_id, exitCode: null };
      await pool.query(
        `UPDATE mokodeploy_queue.jobs SET state = 'cancelled', finished_at = clock_timestamp(), state_signature = $2 WHERE id = $1`,
        [j.id, signJobState(signer, cancelled)],
      );
    }
    for (const id of withdrawn) {
      await appendJobEvents(pool, id, [{ source: 'job', record: { type: 'job-finished', at: new Date().toISOString(), state: 'cancelled', exitCode: null, error: 'withdrawn: its fleet halted' } }]);
    }
  }
  return withdrawn;
}
