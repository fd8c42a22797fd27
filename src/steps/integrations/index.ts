import type { Plan } from '../../core/plan.js';
import type { Step } from '../step.js';
import { checkCollector, configureCollector } from './collector.js';
import { writeIntegrationTools } from './php-tools.js';
import { configureSmtp } from './smtp.js';
import { checkSmtp } from './smtp-check.js';
import { configurePayment } from './payment.js';
import { checkPayment } from './payment-check.js';
import { checkApis } from './api-check.js';
import { configureApiUsers } from './api-users.js';
import { checkApiUsers } from './api-users-check.js';
import { configureTelemetry } from './telemetry.js';
import { configureWebhooks } from './webhook.js';
import { removeWebhooks } from './webhook-remove.js';
import { webhookTargetsToRemove } from '../../integrations/webhook-found.js';
import { checkWebhooks } from './webhook-check.js';

/**
 * Issue 17, policy Phase 2 step 7 "Configure integrations" then Phase 3 "Test integrations": the steps the plan's
 * integrations need, configuration first and checks last (each check names the step it verifies, so a failed check
 * makes the next run configure again). Empty when no integration configures anything: an install or an upgrade
 * without integrations runs exactly as before. `facts`: what the target has (src/integrations/webhook-found.ts): a plan
 * without webhooks removes the ones mokodeploy made earlier.
 */
export function integrationSteps(plan: Plan, facts: Record<string, unknown> = {}): Step[] {
  const has = (key: 'smtp' | 'imap' | 'stripe' | 'paypal' | 'api' | 'apiAccess') => plan.integrations.some((i) => i[key]);
  const steps: Step[] = [];
  if (has('smtp')) steps.push(configureSmtp);
  if (has('imap')) steps.push(configureCollector);
  if (has('stripe') || has('paypal')) steps.push(configurePayment);
  if (plan.integrations.some((i) => i.webhook)) steps.push(configureWebhooks);
  else if (webhookTargetsToRemove(plan, facts)) steps.push(removeWebhooks);
  if (has('apiAccess')) steps.push(configureApiUsers);
  if (has('smtp')) steps.push(checkSmtp);
  if (has('imap')) steps.push(checkCollector);
  if (has('stripe') || has('paypal')) steps.push(checkPayment);
  if (has('api')) steps.push(checkApis);
  if (plan.integrations.some((i) => i.webhook)) steps.push(checkWebhooks);
  if (has('apiAccess')) steps.push(checkApiUsers);
  // a deploy of kind integration also re-asserts the telemetry setting (a new install has it in its own steps;
  // an upgrade re-arms the ping, src/integrations/telemetry.ts)
  if (steps.length && plan.kind === 'integration') steps.unshift(configureTelemetry);
  return steps.length ? [writeIntegrationTools, ...steps] : [];
}

export { gatherIntegrationFacts, type IntegrationFacts } from './facts.js';
