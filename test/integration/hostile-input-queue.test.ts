import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { graphileKey, jobTask } from '../../src/queue/enqueue.js';
import { jobArgsSchema, jobArgv, type JobArgs } from '../../src/queue/job.js';
import { getJob } from '../../src/queue/jobs.js';
import { openQueuePool } from '../../src/queue/pool.js';
import { waitForJobs } from '../../src/queue/wait.js';
import { captureOutput } from '../../src/worker/output-capture.js';
import { startWorker, type RunningWorker } from '../../src/worker/worker.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { makeTempDir, removeDir } from '../helpers/services/index.js';
import { teamYaml } from '../helpers/cli.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/**
 * Hostile input on the queue (issue 12 on the issue-20 paths): a job row is data that becomes the argv of the CLI's
 * own main() on a worker. Whoever can write a row (the queue's database, a body at POST /api/deployments/:id/jobs, a
 * value typed after `--address=`) must not reach an option the person did not type — above all the program's own
 * --home/--store (another store, another audit key) — nor a command that cannot be queued.
 */
const dir = makeTempDir('hostile-queue');
afterAll(() => removeDir(dir));
const home = join(dir, 'home');
mkdirSync(home, { recursive: true });
writeFileSync(join(home, 'team.yaml'), teamYaml);
const evil = (n: string) => join(dir, `evil-${n}`);

/** Runs argv exactly as the worker does (src/cli/commands/worker.ts runCli): the CLI's main in this process. */
async function runAsWorker(argv: string[]): Promise<{ code: number; out: string }> {
  const capture = captureOutput();
  let code = 70;
  try {
    code = await main(['node', 'mokodeploy', '--home', home, ...argv]);
  } finally {
    process.exitCode = undefined;
  }
  return { code, out: capture.stop().tail };
}

/** Job args a crafted row may carry; each either fails the schema or runs as `verify nosuch` in the worker's home. */
const crafted: [string, JobArgs][] = [
  ['a value that is a global option', { deploymentId: 'nosuch', as: 'tina', options: { address: `--home=${evil('a')}` } }],
  ['a value that opens another store', { deploymentId: 'nosuch', as: 'tina', options: { address: `--store=sqlite:${evil('b')}` } }],
  ['a value naming --home, the next one its directory', { deploymentId: 'nosuch', as: 'tina', options: { address: '--home', 'ca-file': evil('c') } }],
  ['a flag on a value option swallowing the next one', { deploymentId: 'nosuch', as: 'tina', options: { address: true, 'ca-file': `--home=${evil('d')}` } }],
  ['`as` as a global option', { deploymentId: 'nosuch', as: `--home=${evil('e')}`, options: {} }],
  ['a deployment id as a global option', { deploymentId: `--home=${evil('f')}`, as: 'tina', options: { address: true } }],
  ['a value asking for help (the job would "succeed" unrun)', { deploymentId: 'nosuch', as: 'tina', options: { only: '--help' } }],
  ['a repeated value', { deploymentId: 'nosuch', as: 'tina', options: { 'backup-cron': ['/etc/cron.d/x', `--home=${evil('g')}`] } }],
];

describe('a job row never becomes an option the person did not type', () => {
  it.each(crafted)('%s', async (_name, args) => {
    const parsed = jobArgsSchema.safeParse(args);
    if (!parsed.success) return; // refused at the edge: nothing runs
    const r = await runAsWorker(jobArgv(['verify'], parsed.data));
    for (const n of 'abcdefg') expect(existsSync(evil(n)), `evil-${n} was opened:\n${r.out}`).toBe(false);
    expect(existsSync(join(process.cwd(), '--ca-file')), r.out).toBe(false);
    expect(r.out).not.toMatch(/evil-|--ca-file/);
    // the command ran, in the worker's own home, on the id the row names
    expect(r.out).toMatch(/error: (no deployment nosuch|--only: .*no check "--help")/);
    expect(r.code).not.toBe(0);
  });

  it("refuses every one of the program's own options by name (read from its help, so a new one is covered)", async () => {
    const capture = captureOutput(10_000);
    try {
      await main(['node', 'mokodeploy', '--help']);
    } finally {
      process.exitCode = undefined;
    }
    const help = capture.stop().tail;
    const globals = [...help.matchAll(/^\s+(?:-\w, )?--([a-z][a-z0-9-]*)/gm)].map((m) => m[1]!);
    expect(globals).toEqual(expect.arrayContaining(['home', 'store', 'evidence-store']));
    for (const name of globals) {
      const r = jobArgsSchema.safeParse({ deploymentId: 'x', as: 'tina', options: { [name]: '/tmp/elsewhere' } });
      expect({ name, refused: !r.success }).toEqual({ name, refused: true });
    }
  });

  it('refuses at the edge an `as` or a deployment id that reads as an option', () => {
    expect(jobArgsSchema.safeParse({ deploymentId: 'x', as: '--home=/x', options: {} }).success).toBe(false);
    expect(jobArgsSchema.safeParse({ deploymentId: '--home=/x', as: 'tina', options: {} }).success).toBe(false);
    expect(jobArgsSchema.safeParse({ deploymentId: 'acme-2026-11', as: 'tina', options: {} }).success).toBe(true);
  });
});

