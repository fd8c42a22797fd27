import { apiCallCommand } from '../../integrations/api-calls.js';
import { allApiGrants, apiCalls, otherEntity, usesEntities } from '../../integrations/api-users.js';
import { certificateFile } from '../install/web-names.js';
import type { Action, Step } from '../step.js';
import { noteCheck, secretOf } from './context.js';

/**
 * Policy Phase 3 "Test integrations", for API connections: with the system's own key, through the site as the
 * system will call it, one REST call inside its rights must succeed and one outside them must be refused (401/403).
 * On a multi-entity plan (issue 18) each entity the system reaches is checked with its own key and the entity named
 * (DOLAPIENTITY, api/index.php l.57-58), and the same allowed call naming an entity it does not reach must be refused
 * (api_access.class.php l.171: the key's login is not a user of that entity, 401).
 * Either failing fails the run, and the api-users step is redone next time.
 */
export const checkApiUsers: Step = {
  id: 'integrations:api-users-check',
  title: "Call the REST API with each system's key: allowed inside its rights, refused outside",
  policyRef: 'deploy.phase3.functionality',
  checks: ['integrations:api-users'],
  plan(ctx) {
    const actions: Action[] = [];
    const entities = usesEntities(ctx.plan);
    for (const g of allApiGrants(ctx.plan)) {
      const i = g.entry;
      const calls = apiCalls(i, g.rights);
      const base = {
        siteUrl: ctx.plan.site.url,
        address: ctx.plan.site.listen?.[0] ?? '127.0.0.1',
        caFile: certificateFile(ctx),
        asUser: ctx.plan.target.webUser,
        key: secretOf(ctx, g.keySecret),
        ...(entities ? { entity: g.entity } : {}),
      };
      const other = entities ? otherEntity(ctx.plan, g) : undefined;
      const inEntity = entities ? ` in entity ${g.entity}` : '';
      noteCheck(
        ctx,
        this.id,
        i.id,
        `REST API with ${g.login}'s key${inEntity}: GET ${calls.allowed} answered 2xx, GET ${calls.refused} refused (401/403)` +
          (other !== undefined ? `, GET ${calls.allowed} in entity ${other} refused` : ''),
      );
      actions.push(
        {
          kind: 'run',
          description: `${i.id}: GET api/index.php/${calls.allowed}${inEntity} with the key ${g.keySecret} must succeed`,
          command: apiCallCommand({ ...base, path: calls.allowed, expect: 'allowed' }),
        },
        {
          kind: 'run',
          description: `${i.id}: GET api/index.php/${calls.refused}${inEntity} with the key ${g.keySecret} must be refused (401/403)`,
          command: apiCallCommand({ ...base, path: calls.refused, expect: 'refused' }),
        },
      );
      if (other !== undefined)
        actions.push({
          kind: 'run',
          description: `${i.id}: GET api/index.php/${calls.allowed} in entity ${other} with the key ${g.keySecret} must be refused (401/403: not its entity)`,
          command: apiCallCommand({ ...base, entity: other, path: calls.allowed, expect: 'refused' }),
        });
    }
    return actions;
  },
};
