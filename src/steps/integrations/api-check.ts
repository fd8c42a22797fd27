import { apiCheckCommand } from '../../integrations/api.js';
import type { Step } from '../step.js';
import { integrationsWith, noteCheck, secretOf } from './context.js';

/** Policy Phase 3 "Test integrations": each external system of the plan answers the target over TLS, accepting its credential. */
export const checkApis: Step = {
  id: 'integrations:api-check',
  title: 'Check the API connections from the target (TLS, credential)',
  policyRef: 'deploy.phase3.functionality',
  plan(ctx) {
    const list = integrationsWith(ctx, 'api');
    for (const i of list)
      noteCheck(
        ctx,
        this.id,
        i.id,
        `${i.api.url} answered over TLS${i.api.token ? ' and accepted the stored credential' : ''}`,
      );
    return list.map((i) => ({
      kind: 'run' as const,
      description: `${i.id}: ${i.api.url} answers over TLS${i.api.token ? ` and accepts the credential ${i.api.token.secret}` : ''}`,
      command: apiCheckCommand(i.api, i.api.token ? secretOf(ctx, i.api.token.secret) : undefined),
    }));
  },
};
