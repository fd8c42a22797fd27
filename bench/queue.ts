/**
 * Benchmark (issue 20): N fixture deploy jobs (`deploy ID --dry-run`, local targets: each job plans the whole
 * install pipeline and reads the fixture tarball, nothing is changed) on 1, 2 and 4 worker processes over one
 * PostgreSQL 15 queue. Prints throughput, and the scheduling overhead per job: the time a worker spends on a job
 * besides running its command = our bookkeeping inside the job (its rows, progress events, journal forwarding:
 * started..finished minus the command's own time) + the gap before the worker's next job (graphile-worker completing
 * the job and fetching the next). Also the pick-up latency of an idle worker (enqueue -> started). Goal: < 50 ms/job.
 *   npm run bench -- queue [--jobs 100] [--workers 1,2,4]
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { createApp } from '../src/app/context.js';
import { submitPlanText } from '../src/server/plan-submit.js';
import { enqueueJob } from '../src/queue/enqueue.js';
import { openQueuePool } from '../src/queue/pool.js';
import { settledJobs } from '../src/queue/jobs.js';
import { buildFixtureRelease } from '../test/helpers/fixture-release/build.js';
import { planInput } from '../test/helpers/records.js';
import { teamPeople, teamYaml } from '../test/helpers/cli.js';
import { dirMaker } from '../test/helpers/site-parts.js';
import { startPostgres } from '../test/helpers/services/postgres.js';
import { startWorkerProcess } from '../test/helpers/queue/worker-process.js';
import { cores, load } from './cpu.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const jobs = Number(arg('jobs', '100'));
const workerCounts = arg('workers', '1,2,4').split(',').map(Number);

const dir = mkdtempSync(join(tmpdir(), 'moko-bench-queue-'));
chmodSync(dir, 0o755);
const d = dirMaker(dir);
writeFileSync(join(dir, 'team.yaml'), teamYaml);
const env = {
  ...process.env,
  MOKODEPLOY_HOME: join(dir, '.mokodeploy'),
  MOKODEPLOY_TEAM: join(dir, 'team.yaml'),
  MOKODEPLOY_AUDIT_KEY_FILE: join(dir, 'audit-signing.pem'),
  MOKODEPLOY_SECRET_KEY_FILE: join(dir, 'secret.key'),
  NO_COLOR: '1',
};
const release = buildFixtureRelease({ version: '20.0.2' }, d('release'));
const app = createApp({ home: env.MOKODEPLOY_HOME, env });
const ids: string[] = [];
const seeded = performance.now();
for (let i = 1; i <= jobs; i++) {
  const client = `bench${String(i).padStart(3, '0')}`;
  const root = d(client);
  const plan = planInput({
    client,
    id: `${client}-2026-12`,
    environment: 'staging',
    dolibarr: { version: release.version, release: release.tarball, sha256: release.sha256 },
    target: { host: 'local', root: join(root, 'www'), dataRoot: join(root, 'documents'), backupRoot: join(root, 'backups'), serviceManager: 'none', cronDir: join(root, 'cron.d'), webConfigDir: join(root, 'sites'), phpFpmPoolDir: join(root, 'pool.d') } as never,
    database: { host: '127.0.0.1', port: 1, name: `${client}_crm`, user: client, password: { secret: `${client}/db` } },
    people: teamPeople,
  });
  ids.push((await submitPlanText(app, stringify(plan), { login: 'tina', source: `${client}.yaml`, submit: true })).record.id);
}
const signer = await app.storeSigner(); // the store's key: signs each job's request as `--queue` does
await app.close();
console.log(`seeded ${jobs} records in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

const pg = await startPostgres();
const rows: string[] = [];
try {
  for (const n of workerCounts) {
    const url = await pg.createDatabase();
    const pool = await openQueuePool(url, 4);
    const workers = Array.from({ length: n }, () => startWorkerProcess(dir, { ...env, MOKODEPLOY_QUEUE: url }));
    await Promise.all(workers.map((w) => w.ready));
    const loadBefore = load();
    const t0 = performance.now();
    const queued: number[] = [];
    for (const id of ids) {
      queued.push(await enqueueJob(pool, { command: ['deploy'], args: { deploymentId: id, as: 'tina', options: { 'dry-run': true } }, requestedBy: 'tina', requestedVia: 'cli' }, signer));
    }
    const enqueueMs = performance.now() - t0;
    let settled = 0;
    while (settled < queued.length) {
      settled = (await settledJobs(pool, queued)).length;
      if (settled < queued.length) await new Promise((r) => setTimeout(r, 100));
    }
    const done = await settledJobs(pool, queued);
    const { rows: times } = await pool.query<{ first: Date; last: Date; command_ms: number; inside_ms: number; failed: string }>(
      `SELECT min(started_at) AS first, max(finished_at) AS last, avg(command_ms)::float AS command_ms,
              avg(extract(epoch FROM finished_at - started_at) * 1000 - command_ms)::float AS inside_ms,
              count(*) FILTER (WHERE state <> 'succeeded') AS failed
       FROM mokodeploy_queue.jobs WHERE id = ANY($1::bigint[])`,
      [queued],
    );
    const { rows: gaps } = await pool.query<{ gap_ms: number }>(
      `SELECT avg(extract(epoch FROM started_at - prev) * 1000)::float AS gap_ms FROM (
         SELECT started_at, lag(finished_at) OVER (PARTITION BY worker_id ORDER BY started_at) AS prev
         FROM mokodeploy_queue.jobs WHERE id = ANY($1::bigint[])) g WHERE prev IS NOT NULL`,
      [queued],
    );
    // pick-up latency: one job at a time to idle workers
    const single: number[] = [];
    for (const id of ids.slice(0, 10)) {
      const job = await enqueueJob(pool, { command: ['deploy'], args: { deploymentId: id, as: 'tina', options: { 'dry-run': true } }, requestedBy: 'tina', requestedVia: 'cli' }, signer);
      while ((await settledJobs(pool, [job])).length === 0) await new Promise((r) => setTimeout(r, 50));
      single.push(job);
    }
    const { rows: pickup } = await pool.query<{ ms: number }>(
      `SELECT avg(extract(epoch FROM started_at - created_at) * 1000)::float AS ms FROM mokodeploy_queue.jobs WHERE id = ANY($1::bigint[])`,
      [single],
    );
    const t = times[0]!;
    const wallMs = t.last.getTime() - t.first.getTime();
    const gap = gaps[0]?.gap_ms ?? 0;
    rows.push(
      [
        String(n).padStart(7),
        `${(wallMs / 1000).toFixed(1)} s`.padStart(8),
        `${((jobs / wallMs) * 1000).toFixed(2)}/s`.padStart(10),
        `${t.command_ms.toFixed(0)} ms`.padStart(11),
        `${t.inside_ms.toFixed(1)} ms`.padStart(9),
        `${gap.toFixed(1)} ms`.padStart(9),
        `${(t.inside_ms + gap).toFixed(1)} ms`.padStart(12),
        `${pickup[0]!.ms.toFixed(1)} ms`.padStart(9),
        `${(enqueueMs / jobs).toFixed(1)} ms`.padStart(9),
        String(Number(t.failed)).padStart(6),
        `  load ${loadBefore} -> ${load()}`,
      ].join('  '),
    );
    if (done.length !== jobs || Number(t.failed) > 0) console.log(`warning: ${t.failed} of ${jobs} jobs did not succeed`);
    await Promise.all(workers.map((w) => w.stop()));
    await pool.end();
  }
} finally {
  await pg.stop();
}
console.log(`\n${jobs} dry-run deploy jobs (fixture release, local targets) per row; ${cores()} cores (load: 1-minute average, shared machine)`);
console.log('workers      wall  throughput  command/job     inside       gap  overhead/job    pickup  enqueue  failed');
for (const r of rows) console.log(r);
console.log('overhead/job = inside (job rows, events, journal forwarding around the command) + gap (a worker between two jobs); goal < 50 ms');
console.log('pickup = enqueue -> started for a job sent to idle workers; enqueue = our row + graphile add_job + event, one transaction');
