import { loadPolicy } from '../../src/policy/load.js';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan.js';
import { createDeployment } from '../../src/core/create.js';
import { perform } from '../../src/core/perform.js';
import { operations, type OperationName } from '../../src/core/operations/index.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import type { Actor } from '../../src/core/team.js';
import type { ValidationReport } from '../../src/checks/finding.js';
import { MokoError } from '../../src/core/errors.js';

export const policy = loadPolicy();

export const people: Record<string, Actor> = {
  tina: { login: 'tina', name: 'Tina', roles: ['technical-lead'] },
  tom: { login: 'tom', name: 'Tom', roles: ['technical-lead'] },
  dave: { login: 'dave', name: 'Dave', roles: ['deployment-manager'] },
  dual: { login: 'dual', name: 'Dual', roles: ['technical-lead', 'deployment-manager'] },
  carla: { login: 'carla', name: 'Carla', roles: ['client-success-manager'] },
  quinn: { login: 'quinn', name: 'Quinn', roles: ['qa'] },
};

export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    client: 'acme',
    clientName: 'ACME SARL',
    id: 'acme-2026-12',
    kind: 'new',
    environment: 'production',
    dolibarr: { version: '20.0.2', release: '/srv/dolibarr-20.0.2.tgz' },
    target: {
      host: 'local',
      root: '/var/www/mokocrm/acme',
      dataRoot: '/var/lib/mokocrm/acme/documents',
      backupRoot: '/var/backups/mokocrm/acme',
    },
    site: {
      domain: 'crm.acme.test',
      url: 'https://crm.acme.test',
      tls: { certificate: '/etc/ssl/acme.crt', key: '/etc/ssl/acme.key' },
    },
    database: { name: 'mokocrm_acme', user: 'mokocrm_acme', password: { secret: 'acme/db' } },
    company: { name: 'ACME SARL', country: 'FR' },
    admin: { login: 'admin', password: { secret: 'acme/admin' } },
    window: { start: '2026-12-05T20:00:00Z', end: '2026-12-05T23:00:00Z', timezone: 'Europe/Paris' },
    people: {
      'technical-lead': 'tina',
      'deployment-manager': 'dave',
      'client-success-manager': 'carla',
      qa: 'quinn',
    },
    ...overrides,
  };
}

export function plan(overrides: Partial<PlanInput> = {}): Plan {
  return planSchema.parse(planInput(overrides));
}

export const t0 = new Date('2026-12-01T09:00:00Z');

export function newRecord(overrides: Partial<PlanInput> = {}, submit = true): DeploymentRecord {
  return createDeployment(plan(overrides), { policy, actor: people.tina!, now: t0, submit });
}

/** Apply an operation as a person at a time; throws the core's refusal. */
export function act(
  record: DeploymentRecord,
  op: OperationName,
  input: unknown,
  who: string,
  now = t0,
  warnings: string[] = [],
) {
  return perform(operations[op], record, input, { policy, now, actor: people[who]!, warnings }).record;
}

export function passingValidation(at: Date): ValidationReport {
  return {
    target: 'local',
    startedAt: at.toISOString(),
    finishedAt: at.toISOString(),
    policyVersion: policy.version,
    worst: 'pass',
    findings: [
      {
        checkId: 'php',
        title: 'PHP version',
        status: 'pass',
        observed: '8.2.7',
        threshold: '>= 8.1',
        policyRef: 'env.server.php',
      },
    ],
  };
}

const manualItems: Record<string, string> = {
  'requirements-documented': 'tina',
  'backup-verified': 'tina',
  'rollback-plan': 'tina',
  'security-scan': 'quinn',
  'performance-baseline': 'quinn',
  'uat-completed': 'carla',
  'training-materials': 'carla',
  'client-signoff': 'carla',
};

/** Walk a new production deployment from submitted to ready (approval, checklist, validation). */
export function readyRecord(now = t0): DeploymentRecord {
  let r = act(newRecord(), 'approve', {}, 'dave', now);
  for (const [item, who] of Object.entries(manualItems)) {
    r = act(r, 'tick', { item, evidence: [{ kind: 'text', text: `${item} done` }] }, who, now);
  }
  r = act(r, 'record-validation', passingValidation(now), 'quinn', now);
  return act(r, 'ready', {}, 'tina', now);
}

export function allVerificationResults(status: 'pass' | 'fail' = 'pass') {
  const v = policy.verification;
  return [...v.functional, ...v.security, ...v.performance]
    .filter((i) => !i.optional)
    .map((i) => ({
      id: i.id,
      status,
      // an item with a policy threshold is judged by its measured value (issue 16), whatever the source
      ...(i.maxSeconds ? { observed: status === 'pass' ? 'p95 0.8 s' : 'p95 4.2 s' } : {}),
    }));
}

/** The MokoError a call throws; fails the test when it does not throw one. */
export function refusal(fn: () => unknown): MokoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MokoError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}
