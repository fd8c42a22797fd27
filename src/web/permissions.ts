import type { Policy } from '../policy/types.js';
import type { Actor } from '../core/team.js';

/** Whether a person holds a role the policy allows for a permission: the UI shows only what the core would allow. */
export function may(policy: Policy, user: Actor, permission: string): boolean {
  const allowed = policy.permissions[permission] ?? [];
  return user.roles.some((r) => allowed.includes(r));
}
