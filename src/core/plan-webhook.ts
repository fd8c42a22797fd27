import { z } from 'zod';
import { httpUrl, oneLine, triggerCode } from './plan-strings.js';

/**
 * An outgoing webhook (issue 17): one target of Dolibarr's Webhook module (htdocs/webhook/, Dolibarr 17+; table
 * llx_webhook_target: url varchar(255), trigger_codes text, status). On each business event whose trigger code the
 * target lists, Dolibarr POSTs {"triggercode": …, "object": …} as JSON to the URL
 * (core/triggers/interface_95_modWebhook_WebhookTriggers.class.php). The target's ref in Dolibarr is
 * `mokodeploy-<integration id>`: targets made by hand are never touched.
 */
export const webhookIntegration = z.strictObject({
  /** Where Dolibarr posts (llx_webhook_target.url, varchar(255)). */
  url: httpUrl.refine((u) => u.length <= 255, 'at most 255 characters (llx_webhook_target.url)'),
  /** The trigger codes that fire it; checked against the codes the target's Dolibarr knows (llx_c_action_trigger). */
  triggers: z
    .array(triggerCode)
    .min(1, 'list at least one trigger code, e.g. [COMPANY_CREATE]')
    .max(200)
    .refine((t) => new Set(t).size === t.length, 'each trigger code once'),
  /** The target's label in Dolibarr (default: the integration's description, else its id). */
  label: oneLine(255).optional(),
});

export type WebhookIntegration = z.output<typeof webhookIntegration>;
