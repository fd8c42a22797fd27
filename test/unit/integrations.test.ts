import { describe, expect, it } from 'vitest';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { collectorConstants, collectorRequest } from '../../src/integrations/collector.js';
import { modeMismatch, stripeKeyMode } from '../../src/integrations/payment.js';
import { smtpConstants } from '../../src/integrations/smtp.js';
import { pipelineFor } from '../../src/runner/pipelines.js';
import { planRun, renderDryRun } from '../../src/runner/planned.js';
import { integrationSteps } from '../../src/steps/integrations/index.js';
import { loadPolicy } from '../../src/policy/load.js';
import { makeTestPlan } from '../helpers/services/plan.js';
import { newRecord, policy } from '../helpers/records.js';
import { renderHandoff } from '../../src/reports/handoff.js';

const smtp = {
  host: '127.0.0.1',
  port: 587,
  security: 'starttls' as const,
  login: 'crm@acme.test',
  password: { secret: 'acme/smtp' },
  from: 'crm@acme.test',
};
const imap = {
  host: 'imap.acme.test',
  login: 'support@acme.test',
  password: { secret: 'acme/imap' },
  filters: [{ type: 'subject' as const, value: 'Support' }],
};
const withIntegrations = (integrations: PlanInput['integrations'], kind: Plan['kind'] = 'integration') =>
  makeTestPlan({ kind, integrations });
