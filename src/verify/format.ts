import type { VerificationItemResult } from '../core/record.js';
import type { CheckResult } from './check.js';

/** Human output of a verification: one line per check as it runs, then one per policy item. */
const mark: Record<CheckResult['status'], string> = {
  pass: 'ok  ',
  warn: 'warn',
  fail: 'FAIL',
  skip: 'skip',
  unknown: 'unkn',
};

export function checkLine(r: CheckResult): string {
  return `  ${mark[r.status]} ${r.check.padEnd(28)} ${r.observed}${r.status !== 'pass' && r.detail ? `\n         -> ${r.detail}` : ''}`;
}

export function itemsTable(items: VerificationItemResult[], labels: Map<string, string>): string {
  return items
    .map(
      (i) =>
        `  ${i.status === 'skip' && /\] unknown:/.test(i.observed ?? '') ? mark.unknown : mark[i.status]} ${i.id.padEnd(24)} ${labels.get(i.id) ?? ''}`,
    )
    .join('\n');
}
