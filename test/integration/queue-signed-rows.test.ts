import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { makeWorkerUtils, type JobHelpers, type WorkerUtils } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readOrCreateAuditSigner, type AuditSigner } from '../../src/audit/signing-key.js';
import type { AuditDraft } from '../../src/audit/entry.js';
import { enqueueJob } from '../../src/queue/enqueue.js';
import { getJob, jobEvents } from '../../src/queue/jobs.js';
import { deadWorkersOfJob } from '../../src/queue/journal-lines.js';
import { openQueuePool } from '../../src/queue/pool.js';
import { quietLogger } from '../../src/queue/schema.js';
import * as rowSignatures from '../../src/queue/row-signatures.js';
import { signJournalLine } from '../../src/queue/signature.js';
import { queuedRun } from '../../src/runner/journal-job.js';
import { reapDeadWorkers } from '../../src/worker/heartbeat.js';
import { restoreJournals } from '../../src/worker/journal-restore.js';
import { jobTask } from '../../src/worker/run-job.js';
import { runFleet } from '../../src/fleet/run-fleet.js';
import { readFleet } from '../../src/fleet/rows.js';
import { fleetReport, fleetReportHtml, fleetSummary } from '../../src/fleet/report.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/**
 * Issue 12 on the rest of the queue: the rows whose content drives a decision — a worker's registration (host,
 * pid), a death declaration (the next attempt takes over the dead attempt's target lock on it), a job's state (start,
 * requeue, a fleet's done/failed), journal lines' identity — are signed by their writer with the store's audit key
 * and checked where they are read; a forged, altered, moved or replayed row is refused with an audited reason, never
 * acted on. Real PostgreSQL queue; the worker's job task and reaper in this process, the command edge recorded.
 */
let postgres: Postgres;
let pool: pg.Pool;
let utils: WorkerUtils;
let signer: AuditSigner;
let dir: string;

beforeAll(async () => {
  postgres = await startPostgres();
  pool = await openQueuePool(await postgres.createDatabase(), 4);
  utils = await makeWorkerUtils({ pgPool: pool, logger: quietLogger(() => undefined) });
  dir = mkdtempSync(join(tmpdir(), 'moko-signed-rows-'));
  signer = readOrCreateAuditSigner(join(dir, 'audit.pem'));
});

afterAll(async () => {
  await utils?.release();
  await pool?.end();
  await postgres?.stop();
});

// the row-signature helpers, whatever module holds them (the test states what a key holder signs)
const sign = rowSignatures as unknown as {
  signJobState: (
    s: AuditSigner,
    st: { id: number; state: string; attempts: number; worker: string | null; exitCode: number | null },
  ) => string;
  signWorker: (s: AuditSigner, w: { id: string; host: string; pid: number }) => string;
};

let deployments = 0;
const enqueue = (options: Record<string, true | string> = { 'dry-run': true }) =>
  enqueueJob(
    pool,
    {
      command: ['deploy'],
      args: { deploymentId: `acme-${++deployments}`, as: 'tina', options },
      requestedBy: 'tina',
      requestedVia: 'cli',
    },
    signer,
  );

/** The worker's job task in this process: each command it would run is recorded with the lock rule's dead workers. */
function worker(id: string) {
  const ran: { argv: string[]; deadWorkers: readonly string[] }[] = [];
  const audit: AuditDraft[] = [];
  const task = jobTask({
    pool,
    journalMirror: { mirror: () => undefined, stop: async () => undefined },
    home: join(dir, id),
    workerId: id,
    signer,
    audit: async (e) => void audit.push(e),
    runCli: async (argv) => {
      ran.push({ argv, deadWorkers: queuedRun()?.deadWorkers ?? [] });
      return 0;
    },
  });
  const run = (jobId: number, attempt: number) =>
    task({ jobId }, { job: { attempts: attempt } } as unknown as JobHelpers) as Promise<void>;
  return { ran, audit, run };
}

/** A worker that registered (signed) and ran attempt `attempt` of `job` (signed running state), then went silent. */
async function silentWorkerRunning(id: string, job: number, attempt: number): Promise<void> {
  const me = { id, host: 'machine-a', pid: 4242 };
  await pool.query(
    `INSERT INTO mokodeploy_queue.workers (id, host, pid, signature, heartbeat_at) VALUES ($1, $2, $3, $4, now() - interval '1 hour')`,
    [me.id, me.host, me.pid, sign.signWorker(signer, me)],
  );
  await pool.query(
    `UPDATE mokodeploy_queue.jobs SET state = 'running', attempts = $2, worker_id = $3, state_signature = $4 WHERE id = $1`,
    [
      job,
      attempt,
      id,
      sign.signJobState(signer, { id: job, state: 'running', attempts: attempt, worker: id, exitCode: null }),
    ],
  );
}

const died = async (job: number) =>
  (await jobEvents(pool, job)).filter((e) => e.record.type === 'job-worker-died').map((e) => e.record);

describe('death declarations: only a reaper holding the store key declares a worker dead, for one job and attempt', () => {
  it('a signed declaration is taken; a forged one (raw SQL) or one moved from another job is refused, audited, never acted on', async () => {
    // the real path: worker-a goes silent mid-job, a reaper declares it dead; attempt 2 takes over on it
    const job = await enqueue();
    await silentWorkerRunning('worker-a', job, 1);
    const reaped = await reapDeadWorkers(pool, utils, 'reaper', 1_000, signer);
    expect(reaped.reaped).toEqual([{ id: 'worker-a', host: 'machine-a', pid: 4242, jobs: [job] }]);
    expect(await deadWorkersOfJob(pool, job, signer)).toEqual(['worker-a']);
    const b = worker('worker-b');
    await b.run(job, 2);
    expect(b.ran).toHaveLength(1);
    expect(b.ran[0]!.deadWorkers).toEqual(['worker-a']); // the lock rule may take worker-a's lock over
    expect((await getJob(pool, job)).state).toBe('succeeded');

    // the forgery: someone who can write the queue declares worker-v dead for another job by SQL
    const forged = await enqueue();
    await pool.query(
      `INSERT INTO mokodeploy_queue.workers (id, host, pid, state) VALUES ('worker-v', 'machine-v', 99, 'dead')`,
    );
    // the job's own state is what a reaper would have signed, so only the declaration is at stake
    await pool.query(
      `UPDATE mokodeploy_queue.jobs SET state = 'queued', attempts = 1, worker_id = 'worker-v', state_signature = $2 WHERE id = $1`,
      [
        forged,
        sign.signJobState(signer, {
          id: forged,
          state: 'queued',
          attempts: 1,
          worker: 'worker-v',
          exitCode: null,
        }),
      ],
    );
    await pool.query(
      `INSERT INTO mokodeploy_queue.events (job_id, seq, source, record)
       VALUES ($1, 99, 'job', jsonb_build_object('type', 'job-worker-died', 'worker', 'worker-v', 'job', $1::bigint, 'attempt', 1))`,
      [forged],
    );
    await expect(deadWorkersOfJob(pool, forged, signer)).rejects.toThrow(
      /declaration that worker worker-v died \(event 99\) is not signed/,
    );
    const c = worker('worker-c');
    await c.run(forged, 2);
    expect(c.ran).toEqual([]); // on the old code the command ran with worker-v declared dead (its lock taken over)
    const refused = await getJob(pool, forged);
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatch(/declaration that worker worker-v died .* is not signed/);
    expect(c.audit.map((a) => a.action)).toEqual(['job-refused']);
    expect(c.audit[0]!.summary).toMatch(new RegExp(`^job ${forged} attempt 2 refused`));

    // a signed declaration moved onto another job (its worker really died, but not running this job)
    const moved = await enqueue();
    const [real] = await died(job);
    await pool.query(
      `UPDATE mokodeploy_queue.jobs SET state = 'queued', attempts = 1, worker_id = 'worker-a', state_signature = $2 WHERE id = $1`,
      [
        moved,
        sign.signJobState(signer, {
          id: moved,
          state: 'queued',
          attempts: 1,
          worker: 'worker-a',
          exitCode: null,
        }),
      ],
    );
    await pool.query(
      `INSERT INTO mokodeploy_queue.events (job_id, seq, source, record) VALUES ($1, 99, 'job', $2)`,
      [moved, real],
    );
    await expect(deadWorkersOfJob(pool, moved, signer)).rejects.toThrow(/does not match its signature/);
    const d = worker('worker-d');
    await d.run(moved, 2);
    expect(d.ran).toEqual([]);
    expect((await getJob(pool, moved)).state).toBe('failed');
  });

  it("the reaper acts only on a signed worker row and a job's signed running state", async () => {
    // a gone pid on this very machine is dead at once: a row rewritten to name this host and a gone pid
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const job = await enqueue();
    await pool.query(`INSERT INTO mokodeploy_queue.workers (id, host, pid) VALUES ('worker-x', $1, $2)`, [
      hostname(),
      gone,
    ]);
    await pool.query(
      `UPDATE mokodeploy_queue.jobs SET state = 'running', attempts = 1, worker_id = 'worker-x', state_signature = $2 WHERE id = $1`,
      [
        job,
        sign.signJobState(signer, {
          id: job,
          state: 'running',
          attempts: 1,
          worker: 'worker-x',
          exitCode: null,
        }),
      ],
    );
    // a signed, silent worker whose job's running state was written by SQL (no one signed it)
    const unsigned = await enqueue();
    const me = { id: 'worker-y', host: 'machine-y', pid: 7 };
    await pool.query(
      `INSERT INTO mokodeploy_queue.workers (id, host, pid, signature, heartbeat_at) VALUES ($1, $2, $3, $4, now() - interval '1 hour')`,
      [me.id, me.host, me.pid, sign.signWorker(signer, me)],
    );
    await pool.query(
      `UPDATE mokodeploy_queue.jobs SET state = 'running', attempts = 1, worker_id = 'worker-y', state_signature = NULL WHERE id = $1`,
      [unsigned],
    );
    const r = await reapDeadWorkers(pool, utils, 'reaper-2', 1_000, signer);
    // worker-x: never declared dead; worker-y: dead (silent, signed) but its unsigned job is not handed over
    expect(r.reaped.map((w) => w.id)).toEqual(['worker-y']);
    expect(r.reaped[0]!.jobs).toEqual([]);
    expect(r.refused.map((x) => x.reason).join('\n')).toMatch(/worker worker-x's row .* is not signed/);
    expect(r.refused.map((x) => x.reason).join('\n')).toMatch(
      new RegExp(`job ${unsigned}'s running state .* is not signed`),
    );
    expect((await getJob(pool, job)).state).toBe('running');
    expect(await died(job)).toEqual([]);
    expect((await getJob(pool, unsigned)).state).toBe('running');
    expect(await died(unsigned)).toEqual([]);
    // a signed row whose host was rewritten to this machine's is refused the same way
    await pool.query(
      `UPDATE mokodeploy_queue.workers SET host = $2, pid = $3, state = 'running' WHERE id = $1`,
      ['worker-y', hostname(), gone],
    );
    const again = await reapDeadWorkers(pool, utils, 'reaper-2', 60_000, signer);
    expect(again.reaped).toEqual([]);
    expect(again.refused.map((x) => x.reason).join('\n')).toMatch(
      /worker worker-y's row .* does not match its signature/,
    );
  });
});

describe('replays: a signed row copied or handed to a worker again runs nothing twice', () => {
  it('a settled job handed to graphile-worker again is refused, its row left as it ended', async () => {
    const job = await enqueue();
    const w = worker('worker-e');
    await w.run(job, 1);
    expect(w.ran).toHaveLength(1);
    const done = await getJob(pool, job);
    expect(done.state).toBe('succeeded');
    await w.run(job, 1); // graphile_worker.add_job(... jobId ...) again, by SQL
    await w.run(job, 2);
    expect(w.ran).toHaveLength(1); // on the old code the same command ran again each time
    expect(await getJob(pool, job)).toMatchObject({ state: 'succeeded', finishedAt: done.finishedAt });
    expect(
      w.audit
        .filter((a) => a.action === 'job-refused')
        .map((a) => a.summary)
        .join('\n'),
    ).toMatch(/it is succeeded, not queued \(a settled job is never run again\)/);
    expect((await jobEvents(pool, job)).filter((e) => e.record.type === 'job-refused')).toHaveLength(2);
  });

  it('a job row copied under a new id (with its signature) is refused', async () => {
    const job = await enqueue();
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO mokodeploy_queue.jobs (command, deployment_id, args, requested_by, requested_via, signature, state_signature)
       SELECT command, deployment_id, args, requested_by, requested_via, signature, state_signature FROM mokodeploy_queue.jobs WHERE id = $1
       RETURNING id`,
      [job],
    );
    const copy = Number(rows[0]!.id);
    const w = worker('worker-f');
    await w.run(copy, 1);
    expect(w.ran).toEqual([]);
    expect((await getJob(pool, copy)).error).toMatch(/does not match its signature/);
  });

  it('a journal line repeated under another number, or relabelled as another attempt, stops the take-over before any file is written', async () => {
    const job = await enqueue();
    const file = `acme-${deployments}.jsonl`;
    const lines = [
      '{"type":"run-started","at":"t1","runId":"r"}',
      '{"type":"step-done","at":"t2","runId":"r","step":"a"}',
    ];
    for (const [n, line] of lines.entries())
      await pool.query(
        `INSERT INTO mokodeploy_queue.journal_lines (job_id, file, n, attempt, line, signature) VALUES ($1, $2, $3, 1, $4, $5)`,
        [job, file, n, line, signJournalLine(signer, job, file, line, 1)],
      );
    const writer = { jobId: job, workerId: 'w', attempt: 2 };
    expect(await restoreJournals(pool, mkdtempSync(join(tmpdir(), 'moko-rows-')), writer, signer)).toEqual({
      restored: [{ file, lines: 2 }],
      caughtUp: [],
    });
    // the step's signed line copied under the next number (a replay of the step's record)
    await pool.query(
      `INSERT INTO mokodeploy_queue.journal_lines (job_id, file, n, attempt, line, signature)
       SELECT job_id, file, 2, attempt, line, signature FROM mokodeploy_queue.journal_lines WHERE job_id = $1 AND n = 1`,
      [job],
    );
    const home = mkdtempSync(join(tmpdir(), 'moko-rows-'));
    await expect(restoreJournals(pool, home, writer, signer)).rejects.toThrow(
      /journal line 2 of .* repeats line 1/,
    );
    expect(existsSync(join(home, 'journals', file))).toBe(false);
    await pool.query(`DELETE FROM mokodeploy_queue.journal_lines WHERE job_id = $1 AND n = 2`, [job]);
    // a line relabelled as another attempt's
    await pool.query(`UPDATE mokodeploy_queue.journal_lines SET attempt = 3 WHERE job_id = $1 AND n = 1`, [
      job,
    ]);
    await expect(restoreJournals(pool, home, writer, signer)).rejects.toThrow(
      /journal line 1 of .* does not match its signature/,
    );
    expect(existsSync(join(home, 'journals', file))).toBe(false);
  });
});

describe('fleets count only signed settlements', () => {
  it('a canary whose job row was set to succeeded by SQL is a failure: the fleet halts, audited', async () => {
    const refusals: string[] = [];
    const fleet = runFleet({
      pool,
      utils,
      operation: 'verify',
      members: ['c1', 'c2'].map((c) => ({ client: c, clientName: c, deploymentId: `fleet-${c}` })),
      shape: { canary: 1, wave: 1, maxFailures: 0 },
      as: 'tina',
      options: {},
      signer,
      pollMs: 100,
      refused: async (job, client, reason) => void refusals.push(`${client} ${job}: ${reason}`),
    } as Parameters<typeof runFleet>[0]);
    // no worker runs: whoever writes the queue says the canary succeeded
    let canary: number | undefined;
    for (let i = 0; i < 100 && canary === undefined; i++) {
      const { rows } = await pool.query<{ id: string }>(
        `SELECT id FROM mokodeploy_queue.jobs WHERE deployment_id = 'fleet-c1'`,
      );
      canary = rows[0] ? Number(rows[0].id) : undefined;
      if (canary === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    await pool.query(
      `UPDATE mokodeploy_queue.jobs SET state = 'succeeded', exit_code = 0, attempts = 1, finished_at = now() WHERE id = $1`,
      [canary],
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the fleet went on to the next wave (the forged success was counted)')),
        20_000,
      );
    });
    const row = await Promise.race([fleet, timeout]).finally(() => clearTimeout(timer));
    expect(row.state).toBe('halted');
    expect(row.members.map((m) => [m.client, m.status])).toEqual([
      ['c1', 'failed'],
      ['c2', 'untouched'],
    ]);
    // the row still carries the enqueuer's signature of its queued state: not of this outcome
    expect(row.members[0]!.reason).toMatch(
      /outcome \(succeeded, attempt 1, exit 0\) does not match its signature/,
    );
    expect(refusals).toHaveLength(1);
    const second = await pool.query(`SELECT id FROM mokodeploy_queue.jobs WHERE deployment_id = 'fleet-c2'`);
    expect(second.rows).toEqual([]); // the next wave was never queued
    // the fleet's rows (shown, and the report) are signed by the coordinator: an edit shows as unverified
    expect(row.unverified).toEqual([]);
    await pool.query(
      `UPDATE mokodeploy_queue.fleet_members SET status = 'done', reason = NULL WHERE fleet_id = $1 AND client = 'c1'`,
      [row.id],
    );
    await pool.query(
      `UPDATE mokodeploy_queue.fleets SET state = 'done', halted_reason = NULL WHERE id = $1`,
      [row.id],
    );
    const edited = await readFleet(pool, row.id, signer);
    expect(edited.unverified).toEqual(['the fleet', 'member c1']);
    expect(fleetSummary(fleetReport(edited))).toContain(
      "UNVERIFIED (not signed by the store's audit key, or changed since): the fleet, member c1",
    );
    expect(String(fleetReportHtml(fleetReport(edited)))).toContain('id="unverified"');
  });
});
