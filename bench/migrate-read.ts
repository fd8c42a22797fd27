/**
 * The reader alone (issue 15): CPU time to read a CSV file into rows, with the independent record
 * count, against the file size. No database: this is the part the record splitter and the second
 * scanner changed, measured apart from the load (bench/migrate.ts measures the whole import).
 *
 *   npx tsx bench/migrate-read.ts            # 100k contacts (about 9 MB), 3 rounds, best of
 *   BENCH_ROWS=1000000 npx tsx bench/migrate-read.ts
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectSource, newReadStats, readSourceChunks } from '../src/migrate/read.js';

const rows = Number(process.env.BENCH_ROWS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'moko-bench-read-'));
const path = join(dir, 'contacts.csv');
const out = createWriteStream(path);
out.write('Contact ID,First Name,Last Name,Email,Phone,Mobile,Job Title,Company ID,Country,Birthday\n');
for (let i = 1; i <= rows; i++) {
  const note = i % 10 === 0 ? '"Head of ""Sales"", Paris\nsecond line"' : 'Engineer';
  if (!out.write(`P${i},First${i},Lâst${i},person${i}@example.com,+33 1 00 00 00 ${String(i % 100).padStart(2, '0')},,${note},C${i % 20000},FR,1980-01-15\n`)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');

try {
  const format = inspectSource(path);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const cpu = process.cpuUsage();
    const stats = newReadStats();
    let n = 0;
    for await (const chunk of readSourceChunks(path, format, { stats })) n += chunk.length;
    const used = process.cpuUsage(cpu);
    const seconds = (used.user + used.system) / 1e6;
    best = Math.min(best, seconds);
    console.log(`round ${round + 1}: ${n} records (${stats.scanned} counted apart) in ${seconds.toFixed(3)} s CPU; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  }
  console.log(`best: ${best.toFixed(3)} s CPU for ${rows} rows (${Math.round(rows / best)} rows/s of CPU)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
