import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Reject } from './types.js';
import type { MigrationReport } from './report.js';
import { renderReportHtml } from './report-html.js';

/** Write report.json, report.html and, per job with rejects, a CSV to fix and feed again. */
export function writeReport(report: MigrationReport, dir: string, rejects: { header: string[]; delimiter: string; rows: Reject[] }[]): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  report.jobs.forEach((job, i) => {
    const r = rejects[i];
    if (!r || r.rows.length === 0) return;
    const path = join(dir, `rejects-${i + 1}-${basename(job.file).replace(/\.[^.]*$/, '')}.csv`);
    writeFileSync(path, rejectsCsv(r.header, r.delimiter, r.rows));
    job.rejectsCsv = path;
  });
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, renderReportHtml(report));
  return { json, html };
}

/** Our own columns of a rejects CSV; feeding one again replaces them instead of adding them twice. */
export const rejectColumns = ['mokodeploy_line', 'mokodeploy_reason', 'mokodeploy_raw'];

/**
 * The rejected rows with the source's own columns (so the same mapping reads them again) plus
 * the line and reason at the end, and the raw text of records that could not be split into
 * fields (every line they span); a mapping ignores columns it does not name. A rejects CSV fed
 * again gives a rejects CSV with one set of our columns (the normal fix-and-feed loop).
 */
export function rejectsCsv(header: string[], delimiter: string, rows: Reject[]): string {
  const columns = header.filter((h) => !rejectColumns.includes(h));
  const withRaw = rows.some((r) => r.raw !== undefined);
  const records = rows.map((r) => [...columns.map((h) => r.record?.[h] ?? ''), String(r.line), r.reason, ...(withRaw ? [r.raw ?? ''] : [])]);
  return stringify([[...columns, ...rejectColumns.slice(0, withRaw ? 3 : 2)], ...records], { delimiter });
}
