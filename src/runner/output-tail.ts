import { redact } from '../core/secret.js';

/** Values after words that name a secret (password=…, --password …, IDENTIFIED BY '…', MYSQL_PWD=…). */
const secretPatterns = [
  /((?:password|passwd|pwd|secret|token|api[_-]?key)\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
  /(--(?:password|pass|token)[= ])("[^"]*"|'[^']*'|\S+)/gi,
  /(identified\s+by\s+)('[^']*'|"[^"]*"|\S+)/gi,
];

/** A log line with every known secret and every value after a secret-naming word replaced. */
export function redactLine(line: string): string {
  let out = redact(line);
  for (const re of secretPatterns) out = out.replace(re, '$1[redacted]');
  return out;
}

/** How many lines of a failing command's output a person is shown (the dashboard, the journal). */
export const outputTailLines = 15;

/** The last non-empty lines of some output, each redacted: what a failing command said, safe to keep. */
export function outputTail(text: string, lines = outputTailLines): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .map(redactLine);
}
