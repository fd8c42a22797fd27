import type { Plan } from '../core/plan.js';
import { integrationSteps } from './integrations/index.js';
import { upgradeTelemetry } from './integrations/telemetry.js';
import type { Step } from './step.js';

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
 * Without a plan (unit tests of the step order, hostile-input walks) nothing is added.
 */
export function upgradeIntegrationSteps(plan: Plan | undefined): Step[] {
  if (!plan) return [];
  return [upgradeTelemetry, ...integrationSteps(plan)];
}
