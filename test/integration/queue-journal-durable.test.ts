import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Command, FileWrite } from '../../src/hosts/host.js';
import { LocalHost } from '../../src/hosts/local.js';
import { Journal, journalLines } from '../../src/runner/journal.js';
import { asQueuedRun } from '../../src/runner/journal-job.js';
import { runSteps } from '../../src/runner/run-steps.js';
import { enqueueJob } from '../../src/queue/enqueue.js';
import { openQueuePool } from '../../src/queue/pool.js';
import { jobJournalLines, type JournalWriter } from '../../src/queue/journal-lines.js';
import { startJournalMirror, type JournalMirror } from '../../src/worker/journal-mirror.js';
import { restoreJournals } from '../../src/worker/journal-restore.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { demoContext, demoPipeline } from '../helpers/runner-pipeline.js';
import { startPostgres, type Postgres } from '../helpers/services/postgres.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/**
 * Issue 20: a queued job's journal is in the queue's database before the runner goes on. The runner runs a real
 * pipeline on this machine as a queued job; a host that looks at the database before each command it is given
 * sees there every line the run's journal file holds (a worker killed at any instant has committed all it did,
 * but the one line it was writing). A worker the queue declared dead cannot add a line: its run stops before its
 * next command. The journal is rebuilt from the database on a machine without it, and lines a dead worker of this
 * machine fsync'd but never committed are committed by the next attempt.
 */
let pgServer: Postgres;
let url: string;
let pool: pg.Pool;
let mirror: JournalMirror;
const home = mkdtempSync(join(tmpdir(), 'moko-queue-durable-'));
const signer = readOrCreateAuditSigner(join(home, 'audit-signing.pem'));

beforeAll(async () => {
  pgServer = await startPostgres();
  url = await pgServer.createDatabase();
  pool = await openQueuePool(url, 3);
  mirror = await startJournalMirror({ url, home, signer });
});

afterAll(async () => {
  await mirror?.stop();
  await pool?.end();
  await pgServer?.stop();
});

async function runningJob(deploymentId: string, workerId: string): Promise<JournalWriter> {
  const jobId = await enqueueJob(pool, {
    command: ['deploy'],
    args: { deploymentId, as: 'tina', options: {} },
    requestedBy: 'tina',
    requestedVia: 'cli',
  }, signer);
  await pool.query(
    `UPDATE mokodeploy_queue.jobs SET state = 'running', worker_id = $2, attempts = 1 WHERE id = $1`,
    [jobId, workerId],
  );
  return { jobId, workerId, attempt: 1 };
}

const committed = async (w: JournalWriter, file: string) =>
  (await jobJournalLines(pool, w.jobId)).get(file) ?? [];

/** This machine's host, which first looks at what the database holds each time the runner gives it work. */
class WatchedHost extends LocalHost {
  constructor(private readonly watch: () => Promise<void>) {
    super();
  }
  override async run(command: Command) {
    await this.watch();
    return super.run(command);
  }
  override async writeFile(file: FileWrite) {
    await this.watch();
    return super.writeFile(file);
  }
}

function queuedRun(w: JournalWriter) {
  return { ...w, deadWorkers: [], mirror: (path: string, line: string) => mirror.mirror(w, path, line) };
}

