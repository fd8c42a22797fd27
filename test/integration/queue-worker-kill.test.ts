import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/server.js';
import { hashPassword, PasswordFile } from '../../src/server/passwords.js';
import { lockDir } from '../../src/runner/lock.js';
import { prepareDeployTarget, type DeployTarget } from '../helpers/deploy-target.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/queue/worker-process.js';
import { ApiClient } from '../web/helpers/api-client.js';

// real processes on a 2-core machine shared with other suites: generous time
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

/**
 * Issue 20 done-when: a deploy queued from the dashboard (HTTP API, as the "Queue for a worker" button posts it)
 * runs on a worker started in another process, and its progress reaches the dashboard through the queue. The
 * worker is killed with -9 mid-run: its journal and target lock stay as a killed CLI run leaves them, a second
 * worker process notices the dead one, takes the job and resumes the journal (the finished steps are skipped,
 * the dead run's lock taken over), and the fixture deploy ends as an uninterrupted one.
 */
let pg: Postgres;
let t: DeployTarget;
let app: AppContext;
let server: FastifyInstance;
let api: ApiClient;
let url: string;
const workers: WorkerProcess[] = [];
let workerEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  pg = await startPostgres();
  // the PostgreSQL store, for every process (the workspace's CLI runs, the dashboard, the workers); the queue's
  // tables beside the store's
  const store = await pg.createDatabase();
  process.env.MOKODEPLOY_STORE = store;
  try {
    t = await prepareDeployTarget({ host: 'local' });
  } finally {
    delete process.env.MOKODEPLOY_STORE;
  }
  expect(t.ws.env.MOKODEPLOY_STORE).toBe(store);
  workerEnv = { ...t.ws.env, ...t.env };
  app = createApp({
    home: t.ws.env.MOKODEPLOY_HOME,
    env: { ...workerEnv, MOKODEPLOY_TEAM: join(t.ws.dir, 'team.yaml') },
  });
  const passwords = new PasswordFile(app.home);
  await passwords.write('tina', await hashPassword('tina-has-a-long-passphrase'));
  server = await buildServer({
    app,
    sessionKeyFile: join(t.ws.dir, 'session.key'),
    journalPollMs: 100,
    queueUrl: workerEnv.MOKODEPLOY_STORE, // `serve` takes it from $MOKODEPLOY_QUEUE or $MOKODEPLOY_STORE
  });
  url = await server.listen({ port: 0, host: '127.0.0.1' });
  api = new ApiClient(url);
  expect((await api.login('tina', 'tina-has-a-long-passphrase')).status).toBe(200);
});

afterAll(async () => {
  for (const w of workers) await w.stop().catch(() => undefined);
  await server?.close();
  await app?.close();
  await t?.stop();
  await pg?.stop();
});

interface Sse {
  event: string;
  data: Record<string, unknown>;
}

/** Follow the job's progress stream in the background, as the job page does. */
function follow(job: number): { events: Sse[]; ended: Promise<void> } {
  const events: Sse[] = [];
  const ended = (async () => {
    const res = await fetch(new URL(`/api/jobs/${job}/progress`, url), { headers: { cookie: api.cookie } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += new TextDecoder().decode(value);
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop()!;
      for (const b of blocks) {
        const event = /^event: (.*)$/m.exec(b)?.[1];
        const data = /^data: (.*)$/m.exec(b)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  })();
  return { events, ended };
}

async function until(what: string, ok: () => boolean, ms = 300_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${workers.map((w) => w.output()).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a deploy queued from the dashboard, on workers in other processes', () => {
  it('runs on worker A with live progress, survives kill -9 of A, and is finished by worker B from the journal', { retry: 0 }, async () => {
    const listing = t.ws.run(['deploy', t.id, '--dry-run'], t.env);
    const pipeline = [...listing.stdout.matchAll(/^\[\d+\/\d+\] (\S+) /gm)].map((m) => m[1]);
    expect(pipeline.length).toBeGreaterThan(15);
    const queued = await api.post(`/api/deployments/${t.id}/jobs`, { json: { command: 'deploy' } });
    expect(queued.status, queued.text).toBe(202);
    const job = queued.data.job as number;
    const progress = follow(job);

    const a = startWorkerProcess(t.ws.dir, workerEnv);
    workers.push(a);
    await a.ready;
    const stepsDone = () => progress.events.filter((e) => e.event === 'journal' && e.data.type === 'step-done');
    await until('five steps done on worker A', () => stepsDone().length >= 5);
    expect(progress.events.some((e) => e.data.type === 'run-finished')).toBe(false); // still mid-run
    a.child.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    const runA = progress.events.find((e) => e.data.type === 'run-started')!.data.runId;

    // what a killed CLI run leaves: the journal without an end, the target lock held by the dead pid
    const root = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout).plan.target.root as string;
    expect(existsSync(lockDir(root))).toBe(true);

    const b = startWorkerProcess(t.ws.dir, workerEnv);
    workers.push(b);
    await progress.ended; // the stream ends with the job
    const types = progress.events.map((e) => e.data.type);
    expect(types).toContain('job-worker-died');
    const starts = progress.events.filter((e) => e.data.type === 'job-started');
    expect(starts.map((e) => e.data.pid)).toEqual([a.child.pid, b.child.pid]);
    expect(starts.map((e) => e.data.attempt)).toEqual([1, 2]);
    // every record of the killed run reached the dashboard (its last ones sent by worker B from the journal), and
    // worker B's run started after the steps A finished: the journal's done steps were not run again
    const ofRun = (type: string, mine: boolean) =>
      progress.events
        .filter((e) => e.event === 'journal' && e.data.type === type && (e.data.runId === runA) === mine)
        .map((e) => e.data.step as string);
    const doneByA = ofRun('step-done', true);
    const startedByB = ofRun('step-started', false);
    expect(doneByA.length).toBeGreaterThanOrEqual(5);
    expect(startedByB.length).toBeGreaterThan(0);
    for (const step of doneByA) expect(startedByB).not.toContain(step);
    expect([...doneByA, ...ofRun('step-done', false)].sort()).toEqual([...pipeline].sort()); // each step done once
    expect(progress.events.at(-1)!.event).toBe('end');
    expect(progress.events.find((e) => e.data.type === 'job-finished')!.data).toMatchObject({ state: 'succeeded', exitCode: 0 });

    const shown = await api.get(`/api/jobs/${job}`);
    expect(shown.data).toMatchObject({ state: 'succeeded', attempts: 2, exitCode: 0 });
    expect(shown.data.worker.pid).toBe(b.child.pid);
    // jobs carry ids, never secrets
    const secrets = t.secrets();
    const everything = JSON.stringify(shown.data);
    for (const name of secrets.names()) expect(everything).not.toContain(secrets.get(name).reveal());

    // the run ended as an uninterrupted one: recorded, the lock released, the dead run's lock take-over audited
    const record = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout);
    expect(record.state).toBe('verifying');
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(existsSync(lockDir(root))).toBe(false);
    expect(existsSync(t.ws.storePath)).toBe(false); // every process used the PostgreSQL store, none SQLite
    const trail = (await (await app.store()).auditEntries()).map((e) => e.action);
    expect(trail).toContain('lock-take-over');
    await t.serve();
    const login = await t.login();
    expect(login.ok, login.reason).toBe(true);

    // the job's page on the dashboard shows the whole story
    const page = await api.get(`/jobs/${job}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('attempt 2');
    expect(page.text).toMatch(/worker \S+ died \(pid \d+/);
    expect(page.text).toContain('finished: succeeded (exit 0)');
  });
});
