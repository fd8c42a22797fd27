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

/**
 * The rejected rows with the source's own columns (so the same mapping reads them again) plus
 * the line and reason at the end; a mapping ignores columns it does not name.
 */
export function rejectsCsv(header: string[], delimiter: string, rows: Reject[]): string {
  const records = rows.map((r) => [...header.map((h) => r.record?.[h] ?? ''), String(r.line), r.reason]);
  return stringify([[...header, 'mokodeploy_line', 'mokodeploy_reason'], ...records], { delimiter });
}
