import { hostname } from 'node:os';
import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { appendJobEvents, getJob } from '../queue/jobs.js';
import { jobArgv, jobArgsSchema } from '../queue/job.js';
import { forwardJournals } from './journal-forward.js';
import { captureOutput } from './output-capture.js';

/** Runs a CLI argv (after the program name) to its exit code: the CLI's own `main`, in this process. */
export type RunCli = (argv: string[]) => Promise<number>;

export interface JobTaskOptions {
  pool: pg.Pool;
  home: string;
  workerId: string;
  runCli: RunCli;
}

/**
 * One job: our row says running (on which worker, which attempt), the run journals are forwarded as progress, the
 * command runs exactly as typed on this machine (same locks, same journal: a job handed over from a dead worker
 * resumes its journal like a second `mokodeploy deploy` would), and the row says how it ended. A command that
 * fails is a settled job, not a queue error: graphile-worker retries only jobs whose worker died.
 */
export function jobTask(o: JobTaskOptions): Task {
  return async (payload, helpers) => {
    const jobId = Number((payload as { jobId?: unknown }).jobId);
    const job = await getJob(o.pool, jobId);
    const args = jobArgsSchema.parse(job.args); // the row is input to this edge: checked again
    const attempt = helpers.job.attempts;
    await o.pool.query(
      `UPDATE mokodeploy_queue.jobs SET state = 'running', attempts = $2, worker_id = $3, worker_host = $4,
         worker_pid = $5, started_at = clock_timestamp(), finished_at = NULL, exit_code = NULL, error = NULL
       WHERE id = $1`,
      [jobId, attempt, o.workerId, hostname(), process.pid],
    );
    await appendJobEvents(o.pool, jobId, [
      { source: 'job', record: { type: 'job-started', at: now(), worker: o.workerId, host: hostname(), pid: process.pid, attempt } },
    ]);
    const forward = forwardJournals(
      o.home,
      args.deploymentId,
      (batch, offsets) => appendJobEvents(o.pool, jobId, batch, offsets),
      job.journalOffsets,
    );
    const capture = captureOutput();
    let code = 70;
    try {
      code = await o.runCli(jobArgv(job.command, args));
    } finally {
      const out = capture.stop();
      await forward.stop();
      const state = code === 0 ? 'succeeded' : 'failed';
      await o.pool.query(
        `UPDATE mokodeploy_queue.jobs SET state = $2, exit_code = $3, error = $4, output_tail = $5,
           finished_at = clock_timestamp() WHERE id = $1`,
        [jobId, state, code, code === 0 ? null : (out.error ?? `exit ${code}`), out.tail],
      );
      await appendJobEvents(o.pool, jobId, [
        { source: 'job', record: { type: 'job-finished', at: now(), state, exitCode: code, error: code === 0 ? null : out.error } },
      ]);
    }
  };
}

const now = () => new Date().toISOString();