const problems = (integrations: unknown) => {
  const r = planSchema.safeParse({ ...makeTestPlan(), integrations });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('integrations plan section (issue 17)', () => {
  it('refuses what Dolibarr could not do, naming the field', () => {
    expect(
      problems([{ id: 'm', kind: 'email', smtp: { ...smtp, login: undefined, password: undefined } }]),
    ).toEqual([
      "integrations.0.smtp.login: starttls needs a login: Dolibarr's SMTP client starts TLS only before authenticating",
    ]);
    expect(problems([{ id: 'm', kind: 'email', smtp: { ...smtp, password: undefined } }])[0]).toMatch(
      /^integrations.0.smtp.password: give both login and password/,
    );
    expect(problems([{ id: 'i', kind: 'email', imap: { ...imap, filters: [{ type: 'from' }] } }])).toEqual([
      'integrations.0.imap.filters.0.value: a from filter needs a value',
    ]);
    expect(problems([{ id: 'i', kind: 'email', imap: { ...imap, filters: [{ type: 'unseen' }] } }])).toEqual(
      [],
    );
    expect(
      problems([
        {
          id: 's',
          kind: 'payment',
          stripe: { mode: 'test', publishableKey: { secret: 'a/pk' }, secretKey: { secret: 'a/sk' } },
        },
      ])[0],
    ).toMatch(/^integrations.0.stripe.webhookSecret/);
    expect(problems([{ id: 'm', kind: 'email', smtp: { ...smtp, password: 'in-clear' } }])[0]).toMatch(
      /^integrations.0.smtp.password/,
    );
  });
});

describe('integration builders', () => {
  it('writes the SMTP settings as admin/mails.php does, the password only in the request', () => {
    const plan = withIntegrations([{ id: 'm', kind: 'email', smtp }]);
    const c = Object.fromEntries(
      smtpConstants(plan.integrations[0]!.smtp!, new Secret('pw-1')).map((x) => [x.name, x.value]),
    );
    expect(c).toMatchObject({
      MAIN_MAIL_SENDMODE: 'smtps',
      MAIN_MAIL_SMTP_SERVER: 'localhost', // Dolibarr's client refuses 127.x (configure-email.ts)
      MAIN_MAIL_SMTP_PORT: '587',
      MAIN_MAIL_EMAIL_STARTTLS: '1',
      MAIN_MAIL_EMAIL_TLS: '0',
      MAIN_MAIL_SMTPS_ID: 'crm@acme.test',
      MAIN_MAIL_SMTPS_PW: 'pw-1',
      MAIN_MAIL_SMTPS_AUTH_TYPE: 'LOGIN',
      MAIN_MAIL_EMAIL_SMTP_ALLOW_SELF_SIGNED: '0',
    });
    const plain = withIntegrations([
      {
        id: 'm',
        kind: 'email',
        smtp: { host: 'mx.acme.test', port: 25, security: 'none', from: 'a@acme.test' },
      },
    ]);
    const p = Object.fromEntries(
      smtpConstants(plain.integrations[0]!.smtp!, undefined).map((x) => [x.name, x.value]),
    );
    expect([p.MAIN_MAIL_SMTPS_ID, p.MAIN_MAIL_SMTPS_PW, p.MAIN_MAIL_EMAIL_STARTTLS]).toEqual(['', '', '0']);
  });

  it('names our own senders so collected mail is recorded as incoming', () => {
    const both = withIntegrations([
      { id: 'm', kind: 'email', smtp: { ...smtp, errorsTo: 'bounce@acme.test' }, imap },
    ]);
    expect(collectorConstants(both)).toContainEqual({
      name: 'MAIL_FROM_EMAILS_TO_CONSIDER_SENDING',
      value: 'crm@acme.test,bounce@acme.test',
      entity: 1,
    });
    const onlyImap = withIntegrations([{ id: 'i', kind: 'email', imap }]);
    expect(collectorConstants(onlyImap)).toContainEqual({
      name: 'MAIL_FROM_EMAILS_TO_CONSIDER_SENDING',
      value: 'support@acme.test',
      entity: 1,
    });
    const i = onlyImap.integrations[0]!;
    expect(
      collectorRequest({ ...i, imap: { ...i.imap!, security: 'none' } }, new Secret('x')).collector,
    ).toMatchObject({
      ref: 'i',
      encryption: 'notls',
      port: 993,
      folder: 'INBOX',
      actions: [{ type: 'recordevent', param: '' }],
    });
  });

  it('allows live payments on production only, and reads the mode of a Stripe key', () => {
    expect(modeMismatch('production', 'live')).toBeUndefined();
    expect(modeMismatch('staging', 'test')).toBeUndefined();
    expect(modeMismatch('production', 'test')).toMatch(/needs live keys/);
    for (const env of ['staging', 'internal', 'poc'] as const)
      expect(modeMismatch(env, 'live')).toMatch(/must not use live keys/);
    expect(stripeKeyMode('pk_test_51Habc')).toBe('test');
    expect(stripeKeyMode('sk_live_51Habc')).toBe('live');
    expect(stripeKeyMode('rk_live_51Habc')).toBe('live');
    expect(stripeKeyMode('whsec_abc')).toBeUndefined();
    expect(stripeKeyMode('(new secret acme/stripe-sk)')).toBeUndefined();
  });
});

describe('integration steps in the pipelines', () => {
  it('adds nothing when no integration configures anything', () => {
    expect(
      integrationSteps(withIntegrations([{ id: 'x', kind: 'api', endpoint: 'https://erp.test/api' }])),
    ).toEqual([]);
    const install = pipelineFor(withIntegrations([], 'new')).steps({});
    expect(install.some((s) => s.id.startsWith('integrations:'))).toBe(false);
  });

  it('a new install with integrations configures and checks them last; kind integration runs them alone', () => {
    const integrations = [{ id: 'm', kind: 'email' as const, smtp, imap }];
    const ids = pipelineFor(withIntegrations(integrations, 'new'))
      .steps({})
      .map((s) => s.id);
    expect(ids.slice(-5)).toEqual([
      'integrations:php-tools',
      'integrations:smtp',
      'integrations:collector',
      'integrations:smtp-check',
      'integrations:collector-check',
    ]);
    const alone = pipelineFor(withIntegrations(integrations));
    expect(alone.name).toBe('integrations');
    // kind integration also re-asserts the telemetry setting (src/steps/integrations/telemetry.ts)
    expect(alone.steps({}).map((s) => s.id)).toEqual([
      'integrations:php-tools',
      'integrations:telemetry',
      ...ids.slice(-4),
    ]);
  });

  it('the dry-run listing shows every command, secrets only as "(secret on stdin)"', () => {
    const plan = withIntegrations([
      { id: 'm', kind: 'email', smtp: { ...smtp, testRecipient: 'qa@acme.test' }, imap },
    ]);
    const values = new Map([
      ['acme/smtp', new Secret('smtp-secret-value-1')],
      ['acme/imap', new Secret('imap-secret-value-2')],
    ]);
    const ctx = {
      plan,
      policy: loadPolicy(),
      facts: { stamp: '20261206120000' },
      outputs: {},
      secret: (n: string) => values.get(n)!,
    };
    const listing = renderDryRun(planRun(integrationSteps(plan), ctx));
    expect(listing).toContain(
      '/var/www/mokocrm/acme/shared/mokodeploy/integration-configure-collector.php < (secret on stdin)',
    );
    expect(listing).toContain('integration-send-test-mail.php');
    expect(listing).toContain('integration-run-collector.php');
    expect(listing).toMatch(/\[6\/6\] integrations:collector-check/);
    expect(listing).not.toContain('smtp-secret-value-1');
    expect(listing).not.toContain('imap-secret-value-2');
  });

  it('refuses a collector on a Dolibarr without one, before any command', () => {
    const plan = withIntegrations([{ id: 'inbox', kind: 'email', imap }]);
    const ctx = {
      plan,
      policy: loadPolicy(),
      facts: { stamp: '20261206120000', hasEmailCollector: false },
      outputs: {},
      secret: () => new Secret('x'),
    };
    expect(() => planRun(integrationSteps(plan), ctx)).toThrow(
      /inbox: the Dolibarr this site serves has no email collector/,
    );
  });

  it('the handoff pack says what each integration configures and what was tested, when', () => {
    const base = newRecord({
      kind: 'integration',
      integrations: [{ id: 'mail', kind: 'email', smtp, imap }],
    });
    const untested = renderHandoff(
      { record: base, generatedAt: '2026-12-06T10:00:00Z', modules: [], contacts: [] },
      policy,
    );
    expect(untested).toContain(
      'outgoing mail via 127.0.0.1:587 (starttls, login crm@acme.test, password in acme/smtp)',
    );
    expect(untested).toContain('not tested by mokodeploy');
    const record = {
      ...base,
      runs: [
        {
          startedAt: '2026-12-06T09:00:00Z',
          finishedAt: '2026-12-06T09:01:00Z',
          by: 'tina',
          outcome: 'succeeded' as const,
          evidence: [],
        },
      ],
      facts: {
        lastRun: {
          outputs: {
            integrationChecks: [
              {
                integration: 'mail',
                step: 'integrations:smtp-check',
                check: 'Dolibarr sent a test mail to qa@acme.test',
              },
            ],
          },
        },
      },
    };
    const html = renderHandoff(
      { record, generatedAt: '2026-12-06T10:00:00Z', modules: [], contacts: [] },
      policy,
    );
    expect(html).toContain('Dolibarr sent a test mail to qa@acme.test — passed 2026-12-06T09:01:00Z');
    expect(html).not.toContain('not tested by mokodeploy');
  });
});
