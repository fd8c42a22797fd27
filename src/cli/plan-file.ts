import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inputError } from '../core/errors.js';
import { planSchema, type Plan } from '../core/plan.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';

/** Read and validate a plan file; every problem is reported with file:line:column and field. */
export function readPlanFile(path: string): { plan: Plan; file: string } {
  const file = resolve(path);
  let text: Buffer;
  try {
    text = readFileSync(file); // bytes: parseYamlWithSchema refuses what is not UTF-8
  } catch (e) {
    throw inputError(
      `cannot read the plan file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        where: path,
        fix: 'give the path of a plan YAML file (mokodeploy init CLIENT writes one)',
      },
    );
  }
  return { plan: parseYamlWithSchema(text, path, planSchema, 'plan'), file };
}
