import type { Policy } from '../policy/types.js';
import type { RoleId } from './plan.js';
import type { Actor } from './team.js';
import { refused } from './errors.js';

/**
 * The role an actor uses for a permission, or a refusal naming the roles that may (policy
 * "Responsibilities" and `permissions`). Pure.
 */
export function roleFor(policy: Policy, actor: Actor, permission: string): RoleId {
  const allowed = policy.permissions[permission];
  if (!allowed) throw new Error(`bug: permission "${permission}" is not in the policy`);
  const role = actor.roles.find((r) => allowed.includes(r));
  if (!role) {
    throw refused(`${actor.login} may not do ${permission}: that needs the role ${allowed.join(' or ')}`, {
      fix: `act as a person with the role ${allowed.join(' or ')} (--as), or give ${actor.login} that role in the team file`,
      security: true,
    });
  }
  return role;
}
