import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { prepareClients, type Clients } from '../helpers/queue/clients.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/queue/worker-process.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

/**
 * `--queue` and `mokodeploy worker` as a user runs them (built executable, real PostgreSQL 15 on loopback): a
 * queued dry-run deploy runs on a worker in another process exactly as the command would, its progress is in the
 * queue, and what the job carries is ids and options only.
 */
let pg: Postgres;
let c: Clients;
let worker: WorkerProcess;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  pg = await startPostgres();
  c = prepareClients({ count: 2 });
  env = { ...c.env, MOKODEPLOY_QUEUE: await pg.createDatabase() }; // the store stays SQLite: a queue of its own
});

afterAll(async () => {
  await worker?.stop();
  await pg?.stop();
});

describe('queued commands', () => {
  it('--queue without a PostgreSQL queue says where to set one, and queues nothing', () => {
    const r = c.ws.run(['deploy', c.ids[0]!, '--dry-run', '--queue', '--as', 'tina'], c.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MOKODEPLOY_QUEUE');
  });

  it('a queued dry-run deploy runs on a worker process and ends with the command exit code and its progress', async () => {
    const q = c.ws.run(['--json', 'deploy', c.ids[0]!, '--dry-run', '--queue', '--as', 'tina'], env);
    expect(q.code, q.stderr).toBe(0);
    const { job, command } = JSON.parse(q.stdout) as { job: number; command: string };
    expect(command).toBe(`mokodeploy deploy --as tina --dry-run -- ${c.ids[0]}`);
    worker = startWorkerProcess(c.ws.dir, { ...c.ws.env, ...env });
    await worker.ready;
    const waited = await c.ws.runAsync(['--json', 'jobs', String(job), '--wait'], env);
    expect(waited.code, `${waited.stderr}\n${worker.output()}`).toBe(0);
    const shown = JSON.parse(waited.stdout);
    expect(shown.state).toBe('succeeded');
    expect(shown.exitCode).toBe(0);
    expect(shown.outputTail).toContain('[23/23] install:web-site');
    const types = shown.events.map((e: { record: { type: string } }) => e.record.type);
    expect(types[0]).toBe('job-queued');
    expect(types).toContain('job-started');
    expect(types.at(-1)).toBe('job-finished');
    expect(shown.worker.pid).toBe(worker.child.pid);
  });

  it('a failing command is a failed job with its error line, not retried', async () => {
    const q = c.ws.run(['--json', 'verify', 'no-such-deployment', '--queue', '--as', 'tina'], env);
    expect(q.code).toBe(3); // refused at enqueue: no such deployment
    const bad = c.ws.run(['--json', 'hypercare', 'run', c.ids[1]!, '--queue', '--as', 'tina'], env);
    expect(bad.code, bad.stderr).toBe(0);
    const { job } = JSON.parse(bad.stdout) as { job: number };
    const waited = await c.ws.runAsync(['--json', 'jobs', String(job), '--wait'], env);
    const shown = JSON.parse(waited.stdout);
    expect(shown.state).toBe('failed');
    expect(shown.attempts).toBe(1);
    expect(shown.error).toMatch(/^error: .*hypercare starts at go-live/);
    expect(waited.code).toBe(4);
  });

  it('validate --plan cannot be queued (a job names a deployment)', () => {
    const r = c.ws.run(['validate', '--plan', 'client001.yaml', '--queue', '--as', 'tina'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a queued `validate` names a deployment');
  });
});
