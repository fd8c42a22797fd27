import { refused } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import { releaseStamp, targetLayout } from '../../dolibarr/layout.js';
import type { Host } from '../../hosts/host.js';
import { readWebhookFacts, type WebhookFacts } from '../../integrations/webhook-found.js';

/** What the integration steps plan from, when they run alone on a live site (kind integration). */
export interface IntegrationFacts extends WebhookFacts {
  /** A stamp for this run (names the test mail), UTC yyyymmddHHMMSS. */
  stamp: string;
  phpBinary?: string;
  /** The Dolibarr `current` serves has the email collector (htdocs/emailcollector/, Dolibarr 10+). */
  hasEmailCollector?: boolean;
}

/**
 * Read, changing nothing, that a Dolibarr is served at <root>/current with its conf.php: an integration deployment
 * configures an installed site, it never installs one. Refused otherwise, with the fix.
 */
export async function gatherIntegrationFacts(
  host: Host,
  plan: Plan,
  given: Partial<IntegrationFacts> = {},
): Promise<IntegrationFacts> {
  const l = targetLayout(plan.target.root, plan.target.dataRoot, 'current');
  const test = (path: string) => host.run({ sudo: true, argv: ['test', '-e', path] });
  const master = await test(`${l.currentHtdocs}/master.inc.php`);
  const conf = await test(l.confPhp);
  if (master.code !== 0 || conf.code !== 0)
    throw refused(
      `no installed Dolibarr at ${l.currentLink} (htdocs/master.inc.php and ${l.confPhp} expected)`,
      {
        fix: `install it first (a plan of kind new), or correct target.root in the plan`,
      },
    );
  const collector = await test(`${l.currentHtdocs}/emailcollector/class/emailcollector.class.php`);
  const webhooks = await readWebhookFacts(host, plan, given.phpBinary); // issue 17: ours left by an earlier plan
  return { stamp: releaseStamp(new Date()), hasEmailCollector: collector.code === 0, ...webhooks, ...given };
}