describe('a worker given a crafted row in the queue database', () => {
  let postgres: Postgres;
  let url: string;
  let pool: pg.Pool;
  let worker: RunningWorker;

  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase();
    pool = await openQueuePool(url, 2);
    const runCli = async (argv: string[]) => (await runAsWorker(argv)).code;
    const signer = readOrCreateAuditSigner(join(dir, 'audit-signing.pem'));
    worker = await startWorker({ url, home, runCli, signer, heartbeatMs: 60_000, pollMs: 200, log: () => undefined });
  });
  afterAll(async () => {
    await worker?.stop();
    await pool?.end();
    await postgres?.stop();
  });

  /** A job row written straight into the queue's database, as anyone with write access to it could (one transaction, as enqueueJob). */
  async function craftedJob(command: string[], args: unknown): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO mokodeploy_queue.jobs (command, deployment_id, args, requested_by, requested_via)
         VALUES ($1, 'nosuch', $2, 'tina', 'cli') RETURNING id`,
        [command, args],
      );
      const id = Number(rows[0]!.id);
      await client.query(
        `SELECT graphile_worker.add_job($1, json_build_object('jobId', $2::bigint), queue_name => 'deployment:nosuch', max_attempts => 5, job_key => $3)`,
        [jobTask, id, graphileKey(id)],
      );
      await client.query('COMMIT');
      return id;
    } finally {
      client.release();
    }
  }

  it('a command column that is not a queueable command fails the job; nothing runs', async () => {
    const id = await craftedJob(['validate', '--home', evil('h')], { deploymentId: 'nosuch', as: 'tina', options: {} });
    const [job] = await waitForJobs(pool, [id], { pollMs: 100 });
    expect(job!.state).toBe('failed');
    expect(job!.error).toMatch(/cannot be queued/);
    expect(existsSync(evil('h'))).toBe(false);
  });

  it("`mokodeploy jobs` prints a row's text without its control characters (no terminal escape sequence reaches the operator)", async () => {
    const esc = '\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J\x1b[1A';
    const id = await craftedJob(['validate'], { deploymentId: 'nosuch', as: 'tina', options: {} });
    await waitForJobs(pool, [id], { pollMs: 100 });
    await pool.query(`UPDATE mokodeploy_queue.jobs SET error = $2, worker_host = $3 WHERE id = $1`, [id, `error: x${esc}`, `host${esc}`]);
    await pool.query(`INSERT INTO mokodeploy_queue.events (job_id, seq, source, record) VALUES ($1, 100, 'job', $2)`, [id, { type: `job-x${esc}`, step: `s${esc}` }]);
    process.env.MOKODEPLOY_QUEUE = url;
    try {
      for (const argv of [['jobs', String(id)], ['jobs']]) {
        const r = await runAsWorker(argv);
        expect(r.out).toContain(argv.length === 2 ? 'error: x\\x1b]52' : `host\\x1b]52`);
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        expect(r.out, argv.join(' ')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      }
    } finally {
      delete process.env.MOKODEPLOY_QUEUE;
    }
  });

  it('args the schema refuses fail the job at once with the reason (not retried, not left running)', async () => {
    const id = await craftedJob(['validate'], { deploymentId: 'nosuch', as: `--home=${evil('i')}`, options: {} });
    const [job] = await Promise.race([
      waitForJobs(pool, [id], { pollMs: 100 }),
      new Promise<never>((_, reject) =>
        setTimeout(() => void getJob(pool, id).then((j) => reject(new Error(`still ${j.state} after 20 s`))), 20_000),
      ),
    ]);
    expect(job!.state).toBe('failed');
    expect(job!.error).toMatch(/could not run|refused/);
    // one readable line naming the field (zod's own message is a JSON array: the error line was `…could not run: [`)
    expect(job!.error).toMatch(/could not run: the row's args are refused: args\.as: /);
    expect(existsSync(evil('i'))).toBe(false);
  });
});
