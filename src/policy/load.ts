import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { inputError } from '../core/errors.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';
import { policySchema, type Policy } from './types.js';

/** The policy shipped with the tool: <package root>/policy/mokocrm-deployment-policy.yaml. */
export const defaultPolicyPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'policy',
  'mokocrm-deployment-policy.yaml',
);

const cache = new Map<string, Policy>();

/** Load and validate the policy; a broken file is an input error naming file:line:column and field. */
export function loadPolicy(path: string = process.env.MOKODEPLOY_POLICY ?? defaultPolicyPath): Policy {
  const hit = cache.get(path);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(`cannot read the policy file: ${(e as Error).message}`, {
      where: path,
      fix: 'point MOKODEPLOY_POLICY at a readable policy file, or unset it to use the shipped one',
    });
  }
  const policy = parseYamlWithSchema(text, path, policySchema, 'policy');
  checkPolicyConsistency(policy, path);
  cache.set(path, policy);
  return policy;
}

/** Cross-field rules a schema cannot say: unique ids, known roles in permissions. */
function checkPolicyConsistency(policy: Policy, path: string): void {
  const problems: string[] = [];
  const ids = new Set<string>();
  const itemLists = [
    policy.checklist.mandatory,
    policy.customizationReview.items,
    policy.dataMigrationValidation.items,
  ];
  for (const list of itemLists) {
    for (const item of list) {
      if (ids.has(item.id)) problems.push(`checklist item id "${item.id}" is used twice`);
      ids.add(item.id);
    }
  }
  for (const needed of ['plan.submit', 'plan.approve', 'signoff.go-live']) {
    if (!policy.permissions[needed]) problems.push(`permissions.${needed} is missing`);
  }
  // one threshold, one number: the automated page-load check reads pageLoadMaxSeconds, the record's judge maxSeconds
  const v = policy.verification;
  for (const item of [...v.functional, ...v.security, ...v.performance]) {
    if (item.id === 'verify.page-load' && item.maxSeconds !== v.pageLoadMaxSeconds)
      problems.push(
        `verification item verify.page-load: maxSeconds ${item.maxSeconds} differs from pageLoadMaxSeconds ${v.pageLoadMaxSeconds}`,
      );
  }
  if (!policy.signoffs.kinds.find((k) => k.id === 'client')?.items?.length) {
    problems.push('signoffs.kinds client: items is missing (the client sign-off is confirmed item by item)');
  }
  if (policy.support.hypercareDays.min > policy.support.hypercareDays.max) {
    problems.push('support.hypercareDays.min is greater than max');
  }
  if (problems.length > 0) {
    throw inputError('the policy file is inconsistent', {
      where: path,
      details: problems,
      fix: 'correct the policy file',
    });
  }
}

export function readPolicyText(path: string = process.env.MOKODEPLOY_POLICY ?? defaultPolicyPath): string {
  return readFileSync(path, 'utf8');
}
