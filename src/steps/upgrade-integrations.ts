import type { Plan } from '../core/plan.js';
import { webhooksOf } from '../integrations/webhook.js';
import { webhookTargetsToRemove } from '../integrations/webhook-found.js';
import { integrationSteps } from './integrations/index.js';
import { writeIntegrationTools } from './integrations/php-tools.js';
import { upgradeTelemetry } from './integrations/telemetry.js';
import { removeWebhooks } from './integrations/webhook-remove.js';
import type { Step, StepContext } from './step.js';

/**
 * Issue 17 inside an upgrade or a customization, for both engines (upgrade-copy/index.ts, upgrade/index.ts):
 * the telemetry setting written again (install/upgrade2.php l.620, 20.0.2, re-arms Dolibarr's first ping after every
 * successful migration), then the plan's integrations configured and checked, as in a new install.
 *
 * Where they go: after the new release serves the migrated database and the plan's modules are on, and before the
 * run ends. Being steps of the upgrade run, they are journaled, resumed, listed by `deploy --dry-run`, and a failed
 * check fails the upgrade like a failed health check (so it is rolled back). They write llx_const (and
 * llx_actioncomm, llx_webhook_target, …) before the health check and the after-upgrade inventory that the run takes
 * next (run-copy-upgrade.ts, run-upgrade.ts): that inventory is the baseline a rollback before writes compares the
 * live database with, so these writes are the upgrade's own, never "the client's writes".
 *
 * Webhooks converge as in a deploy of kind integration: with webhooks in the plan, `integrations:webhook` keeps,
 * updates and removes ours itself; without, the targets an earlier plan left (facts.webhookTargetsFound, read before
 * the upgrade by gatherUpgradeFacts: the copy has the same rows) are removed by `integrations:webhook-remove`. Those
 * facts are read per run, not known when the list is built, so the removal's steps are always listed for a plan
 * without webhooks and plan nothing ("nothing to do") when nothing of ours is on the target.
 *
 * Without a plan (unit tests of the step order, hostile-input walks) nothing is added.
 */
export function upgradeIntegrationSteps(plan: Plan | undefined): Step[] {
  if (!plan) return [];
  const steps = integrationSteps(plan);
  if (webhooksOf(plan.integrations).length > 0) return [upgradeTelemetry, ...steps];
  if (steps.length === 0) return [upgradeTelemetry, toolsWhenRemoving, removeWebhooks];
  // the tools are written first (integrationSteps puts them first): the removal right after, with the configuration
  return [upgradeTelemetry, steps[0]!, removeWebhooks, ...steps.slice(1)];
}

/** The integration tools, written only when a removal will use them (an upgrade without any integration). */
const toolsWhenRemoving: Step = {
  ...writeIntegrationTools,
  title: `${writeIntegrationTools.title} (only to remove webhook targets an earlier plan left)`,
  plan: (ctx: StepContext) =>
    webhookTargetsToRemove(ctx.plan, ctx.facts) ? writeIntegrationTools.plan(ctx) : [],
};
