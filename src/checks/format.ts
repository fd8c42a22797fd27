import type { FindingStatus, ValidationReport } from './finding.js';

const colours: Record<FindingStatus, string> = {
  pass: '\x1b[32m',
  warn: '\x1b[33m',
  fail: '\x1b[31m',
  unknown: '\x1b[35m',
};
const reset = '\x1b[0m';

function cell(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** A table a person reads: one line per finding, the reason or remedy under anything not passing. */
export function formatReport(report: ValidationReport, opts: { color?: boolean } = {}): string {
  const paint = (s: FindingStatus, text: string) => (opts.color ? `${colours[s]}${text}${reset}` : text);
  const lines = [
    `Environment validation of ${report.target} (policy ${report.policyVersion}, ${report.startedAt})`,
    `${cell('STATUS', 8)} ${cell('CHECK', 30)} ${cell('OBSERVED', 52)} REQUIRED`,
  ];
  for (const f of report.findings) {
    lines.push(
      `${paint(f.status, cell(f.status.toUpperCase(), 8))} ${cell(f.checkId, 30)} ${cell(f.observed, 52)} ${f.threshold}`,
    );
    if (f.status !== 'pass') {
      if (f.detail) lines.push(`${' '.repeat(9)}why: ${f.detail}`);
      if (f.remediation) lines.push(`${' '.repeat(9)}fix: ${f.remediation}`);
    }
  }
  const counts = (['pass', 'warn', 'fail', 'unknown'] as const).map(
    (s) => `${report.findings.filter((f) => f.status === s).length} ${s}`,
  );
  lines.push(`Result: ${paint(report.worst, report.worst.toUpperCase())} (${counts.join(', ')})`);
  return lines.join('\n');
}

export function formatJson(reports: ValidationReport | readonly ValidationReport[]): string {
  return JSON.stringify(reports, null, 2);
}

/** pass 0; warn 0 (1 with strict); fail or unknown 1: an undecided check never counts as passing. */
export function exitCodeFor(reports: readonly ValidationReport[], opts: { strict?: boolean } = {}): number {
  const bad = reports.some(
    (r) => r.worst === 'fail' || r.worst === 'unknown' || (opts.strict && r.worst === 'warn'),
  );
  return bad ? 1 : 0;
}
