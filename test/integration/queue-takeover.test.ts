import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bin } from '../helpers/cli.js';
import { createApp, type AppContext } from '../../src/app/context.js';
import { acquireLock, lockDir, type LockOwner } from '../../src/runner/lock.js';
import { asQueuedRun } from '../../src/runner/journal-job.js';
import { LocalHost } from '../../src/hosts/local.js';
import { derivedSecrets } from '../../src/steps/install/context.js';
import type { JournalRecord } from '../../src/runner/journal.js';
import { prepareDeployTarget, type DeployTarget } from '../helpers/deploy-target.js';
import { expectDeployedSiteServing } from '../helpers/deployed-site.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';
import { asMachine, startWorkerProcess, type WorkerProcess } from '../helpers/queue/worker-process.js';

// real processes on a 2-core machine shared with other suites: generous time
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

/**
 * Issue 20: a worker on ANOTHER machine takes over a dead worker's job. Machine A and machine B are two homes
 * (each its own MOKODEPLOY_HOME, secret key, audit key and team file, copied by the operator) and two hostnames
 * (`unshare --uts`: `hostname` really differs), over one PostgreSQL store and queue, deploying to one target. Worker A
 * is killed with -9 mid-deploy: its journal is on A's disk only and the target lock names a pid on machine-a.
 * Worker B rebuilds the journal from the queue's database, takes over the lock as the next attempt of the same job
 * (audited), and finishes without running again any step A had finished. While A is alive, another job and a CLI
 * run on machine B are refused the lock.
 */
let pg: Postgres;
let t: DeployTarget;
let app: AppContext;
let store: string;
const workers: WorkerProcess[] = [];
let envA: NodeJS.ProcessEnv;
let envB: NodeJS.ProcessEnv;
let homeA: string;
let homeB: string;
let dirB: string;

beforeAll(async () => {
  pg = await startPostgres();
  store = await pg.createDatabase();
  process.env.MOKODEPLOY_STORE = store;
  try {
    t = await prepareDeployTarget({ host: 'local' });
  } finally {
    delete process.env.MOKODEPLOY_STORE;
  }
  envA = { ...t.ws.env, ...t.env, MOKODEPLOY_TEAM: join(t.ws.dir, 'team.yaml') };
  homeA = envA.MOKODEPLOY_HOME!;
  // the secrets the deploy needs exist before it is queued (an operator's set-up of a worker fleet)
  const plan = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout).plan as { client: string };
  const needed = new Set([derivedSecrets.instanceUniqueId(plan.client), derivedSecrets.cronKey(plan.client)]);
  const named = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (typeof (v as { secret?: unknown }).secret === 'string') needed.add((v as { secret: string }).secret);
    Object.values(v).forEach(named);
  };
  named(plan);
  expect(needed.size).toBeGreaterThan(3);
  for (const name of needed) expect(t.ws.run(['secret', 'generate', name], t.env).code).toBe(0);
  // machine B: its own home, the same store URL, copies of the keys, the secrets and the team file
  dirB = join(t.ws.dir, 'machine-b');
  homeB = join(dirB, 'home');
  mkdirSync(homeB, { recursive: true, mode: 0o700 });
  copyFileSync(join(homeA, 'secrets.json'), join(homeB, 'secrets.json'));
  for (const f of ['secret.key', 'audit-signing.pem', 'team.yaml'])
    copyFileSync(join(t.ws.dir, f), join(dirB, f));
  envB = {
    ...envA,
    MOKODEPLOY_HOME: homeB,
    MOKODEPLOY_SECRET_KEY_FILE: join(dirB, 'secret.key'),
    MOKODEPLOY_AUDIT_KEY_FILE: join(dirB, 'audit-signing.pem'),
    MOKODEPLOY_TEAM: join(dirB, 'team.yaml'),
  };
  app = createApp({ home: homeA, env: envA });
});

afterAll(async () => {
  for (const w of workers) await w.stop().catch(() => undefined);
  await app?.close();
  await t?.stop();
  await pg?.stop();
});

const q = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
  (await pg.query(sql, params, new URL(store).pathname.slice(1))).rows as T[];

