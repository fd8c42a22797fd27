import { describe, expect, it } from 'vitest';
import { createDeployment } from '../../src/core/create.js';
import type { IsolationReport } from '../../src/entities/isolation/types.js';
import type { HandoffData } from '../../src/reports/handoff-data.js';
import { renderHandoff } from '../../src/reports/handoff.js';
import { makeTestPlan } from '../helpers/services/plan.js';
import { people, policy } from '../helpers/records.js';

const plan = makeTestPlan({
  customModules: [{ name: 'multicompany', source: '/srv/modules/multicompany.tgz' }],
  entities: [
    {
      id: 2,
      label: 'ACME Belgium',
      company: { name: 'ACME Belgium SPRL', country: 'BE', currency: 'EUR' },
      language: 'fr_BE',
      branding: { topMenuColor: '#1a5276' },
      users: [
        { login: 'bob', lastname: 'Peeters', password: { secret: 'acme/bob' }, rights: ['societe.lire'] },
      ],
    },
  ] as never,
});

function handoff(facts: Record<string, unknown>, p = plan): HandoffData {
  const record = createDeployment(p, {
    policy,
    actor: people.tina!,
    now: new Date('2026-12-01T10:00:00Z'),
    submit: true,
  });
  return { record: { ...record, facts }, generatedAt: '2026-12-06T10:00:00Z', modules: [], contacts: [] };
}

const report: IsolationReport = {
  at: '2026-12-06T09:00:00Z',
  entities: [1, 2],
  ok: false,
  checks: [
    { id: 'api.thirdparties.by-id', channel: 'api', entity: 2, other: 1, ok: true, detail: 'HTTP 403' },
    {
      id: 'browser.products.list',
      channel: 'browser',
      entity: 2,
      other: 1,
      ok: false,
      detail: 'product/list.php SHOWS "<b>x</b>"',
    },
  ],
};

describe('the handoff pack\'s "Entities and isolation" section (issue 18)', () => {
  it('lists the entities and every recorded isolation check, escaped', () => {
    const html = renderHandoff(handoff({ entityIsolation: report }), policy);
    expect(html).toContain('<section id="entities"');
    expect(html).toContain('ACME Belgium SPRL (BE)');
    expect(html).toContain('EUR / fr_BE');
    expect(html).toContain('bob (societe.lire)');
    expect(html).toContain('1 of 2 checks passed');
    expect(html).toContain('api.thirdparties.by-id');
    expect(html).toContain('SHOWS &quot;&lt;b&gt;x&lt;/b&gt;&quot;');
  });
  it('says when no isolation check is recorded, and is absent for a single company', () => {
    expect(renderHandoff(handoff({}), policy)).toContain('No isolation check is recorded yet');
    expect(renderHandoff(handoff({}, makeTestPlan()), policy)).not.toContain('<section id="entities"');
  });
});
