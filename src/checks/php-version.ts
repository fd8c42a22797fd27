import type { Check } from './finding.js';
import { readPhpFacts } from './php-probe.js';
import { compareVersions, finding, unknown } from './result.js';
import { maxPhpFor, phpSource } from './dolibarr-php.js';

/** Policy "PHP 8.1 or higher", capped by the highest PHP the planned Dolibarr release supports. */
export const phpVersionCheck: Check = {
  id: 'php-version',
  title: 'PHP version',
  policyRef: 'env.server.php',
  async run(ctx) {
    const min = ctx.policy.environment.server.php.min;
    const max = maxPhpFor(ctx.plan.dolibarr.version);
    const threshold = `>= ${min}${max ? ` and <= ${max}.x (Dolibarr ${ctx.plan.dolibarr.version})` : ''}`;
    const php = await readPhpFacts(ctx);
    if (!php.ok) return [unknown(this, threshold, php.reason)];
    const v = php.facts.version;
    const observed = `PHP ${v}`;
    if (compareVersions(v, min) < 0) {
      return [
        finding(this, 'fail', observed, threshold, {
          remediation: `install PHP ${min} or later (e.g. php8.2-fpm on Debian 12)`,
        }),
      ];
    }
    if (!max) {
      return [
        finding(this, 'warn', observed, threshold, {
          detail: `the highest PHP supported by Dolibarr ${ctx.plan.dolibarr.version} is not known (${phpSource})`,
          remediation: 'check htdocs/install/check.php of this release',
        }),
      ];
    }
    const majorMinor = v.split('.').slice(0, 2).join('.');
    if (compareVersions(majorMinor, max) > 0) {
      return [
        finding(this, 'fail', observed, threshold, {
          detail: `Dolibarr ${ctx.plan.dolibarr.version} warns above PHP ${max} (${phpSource})`,
          remediation: `use PHP ${max} or lower, or a newer Dolibarr release`,
        }),
      ];
    }
    return [finding(this, 'pass', observed, threshold, { detail: phpSource })];
  },
};
