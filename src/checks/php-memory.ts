import type { Check, Finding } from './finding.js';
import { phpProbes, readFpmFacts, readPhpFacts } from './php-probe.js';
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

const threshold = `>= ${minPhpMemoryBytes / 1024 ** 2}M (${phpSource})`;

function judge(check: Check, value: string, label: string, idSuffix?: string): Finding {
  const bytes = parseIniSize(value);
  if (Number.isNaN(bytes)) return unknown(check, threshold, `unreadable memory_limit "${value}"`, idSuffix);
  const observed = `${label} memory_limit = ${value}`;
  return bytes < minPhpMemoryBytes
    ? finding(check, 'fail', observed, threshold, {
        idSuffix,
        remediation: 'raise memory_limit in php.ini (e.g. 256M) and restart PHP-FPM',
      })
    : finding(check, 'pass', observed, threshold, { idSuffix });
}

/** Dolibarr's check.php minimum memory_limit, for php-cli and (when the plan names it) PHP-FPM. */
export const phpMemoryCheck: Check = {
  id: 'php-memory-limit',
  title: 'PHP memory_limit',
  policyRef: 'env.server.php-extensions',
  probes: phpProbes,
  async run(ctx) {
    const [cli, fpm] = await Promise.all([readPhpFacts(ctx), readFpmFacts(ctx)]);
    const out = [
      cli.ok ? judge(this, cli.facts.memoryLimit, 'php-cli') : unknown(this, threshold, cli.reason),
    ];
    if (fpm)
      out.push(
        fpm.ok
          ? judge(this, fpm.facts.memoryLimit, fpm.facts.binary, 'fpm')
          : unknown(this, threshold, fpm.reason, 'fpm'),
      );
    return out;
  },
};
