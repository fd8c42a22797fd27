import { describeWebhook, webhookRefPrefix, webhooksOf, webhookTarget } from '../../integrations/webhook.js';
import type { Step } from '../step.js';
import { integrationTool } from './context.js';

/**
 * Policy Phase 2 step 7 "Configure integrations" (API connections, outgoing): Dolibarr's Webhook module enabled
 * through activateModule() (its init() creates llx_webhook_target, core/modules/modWebhook.class.php l.291-305), then
 * the plan's targets written through Dolibarr's Target class (src/integrations/php/webhook-targets.ts): created,
 * updated, left alone when equal, removed when the plan no longer has them; unknown trigger codes refused first.
 */
export const configureWebhooks: Step = {
  id: 'integrations:webhook',
  title: 'Configure outgoing webhooks (Webhook module, targets, trigger codes)',
  policyRef: 'deploy.phase2.configure-integrations',
  plan(ctx) {
    const list = webhooksOf(ctx.plan.integrations);
    if (list.length === 0) return [];
    return [
      {
        kind: 'run',
        description: 'enable module Webhook (activateModule)',
        command: integrationTool(ctx, 'enable-modules.php', { modules: ['modWebhook'] }),
      },
      {
        kind: 'run',
        description: `webhook targets ${list.map((i) => `${i.id}: ${describeWebhook(i.webhook)}`).join('; ')} (other ${webhookRefPrefix}* targets removed)`,
        command: integrationTool(ctx, 'integration-webhook-targets.php', {
          prefix: webhookRefPrefix,
          targets: list.map(webhookTarget),
        }),
      },
    ];
  },
};
