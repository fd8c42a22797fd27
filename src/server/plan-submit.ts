import type { AppContext } from '../app/context.js';
import { recordPlan } from '../app/record-plan.js';
import { planSchema } from '../core/plan.js';
import type { DeploymentRecord } from '../core/record.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';

/** Record a plan sent as YAML text, exactly as the CLI's `plan submit` records a plan file. */
export async function submitPlanText(
  app: AppContext,
  text: string,
  opts: { login: string; source: string; submit: boolean },
): Promise<{ record: DeploymentRecord; warnings: string[] }> {
  const plan = parseYamlWithSchema(text, opts.source, planSchema, 'plan');
  return recordPlan(app, plan, { as: opts.login, submit: opts.submit });
}
