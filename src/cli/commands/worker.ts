import type { Command } from 'commander';
import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { inputError, refused } from '../../core/errors.js';
import { settlementRefused } from '../../queue/row-signatures.js';
import { terminalLine } from '../../escape/terminal.js';
import { queueUrlOf } from './worker-queue.js';
import { openQueuePool } from '../../queue/pool.js';
import { getJob, jobEvents, listJobs, type JobRow } from '../../queue/jobs.js';
import { describeJob } from '../../queue/job.js';
import { waitForJobs } from '../../queue/wait.js';
import { startWorker } from '../../worker/worker.js';

const seconds = (v: string, name: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw inputError(`${name}: expected a number of seconds, got "${v}"`, { fix: `${name} 5` });
  return n * 1000;
};

/** `mokodeploy worker` runs queued jobs; `mokodeploy jobs [ID]` lists them or shows one (issue 20). */
export const workerCommands: CommandModule = {
  register(program, app) {
    program
      .command('worker')
      .description(
        'run queued jobs (deploy, upgrade, rollback, verify, hypercare run, migrate run, validate) one at a time, each exactly as the CLI command, until stopped (SIGTERM/SIGINT); needs the store, the keys and $MOKODEPLOY_QUEUE',
      )
      .option('--heartbeat <seconds>', 'how often to say this worker is alive (default 5)')
      .option('--dead-after <seconds>', "a worker silent this long is dead and its job is handed over (default 30; a gone pid on this machine: at once)")
      .action(async (o: { heartbeat?: string; deadAfter?: string }, cmd: Command) => {
        const a = app();
        const url = queueUrlOf(cmd);
        const globals = jobGlobalArgs(a.home, program.opts<{ store?: string; evidenceStore?: string }>());
        const signer = await a.storeSigner(); // the store's own key: signs and checks queue rows
        const { main } = await import('../main.js');
        const runCli = async (argv: string[]) => {
          process.exitCode = undefined;
          try {
            return await main(['node', 'mokodeploy', ...globals, ...argv]);
          } finally {
            process.exitCode = undefined;
          }
        };
        const worker = await startWorker({
          url,
          home: a.home,
          runCli,
          signer,
          audit: async (entry) => void (await (await a.store()).appendAudit(entry)),
          heartbeatMs: o.heartbeat ? seconds(o.heartbeat, '--heartbeat') : undefined,
          deadAfterMs: o.deadAfter ? seconds(o.deadAfter, '--dead-after') : undefined,
        });
        const stop = () => void worker.stop();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        await worker.done;
      });

    program
      .command('jobs [job]')
      .description('queued jobs, newest first, or one job with its progress')
      .option('--deployment <id>', "only this deployment's jobs")
      .option('--wait', 'with a job: wait until it has run, then exit with its exit code')
      .action(async (job: string | undefined, o: { deployment?: string; wait?: boolean }, cmd: Command) => {
        const a = app();
        const pool = await openQueuePool(queueUrlOf(cmd), 2);
        try {
          if (job === undefined) {
            const jobs = await listJobs(pool, { deploymentId: o.deployment });
            a.out.result(jobs, () => (jobs.length ? jobs.map(line).join('\n') : 'no jobs'));
            return;
          }
          const id = Number(job);
          if (!Number.isInteger(id) || id <= 0) throw inputError(`job: expected a job number, got "${job}"`, { fix: 'mokodeploy jobs 12' });
          if (o.wait) await waitForJobs(pool, [id]);
          await showJob(a, pool, id);
        } finally {
          await pool.end();
        }
      });
  },
};

/**
 * The program's own options every job of this worker runs with: this worker's home, store and evidence store (a job
 * that writes evidence — an upgrade's backup, a migration's files — puts it where the worker was told, not in
 * `<home>/evidence`). Glued to their values, like every option of a job.
 */
export function jobGlobalArgs(home: string, o: { store?: string; evidenceStore?: string }): string[] {
  return [
    `--home=${home}`,
    ...(o.store ? [`--store=${o.store}`] : []),
    ...(o.evidenceStore ? [`--evidence-store=${o.evidenceStore}`] : []),
  ];
}

/** A job's row is data anyone with the queue's database may write: its text reaches the terminal as text only. */
function line(j: JobRow): string {
  const where = j.worker ? ` on ${j.worker.host} (pid ${j.worker.pid})` : '';
  return terminalLine(`${j.id}\t${j.state}${j.exitCode !== null ? ` (exit ${j.exitCode})` : ''}\t${describeJob(j.command, j.args)}${where}`);
}

async function showJob(a: AppContext, pool: Parameters<typeof getJob>[0], id: number): Promise<void> {
  const j = await getJob(pool, id);
  const events = await jobEvents(pool as never, id);
  // issue 12: an outcome no worker holding the store's key signed is shown unverified and never an exit 0
  const unverified = ['succeeded', 'failed', 'cancelled'].includes(j.state) ? settlementRefused(await a.storeSigner(), j) : null;
  a.out.result({ ...j, events, ...(unverified ? { unverified } : {}) }, () =>
    [
      line(j),
      ...(unverified ? [terminalLine(`UNVERIFIED: ${unverified}`)] : []),
      ...(j.error ? [terminalLine(`error: ${j.error}`)] : []),
      ...events.map((e) =>
        terminalLine(`  ${e.at} ${e.source} ${String(e.record.type ?? '')} ${String(e.record.step ?? '')}`.trimEnd()),
      ),
    ].join('\n'),
  );
  if (j.state === 'failed') process.exitCode = j.exitCode ?? 1;
  if (unverified) process.exitCode = refused(unverified).exitCode;
}
