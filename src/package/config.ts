import type { Plan } from '../core/plan.js';
import { Secret } from '../core/secret.js';
import type { Policy } from '../policy/types.js';
import { renderConfPhp } from '../dolibarr/conf-php.js';
import { plannedConf } from '../steps/install/conf-values.js';
import { renderCronFile } from '../steps/install/configure-cron.js';
import { siteOptions } from '../steps/install/web-names.js';
import type { StepContext } from '../steps/step.js';
import { renderApacheSite } from '../webserver/apache-site.js';
import { renderNginxSite } from '../webserver/nginx-site.js';
import { renderPhpFpmPool } from '../webserver/php-fpm-pool.js';

/**
 * The configuration the install renders from the plan (issue 22: "the configuration files"), without secrets:
 * each secret is written as `[secret NAME]`, so a reviewer reads conf.php, the web site, the PHP-FPM pool and
 * the cron entry as they will be, and a change of any of them changes the package hash. Rendered by the same
 * functions the install steps use, with the facts of a first install (no existing conf.php).
 */
export function renderedConfig(plan: Plan, policy: Policy): Record<string, string> {
  const ctx: StepContext = {
    plan,
    policy,
    facts: { stamp: '00000000000000' },
    outputs: {},
    secret: (name) => new Secret(`[secret ${name}]`),
  };
  const t = plan.target;
  const site = siteOptions(ctx);
  return {
    'config/conf.php': renderConfPhp(plannedConf(ctx)).reveal(),
    [`config/${t.webServer}-site.conf`]: t.webServer === 'nginx' ? renderNginxSite(site) : renderApacheSite(site),
    'config/php-fpm-pool.conf': renderPhpFpmPool({
      name: `mokocrm-${plan.client}`,
      user: t.webUser,
      group: t.webGroup,
      socket: site.fpmSocket,
      listenOwner: t.webUser,
      listenGroup: t.webGroup,
    }),
    'config/cron': renderCronFile(ctx),
  };
}
