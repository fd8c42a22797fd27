import { describe, expect, it } from 'vitest';
import { dayHourLog, telemetryConstants } from '../../src/integrations/telemetry.js';
import { renderDeploymentReport } from '../../src/reports/deployment-report.js';
import { renderHandoff } from '../../src/reports/handoff.js';
import { pipelineFor } from '../../src/runner/pipelines.js';
import { newRecord, policy } from '../helpers/records.js';

/** Issue 17: the telemetry constants, where the step runs, and the deployment report's integrations rows. */
const smtp = {
  host: '127.0.0.1',
  port: 587,
  security: 'starttls' as const,
  login: 'crm@acme.test',
  password: { secret: 'acme/smtp' },
  from: 'crm@acme.test',
};

describe('telemetry (issue 17)', () => {
  it("writes Dolibarr's own opt-out (date + 'disabled') at entities 0 and 1, nothing when the plan opts in", () => {
    const now = new Date('2026-12-06T09:05:07Z');
    expect(dayHourLog(now)).toBe('20261206090507');
    expect(telemetryConstants(false, now)).toEqual([
      { name: 'MAIN_FIRST_PING_OK_DATE', value: '20261206090507', entity: 0 },
      { name: 'MAIN_FIRST_PING_OK_ID', value: 'disabled', entity: 0 },
      { name: 'MAIN_FIRST_PING_OK_DATE', value: '20261206090507', entity: 1 },
      { name: 'MAIN_FIRST_PING_OK_ID', value: 'disabled', entity: 1 },
    ]);
    expect(telemetryConstants(true, now)).toEqual([]);
  });

  it('runs in every new install and in a deploy of kind integration', () => {
    const ids = (kind: 'new' | 'integration') =>
      pipelineFor(newRecord({ kind, integrations: [{ id: 'mail', kind: 'email', smtp }] }).plan)
        .steps({})
        .map((s) => s.id);
    expect(ids('new').filter((id) => id.endsWith(':telemetry'))).toEqual(['install:telemetry']);
    expect(ids('integration').slice(0, 2)).toEqual(['integrations:php-tools', 'integrations:telemetry']);
  });
});

describe('deployment report: integrations (issue 17)', () => {
  it('has a row per integration (configured, tested) and the telemetry setting', () => {
    const r = newRecord({ kind: 'integration', integrations: [{ id: 'mail', kind: 'email', smtp }] });
    const html = renderDeploymentReport(r, policy, new Date('2026-12-06T10:00:00Z'));
    const section = html.slice(html.indexOf('id="integrations"'), html.indexOf('id="verification"'));
    expect(section).toContain(
      'outgoing mail via 127.0.0.1:587 (starttls, login crm@acme.test, password in acme/smtp)',
    );
    expect(section).toContain('not tested by mokodeploy');
    expect(section).toContain('anonymous first ping: off (MAIN_FIRST_PING_OK_ID = &#39;disabled&#39;)');
    const optIn = newRecord({ kind: 'new', dolibarr: { ...r.plan.dolibarr, telemetry: true } });
    const handoff = renderHandoff(
      { record: optIn, generatedAt: '2026-12-06T10:00:00Z', modules: [], contacts: [] },
      policy,
    );
    expect(handoff).toContain('allowed by the plan (dolibarr.telemetry: true)');
  });
});
