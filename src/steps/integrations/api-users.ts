import { rightLocator } from '../../integrations/api-plan-position.js';
import {
  allApiGrants,
  apiLastname,
  apiUserRequest,
  checkApiLogins,
  droppedGrants,
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
    const grants = allApiGrants(ctx.plan);
    if (grants.length === 0) return [];
    checkApiLogins(ctx.plan);
    const where = rightLocator(typeof ctx.facts.planFile === 'string' ? ctx.facts.planFile : undefined);
    // module Api is on per entity (llx_const MAIN_MODULE_API of the entity, activateModule() in the current one)
    const entities = [...new Set(grants.map((g) => g.entity))].sort((a, b) => a - b);
    const actions: Action[] = entities.map((entity) => ({
      kind: 'run',
      description: `enable module Api, the REST API (activateModule)${entity === 1 ? '' : ` in entity ${entity}`}`,
      command: integrationTool(ctx, 'enable-modules.php', {
        modules: ['modApi'],
        ...(entity === 1 ? {} : { entity }),
      }),
    }));
    for (const g of grants) {
      const where1 = g.entity === 1 && !g.entry.apiAccess.entities ? '' : ` in entity ${g.entity}`;
      actions.push({
        kind: 'run',
        description: `${g.entry.id}: user ${g.login}${where1} (no admin, random password), only ${g.rights.join(', ')}, API key ${g.keySecret}`,
        command: integrationTool(
          ctx,
          'integration-api-user.php',
          apiUserRequest(g, secretOf(ctx, g.keySecret), where),
        ),
      });
    }
    for (const d of droppedGrants(ctx.plan))
      actions.push({
        kind: 'run',
        description: `${d.entry.id}: entity ${d.entity} not reached: user ${d.login} there (if ours) keeps no right and no key`,
        command: integrationTool(ctx, 'integration-api-user.php', {
          system: d.entry.id,
          login: d.login,
          lastname: apiLastname(d.entry),
          revoke: true,
          rights: [],
          ...(d.entity === 1 ? {} : { entity: d.entity }),
        }),
      });
    return actions;
  },
};
