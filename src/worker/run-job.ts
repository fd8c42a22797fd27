import { hostname } from 'node:os';
import type pg from 'pg';
import type { Task } from 'graphile-worker';
import { performance } from 'node:perf_hooks';
import { appendJobEvents, getJob, updateJobWithEvent, type JobRow } from '../queue/jobs.js';
import { checkStartable, signJobState } from '../queue/row-signatures.js';
import { ZodError } from 'zod';
import { commandOf, describeJob, jobArgv, jobArgsSchema, type JobArgs } from '../queue/job.js';
import { checkJobOptions } from '../queue/job-options.js';
import { checkJobRequest } from '../queue/signature.js';
import type { AuditSigner } from '../audit/signing-key.js';
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
  /** The store's audit signer: checks the row's request and the committed journal, signs this worker's lines. */
  signer: AuditSigner;
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
    const writer = { jobId, workerId: o.workerId, attempt };
    const before = await getJob(o.pool, jobId);
    if (settled.has(before.state)) {
      // a settled job handed to graphile-worker again (a replay of its id): refused, its row left as it ended
      await refusedAudited(o, before, writer, async () => checkStartable(o.signer, stateOf(before), before.stateSignature, attempt)).catch(
        async (e: unknown) => {
          process.stderr.write(`error: job ${jobId} could not run: ${redact(reason(e))}\n`);
          await appendJobEvents(o.pool, jobId, [
            { source: 'job', record: { type: 'job-refused', at: now(), attempt, worker: o.workerId, reason: reason(e) } },
          ]);
        },
      );
      return;
    }
    const job = await updateJobWithEvent(
      o.pool,
      jobId,
      `state = 'running', attempts = $3, worker_id = $4, worker_host = $5, worker_pid = $6, state_signature = $7,
       started_at = clock_timestamp(), finished_at = NULL, exit_code = NULL, error = NULL, command_ms = NULL`,
      [attempt, o.workerId, hostname(), process.pid, signJobState(o.signer, { id: jobId, state: 'running', attempts: attempt, worker: o.workerId, exitCode: null })],
      { type: 'job-started', at: now(), worker: o.workerId, host: hostname(), pid: process.pid, attempt },
      undefined,
      before.state,
    );
    const capture = captureOutput();
    let code = 70;
    let started = performance.now();
    try {
      const { args, restore, deadWorkers } = await refusedAudited(o, job, writer, async () => {
        const args = await checkedRequest(o, job); // the row is input to this edge: checked again, and its signature
        checkStartable(o.signer, stateOf(before), before.stateSignature, attempt); // queued, as its writer signed it
        const deadWorkers = await deadWorkersOfJob(o.pool, jobId, o.signer); // only signed declarations
        return { args, deadWorkers, restore: await restoreJournals(o.pool, o.home, writer, o.signer) };
      });
      for (const r of restore.restored)
        o.log?.(`job ${jobId}: journal ${r.file} rebuilt from the queue (${r.lines} line(s))`);
      if (attempt > 1 && deadWorkers.length > 0) await o.audit?.(handover(job, writer, deadWorkers, restore));
      const mirror = (path: string, line: string) => o.journalMirror.mirror(writer, path, line);
      started = performance.now();
      code = await asQueuedRun({ ...writer, deadWorkers, mirror }, () =>
        o.runCli(jobArgv(job.command, args)),
      );
    } catch (e) {
      process.stderr.write(`error: job ${jobId} could not run: ${redact(reason(e))}\n`);
    } finally {
      const commandMs = performance.now() - started;
      const out = capture.stop();
      const state = code === 0 ? 'succeeded' : 'failed';
      const error = code === 0 ? null : (out.error ?? `exit ${code}`);
      await updateJobWithEvent(
        o.pool,
        jobId,
        `state = $3, exit_code = $4, error = $5, output_tail = $6, command_ms = $7, finished_at = clock_timestamp(), state_signature = $8`,
        [state, code, error, out.tail, commandMs, signJobState(o.signer, { id: jobId, state, attempts: attempt, worker: o.workerId, exitCode: code })],
        { type: 'job-finished', at: now(), state, exitCode: code, error },
        { workerId: o.workerId, attempt },
      );
    }
  };
}

const settled = new Set(['succeeded', 'failed', 'cancelled']);

const stateOf = (j: JobRow) => ({
  id: j.id,
  state: j.state,
  attempts: j.attempts,
  worker: j.worker?.id ?? null,
  exitCode: j.exitCode,
});

/** The row's request, checked: its args by the schema, its command queueable, its options typed, its signature. */
async function checkedRequest(o: JobTaskOptions, job: JobRow): Promise<JobArgs> {
  const args = jobArgsSchema.parse(job.args);
  const command = commandOf(job.command);
  await checkJobOptions(command, args.options);
  await checkJobRequest(o.pool, o.signer, job.id, job.command, args);
  return args;
}

/** A row the worker refuses (request or committed journal) is audited before the job fails with the reason. */
async function refusedAudited<T>(o: JobTaskOptions, job: JobRow, w: JournalWriter, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    await o.audit?.({
      at: now(),
      actor: `worker ${w.workerId}`,
      role: '-',
      action: 'job-refused',
      deploymentId: null, // the row's deployment id is the row's word, not a fact
      summary: `job ${job.id} attempt ${w.attempt} refused on ${hostname()} by worker ${w.workerId}: ${reason(e)}`,
      before: null,
      after: { job: job.id, attempt: w.attempt, worker: w.workerId, host: hostname() },
    });
    throw e;
  }
}

/** One readable line: a schema refusal names each field and why (zod's own message is a JSON array). */
function reason(e: unknown): string {
  const text =
    e instanceof ZodError
      ? `the row's args are refused: ${e.issues.map((i) => `${['args', ...i.path].join('.')}: ${i.message}`).join('; ')}`
      : (e as Error).message;
  return text.replace(/\s*\n\s*/g, ' ');
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
