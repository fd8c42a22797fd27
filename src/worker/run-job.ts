import { hostname } from 'node:os';
import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { performance } from 'node:perf_hooks';
import { appendJobEvents, updateJobWithEvent } from '../queue/jobs.js';
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
    const attempt = helpers.job.attempts;
    const job = await updateJobWithEvent(
      o.pool,
      jobId,
      `state = 'running', attempts = $3, worker_id = $4, worker_host = $5, worker_pid = $6,
       started_at = clock_timestamp(), finished_at = NULL, exit_code = NULL, error = NULL, command_ms = NULL`,
      [attempt, o.workerId, hostname(), process.pid],
      { type: 'job-started', at: now(), worker: o.workerId, host: hostname(), pid: process.pid, attempt },
    );
    const args = jobArgsSchema.parse(job.args); // the row is input to this edge: checked again
    const forward = forwardJournals(
      o.home,
      args.deploymentId,
      (batch, offsets) => appendJobEvents(o.pool, jobId, batch, offsets),
      job.journalOffsets,
    );
    const capture = captureOutput();
    let code = 70;
    const started = performance.now();
    try {
      code = await o.runCli(jobArgv(job.command, args));
    } finally {
      const commandMs = performance.now() - started;
      const out = capture.stop();
      await forward.stop();
      const state = code === 0 ? 'succeeded' : 'failed';
      const error = code === 0 ? null : (out.error ?? `exit ${code}`);
      await updateJobWithEvent(
        o.pool,
        jobId,
        `state = $3, exit_code = $4, error = $5, output_tail = $6, command_ms = $7, finished_at = clock_timestamp()`,
        [state, code, error, out.tail, commandMs],
        { type: 'job-finished', at: now(), state, exitCode: code, error },
      );
    }
  };
}

const now = () => new Date().toISOString();
