import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requiredChecklistItems } from '../../src/core/required-items.js';
import { planDataEntity, planMigration } from '../../src/migrate/plan-data.js';
import { loadPolicy } from '../../src/policy/load.js';
import { makeTestPlan } from '../helpers/services/plan.js';

const entity2 = { id: 2, label: 'ACME Belgium', company: { name: 'ACME Belgium SPRL', country: 'BE' } };

describe("the policy's multi-entity items are checklist items of plans with entities (issue 18)", () => {
  const policy = loadPolicy();
  const ids = (plan: ReturnType<typeof makeTestPlan>) =>
    requiredChecklistItems(policy, plan).map((i) => i.id);
  it('a plan with entities must complete "Data segregation" and "Entity-specific customization"', () => {
    const with2 = ids(makeTestPlan({ entities: [entity2] as never }));
    expect(with2).toEqual(
      expect.arrayContaining([
        'entity-users-assigned',
        'entity-data-assigned',
        'entity-isolation-verified',
        'entity-switching-tested',
        'entity-branding',
        'entity-modules',
        'entity-workflows',
        'entity-functionality-tested',
      ]),
    );
    const section = requiredChecklistItems(policy, makeTestPlan({ kind: 'multi-entity' })).find(
      (i) => i.id === 'entity-isolation-verified',
    );
    expect(section).toMatchObject({ role: 'qa', section: 'Deployment Procedures / Multi-Entity Deployment' });
  });
  it('a plan without entities does not get them', () => {
    expect(ids(makeTestPlan()).filter((i) => i.startsWith('entity-'))).toEqual([]);
  });
});

describe('data imports into a named entity (issue 18)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moko-entity-data-'));
  const file = join(dir, 'companies.csv');
  writeFileSync(file, 'name\nACME\n');
  const planFile = join(dir, 'plan.yaml');
  it('the run goes into the entity the plan names (entity 1 when none)', () => {
    expect(
      planMigration('x', makeTestPlan({ data: [{ object: 'thirdparties', file }] }), planFile).entity,
    ).toBe(1);
    const plan = makeTestPlan({
      entities: [entity2] as never,
      data: [{ object: 'thirdparties', file, entity: 2 }],
    });
    expect(planMigration('x', plan, planFile).entity).toBe(2);
    expect(planDataEntity(plan)).toBe(2);
  });
  it('refuses an entity the plan does not have, and items for two entities in one run', () => {
    const unknown = makeTestPlan({ data: [{ object: 'thirdparties', file, entity: 3 }] });
    expect(() => planMigration('x', unknown, planFile)).toThrow(
      expect.objectContaining({
        details: [expect.stringMatching(/data\.0\.entity: 3 is not among the plan's entities/)],
      }),
    );
    const mixed = makeTestPlan({
      entities: [entity2] as never,
      data: [
        { object: 'thirdparties', file },
        { object: 'contacts', file, entity: 2 },
      ],
    });
    expect(() => planMigration('x', mixed, planFile)).toThrow(
      expect.objectContaining({
        details: [expect.stringMatching(/data\.1\.entity: 2, but data\.0 goes into entity 1/)],
      }),
    );
  });
});
