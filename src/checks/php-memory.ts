import type { Check } from './finding.js';
import { readPhpFacts } from './php-probe.js';
import { finding, unknown } from './result.js';
import { minPhpMemoryBytes, phpSource } from './dolibarr-php.js';

/** "128M" -> bytes; -1 is unlimited. */
export function parseIniSize(value: string): number {
  const m = /^\s*(-?\d+)\s*([kKmMgG]?)\s*$/.exec(value);
  if (!m) return NaN;
  const n = Number(m[1]);
  if (n < 0) return Infinity;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return n * unit;
}

export const phpMemoryCheck: Check = {
  id: 'php-memory-limit',
  title: 'PHP memory_limit',
  policyRef: 'env.server.php-extensions',
  async run(ctx) {
    const threshold = `>= ${minPhpMemoryBytes / 1024 ** 2}M (${phpSource})`;
    const php = await readPhpFacts(ctx);
    if (!php.ok) return [unknown(this, threshold, php.reason)];
    const value = php.facts.memoryLimit;
    const bytes = parseIniSize(value);
    if (Number.isNaN(bytes)) return [unknown(this, threshold, `unreadable memory_limit "${value}"`)];
    const observed = `memory_limit = ${value}`;
    if (bytes < minPhpMemoryBytes)
      return [
        finding(this, 'fail', observed, threshold, {
          remediation: 'raise memory_limit in php.ini (e.g. 256M) and restart PHP-FPM',
        }),
      ];
    return [finding(this, 'pass', observed, threshold)];
  },
};
