import { inputError } from '../../core/errors.js';
import type { Secret } from '../../core/secret.js';
import type { ConfPhp } from '../../dolibarr/conf-php.js';
import { targetLayout, releaseName, type TargetLayout } from '../../dolibarr/layout.js';
import type { ModuleDescriptor } from '../../dolibarr/module-descriptor.js';
import type { StepContext } from '../step.js';

/**
 * Facts the install steps plan from, read before planning by `gatherInstallFacts()` (facts.ts)
 * and stored in StepContext.facts under these names.
 */
export interface InstallFacts {
  /** Release stamp fixed for the whole run (releases/<version>-<stamp>), UTC yyyymmddHHMMSS. */
  stamp: string;
  /** DOL_VERSION read from the tarball's htdocs/filefunc.inc.php (or version.inc.php). */
  releaseVersion?: string;
  /** sha256 of the tarball as computed on the target. */
  releaseSha256?: string;
  /** The tarball has scripts/cron/cron_run_jobs.php (official releases do; the public 20.0.2 copy of htdocs/ does not). */
  releaseHasCronScript?: boolean;
  /** The tarball has htdocs/public/cron/cron_run_jobs_by_url.php: without scripts/, jobs run through it (cron-by-url.ts). */
  releaseHasCronPage?: boolean;
  /**
   * Install without the cron entry, for a release copy lacking scripts/: an explicit, recorded choice
   * (verify-release refuses such a release otherwise, since policy Phase 3 wants cron jobs configured).
   */
  skipCron?: boolean;
  /** PHP_VERSION of the target's php-cli. */
  phpVersion?: string;
  /** Custom modules by plan name, with their descriptor when one was found. */
  customModules?: { name: string; descriptor?: ModuleDescriptor }[];
  /** The shared conf.php when it already exists (its instance unique id is kept). */
  existingConf?: ConfPhp;
  /** How services are reloaded: 'systemd' (default) or 'none' (tests start their own servers). */
  serviceManager?: 'systemd' | 'none';
  /** Directory for our cron file (default /etc/cron.d). */
  cronDir?: string;
  /** php binary on the target (default php). */
  phpBinary?: string;
  /** PHP-FPM socket of the client's pool (default /run/php/mokocrm-<client>.sock). */
  fpmSocket?: string;
  /** nginx fastcgi_params path (default /etc/nginx/fastcgi_params). */
  fastcgiParams?: string;
  /** Apache: emit Listen lines (a stand-alone Apache in tests). */
  apacheListen?: boolean;
  /** Apache: the site's access log (default /var/log/apache2/mokocrm-<client>-access.log). */
  apacheAccessLog?: string;
}

export function installFacts(ctx: StepContext): InstallFacts {
  const facts = ctx.facts as Partial<InstallFacts>;
  if (typeof facts.stamp !== 'string' || !/^\d{14}$/.test(facts.stamp)) {
    throw inputError('install facts lack a release stamp (yyyymmddHHMMSS)', {
      fix: 'gather facts with gatherInstallFacts() before planning the install steps',
    });
  }
  return facts as InstallFacts;
}

export function layoutOf(ctx: StepContext): TargetLayout {
  const { stamp } = installFacts(ctx);
  const { plan } = ctx;
  return targetLayout(plan.target.root, plan.target.dataRoot, releaseName(plan.dolibarr.version, stamp));
}

export function secretOf(ctx: StepContext, name: string): Secret {
  if (!ctx.secret) {
    throw inputError(`secret "${name}" is needed but no secret store was given to the step`, {
      fix: 'run the install steps through the runner, which resolves secrets from the store',
    });
  }
  return ctx.secret(name);
}

export const php = (ctx: StepContext): string => installFacts(ctx).phpBinary ?? 'php';

/** Names of secrets the tool derives for a client (not in the plan file). */
export const derivedSecrets = {
  instanceUniqueId: (client: string) => `${client}/instance-unique-id`,
  cronKey: (client: string) => `${client}/cron-key`,
};
