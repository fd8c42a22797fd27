import type { PlanInput } from '../../../src/core/plan.js';

type Entity = NonNullable<PlanInput['entities']>[number];

/** An entity of its own company (name, country, currency) with the third-party module on (issue 18). */
export function companyEntity(id: number, label: string, company: Entity['company']): Entity {
  return { id, label, company, modules: ['modSociete'] };
}

/**
 * The API-entities runs' three entities (issues 17 x 18): 1 the main company, 2 ACME Belgium, and the `third`
 * entity, 3, a company of the caller's choosing.
 */
export function acmeEntities(third: { label: string; company: Entity['company'] }): PlanInput['entities'] {
  return [
    { id: 1, label: 'ACME France' },
    companyEntity(2, 'ACME Belgium', { name: 'ACME Belgium SPRL', country: 'BE', currency: 'EUR' }),
    companyEntity(3, third.label, third.company),
  ];
}
