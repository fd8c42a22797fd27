import type { Check } from './finding.js';
import { phpProbes, readPhpFacts } from './php-probe.js';
import { finding, unknown } from './result.js';
import { phpRequirements, phpSource } from './dolibarr-php.js';

const debianPackage = (name: string) =>
  name === 'json' || name === 'session'
    ? 'php-common'
    : name === 'simplexml'
      ? 'php-xml'
      : name === 'calendar'
        ? 'php-common'
        : name === 'mysqli'
          ? 'php-mysql'
          : `php-${name}`;

/** Policy "Required PHP extensions enabled": the ones Dolibarr's install check tests. */
export const phpExtensionsCheck: Check = {
  id: 'php-extensions',
  title: 'PHP extensions required by Dolibarr',
  policyRef: 'env.server.php-extensions',
  probes: phpProbes,
  async run(ctx) {
    const required = phpRequirements.filter((r) => r.required).map((r) => r.name);
    const threshold = `${required.join(', ')} (${phpSource})`;
    const php = await readPhpFacts(ctx);
    if (!php.ok) return [unknown(this, threshold, php.reason)];
    const missing = phpRequirements.filter((r) => php.facts.present[r.name] !== true);
    const missingRequired = missing.filter((r) => r.required).map((r) => r.name);
    const missingOptional = missing.filter((r) => !r.required).map((r) => r.name);
    const observed =
      missing.length === 0 ? 'all present' : `missing: ${missing.map((m) => m.name).join(', ')}`;
    if (missingRequired.length > 0) {
      return [
        finding(this, 'fail', observed, threshold, {
          remediation: `apt-get install ${[...new Set(missingRequired.map(debianPackage))].join(' ')} and restart PHP-FPM`,
        }),
      ];
    }
    if (missingOptional.length > 0) {
      const notes = phpRequirements
        .filter((r) => missingOptional.includes(r.name))
        .map((r) => `${r.name}: ${r.note ?? 'recommended'}`);
      return [
        finding(this, 'warn', observed, threshold, {
          detail: notes.join('; '),
          remediation: 'install them if the features are used',
        }),
      ];
    }
    return [finding(this, 'pass', observed, threshold)];
  },
};
