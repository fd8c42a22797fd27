import { createHash } from 'node:crypto';
import { refused } from '../core/errors.js';
import type { ApiAccessIntegration } from '../core/plan-api-access.js';
import type { Integration } from '../core/plan-integrations.js';
import type { Plan } from '../core/plan.js';
import type { Secret } from '../core/secret.js';
import { defaultAllowedCall, defaultRefusedCall } from './api-calls.js';

/** An integration whose external system gets its own REST API user. */
export type ApiAccessEntry = Integration & { apiAccess: ApiAccessIntegration };

export const apiAccessEntries = (plan: Plan): ApiAccessEntry[] =>
  plan.integrations.filter((i): i is ApiAccessEntry => !!i.apiAccess);

/**
 * The Dolibarr login of a system's user: the plan's, else api-<id>; llx_user.login holds 50 characters, so a long
 * id is cut and a hash of the whole id keeps two long ids apart.
 */
export function apiLogin(i: ApiAccessEntry): string {
  if (i.apiAccess.login) return i.apiAccess.login;
  const login = `api-${i.id}`;
  if (login.length <= 50) return login;
  return `api-${i.id.slice(0, 36)}-${createHash('sha256').update(i.id).digest('hex').slice(0, 8)}`;
}

/** Where the system's API key is kept: the plan's reference, else <client>/api-<id>. */
export const apiKeySecret = (plan: Plan, i: ApiAccessEntry): string =>
  i.apiAccess.key?.secret ?? `${plan.client}/api-${i.id}`;

/** What a person reading the user list sees: "API <system>" (llx_user.lastname holds 50). */
export const apiLastname = (i: ApiAccessEntry): string => `API ${i.id}`.slice(0, 50);

/** The two REST calls that verify a connection (paths under api/index.php/). */
export function apiCalls(i: ApiAccessEntry): { allowed: string; refused: string } {
  const allowed = i.apiAccess.allowedCall ?? defaultAllowedCall(i.apiAccess.rights);
  const denied = i.apiAccess.refusedCall ?? defaultRefusedCall(i.apiAccess.rights);
  if (!allowed || !denied)
    throw refused(
      `integration ${i.id}: no ${allowed ? 'refused' : 'allowed'} REST call is known for rights ${i.apiAccess.rights.join(', ')}`,
      {
        fix: `add apiAccess.${allowed ? 'refusedCall' : 'allowedCall'} to integration ${i.id} (a GET path under api/index.php/ ${allowed ? 'outside' : 'inside'} its rights, e.g. thirdparties?limit=1)`,
      },
    );
  return { allowed, refused: denied };
}

/** Two connections under one login, or one taking the admin's or a plan user's login: refused before anything runs. */
export function checkApiLogins(plan: Plan): void {
  const taken = new Map<string, string>([[plan.admin.login, 'the plan admin']]);
  for (const u of plan.users) taken.set(u.login, `plan user ${u.login}`);
  for (const i of apiAccessEntries(plan)) {
    const login = apiLogin(i);
    const other = taken.get(login);
    if (other)
      throw refused(`integration ${i.id}: its API user's login ${login} is already ${other}`, {
        fix: `give integration ${i.id} its own apiAccess.login`,
      });
    taken.set(login, `the API user of integration ${i.id}`);
  }
}

/** Where in the plan a right is (file:line:col when the plan file is known, else the field path). */
export type RightLocator = (integrationIndex: number, rightIndex: number) => string;

/** The request of integration-api-user.php; the key rides on stdin inside it (the caller wraps it in a Secret). */
export function apiUserRequest(
  plan: Plan,
  i: ApiAccessEntry,
  key: Secret,
  where: RightLocator,
): Record<string, unknown> {
  const index = plan.integrations.indexOf(i);
  return {
    system: i.id,
    login: apiLogin(i),
    lastname: apiLastname(i),
    key: key.reveal(),
    rights: i.apiAccess.rights.map((right, r) => ({ right, where: where(index, r) })),
  };
}

/** What the plan configures, for dry runs, the handoff pack and the report (the key by name only). */
export function describeApiAccess(plan: Plan, i: ApiAccessEntry): string {
  return `REST API user ${apiLogin(i)} with only ${i.apiAccess.rights.join(', ')}, key in ${apiKeySecret(plan, i)}`;
}
