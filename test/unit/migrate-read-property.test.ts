import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { inspectSource, newReadStats, readSourceChunks, readTextChunks, type SourceFormat } from '../../src/migrate/read.js';
import { SourceRow } from '../../src/migrate/source-row.js';
import { rejectsCsv } from '../../src/migrate/write-report.js';
import type { Reject } from '../../src/migrate/types.js';
import { cutText, generateCsv } from '../helpers/migrate-corrupt.js';

async function collect(chunks: AsyncGenerator<(SourceRow | Reject)[]>): Promise<{ rows: SourceRow[]; rejects: Reject[]; lines: number[] }> {
  const rows: SourceRow[] = [];
  const rejects: Reject[] = [];
  const lines: number[] = [];
  for await (const chunk of chunks) {
    for (const item of chunk) {
      lines.push(item.line);
      if (item instanceof SourceRow) rows.push(item);
      else rejects.push(item);
    }
  }
  return { rows, rejects, lines };
}

/** source = read + rejected; every untouched row comes out; every reject is in the rejects CSV, raw text included. */
function checkProperties(seed: number, recover: boolean, header: string[], delimiter: string, untouched: Set<string>, got: Awaited<ReturnType<typeof collect>>, scanned: number): void {
  const where = `seed ${seed}, recover ${recover}`;
  expect(got.rows.length + got.rejects.length, where).toBe(scanned);
  for (let i = 1; i < got.lines.length; i++) expect(got.lines[i]!, where).toBeGreaterThan(got.lines[i - 1]!);
  const found = (key: string) =>
    got.rows.some((r) => r.fields.some((f) => f.includes(key))) ||
    got.rejects.some((x) => (x.raw ?? '').includes(key) || Object.values(x.record ?? {}).some((v) => v.includes(key)));
  for (const key of untouched) expect(found(key), `${where}: row ${key} lost`).toBe(true);
  if (got.rejects.length === 0) return;
  const csv = rejectsCsv(header, delimiter, got.rejects);
  const back = parse(csv, { delimiter, relax_column_count: true }) as string[][];
  const cols = back[0]!;
  expect(back.length - 1, where).toBe(got.rejects.length);
  got.rejects.forEach((x, i) => {
    const row = back[i + 1]!;
    if (x.raw !== undefined) expect(row[cols.indexOf('mokodeploy_raw')], `${where}: raw text of line ${x.line}`).toBe(x.raw);
    else for (const h of header) expect(row[cols.indexOf(h)], where).toBe(x.record?.[h] ?? '');
    expect(row[cols.indexOf('mokodeploy_line')]).toBe(String(x.line));
  });
}

describe('migrate read: no record lost, on thousands of generated broken files (issue 15)', () => {
  it('random corruptions, random chunk cuts, with and without recovery: source = read + rejected, nothing vanishes', async () => {
    const started = Date.now();
    let files = 0;
    let withRejects = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const g = generateCsv(seed);
      const format: SourceFormat = { encoding: { encoding: 'utf-8', bom: false, reason: 'test' }, delimiter: g.delimiter as SourceFormat['delimiter'], header: g.header };
      for (const recover of [false, true]) {
        const stats = newReadStats();
        const got = await collect(readTextChunks(cutText(g.text, seed), format, { recover, stats }));
        checkProperties(seed, recover, g.header, g.delimiter, g.untouched, got, stats.scanned);
        if (got.rejects.length > 0) withRejects++;
        // A file nothing broke reads back exactly as it was written.
        if (g.applied.every((c) => c === 'mixed-endings' || c === 'bom' || c === 'blank-lines')) {
          expect(got.rejects, `seed ${seed}`).toEqual([]);
          expect(got.rows.map((r) => r.fields), `seed ${seed}`).toEqual(g.rows);
        }
        files++;
      }
    }
    expect(withRejects).toBeGreaterThan(1000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(files).toBe(6000);
  }, 60_000);

  it('the same from files on disk (encoding and delimiter detected): 300 files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moko-prop-'));
    for (let seed = 5001; seed <= 5300; seed++) {
      const g = generateCsv(seed);
      const path = join(dir, `${seed}.csv`);
      writeFileSync(path, `${g.header.join(g.delimiter)}\nK${seed}first${g.delimiter.repeat(g.header.length - 1)}\n${g.text.replace(/^\uFEFF?[^\n]*\n/, '')}`);
      const format = inspectSource(path);
      const stats = newReadStats();
      const got = await collect(readSourceChunks(path, format, { stats }));
      checkProperties(seed, false, format.header, format.delimiter, g.untouched, got, stats.scanned);
    }
  }, 60_000);
});
