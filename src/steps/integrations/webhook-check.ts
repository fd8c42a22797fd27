import { describeWebhookCheck, webhooksOf, webhookTarget } from '../../integrations/webhook.js';
import type { Step, StepContext } from '../step.js';
import { integrationTool, noteCheck } from './context.js';

/** The test third party's name: the deployment and the run's stamp, so the receiver can tell it from real data. */
export const webhookTestName = (ctx: StepContext): string =>
  `mokodeploy-webhook-check ${ctx.plan.id ?? ctx.plan.client} ${String(ctx.facts.stamp ?? '')}`.trim();

/**
 * Policy Phase 3 "Test integrations": a real event fired through Dolibarr (a test third party created then deleted:
 * COMPANY_CREATE, COMPANY_DELETE) must be posted to each target listening to it and answered 2xx, as Dolibarr
 * itself judges it (the trigger fails the action otherwise); a target listening to neither must be reached from the
 * site. A failure fails the run and the webhook step is redone next time.
 */
export const checkWebhooks: Step = {
  id: 'integrations:webhook-check',
  title: 'Fire a test event through Dolibarr to each webhook target',
  policyRef: 'deploy.phase3.functionality',
  checks: ['integrations:webhook'],
  plan(ctx) {
    const list = webhooksOf(ctx.plan.integrations);
    if (list.length === 0) return [];
    for (const i of list) noteCheck(ctx, this.id, i.id, describeWebhookCheck(i));
    const name = webhookTestName(ctx);
    return [
      {
        kind: 'run',
        description: `third party "${name}" created then deleted (COMPANY_CREATE, COMPANY_DELETE) for ${list.map((i) => i.webhook.url).join(', ')}`,
        command: integrationTool(ctx, 'integration-webhook-check.php', {
          name,
          targets: list.map(webhookTarget).map(({ ref, url, codes }) => ({ ref, url, codes })),
        }),
      },
    ];
  },
};
