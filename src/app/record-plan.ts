import type { AppContext } from './context.js';
import { createDeployment } from '../core/create.js';
import { MokoError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import type { DeploymentRecord } from '../core/record.js';
import { businessHoursWarnings } from '../core/window.js';

/**
 * Record a validated plan as a submitted (or draft) deployment, for both edges (CLI `plan
 * submit`, the HTTP API and forms): identity, role refusal audited, one audit entry with the
 * plan hash and the policy version. Returns the window warnings instead of printing them.
 */
export async function recordPlan(
  app: AppContext,
  plan: Plan,
  opts: { as?: string; submit: boolean; planFile?: string },
): Promise<{ record: DeploymentRecord; warnings: string[] }> {
  const actor = await app.actor(opts.as);
  const policy = app.policy();
  const warnings = plan.window
    ? businessHoursWarnings(policy, plan.window.start, plan.window.end, plan.window.timezone)
    : [];
  const action = opts.submit ? 'plan-submit' : 'plan-draft';
  let record: DeploymentRecord;
  try {
    record = createDeployment(plan, {
      policy,
      actor,
      now: app.now(),
      planFile: opts.planFile,
      submit: opts.submit,
    });
  } catch (e) {
    if (e instanceof MokoError && e.security) return app.recordRefusal(e, actor.login, action, null);
    throw e;
  }
  await (
    await app.store()
  ).create({
    record,
    audit: {
      at: app.now().toISOString(),
      actor: actor.login,
      role: 'technical-lead',
      action,
      deploymentId: record.id,
      summary: `${opts.submit ? 'submitted' : 'drafted'} the plan for ${plan.client}`,
      before: null,
      after: { state: record.state, planHash: record.planHash, policyVersion: record.policyVersion },
    },
  });
  return { record, warnings };
}
