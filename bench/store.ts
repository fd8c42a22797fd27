/**
 * Store bench (issue 20): write operations per second for 1, 4 and 16 concurrent writers (separate processes)
 * on SQLite and on PostgreSQL; the audit chain is verified (hashes, signatures, records) after each run.
 *   npm run bench -- store [--writers 1,4,16] [--seconds 10] [--stores sqlite,postgres]
 * One operation = one `mutate`: the record and its signed audit entry in one transaction, the anchor moved.
 * PostgreSQL runs from the Debian package (test helper) with fsync on, SQLite with synchronous=FULL (as shipped).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkTrail } from '../src/audit/check-trail.js';
import { readOrCreateAuditSigner } from '../src/audit/signing-key.js';
import { openStore } from '../src/store/open.js';
import { newRecord } from '../test/helpers/records.js';
import { startPostgres, type Postgres } from '../test/helpers/services/postgres.js';

const { values } = parseArgs({
  options: {
    writers: { type: 'string', default: '1,4,16' },
    seconds: { type: 'string', default: '10' },
    stores: { type: 'string', default: 'sqlite,postgres' },
  },
});
const writerCounts = values.writers.split(',').map(Number);
const seconds = Number(values.seconds);
const repo = resolve(import.meta.dirname, '..');

interface WriterResult {
  ops: number;
  busy: number;
  latencies: number[];
}

function startWriter(where: string, keyFile: string, id: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repo, 'bench/store-writer.ts'), where, keyFile, id, String(seconds)],
    {
      cwd: repo,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const ready = new Promise<void>((r) => child.stdout.on('data', () => out.includes('ready') && r()));
  const done = new Promise<WriterResult>((r, reject) =>
    child.on('close', (code) =>
      code === 0 ? r(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`writer exited ${code}`)),
    ),
  );
  return { ready, done, go: () => child.stdin.end('go\n') };
}

const pct = (xs: number[], p: number) =>
  xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0;

async function runOnce(kind: string, where: string, writers: number) {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'moko-bench-store-')), 'audit.pem');
  const signer = readOrCreateAuditSigner(keyFile);
  const store = await openStore(where, { auditKeyFile: keyFile });
  const ids = Array.from({ length: writers }, (_, i) => `bench-${i + 1}`);
  for (const id of ids)
    await store.create({
      record: newRecord({ id }),
      audit: {
        at: new Date().toISOString(),
        actor: 'bench',
        role: 'technical-lead',
        action: 'plan-submit',
        deploymentId: id,
        summary: 'bench record',
        before: null,
        after: null,
      },
    });
  const procs = ids.map((id) => startWriter(where, keyFile, id));
  await Promise.all(procs.map((p) => p.ready));
  procs.forEach((p) => p.go());
  const results = await Promise.all(procs.map((p) => p.done));
  const ops = results.reduce((s, r) => s + r.ops, 0);
  const lat = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const t = performance.now();
  const trail = await checkTrail(store, signer.publicKey);
  const verifyMs = performance.now() - t;
  await store.close();
  const expected = writers + ops;
  return {
    store: kind,
    writers,
    ops,
    opsPerSecond: ops / seconds,
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    busy: results.reduce((s, r) => s + r.busy, 0),
    chain:
      trail.ok && trail.entries === expected
        ? `intact (${trail.entries})`
        : `BROKEN: ${trail.problems.length} problems, ${trail.entries}/${expected} entries`,
    verifyMs,
  };
}

const rows: Awaited<ReturnType<typeof runOnce>>[] = [];
const loadAtStart = loadavg()[0]!;
let server: Postgres | undefined;
try {
  for (const kind of values.stores.split(',')) {
    if (kind === 'postgres') server = await startPostgres({ durable: true });
    for (const writers of writerCounts) {
      const where =
        kind === 'postgres'
          ? await server!.createDatabase()
          : join(mkdtempSync(join(tmpdir(), 'moko-bench-store-')), 'home', 'mokodeploy.sqlite');
      const row = await runOnce(kind, where, writers);
      rows.push(row);
      console.error(`${kind} ${writers} writers: ${row.opsPerSecond.toFixed(0)} ops/s, chain ${row.chain}`);
    }
  }
} finally {
  await server?.stop();
}

const header = [
  'store',
  'writers',
  'ops',
  'ops/s',
  'p50 ms',
  'p95 ms',
  'lock waits > 5 s',
  'audit chain after the run',
  'verify ms',
];
const table = rows.map((r) => [
  r.store,
  String(r.writers),
  String(r.ops),
  r.opsPerSecond.toFixed(0),
  r.p50.toFixed(1),
  r.p95.toFixed(1),
  String(r.busy),
  r.chain,
  r.verifyMs.toFixed(0),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\nstore writes (${seconds} s per run, one op = record + signed audit entry in one transaction)`);
console.log(
  `machine: load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (other work shares the cores)`,
);
console.log(line(header));
for (const row of table) console.log(line(row));
if (rows.some((r) => !r.chain.startsWith('intact'))) process.exitCode = 1;