describe('the journal of a queued job, in the database before the runner goes on', () => {
  it('every line of the file is committed whenever the runner hands the host its next command', async () => {
    const w = await runningJob('demo-a', 'worker-1');
    const journal = Journal.open({ storeDir: home, deploymentId: 'demo-a', planHash: 'plan-a' });
    const seen: { local: number; committed: number }[] = [];
    const host = new WatchedHost(async () => {
      const local = journalLines(journal.path);
      const db = await committed(w, 'demo-a.jsonl');
      expect(db).toEqual(local);
      seen.push({ local: local.length, committed: db.length });
    });
    const root = mkdtempSync(join(tmpdir(), 'moko-queue-durable-root-'));
    const outcome = await asQueuedRun(queuedRun(w), () =>
      runSteps({ host, steps: demoPipeline({ slowMs: 0 }), ctx: demoContext(root, 's1'), journal }),
    );
    expect(outcome.status).toBe('done');
    expect(seen.length).toBeGreaterThan(6);
    expect(seen.at(-1)!.committed).toBeGreaterThan(8); // run-started, step-started and step-done of five steps before the last
    expect(await committed(w, 'demo-a.jsonl')).toEqual(journalLines(journal.path)); // run-finished too
    // the records are the job's progress too, as the dashboard reads it
    const { rows } = await pool.query(
      `SELECT record->>'type' AS type FROM mokodeploy_queue.events WHERE job_id = $1 AND source = 'journal:demo-a.jsonl' ORDER BY seq`,
      [w.jobId],
    );
    expect(rows.map((r) => r.type)).toEqual(journalLines(journal.path).map((l) => JSON.parse(l).type));
  });

  it('a worker whose job was handed to another cannot add a line: its run stops before its next command', async () => {
    const w = await runningJob('demo-b', 'worker-1');
    const journal = Journal.open({ storeDir: home, deploymentId: 'demo-b', planHash: 'plan-b' });
    let commands = 0;
    const host = new WatchedHost(async () => {
      commands++;
      // the queue declares this worker dead and hands the job over while it works
      await pool.query(
        `UPDATE mokodeploy_queue.jobs SET worker_id = 'worker-2', attempts = 2 WHERE id = $1`,
        [w.jobId],
      );
    });
    const root = mkdtempSync(join(tmpdir(), 'moko-queue-durable-root-'));
    await expect(
      asQueuedRun(queuedRun(w), () =>
        runSteps({ host, steps: demoPipeline({ slowMs: 0 }), ctx: demoContext(root, 's2'), journal }),
      ),
    ).rejects.toThrow(/was handed to another worker/);
    expect(commands).toBe(2); // the first step's two commands; its step-done was refused, nothing ran after
    const types = (await committed(w, 'demo-b.jsonl')).map((l) => JSON.parse(l).type);
    expect(types).toEqual(['run-started', 'step-started']);
  });

  it('a machine without the journal gets it from the database; a line only this machine had is committed', async () => {
    const w = await runningJob('demo-c', 'worker-1');
    const file = 'demo-c.jsonl';
    const lines = [1, 2, 3].map((i) =>
      JSON.stringify({
        type: 'step-done',
        at: `t${i}`,
        runId: 'r',
        step: `s${i}`,
        durationMs: 1,
        outputs: {},
      }),
    );
    for (const l of lines) mirror.mirror(w, join(home, 'journals', file), l);
    const otherHome = mkdtempSync(join(tmpdir(), 'moko-queue-durable-b-'));
    await pool.query(`UPDATE mokodeploy_queue.jobs SET worker_id = 'worker-2', attempts = 2 WHERE id = $1`, [
      w.jobId,
    ]);
    const next = { jobId: w.jobId, workerId: 'worker-2', attempt: 2 };
    expect(await restoreJournals(pool, otherHome, next, signer)).toEqual({
      restored: [{ file, lines: 3 }],
      caughtUp: [],
    });
    expect(readFileSync(join(otherHome, 'journals', file), 'utf8')).toBe(lines.map((l) => `${l}\n`).join(''));
    expect(await restoreJournals(pool, otherHome, next, signer)).toEqual({ restored: [], caughtUp: [] }); // once only
    // the dead worker fsync'd a fourth line here and died before committing it (and a torn fifth)
    const fourth = JSON.stringify({ type: 'step-started', at: 't4', runId: 'r', step: 's4' });
    writeFileSync(join(otherHome, 'journals', file), `${[...lines, fourth].join('\n')}\n{"type":"st`);
    expect(await restoreJournals(pool, otherHome, next, signer)).toEqual({
      restored: [],
      caughtUp: [{ file, lines: 1 }],
    });
    expect(await committed(w, file)).toEqual([...lines, fourth]);
  });
});
