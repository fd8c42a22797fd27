import { planSchema, type Plan, type PlanInput } from '../../../src/core/plan.js';

type Overrides = Partial<Omit<PlanInput, 'target' | 'site' | 'database'>> & {
  target?: Partial<PlanInput['target']>;
  site?: Partial<PlanInput['site']>;
  database?: Partial<PlanInput['database']>;
};

/** A valid plan for a local or test target; sections given in `overrides` are merged one level deep. */
export function makeTestPlan(overrides: Overrides = {}): Plan {
  const base: PlanInput = {
    client: 'acme',
    clientName: 'ACME SARL',
    kind: 'new',
    dolibarr: { version: '22.0.2', release: '/tmp/dolibarr-22.0.2.tgz' },
    target: {
      host: 'local',
      root: '/var/www/mokocrm/acme',
      dataRoot: '/var/lib/mokocrm/acme/documents',
      backupRoot: '/var/backups/mokocrm/acme',
    },
    site: {
      domain: 'crm.acme.test',
      url: 'https://crm.acme.test',
      tls: { certificate: '/etc/ssl/certs/acme.crt', key: '/etc/ssl/private/acme.key' },
    },
    database: { name: 'acme_crm', user: 'acme', password: { secret: 'acme/db' } },
    company: { name: 'ACME SARL', country: 'FR' },
    admin: { login: 'admin', password: { secret: 'acme/admin' } },
    people: { 'deployment-manager': 'dm', 'technical-lead': 'tl', 'client-success-manager': 'csm', qa: 'qa' },
  };
  const merged = {
    ...base,
    ...overrides,
    target: { ...base.target, ...overrides.target },
    site: { ...base.site, ...overrides.site },
    database: { ...base.database, ...overrides.database },
  };
  return planSchema.parse(merged);
}
