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

/**
 * source = read + rejected; lines in order; every untouched row comes out; every reject is in the
 * rejects CSV, raw text included. Returns what is wrong (plain checks: one expect per file keeps
 * 6000 files within the time budget).
 */
function problemsOf(header: string[], delimiter: string, untouched: Set<string>, got: Awaited<ReturnType<typeof collect>>, scanned: number): string[] {
  const out: string[] = [];
  if (got.rows.length + got.rejects.length !== scanned) out.push(`read ${got.rows.length} + rejected ${got.rejects.length} != ${scanned} records counted`);
  for (let i = 1; i < got.lines.length; i++) if (got.lines[i]! <= got.lines[i - 1]!) out.push(`line ${got.lines[i]} after ${got.lines[i - 1]}`);
  const texts = [...got.rows.map((r) => r.fields.join('\u0001')), ...got.rejects.map((x) => `${x.raw ?? ''}\u0001${Object.values(x.record ?? {}).join('\u0001')}`)].join('\u0002');
  for (const key of untouched) if (!texts.includes(key)) out.push(`row ${key} lost`);
  if (got.rejects.length === 0) return out;
  const back = parse(rejectsCsv(header, delimiter, got.rejects), { delimiter, relax_column_count: true }) as string[][];
  const cols = back[0]!;
  if (back.length - 1 !== got.rejects.length) out.push(`${got.rejects.length} rejects, ${back.length - 1} in the rejects CSV`);
  got.rejects.forEach((x, i) => {
    const row = back[i + 1] ?? [];
    if (row[cols.indexOf('mokodeploy_line')] !== String(x.line)) out.push(`reject ${x.line}: line not in the rejects CSV`);
    if (x.raw !== undefined && row[cols.indexOf('mokodeploy_raw')] !== x.raw) out.push(`reject ${x.line}: raw text not in the rejects CSV`);
    if (x.raw === undefined && header.some((h) => row[cols.indexOf(h)] !== (x.record?.[h] ?? ''))) out.push(`reject ${x.line}: fields not in the rejects CSV`);
  });
  return out;
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
        const problems = problemsOf(g.header, g.delimiter, g.untouched, got, stats.scanned);
        // A file nothing broke reads back exactly as it was written.
        if (g.applied.every((c) => c === 'mixed-endings' || c === 'bom' || c === 'blank-lines')) {
          if (got.rejects.length > 0 || JSON.stringify(got.rows.map((r) => r.fields)) !== JSON.stringify(g.rows)) problems.push('a clean file did not read back as written');
        }
        if (problems.length > 0) expect(problems, `seed ${seed}, recover ${recover}`).toEqual([]);
        if (got.rejects.length > 0) withRejects++;
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
      expect(problemsOf(format.header, format.delimiter, g.untouched, got, stats.scanned), `seed ${seed}`).toEqual([]);
    }
  }, 60_000);
});
