import { hostname } from 'node:os';
import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { performance } from 'node:perf_hooks';
import { updateJobWithEvent, type JobRow } from '../queue/jobs.js';
import { describeJob, jobArgv, jobArgsSchema } from '../queue/job.js';
import { deadWorkersOfJob, type JournalWriter } from '../queue/journal-lines.js';
import type { AuditDraft } from '../audit/entry.js';
import { asQueuedRun } from '../runner/journal-job.js';
import type { JournalMirror } from './journal-mirror.js';
import { restoreJournals, type JournalRestore } from './journal-restore.js';
import { captureOutput } from './output-capture.js';
import { redact } from '../core/secret.js';

/** Runs a CLI argv (after the program name) to its exit code: the CLI's own `main`, in this process. */
export type RunCli = (argv: string[]) => Promise<number>;

export interface JobTaskOptions {
  pool: pg.Pool;
  /** Commits each journal line of the job to the queue's database (the worker's one mirror thread). */
  journalMirror: JournalMirror;
  home: string;
  workerId: string;
  runCli: RunCli;
  log?: (line: string) => void;
  /** Appends to the store's audit trail (the worker's store): a job handed over from a dead worker is audited. */
  audit?: (entry: AuditDraft) => Promise<void>;
}

/**
 * One job: our row says running (on which worker, which attempt); this machine's journal files get what the job's
 * earlier attempts committed (a job handed over from a dead worker on another machine resumes there too); the
 * command runs exactly as typed on this machine (same locks, same journal), as a queued run: each journal record is
 * committed to the queue's database before the runner goes on (the dashboard's progress, and the next attempt's
 * journal), and the target lock names the job, so the next attempt may take it over once the queue has declared
 * this worker dead. The row says how it ended. A command that fails is a settled job, not a queue error:
 * graphile-worker retries only jobs whose worker died.
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
    const writer = { jobId, workerId: o.workerId, attempt };
    const capture = captureOutput();
    let code = 70;
    let started = performance.now();
    try {
      const args = jobArgsSchema.parse(job.args); // the row is input to this edge: checked again
      const restore = await restoreJournals(o.pool, o.home, writer);
      for (const r of restore.restored)
        o.log?.(`job ${jobId}: journal ${r.file} rebuilt from the queue (${r.lines} line(s))`);
      const deadWorkers = await deadWorkersOfJob(o.pool, jobId);
      if (attempt > 1 && deadWorkers.length > 0) await o.audit?.(handover(job, writer, deadWorkers, restore));
      const mirror = (path: string, line: string) => o.journalMirror.mirror(writer, path, line);
      started = performance.now();
      code = await asQueuedRun({ ...writer, deadWorkers, mirror }, () =>
        o.runCli(jobArgv(job.command, args)),
      );
    } catch (e) {
      process.stderr.write(`error: job ${jobId} could not run: ${redact((e as Error).message)}\n`);
    } finally {
      const commandMs = performance.now() - started;
      const out = capture.stop();
      const state = code === 0 ? 'succeeded' : 'failed';
      const error = code === 0 ? null : (out.error ?? `exit ${code}`);
      await updateJobWithEvent(
        o.pool,
        jobId,
        `state = $3, exit_code = $4, error = $5, output_tail = $6, command_ms = $7, finished_at = clock_timestamp()`,
        [state, code, error, out.tail, commandMs],
        { type: 'job-finished', at: now(), state, exitCode: code, error },
        { workerId: o.workerId, attempt },
      );
    }
  };
}

/** The audit entry of a job taken over from a worker the queue declared dead (whatever its command). */
function handover(job: JobRow, w: JournalWriter, deadWorkers: string[], restore: JournalRestore): AuditDraft {
  const restored =
    restore.restored.map((r) => `${r.file} (${r.lines} line(s))`).join(', ') || 'nothing (already here)';
  return {
    at: now(),
    actor: job.args.as,
    role: '-',
    action: 'job-handed-over',
    deploymentId: job.deploymentId,
    summary: `job ${job.id} (${describeJob(job.command, job.args)}) attempt ${w.attempt} taken over on ${hostname()} by worker ${w.workerId}: the queue declared ${deadWorkers.join(', ')} dead; journal rebuilt from the queue: ${restored}`,
    before: { deadWorkers, attempt: w.attempt - 1 },
    after: {
      worker: w.workerId,
      host: hostname(),
      pid: process.pid,
      attempt: w.attempt,
      restored: restore.restored,
    },
  };
}

const now = () => new Date().toISOString();
