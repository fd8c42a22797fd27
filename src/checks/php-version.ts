import type { Check, CheckContext, Finding } from './finding.js';
import { phpProbes, readFpmFacts, readPhpFacts } from './php-probe.js';
import { compareVersions, finding, unknown } from './result.js';
import { maxPhpFor, phpSource } from './dolibarr-php.js';

function threshold(ctx: CheckContext): string {
  const max = maxPhpFor(ctx.plan.dolibarr.version);
  return `>= ${ctx.policy.environment.server.php.min}${max ? ` and <= ${max}.x (Dolibarr ${ctx.plan.dolibarr.version})` : ''}`;
}

/** Judge one PHP version against the policy minimum and the Dolibarr release's maximum. */
function judge(check: Check, ctx: CheckContext, version: string, label: string, idSuffix?: string): Finding {
  const min = ctx.policy.environment.server.php.min;
  const dolibarr = ctx.plan.dolibarr.version;
  const max = maxPhpFor(dolibarr);
  const observed = `${label} ${version}`;
  const more = { idSuffix, title: idSuffix ? 'PHP-FPM version' : undefined };
  if (compareVersions(version, min) < 0) {
    return finding(check, 'fail', observed, threshold(ctx), {
      ...more,
      remediation: `install PHP ${min} or later (e.g. php8.2-fpm on Debian 12)`,
    });
  }
  if (!max) {
    return finding(check, 'warn', observed, threshold(ctx), {
      ...more,
      detail: `the highest PHP supported by Dolibarr ${dolibarr} is not known (${phpSource})`,
      remediation: 'check htdocs/install/check.php of this release',
    });
  }
  if (compareVersions(version.split('.').slice(0, 2).join('.'), max) > 0) {
    return finding(check, 'fail', observed, threshold(ctx), {
      ...more,
      detail: `Dolibarr ${dolibarr} warns above PHP ${max} (${phpSource})`,
      remediation: `use PHP ${max} or lower, or a newer Dolibarr release`,
    });
  }
  return finding(check, 'pass', observed, threshold(ctx), { ...more, detail: phpSource });
}

/**
 * Policy "PHP 8.1 or higher", capped by the highest PHP the planned Dolibarr release supports;
 * for php-cli (which runs Dolibarr's install and cron scripts) and, when the plan names it, PHP-FPM.
 */
export const phpVersionCheck: Check = {
  id: 'php-version',
  title: 'PHP version',
  policyRef: 'env.server.php',
  probes: phpProbes,
  async run(ctx) {
    const [cli, fpm] = await Promise.all([readPhpFacts(ctx), readFpmFacts(ctx)]);
    const out = [
      cli.ok ? judge(this, ctx, cli.facts.version, 'PHP') : unknown(this, threshold(ctx), cli.reason),
    ];
    if (fpm) {
      out.push(
        fpm.ok
          ? judge(this, ctx, fpm.facts.version, fpm.facts.binary, 'fpm')
          : { ...unknown(this, threshold(ctx), fpm.reason, 'fpm'), title: 'PHP-FPM version' },
      );
    }
    return out;
  },
};
