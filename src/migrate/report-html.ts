import type { JobReport, MigrationReport } from './report.js';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The report as one self-contained HTML page (no scripts, no external assets). */
export function renderReportHtml(r: MigrationReport): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Migration ${esc(r.batch)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}.bad{color:#a00}.ok{color:#070}</style></head><body>
<h1>Data migration ${esc(r.batch)} — ${esc(r.mode)}: <span class="${r.outcome === 'committed' ? 'ok' : 'bad'}">${esc(r.outcome)}</span></h1>
<p>${esc(r.summary)}</p>
<table><tr><th>Target</th><td>${esc(r.target.database)} on ${esc(r.target.where)}, entity ${r.target.entity}</td></tr>
<tr><th>Started</th><td>${esc(r.startedAt)} (${r.durationSeconds.toFixed(1)} s, ${Math.round(r.rowsPerSecond)} rows/s)</td></tr>
<tr><th>Reconciled</th><td class="${r.reconciled ? 'ok' : 'bad'}">${r.reconciled ? 'yes' : 'no'}</td></tr>
${r.backup ? `<tr><th>Backup</th><td>${esc(r.backup.dump.path)} (sha256 ${esc(r.backup.dump.sha256)})<br>${r.backup.sources.map((s) => `${esc(s.path)} (sha256 ${esc(s.sha256)})`).join('<br>')}</td></tr>` : ''}
</table>
${r.jobs.map(renderJob).join('\n')}
</body></html>
`;
}

function renderJob(j: JobReport): string {
  const c = j.counts;
  const rec = j.reconciliation;
  return `<h2>${esc(j.object)}: ${esc(j.file)}</h2>
<p>Mapping ${esc(j.mapping)}; read as ${esc(j.encoding)} (${esc(j.encodingReason)}), delimiter ${esc(JSON.stringify(j.delimiter))}.</p>
<table><tr><th>Source rows</th><th>Loaded</th><th>Already present</th><th>Rejected</th><th>Deferred (sample)</th></tr>
<tr><td>${c.source}</td><td>${c.loaded}</td><td>${c.alreadyPresent}</td><td>${c.rejected}</td><td>${c.deferred}</td></tr></table>
<p>Record count (a second scanner, apart from the reader): ${j.read.scanned} records on ${j.read.lines} lines.${j.read.recoveries.map((x) => ` Unclosed quote on line ${x.line}: lines from ${x.resumeLine} read again.`).join('')}</p>
${Object.entries(j.dates ?? {}).map(([col, d]) => `<p>${esc(col)}: dates read by ${Object.entries(d.matched).map(([f, n]) => `${esc(f)} ${n}`).join(', ')}${d.ambiguous ? `; ${d.ambiguous} ambiguous, e.g. ${esc(d.example ?? '')}` : ''}</p>`).join('\n')}
${j.warnings.count > 0 ? `<h3>Text damaged before export: ${j.warnings.count} row(s), loaded as they are</h3>
<table><tr><th>Line</th><th>Field</th><th>Value</th><th>Sign</th></tr>
${j.warnings.rows.map((x) => `<tr><td>${x.line}</td><td>${esc(x.field)}</td><td>${esc(x.value)}</td><td>${esc(x.kind)}</td></tr>`).join('\n')}</table>` : ''}
${rec ? renderReconciliation(rec) : '<p>Not loaded: no reconciliation.</p>'}
${j.rejects.length > 0 ? `<h3>Rejected rows${j.rejectsCsv ? ` (to fix and feed again: ${esc(j.rejectsCsv)})` : ''}</h3>
<table><tr><th>Line</th><th>Field</th><th>Reason</th></tr>
${j.rejects.map((x) => `<tr><td>${x.line}</td><td>${esc(x.field ?? '')}</td><td>${esc(x.reason)}</td></tr>`).join('\n')}</table>` : ''}`;
}

function renderReconciliation(rec: NonNullable<JobReport['reconciliation']>): string {
  const rel = rec.relationships;
  return `<p class="${rec.passed ? 'ok' : 'bad'}">Counts ${rec.countsBalance ? 'balance' : 'do NOT balance'}; ${rec.rowsInDatabase} rows of this batch in the database.
${rel ? ` Contacts linked: ${rel.linked}/${rel.expected}, orphans ${rel.orphans}, links ${rel.pairsMatch ? 'match the source' : 'DIFFER from the source'}.` : ''}</p>
<table><tr><th>Field</th><th>Source checksum</th><th>Database checksum</th><th></th></tr>
${rec.fields.map((f) => `<tr><td>${esc(f.field)}</td><td>${f.source}</td><td>${f.database}</td><td class="${f.match ? 'ok' : 'bad'}">${f.match ? 'match' : 'MISMATCH'}</td></tr>`).join('\n')}</table>`;
}
