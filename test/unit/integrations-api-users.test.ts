import { describe, expect, it } from 'vitest';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { apiCallCommand, defaultAllowedCall, defaultRefusedCall, rightsHold } from '../../src/integrations/api-calls.js';
import { integrationReportRows } from '../../src/integrations/handoff-rows.js';
import { apiAccessEntries, apiCalls, apiLogin, checkApiLogins } from '../../src/integrations/api-users.js';
import { renderHandoff } from '../../src/reports/handoff.js';
import { integrationSteps } from '../../src/steps/integrations/index.js';
import { makeTestPlan } from '../helpers/services/plan.js';
import { newRecord, policy } from '../helpers/records.js';

const planWith = (apiAccess: { rights: string[]; login?: string }, id = 'erp-sync', extra: Partial<PlanInput> = {}): Plan =>
  planSchema.parse(makeTestPlan({ kind: 'integration', integrations: [{ id, kind: 'api', apiAccess }], ...extra }));
const problems = (apiAccess: unknown) => {
  const r = planSchema.safeParse({ ...makeTestPlan(), integrations: [{ id: 'erp', kind: 'api', apiAccess }] });
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('API connections: plan, logins, calls (issue 17)', () => {
  it('refuses hostile or empty rights, logins and call paths, naming the field', () => {
    expect(problems({ rights: [] })).toEqual(['integrations.0.apiAccess.rights']);
    expect(problems({ rights: ['societe.lire', 'societe.lire'] })).toEqual(['integrations.0.apiAccess.rights']);
    expect(problems({ rights: ["societe.lire'--"] })).toEqual(['integrations.0.apiAccess.rights.0']);
    expect(problems({ rights: ['societe.lire'], login: '-x' })).toEqual(['integrations.0.apiAccess.login']);
    expect(problems({ rights: ['societe.lire'], refusedCall: 'users?x=$(id)' })).toEqual([
      'integrations.0.apiAccess.refusedCall',
    ]);
    expect(problems({ rights: ['societe.lire'], allowedCall: '../admin' })).toEqual([
      'integrations.0.apiAccess.allowedCall',
    ]);
    expect(problems({ rights: ['societe.lire'], allowedCall: 'thirdparties/12?limit=1' })).toEqual([]);
  });

  it('derives a login of at most 50 characters, distinct for two long ids', () => {
    expect(apiLogin(apiAccessEntries(planWith({ rights: ['societe.lire'] }))[0]!)).toBe('api-erp-sync');
    const long = (id: string) => apiLogin(apiAccessEntries(planWith({ rights: ['societe.lire'] }, id))[0]!);
    const a = long(`${'a'.repeat(50)}-one`);
    const b = long(`${'a'.repeat(50)}-two`);
    expect(a.length).toBeLessThanOrEqual(50);
    expect(a).not.toBe(b);
    expect(apiLogin(apiAccessEntries(planWith({ rights: ['societe.lire'], login: 'erp_user' }))[0]!)).toBe('erp_user');
  });

  it('refuses a login taken by the plan admin, a plan user or another connection', () => {
    const plan = planWith({ rights: ['societe.lire'], login: 'admin' });
    expect(() => checkApiLogins(plan)).toThrow(/its API user's login admin is already the plan admin/);
    const two = planSchema.parse(
      makeTestPlan({
        kind: 'integration',
        integrations: [
          { id: 'a', kind: 'api', apiAccess: { rights: ['societe.lire'], login: 'api-x' } },
          { id: 'b', kind: 'api', apiAccess: { rights: ['societe.lire'], login: 'api-x' } },
        ],
      }),
    );
    expect(() => checkApiLogins(two)).toThrow(/integration b: .* api-x is already the API user of integration a/);
  });

  it('knows which read endpoint a set of rights opens, with the read rights addrights() adds', () => {
    expect(rightsHold(['facture.creer'], 'facture.lire')).toBe(true);
    expect(rightsHold(['user.user.creer'], 'user.user.lire')).toBe(true);
    expect(rightsHold(['societe'], 'societe.lire')).toBe(true);
    expect(rightsHold(['societe.client.voir'], 'societe.lire')).toBe(false);
    expect(rightsHold(['facture.lire'], 'societe.lire')).toBe(false);
    expect(defaultAllowedCall(['societe.lire'])).toBe('thirdparties?limit=1');
    expect(defaultRefusedCall(['societe.lire'])).toBe('users?limit=1');
    expect(defaultRefusedCall(['user.user.lire', 'societe.lire'])).toBe('invoices?limit=1');
    expect(defaultAllowedCall(['ticket.read'])).toBeUndefined();
    const entry = apiAccessEntries(planWith({ rights: ['ticket.read'] }))[0]!;
    expect(() => apiCalls(entry)).toThrow(/no allowed REST call is known for rights ticket.read/);
  });

  it('keeps the key out of argv: a curl config on stdin, the path and expectation as parameters', () => {
    const key = new Secret('key-0123456789abcdef');
    const c = apiCallCommand({
      siteUrl: 'https://crm.acme.test:8443',
      address: '127.0.0.1',
      caFile: '/etc/ssl/ca.pem',
      asUser: 'www-data',
      path: 'thirdparties?limit=1',
      key,
      expect: 'allowed',
    });
    expect(c.argv.slice(3)).toEqual(['api-call', 'allowed', 'Thirdparties not found', 'thirdparties?limit=1']);
    expect(c.argv.join(' ')).not.toContain(key.reveal());
    const stdin = (c.stdin as Secret).reveal();
    expect(stdin).toContain('url = "https://crm.acme.test:8443/api/index.php/thirdparties?limit=1"');
    expect(stdin).toContain(`header = "DOLAPIKEY: ${key.reveal()}"`);
    expect(stdin).toContain('resolve = "crm.acme.test:8443:127.0.0.1"');
  });

  it('runs the API steps after the other configuration, the check with the other checks', () => {
    const plan = planWith({ rights: ['societe.lire'] });
    expect(integrationSteps(plan).map((s) => s.id)).toEqual([
      'integrations:php-tools',
      'integrations:telemetry',
      'integrations:api-users',
      'integrations:api-users-check',
    ]);
  });

  it('the report and the handoff pack name the user, its rights and the key by name only', () => {
    const record = newRecord({
      kind: 'integration',
      integrations: [{ id: 'erp-sync', kind: 'api', apiAccess: { rights: ['societe.lire', 'facture.lire'] } }],
    });
    const [row] = integrationReportRows(record);
    expect(row![2]).toBe('REST API user api-erp-sync with only societe.lire, facture.lire, key in acme/api-erp-sync');
    const html = renderHandoff({ record, generatedAt: '2026-12-06T10:00:00Z', modules: [], contacts: [] }, policy);
    expect(html).toContain('REST API user api-erp-sync with only societe.lire, facture.lire, key in acme/api-erp-sync');
  });
});
