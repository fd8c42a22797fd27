import type { AppContext } from '../cli/app.js';
import { createDeployment } from '../core/create.js';
import { MokoError } from '../core/errors.js';
import { planSchema } from '../core/plan.js';
import type { DeploymentRecord } from '../core/record.js';
import { businessHoursWarnings } from '../core/window.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';

/**
 * Record a plan (YAML text) as a submitted or draft deployment, as the CLI's `plan submit`
 * does: the same schema, createDeployment, refusal audit and audit entry shape.
 */
export async function submitPlanText(
  app: AppContext,
  text: string,
  opts: { login: string; source: string; submit: boolean },
): Promise<{ record: DeploymentRecord; warnings: string[] }> {
  const plan = parseYamlWithSchema(text, opts.source, planSchema, 'plan');
  const actor = await app.actor(opts.login);
  const policy = app.policy();
  const warnings = plan.window
    ? businessHoursWarnings(policy, plan.window.start, plan.window.end, plan.window.timezone)
    : [];
  const name = opts.submit ? 'submit' : 'draft';
  let record: DeploymentRecord;
  try {
    record = createDeployment(plan, { policy, actor, now: app.now(), submit: opts.submit });
  } catch (e) {
    if (e instanceof MokoError && e.security) return app.recordRefusal(e, actor.login, `plan-${name}`, null);
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
      action: `plan-${name}`,
      deploymentId: record.id,
      summary: `${opts.submit ? 'submitted' : 'drafted'} the plan for ${plan.client}`,
      before: null,
      after: { state: record.state, planHash: record.planHash, policyVersion: record.policyVersion },
    },
  });
  return { record, warnings };
}