const jobEvents = (job: number) =>
  q<{ source: string; record: Record<string, unknown> }>(
    'SELECT source, record FROM mokodeploy_queue.events WHERE job_id = $1 ORDER BY seq',
    [job],
  );

async function until(what: string, ok: () => Promise<boolean>, ms = 300_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${workers.map((w) => w.output()).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const readLines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('a job handed from a dead worker on machine A to a worker on machine B', () => {
  it(
    'B rebuilds the journal from the queue, takes over the lock as the next attempt, never re-runs A’s steps',
    { retry: 0 },
    async () => {
      const pipeline = [
        ...t.ws.run(['deploy', t.id, '--dry-run'], t.env).stdout.matchAll(/^\[\d+\/\d+\] (\S+) /gm),
      ].map((m) => m[1]);
      expect(pipeline.length).toBeGreaterThan(15);
      const queued = spawnSync(process.execPath, [bin, '--json', 'deploy', t.id, '--queue', '--as', 'tina'], {
        cwd: t.ws.dir,
        env: envA,
        encoding: 'utf8',
      });
      expect(queued.status, queued.stderr).toBe(0);
      const job = JSON.parse(queued.stdout).job as number;

      const a = startWorkerProcess(t.ws.dir, envA, [], { hostname: 'machine-a' });
      workers.push(a);
      await a.ready;
      const doneSteps = async () =>
        (await jobEvents(job)).filter(
          (e) => e.source.startsWith('journal:') && e.record.type === 'step-done',
        );
      await until('five steps done on worker A', async () => (await doneSteps()).length >= 5);
      // A is held where it is (alive: its process exists, the queue has not declared it dead) while others try
      a.child.kill('SIGSTOP');

      // while A is alive: the lock names job, attempt and worker on machine-a, and nothing else may take it
      const root = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout).plan.target.root as string;
      const held = JSON.parse(readFileSync(join(lockDir(root), 'owner.json'), 'utf8')) as LockOwner;
      const workerA = (await jobEvents(job)).find((e) => e.record.type === 'job-started')!.record
        .worker as string;
      expect(held).toMatchObject({
        toolHost: 'machine-a',
        pid: a.child.pid,
        job: { id: job, attempt: 1, worker: workerA },
      });
      const host = new LocalHost();
      const target = { host, root };
      const who = { person: 'tina', deploymentId: t.id, reason: `deploy ${t.id}` };
      const refused = /is locked by tina .*on machine-a; queued job \d+ attempt 1/;
      // another job of the same deployment
      await expect(
        asQueuedRun(
          { jobId: job + 1, attempt: 1, workerId: 'w2', deadWorkers: [workerA], mirror: () => {} },
          () => acquireLock(target, who),
        ),
      ).rejects.toThrow(refused);
      // the same job's next attempt while the queue has not declared A dead
      await expect(
        asQueuedRun({ jobId: job, attempt: 2, workerId: 'w3', deadWorkers: [], mirror: () => {} }, () =>
          acquireLock(target, who),
        ),
      ).rejects.toThrow(refused);
      // a CLI run on machine B
      const [cmd, ...args] = asMachine('machine-b', [process.execPath, bin, 'deploy', t.id, '--as', 'tina']);
      const cli = spawnSync(cmd!, args, { cwd: dirB, env: envB, encoding: 'utf8' });
      expect(cli.status).not.toBe(0);
      expect(cli.stderr).toMatch(refused);
      expect(JSON.parse(readFileSync(join(lockDir(root), 'owner.json'), 'utf8'))).toEqual(held); // untouched

      a.child.kill('SIGKILL');
      expect((await a.exited).signal).toBe('SIGKILL');
      const journalA = join(homeA, 'journals', `${t.id}.jsonl`);
      const linesA = readLines(journalA);
      expect(existsSync(lockDir(root))).toBe(true);
      expect(existsSync(join(homeB, 'journals'))).toBe(false); // machine B has no journal of its own

      const b = startWorkerProcess(dirB, envB, [], { hostname: 'machine-b' });
      workers.push(b);
      await until('the job settled', async () => {
        const [row] = await q<{ state: string }>('SELECT state FROM mokodeploy_queue.jobs WHERE id = $1', [
          job,
        ]);
        return row!.state === 'succeeded' || row!.state === 'failed';
      });
      const [row] = await q<Record<string, unknown>>('SELECT * FROM mokodeploy_queue.jobs WHERE id = $1', [
        job,
      ]);
      expect(row, b.output()).toMatchObject({
        state: 'succeeded',
        attempts: 2,
        exit_code: 0,
        worker_host: 'machine-b',
      });
      const events = await jobEvents(job);
      expect(events.filter((e) => e.record.type === 'job-started').map((e) => e.record.host)).toEqual([
        'machine-a',
        'machine-b',
      ]);
      expect(events.find((e) => e.record.type === 'job-worker-died')!.record).toMatchObject({
        worker: workerA,
        host: 'machine-a',
      });
      expect(b.output()).toMatch(new RegExp(`journal ${t.id}\\.jsonl rebuilt from the queue`));
      expect(a.output() + b.output()).not.toContain('generated secret'); // every secret was there, on both machines

      // B's journal begins with what A had written (rebuilt from the database), then B's own run resuming it
      const linesB = readLines(join(homeB, 'journals', `${t.id}.jsonl`));
      const records = linesB.map((l) => JSON.parse(l) as JournalRecord);
      const runA = (JSON.parse(linesA[0]!) as JournalRecord).runId;
      const committedByA = linesA.length - (linesB.includes(linesA.at(-1)!) ? 0 : 1); // a kill between fsync and commit
      expect(committedByA).toBeGreaterThan(5);
      expect(linesB.slice(0, committedByA)).toEqual(linesA.slice(0, committedByA));
      const ofRun = (type: string, mine: boolean) =>
        records
          .filter((r) => r.type === type && (r.runId === runA) === mine)
          .map((r) => (r as { step: string }).step);
      const doneByA = ofRun('step-done', true);
      const startedByB = ofRun('step-started', false);
      expect(doneByA.length).toBeGreaterThanOrEqual(5);
      expect(startedByB.length).toBeGreaterThan(0);
      for (const step of doneByA) expect(startedByB).not.toContain(step); // attempt 2 never re-ran attempt 1's steps
      expect([...doneByA, ...ofRun('step-done', false)].sort()).toEqual([...pipeline].sort());
      expect(records.at(-1)).toMatchObject({ type: 'run-finished' });
      // every line both attempts wrote is in the queue's database, in order
      const stored = await q<{ line: string }>(
        `SELECT line FROM mokodeploy_queue.journal_lines WHERE job_id = $1 AND file = $2 ORDER BY n`,
        [job, `${t.id}.jsonl`],
      );
      expect(stored.map((s) => s.line)).toEqual(linesB);

      // the take-over is audited with both owners, the lock released, the deploy a working site
      const entries = await (await app.store()).auditEntries();
      const takeOver = entries.find((e) => e.action === 'lock-take-over');
      expect(takeOver?.summary).toMatch(/declared its worker \S+ dead and handed job \d+ to attempt 2/);
      expect(takeOver?.before).toMatchObject({
        toolHost: 'machine-a',
        job: { id: job, attempt: 1, worker: workerA },
      });
      expect(takeOver?.after).toMatchObject({ toolHost: 'machine-b', job: { id: job, attempt: 2 } });
      const handedOver = entries.filter((e) => e.action === 'job-handed-over');
      expect(handedOver).toHaveLength(1);
      expect(handedOver[0]!.summary).toMatch(
        new RegExp(`job ${job} \\(mokodeploy deploy .*\\) attempt 2 taken over on machine-b`),
      );
      expect(handedOver[0]!.before).toEqual({ deadWorkers: [workerA], attempt: 1 });
      const verify = spawnSync(process.execPath, [bin, 'audit', 'verify'], {
        cwd: dirB,
        env: envB,
        encoding: 'utf8',
      });
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toContain('audit trail intact');
      expect(existsSync(lockDir(root))).toBe(false);
      await expectDeployedSiteServing(t);
    },
  );
});
