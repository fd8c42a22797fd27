/**
 * The queued job this process runs, if any (issue 20). A worker runs one job at a time, in its own process, through
 * the CLI's own code path; for that job's length it says which job and attempt this is, so that
 * - every run-journal record is also made durable in the queue's database before the runner goes on
 *   (`mirror`): a worker on another machine that takes the job over rebuilds the journal from there;
 * - the target lock names the job and attempt, and the next attempt of the same job may take over the lock of an
 *   earlier attempt whose worker the queue has declared dead (`deadWorkers`), whatever machine it ran on.
 * Outside a worker nothing is set and the journal and the lock behave as they always did.
 */
export interface QueuedRun {
  jobId: number;
  attempt: number;
  /** The worker running this attempt (queue's workers.id). */
  workerId: string;
  /** Workers of earlier attempts of this job that the queue declared dead (heartbeats). */
  deadWorkers: readonly string[];
  /**
   * Record one journal line (the file's absolute path, the line without its newline) durably in the queue's
   * database; returns when it is committed, throws when it cannot be (the run must not go on).
   */
  mirror(path: string, line: string): void;
}

/** The job's identity as the target lock records it. */
export interface LockJob {
  id: number;
  attempt: number;
  worker: string;
}

let current: QueuedRun | undefined;

/** Run `fn` as queued job `run` (the worker, around one job); nothing is left set afterwards. */
export async function asQueuedRun<T>(run: QueuedRun, fn: () => Promise<T>): Promise<T> {
  if (current) throw new Error('bug: a queued job is already running in this process');
  current = run;
  try {
    return await fn();
  } finally {
    current = undefined;
  }
}

export function queuedRun(): QueuedRun | undefined {
  return current;
}

export function lockJobOf(run: QueuedRun | undefined): LockJob | undefined {
  return run ? { id: run.jobId, attempt: run.attempt, worker: run.workerId } : undefined;
}
