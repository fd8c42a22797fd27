import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { makeWorkerUtils, run, type RunnerOptions } from 'graphile-worker';
import { openQueuePool } from '../queue/pool.js';
import { quietLogger } from '../queue/schema.js';
import { jobTask as taskName } from '../queue/enqueue.js';
import { beat, markStopped, reapDeadWorkers, registerWorker } from './heartbeat.js';
import { jobTask, type RunCli } from './run-job.js';
import { startJournalMirror } from './journal-mirror.js';
import type { AuditDraft } from '../audit/entry.js';
import type { AuditSigner } from '../audit/signing-key.js';

export interface WorkerOptions {
  url: string;
  home: string;
  runCli: RunCli;
  /**
   * The store's audit signer (checked against the key the store recorded): a job's request and the journal lines a
   * take-over writes to disk are verified with it, and this worker's journal lines are signed with it.
   */
  signer: AuditSigner;
  /** How often this worker says it is alive and looks for dead ones. */
  heartbeatMs?: number;
  /** A worker silent this long is dead (on another machine; on this one, a gone pid is dead at once). */
  deadAfterMs?: number;
  /** How often graphile-worker looks for jobs besides being woken by new ones (retries, handed-over jobs). */
  pollMs?: number;
  log?: (line: string) => void;
  /** The store's audit trail (a job handed over from a dead worker is audited). */
  audit?: (entry: AuditDraft) => Promise<void>;
}

export interface RunningWorker {
  id: string;
  /** Stop taking jobs; a job in progress finishes first. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped. */
  done: Promise<void>;
}

/**
 * A queue worker (graphile-worker, one job at a time: a job is a whole CLI command with its own output, exit code
 * and target lock; run more workers for more at once).
 */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const pool = await openQueuePool(o.url, 6);
  const utils = await makeWorkerUtils({ pgPool: pool, logger: quietLogger(log) });
  const journalMirror = await startJournalMirror({ url: o.url, home: o.home, signer: o.signer });
  await registerWorker(pool, id, o.signer);
  const heartbeatMs = o.heartbeatMs ?? 5_000;
  const deadAfterMs = o.deadAfterMs ?? 30_000;
  const refusedOnce = new Set<string>(); // a refused row is audited once per worker process, not at every beat
  const reap = async () => {
    const { reaped, refused } = await reapDeadWorkers(pool, utils, id, deadAfterMs, o.signer);
    for (const d of reaped) {
      log(`worker ${d.id} (pid ${d.pid} on ${d.host}) is dead; its job(s) ${d.jobs.join(', ') || '(none)'} queued again`);
    }
    for (const r of refused) {
      const key = `${r.worker}:${r.job ?? ''}`;
      if (refusedOnce.has(key)) continue;
      refusedOnce.add(key);
      log(`refused: ${r.reason}`);
      await o.audit?.({
        at: new Date().toISOString(),
        actor: `worker ${id}`,
        role: '-',
        action: 'job-refused',
        deploymentId: null, // a queue row's word, not a fact
        summary: `${r.job !== undefined ? `job ${r.job}` : `worker ${r.worker}`} refused on ${hostname()} by worker ${id}: ${r.reason}`,
        before: null,
        after: { worker: r.worker, job: r.job ?? null, host: hostname(), reaper: id },
      });
    }
  };
  await reap();
  const timer = setInterval(() => {
    void beat(pool, id)
      .then(reap)
      .catch((e: Error) => log(`heartbeat failed: ${e.message}`));
  }, heartbeatMs);
  const options: RunnerOptions & { workerId: string } = {
    pgPool: pool,
    concurrency: 1,
    workerId: id,
    noHandleSignals: true,
    pollInterval: o.pollMs ?? 1_000,
    logger: quietLogger(log),
    taskList: { [taskName]: jobTask({ pool, journalMirror, home: o.home, workerId: id, runCli: o.runCli, signer: o.signer, log, audit: o.audit }) },
  };
  const runner = await run(options);
  log(`worker ${id} ready (home ${o.home})`);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      await runner.stop().catch(() => undefined);
      await markStopped(pool, id).catch(() => undefined);
      await journalMirror.stop().catch(() => undefined);
      await Promise.resolve(utils.release()).catch(() => undefined);
      await pool.end().catch(() => undefined);
    })());
  const done = runner.promise.then(
    () => stop(),
    () => stop(),
  );
  return { id, stop, done };
}
