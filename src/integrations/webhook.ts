import type { Integration } from '../core/plan-integrations.js';
import type { WebhookIntegration } from '../core/plan-webhook.js';

/**
 * Outgoing webhooks (issue 17), Dolibarr's Webhook module (htdocs/webhook/, core/modules/modWebhook.class.php):
 * one llx_webhook_target row per plan integration with a `webhook`, found again by its ref. The trigger
 * (core/triggers/interface_95_modWebhook_WebhookTriggers.class.php, 19.0.4 and 20.0.2) posts
 * {"triggercode": CODE, "object": <the object's public scalar properties>} as application/json to every target whose
 * trigger_codes list the event's code (20.0.2 also requires status 1; 19.0.4 posts whatever the status), and makes
 * the business action fail when the URL does not answer 2xx.
 */
export type WebhookPlan = Integration & { webhook: WebhookIntegration };

/** Our targets' refs start with this; the client's own targets (ref = their id) are never touched. */
export const webhookRefPrefix = 'mokodeploy-';

export const webhookRef = (i: Pick<Integration, 'id'>): string => `${webhookRefPrefix}${i.id}`;

export function webhooksOf(integrations: readonly Integration[]): WebhookPlan[] {
  return integrations.filter((i): i is WebhookPlan => !!i.webhook);
}

/** The row Dolibarr keeps for it (Target: ref, label, url, trigger_codes comma-separated, status 1). */
export function webhookTarget(i: WebhookPlan) {
  return {
    ref: webhookRef(i),
    label: i.webhook.label ?? i.description ?? i.id,
    url: i.webhook.url,
    codes: [...i.webhook.triggers],
  };
}

/** The codes the check fires for real (a test third party created then deleted). */
export const firedCodes = ['COMPANY_CREATE', 'COMPANY_DELETE'] as const;

/** What the check does for this target, in a sentence (the handoff pack's "tested" column). */
export function describeWebhookCheck(i: WebhookPlan): string {
  const fired = firedCodes.filter((c) => i.webhook.triggers.includes(c));
  return fired.length
    ? `Dolibarr posted ${fired.join(' and ')} of a test third party to ${i.webhook.url}, answered 2xx`
    : `${i.webhook.url} reached from the site by Dolibarr's getURLContent() (it listens to no third-party event: no event sent)`;
}

export function describeWebhook(w: WebhookIntegration): string {
  return `webhook to ${w.url} on ${w.triggers.join(', ')}`;
}
