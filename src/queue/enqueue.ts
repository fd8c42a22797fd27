import type pg from 'pg';
import type { AuditSigner } from '../audit/signing-key.js';
import { jobArgsSchema, type JobRequest } from './job.js';
import { checkJobOptions } from './job-options.js';
import { jobRequestMessage } from './signature.js';
import { signJobState } from './row-signatures.js';

/** graphile-worker's task name for every mokodeploy job (the command is in the job's own row). */
export const jobTask = 'mokodeploy-job';

/** graphile-worker's key of our job `id` (its view shows keys, not payloads). */
export const graphileKey = (id: number): string => `mokodeploy-job-${id}`;

/** A dead worker's job is handed over this many times at most, then left failed for a person to look at. */
export const maxAttempts = 5;

/**
 * Queue a job: our row and graphile-worker's job in one transaction, so a job never exists in one without the
 * other. Jobs of one deployment run one after another (graphile's named queue `deployment:<id>`), whichever worker
 * takes them. The request is signed with the store's audit key (src/queue/signature.ts): a worker runs only a row an
 * enqueuer holding that key wrote, exactly as written.
 */
export async function enqueueJob(pool: pg.Pool, request: JobRequest, signer: AuditSigner): Promise<number> {
  const args = jobArgsSchema.parse(request.args);
  await checkJobOptions(request.command, args.options);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO mokodeploy_queue.jobs (command, deployment_id, args, requested_by, requested_via, fleet_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [request.command, args.deploymentId, args, request.requestedBy, request.requestedVia, request.fleetId ?? null],
    );
    const id = Number(rows[0]!.id);
    await client.query('UPDATE mokodeploy_queue.jobs SET signature = $2, state_signature = $3 WHERE id = $1', [
      id,
      signer.sign(jobRequestMessage(id, request.command, args)),
      signJobState(signer, { id, state: 'queued', attempts: 0, worker: null, exitCode: null }),
    ]);
    await client.query(
      `SELECT graphile_worker.add_job($1, json_build_object('jobId', $2::bigint), queue_name => $3, max_attempts => $4, job_key => $5)`,
      [jobTask, id, `deployment:${args.deploymentId}`, maxAttempts, graphileKey(id)],
    );
    await client.query(
      `INSERT INTO mokodeploy_queue.events (job_id, seq, source, record) VALUES ($1, 1, 'job', $2)`,
      [id, { type: 'job-queued', at: new Date().toISOString(), by: request.requestedBy, via: request.requestedVia }],
    );
    await client.query('COMMIT');
    return id;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
