import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * The last lines of the newest background deploy's output for a deployment (start-deploy.ts writes
 * `<home>/logs/deploy-<id>-<time>.log`), redacted: what the failing command said.
 */
export function lastDeployOutput(home: string, id: string, lines = 15): string[] {
  const dir = join(home, 'logs');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(`deploy-${id}-`) && n.endsWith('.log'));
  } catch {
    return [];
  }
  const newest = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t)[0];
  if (!newest) return [];
  const text = readFileSync(join(dir, newest.n), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .map(redactLine);
}
