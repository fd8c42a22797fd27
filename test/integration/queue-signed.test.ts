import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readOrCreateAuditSigner, type AuditSigner } from '../../src/audit/signing-key.js';
import { graphileKey, jobTask } from '../../src/queue/enqueue.js';
import { openQueuePool } from '../../src/queue/pool.js';
import { waitForJobs } from '../../src/queue/wait.js';
import { signJournalLine } from '../../src/queue/signature.js';
import { restoreJournals } from '../../src/worker/journal-restore.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { prepareClients, type Clients } from '../helpers/queue/clients.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/queue/worker-process.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

/**
 * Issue 12 on the queue: a row of the queue's database is data anyone who can write that database may write. A
 * worker runs only a job request an enqueuer holding the store's audit key signed (id, command, deployment, as,
 * options), exactly as signed, and a take-over writes to this machine's journal only lines a worker holding that key
 * committed. Real PostgreSQL queue, the built CLI as enqueuer and worker (SQLite store beside it).
 */
let postgres: Postgres;
let c: Clients;
let env: NodeJS.ProcessEnv;
let pool: pg.Pool;
let worker: WorkerProcess | undefined;
let signer: AuditSigner;

beforeAll(async () => {
  postgres = await startPostgres();
  c = prepareClients({ count: 1 });
  env = { ...c.env, MOKODEPLOY_QUEUE: await postgres.createDatabase() };
  pool = await openQueuePool(env.MOKODEPLOY_QUEUE!, 2);
  signer = readOrCreateAuditSigner(join(c.ws.dir, 'audit-signing.pem')); // the store's key (the CLI made it)
});

afterAll(async () => {
  await worker?.stop();
  await pool?.end();
  await postgres?.stop();
});

const queueDryRun = (): number => {
  const q = c.ws.run(['--json', 'deploy', c.ids[0]!, '--dry-run', '--queue', '--as', 'tina'], env);
  expect(q.code, q.stderr).toBe(0);
  return (JSON.parse(q.stdout) as { job: number }).job;
};

