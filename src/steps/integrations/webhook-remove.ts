import { webhookRefPrefix } from '../../integrations/webhook.js';
import { webhookTargetsToRemove } from '../../integrations/webhook-found.js';
import type { Step } from '../step.js';
import { integrationTool } from './context.js';

/**
 * Policy Phase 2 step 7 "Configure integrations", converging when the plan no longer has any webhook: the targets
 * made earlier by mokodeploy (ref mokodeploy-<id>, found on the target by src/integrations/webhook-found.ts) are removed
 * through Dolibarr's Target class, by the same tool `integrations:webhook` removes a dropped target with (given no
 * target to keep). Otherwise Dolibarr would go on posting every third party to them. The client's own targets (any
 * other ref) are never touched; the module is left as it is. Added to the run only when there is something to remove.
 */
export const removeWebhooks: Step = {
  id: 'integrations:webhook-remove',
  title: 'Remove the webhook targets made by mokodeploy (the plan has none now)',
  policyRef: 'deploy.phase2.configure-integrations',
  plan(ctx) {
    const found = webhookTargetsToRemove(ctx.plan, ctx.facts);
    if (!found) return [];
    const which = found === 'unknown' ? `${webhookRefPrefix}* (the list could not be read before the run)` : namesOf(found);
    return [
      {
        kind: 'run',
        description: `remove webhook targets ${which} through Dolibarr's Target class (the plan has no webhook; other targets kept)`,
        command: integrationTool(ctx, 'integration-webhook-targets.php', { prefix: webhookRefPrefix, targets: [] }),
      },
    ];
  },
};

/** The refs as read from the target's database, for the listing: a name outside a plain charset is counted, not printed. */
function namesOf(refs: string[]): string {
  const plain = refs.filter((r) => /^[A-Za-z0-9._-]{1,128}$/.test(r));
  const odd = refs.length - plain.length;
  return [...plain, ...(odd ? [`${odd} more named with other characters`] : [])].join(', ');
}
