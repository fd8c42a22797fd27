import { createHash } from 'node:crypto';
import { refused } from '../core/errors.js';
import { entityIdOf, type ApiAccessIntegration } from '../core/plan-api-access.js';
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
export function apiCalls(
  i: ApiAccessEntry,
  rights: readonly string[] = i.apiAccess.rights,
): { allowed: string; refused: string } {
  const allowed = i.apiAccess.allowedCall ?? defaultAllowedCall(rights);
  const denied = i.apiAccess.refusedCall ?? defaultRefusedCall(rights);
  if (!allowed || !denied)
    throw refused(
      `integration ${i.id}: no ${allowed ? 'refused' : 'allowed'} REST call is known for rights ${rights.join(', ')}`,
      {
        fix: `add apiAccess.${allowed ? 'refusedCall' : 'allowedCall'} to integration ${i.id} (a GET path under api/index.php/ ${allowed ? 'outside' : 'inside'} its rights, e.g. thirdparties?limit=1)`,
      },
    );
  return { allowed, refused: denied };
}

/**
 * One entity a system reaches (issue 18): its own Dolibarr user of that entity (llx_user.entity), its own key, the
 * rights it holds there. Entity 1 keeps the connection's login and key name (as before entities); entity N > 1 adds
 * `-e<N>` to both. Distinct logins matter: api_access.class.php (20.0.2 l.171) fetches the key's login in the
 * entity the request asks for (DOLAPIENTITY), so with one login in two entities a key of one would act as the user
 * of the other; with distinct logins a key works in its own entity only (401 elsewhere).
 */
export interface ApiGrant {
  entry: ApiAccessEntry;
  entity: number;
  login: string;
  keySecret: string;
  rights: string[];
  /** The connection's position in plan.integrations and the entity's in apiAccess.entities (for plan positions). */
  index: number;
  entityIndex?: number;
}

export function apiGrants(plan: Plan, i: ApiAccessEntry): ApiGrant[] {
  const index = plan.integrations.indexOf(i);
  const listed = i.apiAccess.entities ?? [1];
  return listed.map((e, k) => {
    const entity = entityIdOf(e);
    return {
      entry: i,
      entity,
      login: grantLogin(i, entity),
      keySecret: `${apiKeySecret(plan, i)}${entity === 1 ? '' : `-e${entity}`}`,
      rights: (typeof e === 'number' ? undefined : e.rights) ?? i.apiAccess.rights,
      index,
      ...(i.apiAccess.entities ? { entityIndex: k } : {}),
    };
  });
}

/** The login of a connection's user in an entity: the connection's own in entity 1, `<login>-e<N>` (50 characters) in N. */
export function grantLogin(i: ApiAccessEntry, entity: number): string {
  const base = apiLogin(i);
  const suffix = entity === 1 ? '' : `-e${entity}`;
  return suffix ? `${base.slice(0, 50 - suffix.length)}${suffix}` : base;
}

export const allApiGrants = (plan: Plan): ApiGrant[] =>
  apiAccessEntries(plan).flatMap((i) => apiGrants(plan, i));

/**
 * The entities of the plan a connection does not reach (issue 18), with the login its user would have there: a user
 * of ours left there by an earlier plan loses its rights and key (the api-users step's revoke). None without entities.
 */
export function droppedGrants(plan: Plan): { entry: ApiAccessEntry; entity: number; login: string }[] {
  if (!usesEntities(plan)) return [];
  const all = [1, ...plan.entities.map((e) => e.id).filter((id) => id !== 1)];
  return apiAccessEntries(plan).flatMap((i) => {
    const reached = new Set((i.apiAccess.entities ?? [1]).map(entityIdOf));
    return all
      .filter((entity) => !reached.has(entity))
      .map((entity) => ({ entry: i, entity, login: grantLogin(i, entity) }));
  });
}

/** Whether the plan's API users live in entities (multicompany): then each request names its entity (DOLAPIENTITY). */
export const usesEntities = (plan: Plan): boolean =>
  plan.entities.some((e) => e.id > 1) || allApiGrants(plan).some((g) => g.entity !== 1);

/** An entity of the plan this grant does not reach, for the call that must be refused there (none on a single-entity plan). */
export function otherEntity(plan: Plan, g: ApiGrant): number | undefined {
  const all = [1, ...plan.entities.map((e) => e.id)];
  const reached = new Set((g.entry.apiAccess.entities ?? [1]).map(entityIdOf));
  return all.find((e) => !reached.has(e)) ?? all.find((e) => e !== g.entity);
}

/** Two connections under one login, or one taking the admin's or a plan user's login: refused before anything runs. */
export function checkApiLogins(plan: Plan): void {
  const taken = new Map<string, string>([[plan.admin.login, 'the plan admin']]);
  for (const u of plan.users) taken.set(u.login, `plan user ${u.login}`);
  for (const e of plan.entities)
    for (const u of e.users) taken.set(u.login, `user ${u.login} of entity ${e.id}`);
  for (const g of allApiGrants(plan)) {
    const i = g.entry;
    const other = taken.get(g.login);
    if (other)
      throw refused(`integration ${i.id}: its API user's login ${g.login} is already ${other}`, {
        fix: `give integration ${i.id} its own apiAccess.login`,
      });
    taken.set(
      g.login,
      `the API user of integration ${i.id}${g.entity === 1 ? '' : ` in entity ${g.entity}`}`,
    );
  }
}

/**
 * Where in the plan a right is (file:line:col when the plan file is known, else the field path); with an entity
 * index, the right listed under apiAccess.entities[k].rights.
 */
export type RightLocator = (integrationIndex: number, rightIndex: number, entityIndex?: number) => string;

/** The request of integration-api-user.php; the key rides on stdin inside it (the caller wraps it in a Secret). */
export function apiUserRequest(g: ApiGrant, key: Secret, where: RightLocator): Record<string, unknown> {
  const own = g.entityIndex !== undefined && typeof g.entry.apiAccess.entities?.[g.entityIndex] === 'object';
  const ownRights = own && (g.entry.apiAccess.entities?.[g.entityIndex!] as { rights?: string[] }).rights;
  return {
    system: g.entry.id,
    login: g.login,
    lastname: apiLastname(g.entry),
    key: key.reveal(),
    rights: g.rights.map((right, r) => ({
      right,
      where: ownRights ? where(g.index, r, g.entityIndex) : where(g.index, r),
    })),
    // the tool works in this entity (bootstrap.ts: $_ENV['dol_entity']); entity 1 as before entities
    ...(g.entity !== 1 ? { entity: g.entity } : {}),
  };
}

/** What the plan configures, for dry runs, the handoff pack and the report (the key by name only). */
export function describeApiAccess(plan: Plan, i: ApiAccessEntry): string {
  const grants = apiGrants(plan, i);
  if (!i.apiAccess.entities) return describeGrant(grants[0]!);
  return grants.map((g) => `entity ${g.entity}: ${describeGrant(g)}`).join('; ');
}

export const describeGrant = (g: ApiGrant): string =>
  `REST API user ${g.login} with only ${g.rights.join(', ')}, key in ${g.keySecret}`;