/** A job row written by SQL, as anyone with write access to the queue's database could (as enqueueJob does). */
async function rowBySql(args: unknown, signature: string | null): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO mokodeploy_queue.jobs (command, deployment_id, args, requested_by, requested_via, signature)
       VALUES ('{deploy}', $1, $2, 'dave', 'cli', $3) RETURNING id`,
      [c.ids[0], args, signature],
    );
    const id = Number(rows[0]!.id);
    await client.query(
      `SELECT graphile_worker.add_job($1, json_build_object('jobId', $2::bigint), queue_name => $3, max_attempts => 5, job_key => $4)`,
      [jobTask, id, `deployment:${c.ids[0]}`, graphileKey(id)],
    );
    await client.query('COMMIT');
    return id;
  } finally {
    client.release();
  }
}

const refusals = (): string[] => {
  const db = new Database(join(c.ws.dir, '.mokodeploy', 'mokodeploy.sqlite'), { readonly: true });
  try {
    return (db.prepare(`SELECT summary FROM audit WHERE action = 'job-refused' ORDER BY seq`).all() as { summary: string }[]).map(
      (r) => r.summary,
    );
  } finally {
    db.close();
  }
};

describe('a worker runs only signed job requests, exactly as signed', () => {
  it('refuses a row inserted by SQL as another person, a row whose options changed after queueing, a forged journal line; a normal enqueue runs', async () => {
    // all queued before any worker runs, so nothing can be run before it is tampered with
    const normal = queueDryRun();
    const altered = queueDryRun();
    // the attack that matters: a queued dry run made a real deploy
    await pool.query(`UPDATE mokodeploy_queue.jobs SET args = jsonb_set(args, '{options}', '{}'::jsonb) WHERE id = $1`, [altered]);
    const { rows } = await pool.query<{ signature: string }>('SELECT signature FROM mokodeploy_queue.jobs WHERE id = $1', [normal]);
    const asDave = await rowBySql({ deploymentId: c.ids[0], as: 'dave', options: { 'dry-run': true } }, null);
    // a valid signature of another job, on a row naming another person: still refused (the id and `as` are signed)
    const replayed = await rowBySql({ deploymentId: c.ids[0], as: 'dave', options: { 'dry-run': true } }, rows[0]!.signature);
    const forgedLine = queueDryRun();
    const forged = JSON.stringify({ type: 'step-done', at: 't', runId: 'r', step: 'install:web-site', durationMs: 1, outputs: {} });
    await pool.query(
      `INSERT INTO mokodeploy_queue.journal_lines (job_id, file, n, attempt, line) VALUES ($1, $2, 0, 1, $3)`,
      [forgedLine, `${c.ids[0]}.jsonl`, forged],
    );

    worker = startWorkerProcess(c.ws.dir, { ...c.ws.env, ...env });
    await worker.ready;
    const jobs = await waitForJobs(pool, [normal, altered, asDave, replayed, forgedLine], { pollMs: 100 });
    const byId = new Map(jobs.map((j) => [j.id, j]));
    const out = worker.output();
    expect(byId.get(normal)!.state, `${byId.get(normal)!.error}\n${out}`).toBe('succeeded');
    expect(byId.get(normal)!.outputTail).toContain('[23/23] install:web-site');
    for (const id of [altered, replayed]) {
      expect(byId.get(id)!.state).toBe('failed');
      expect(byId.get(id)!.error).toMatch(/request \(command, deployment, as, options\) does not match its signature/);
      expect(byId.get(id)!.outputTail).not.toContain('install:web-site'); // nothing ran
    }
    expect(byId.get(asDave)!.state).toBe('failed');
    expect(byId.get(asDave)!.error).toMatch(/^error: job \d+ could not run: job \d+ refused: its request .* is not signed/);
    expect(byId.get(forgedLine)!.state).toBe('failed');
    expect(byId.get(forgedLine)!.error).toMatch(/take-over of job \d+ stops: the queue's journal line 0 of .* is not signed/);
    expect(byId.get(forgedLine)!.outputTail).not.toContain('install:web-site');
    // each refusal is in the audit trail, and the trail still verifies
    const audited = refusals();
    for (const id of [altered, asDave, replayed, forgedLine]) expect(audited.some((s) => s.startsWith(`job ${id} `)), audited.join('\n')).toBe(true);
    const verify = c.ws.run(['audit', 'verify'], env);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
  });

  it('a take-over writes only lines signed for this job and file: an altered line stops it before any file is written', async () => {
    const job = queueDryRun(); // the worker runs it; its lines are committed, signed
    const [done] = await waitForJobs(pool, [job], { pollMs: 100 });
    expect(done!.state).toBe('succeeded');
    // a dry run writes no journal: commit two lines as the worker's mirror would, signed
    const file = `${c.ids[0]}.jsonl`;
    const lines = ['{"type":"run-started","runId":"r"}', '{"type":"step-done","runId":"r","step":"a"}'];
    for (const [n, line] of lines.entries())
      await pool.query(
        `INSERT INTO mokodeploy_queue.journal_lines (job_id, file, n, attempt, line, signature) VALUES ($1, $2, $3, 1, $4, $5)`,
        [job, file, n, line, signJournalLine(signer, job, file, line, 1)],
      );
    const writer = { jobId: job, workerId: 'w', attempt: 2 };
    const home = mkdtempSync(join(tmpdir(), 'moko-signed-restore-'));
    expect(await restoreJournals(pool, home, writer, signer)).toEqual({ restored: [{ file, lines: 2 }], caughtUp: [] });

    const other = mkdtempSync(join(tmpdir(), 'moko-signed-restore-'));
    await pool.query(
      `UPDATE mokodeploy_queue.journal_lines SET line = '{"type":"step-done","runId":"r","step":"b"}' WHERE job_id = $1 AND n = 1`,
      [job],
    );
    await expect(restoreJournals(pool, other, writer, signer)).rejects.toThrow(/journal line 1 of .* does not match its signature/);
    expect(existsSync(join(other, 'journals', file))).toBe(false);
    // a line signed for another job is not this job's
    await pool.query(`UPDATE mokodeploy_queue.journal_lines SET line = $2, signature = $3 WHERE job_id = $1 AND n = 1`, [
      job,
      lines[1],
      signJournalLine(signer, job + 1, file, lines[1]!, 1),
    ]);
    await expect(restoreJournals(pool, other, writer, signer)).rejects.toThrow(/does not match its signature/);
    // another key's signature is not the store's
    const stranger = readOrCreateAuditSigner(join(other, 'stranger.pem'));
    await pool.query(`UPDATE mokodeploy_queue.journal_lines SET signature = $2 WHERE job_id = $1 AND n = 1`, [
      job,
      signJournalLine(stranger, job, file, lines[1]!, 1),
    ]);
    await expect(restoreJournals(pool, other, writer, signer)).rejects.toThrow(/does not match its signature/);
    expect(existsSync(join(other, 'journals', file))).toBe(false);
  });

  it("jobs --wait never exits 0 on an outcome the worker did not sign: a refused job's row set to succeeded by SQL is shown unverified, exit 4", async () => {
    const refusedJob = await rowBySql({ deploymentId: c.ids[0], as: 'dave', options: { 'dry-run': true } }, null);
    const [failed] = await waitForJobs(pool, [refusedJob], { pollMs: 100 });
    expect(failed!.state).toBe('failed');
    const honest = c.ws.run(['jobs', String(refusedJob), '--wait'], env);
    expect(honest.code).toBe(failed!.exitCode);
    expect(honest.stdout).not.toContain('UNVERIFIED');
    await pool.query(`UPDATE mokodeploy_queue.jobs SET state = 'succeeded', exit_code = 0, error = NULL WHERE id = $1`, [refusedJob]);
    const forged = c.ws.run(['jobs', String(refusedJob), '--wait'], env);
    expect(forged.code, forged.stdout + forged.stderr).toBe(4); // on the old code: 0
    expect(forged.stdout).toMatch(/UNVERIFIED: job \d+ refused: its outcome \(succeeded, attempt 1, exit 0\) does not match its signature/);
  });
});
