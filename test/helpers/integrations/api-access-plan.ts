import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { planSchema, type Plan, type PlanInput } from '../../../src/core/plan.js';
import type { InstallStack } from '../install-stack/index.js';

/**
 * The stack's plan as an integration deploy (issue 17) giving the external system "erp-sync" REST API access
 * (`apiAccess`: rights, entities...), with the plan's entities when given (issue 18). Written as YAML to `file`
 * before it is parsed, so a run can point into it (file:line:col).
 */
export function writeApiAccessPlan(
  stack: InstallStack,
  file: string,
  apiAccess: Record<string, unknown>,
  entities?: PlanInput['entities'],
): Plan {
  const input = {
    ...(stack.plan as PlanInput),
    kind: 'integration',
    ...(entities ? { entities } : {}),
    integrations: [{ id: 'erp-sync', kind: 'api', apiAccess }],
  } as PlanInput;
  writeFileSync(file, stringify(input));
  return planSchema.parse(input);
}
