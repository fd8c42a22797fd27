import { rightLocator } from '../../integrations/api-plan-position.js';
import {
  apiAccessEntries,
  apiKeySecret,
  apiLogin,
  apiUserRequest,
  checkApiLogins,
} from '../../integrations/api-users.js';
import type { Action, Step } from '../step.js';
import { integrationTool, secretOf } from './context.js';

/**
 * Policy Phase 2 step 7 "Set up API connections": Dolibarr's REST API module on (activateModule('modApi')), then for
 * each external system of the plan its own user with only the plan's rights and the API key mokodeploy generated
 * and keeps in its secret store (src/integrations/php/api-user.ts does the Dolibarr side through the User class).
 * The key travels on stdin only. Re-running converges: same user, rights as the plan lists them now (a right taken
 * out of the plan is revoked), key unchanged unless the stored one was rotated.
 */
export const configureApiUsers: Step = {
  id: 'integrations:api-users',
  title: 'Create the API users of the external systems (only their rights, a stored key)',
  policyRef: 'deploy.phase2.configure-integrations',
  plan(ctx) {
    const list = apiAccessEntries(ctx.plan);
    if (list.length === 0) return [];
    checkApiLogins(ctx.plan);
    const where = rightLocator(typeof ctx.facts.planFile === 'string' ? ctx.facts.planFile : undefined);
    const actions: Action[] = [
      {
        kind: 'run',
        description: 'enable module Api, the REST API (activateModule)',
        command: integrationTool(ctx, 'enable-modules.php', { modules: ['modApi'] }),
      },
    ];
    for (const i of list) {
      const name = apiKeySecret(ctx.plan, i);
      actions.push({
        kind: 'run',
        description: `${i.id}: user ${apiLogin(i)} (no admin, random password), only ${i.apiAccess.rights.join(', ')}, API key ${name}`,
        command: integrationTool(ctx, 'integration-api-user.php', apiUserRequest(ctx.plan, i, secretOf(ctx, name), where)),
      });
    }
    return actions;
  },
};
