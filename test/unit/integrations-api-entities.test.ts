import { describe, expect, it } from 'vitest';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan.js';
import { allApiGrants, droppedGrants, otherEntity, usesEntities } from '../../src/integrations/api-users.js';
import { makeTestPlan } from '../helpers/services/plan.js';

/** Issues 17 x 18: which users, keys and entities an API connection gets on a multi-entity plan (pure). */
const entities: PlanInput['entities'] = [
  { id: 1, label: 'ACME France' },
  { id: 2, label: 'ACME Belgium', company: { name: 'ACME BE', country: 'BE' } },
  { id: 3, label: 'ACME Suisse', company: { name: 'ACME CH', country: 'CH' } },
];
const planWith = (apiAccess: Record<string, unknown>, withEntities = true, id = 'erp-sync'): Plan =>
  planSchema.parse(
    makeTestPlan({
      kind: 'integration',
      ...(withEntities ? { entities } : {}),
      integrations: [{ id, kind: 'api', apiAccess }],
    } as Partial<PlanInput>),
  );
const issues = (apiAccess: Record<string, unknown>, withEntities = true) => {
  const r = planSchema.safeParse({
    ...makeTestPlan(),
    ...(withEntities ? { entities } : {}),
    integrations: [{ id: 'erp', kind: 'api', apiAccess }],
  });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('API connections per entity', () => {
  it('one user and key per entity: entity 1 as before, -e<N> elsewhere; rights per entity', () => {
    const plan = planWith({ rights: ['societe.lire'], entities: [1, { id: 3, rights: ['produit.lire'] }] });
    expect(allApiGrants(plan).map((g) => [g.entity, g.login, g.keySecret, g.rights.join()])).toEqual([
      [1, 'api-erp-sync', 'acme/api-erp-sync', 'societe.lire'],
      [3, 'api-erp-sync-e3', 'acme/api-erp-sync-e3', 'produit.lire'],
    ]);
    expect(usesEntities(plan)).toBe(true);
    expect(droppedGrants(plan).map((d) => [d.entity, d.login])).toEqual([[2, 'api-erp-sync-e2']]);
    // the refused-elsewhere call goes to an entity the connection does not reach
    expect(allApiGrants(plan).map((g) => otherEntity(plan, g))).toEqual([2, 2]);
  });

  it('a long login keeps its -e<N> within 50 characters', () => {
    const long = 'x'.repeat(60);
    const [g] = allApiGrants(planWith({ rights: ['societe.lire'], entities: [2] }, true, long));
    expect(g!.login).toHaveLength(50);
    expect(g!.login.endsWith('-e2')).toBe(true);
  });

  it('without entities nothing changes: entity 1 alone, no header, nothing revoked', () => {
    const plan = planWith({ rights: ['societe.lire'] }, false);
    expect(allApiGrants(plan).map((g) => [g.entity, g.login])).toEqual([[1, 'api-erp-sync']]);
    expect(usesEntities(plan)).toBe(false);
    expect(droppedGrants(plan)).toEqual([]);
  });

  it('refuses an entity the plan does not have, at its position, and the same entity twice', () => {
    expect(issues({ rights: ['societe.lire'], entities: [1, 4] })).toEqual([
      "integrations.0.apiAccess.entities.1: entity 4 is not an entity of this plan (known: 1, 2, 3): name one of them, or add entity 4 to the plan's entities",
    ]);
    expect(issues({ rights: ['societe.lire'], entities: [{ id: 2 }] }, false)).toEqual([
      "integrations.0.apiAccess.entities.0.id: entity 2 is not an entity of this plan (known: 1): name one of them, or add entity 2 to the plan's entities",
    ]);
    expect(issues({ rights: ['societe.lire'], entities: [2, { id: 2 }] })).toEqual([
      'integrations.0.apiAccess.entities: each entity once',
    ]);
    expect(issues({ rights: ['societe.lire'], entities: [] })).toEqual([
      'integrations.0.apiAccess.entities: name at least one entity, e.g. [1]',
    ]);
  });
});
