import { inputError } from '../../core/errors.js';
import type { Step, StepContext } from '../step.js';
import { entitiesOf, entityTool } from './context.js';

function password(ctx: StepContext, name: string): string {
  if (!ctx.secret)
    throw inputError(`secret "${name}" is needed but no secret store was given to the step`, {
      fix: 'run the entity steps through the runner, which resolves secrets from the store',
    });
  return ctx.secret(name).reveal();
}

/**
 * Policy "Data segregation — Assign users to entities" and "Configure entity permissions": each entity's users
 * created in it (llx_user.entity = its id, User::create() l.1642) with their rights in it (addrights() uses the
 * current entity, l.931), through create-users.php run with `entity`. Never admins: the tool makes an admin a
 * superadmin of entity 0, so the plan section refuses admins among an entity's users (plan-section.ts).
 */
export const entityUsers: Step = {
  id: 'entities:users',
  title: "Create each entity's users with their rights",
  policyRef: 'deploy.multi-entity.data-segregation',
  plan(ctx) {
    return entitiesOf(ctx)
      .filter((e) => e.users.length > 0)
      .map((e) => {
        return {
          kind: 'run' as const,
          description: `entity ${e.id}: users ${e.users.map((u) => u.login).join(', ')}`,
          command: entityTool(ctx, 'create-users.php', e.id, {
            users: e.users.map((u) => ({
              login: u.login,
              lastname: u.lastname,
              firstname: u.firstname,
              email: u.email,
              admin: false,
              password: password(ctx, u.password.secret),
              rights: u.rights,
            })),
          }),
        };
      });
  },
};
