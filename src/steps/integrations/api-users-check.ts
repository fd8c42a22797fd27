import { apiCallCommand } from '../../integrations/api-calls.js';
import { apiAccessEntries, apiCalls, apiKeySecret, apiLogin } from '../../integrations/api-users.js';
import { certificateFile } from '../install/web-names.js';
import type { Action, Step } from '../step.js';
import { noteCheck, secretOf } from './context.js';

/**
 * Policy Phase 3 "Test integrations", for API connections: with the system's own key, through the site as the
 * system will call it, one REST call inside its rights must succeed and one outside them must be refused (401/403).
 * Either failing fails the run, and the api-users step is redone next time.
 */
export const checkApiUsers: Step = {
  id: 'integrations:api-users-check',
  title: "Call the REST API with each system's key: allowed inside its rights, refused outside",
  policyRef: 'deploy.phase3.functionality',
  checks: ['integrations:api-users'],
  plan(ctx) {
    const actions: Action[] = [];
    for (const i of apiAccessEntries(ctx.plan)) {
      const calls = apiCalls(i);
      const name = apiKeySecret(ctx.plan, i);
      const base = {
        siteUrl: ctx.plan.site.url,
        address: ctx.plan.site.listen?.[0] ?? '127.0.0.1',
        caFile: certificateFile(ctx),
        asUser: ctx.plan.target.webUser,
        key: secretOf(ctx, name),
      };
      noteCheck(
        ctx,
        this.id,
        i.id,
        `REST API with ${apiLogin(i)}'s key: GET ${calls.allowed} answered 2xx, GET ${calls.refused} refused (401/403)`,
      );
      actions.push(
        {
          kind: 'run',
          description: `${i.id}: GET api/index.php/${calls.allowed} with the key ${name} must succeed`,
          command: apiCallCommand({ ...base, path: calls.allowed, expect: 'allowed' }),
        },
        {
          kind: 'run',
          description: `${i.id}: GET api/index.php/${calls.refused} with the key ${name} must be refused (401/403)`,
          command: apiCallCommand({ ...base, path: calls.refused, expect: 'refused' }),
        },
      );
    }
    return actions;
  },
};
