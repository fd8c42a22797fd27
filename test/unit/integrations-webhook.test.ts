import { describe, expect, it } from 'vitest';
import { planSchema } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { integrationReportRows } from '../../src/integrations/handoff-rows.js';
import { pipelineFor } from '../../src/runner/pipelines.js';
import { planRun, renderDryRun } from '../../src/runner/planned.js';
import { newRecord } from '../helpers/records.js';
import { makeTestPlan } from '../helpers/services/plan.js';
import { testContext } from './steps/install-context.js';

/** Issue 17, outgoing webhooks: the plan's types, the dry-run listing, the handoff pack's row. */
const hook = {
  id: 'erp-events',
  kind: 'api' as const,
  webhook: { url: 'https://erp.acme.test/dolibarr/events', triggers: ['COMPANY_CREATE', 'BILL_VALIDATE'] },
};
const problems = (webhook: unknown) => {
  const r = planSchema.safeParse({ ...makeTestPlan(), integrations: [{ id: 'x', kind: 'api', webhook }] });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('webhook in the plan', () => {
  it('takes an http(s) URL and trigger codes', () => {
    expect(problems(hook.webhook)).toEqual([]);
    expect(problems({ url: 'http://10.0.0.5:8080/hook', triggers: ['ORDER_VALIDATE'] })).toEqual([]);
  });

  it('refuses, saying where and how: another scheme, a long URL, a bad or repeated code, no code', () => {
    expect(problems({ url: 'ftp://erp.acme.test/x', triggers: ['COMPANY_CREATE'] })).toEqual([
      'integrations.0.webhook.url: an http:// or https:// URL like https://crm.example.com',
    ]);
    expect(
      problems({ url: `https://erp.acme.test/${'a'.repeat(250)}`, triggers: ['COMPANY_CREATE'] }),
    ).toEqual(['integrations.0.webhook.url: at most 255 characters (llx_webhook_target.url)']);
    expect(problems({ url: hook.webhook.url, triggers: ['company_create', 'BILL;VALIDATE'] })).toEqual([
      'integrations.0.webhook.triggers.0: a Dolibarr trigger code like COMPANY_CREATE or BILL_VALIDATE (upper-case letters, digits, _)',
      'integrations.0.webhook.triggers.1: a Dolibarr trigger code like COMPANY_CREATE or BILL_VALIDATE (upper-case letters, digits, _)',
    ]);
    expect(problems({ url: hook.webhook.url, triggers: ['BILL_VALIDATE', 'BILL_VALIDATE'] })).toEqual([
      'integrations.0.webhook.triggers: each trigger code once',
    ]);
    expect(problems({ url: hook.webhook.url, triggers: [] })).toEqual([
      'integrations.0.webhook.triggers: list at least one trigger code, e.g. [COMPANY_CREATE]',
    ]);
  });
});

describe('deploy --dry-run of an integration plan with a webhook', () => {
  it('lists every command: module enabled, targets written, test event fired, each by our PHP tool as the web user', () => {
    const ctx = testContext({}, { kind: 'integration', integrations: [hook] });
    const steps = pipelineFor(ctx.plan).steps({});
    expect(steps.map((s) => s.id)).toEqual([
      'integrations:php-tools',
      'integrations:telemetry',
      'integrations:webhook',
      'integrations:webhook-check',
    ]);
    const listing = renderDryRun(planRun(steps, { ...ctx, facts: { stamp: '20261206120000' }, outputs: {} }));
    const lines = listing.split('\n');
    const under = (id: string) =>
      lines.slice(lines.findIndex((l) => l.includes(` ${id} — `)) + 1).filter((l) => /^\s+\d+\./.test(l));
    expect(under('integrations:webhook')[0]).toContain('enable-modules.php');
    expect(under('integrations:webhook')[1]).toContain('integration-webhook-targets.php');
    expect(under('integrations:webhook-check')[0]).toContain('integration-webhook-check.php');
    expect(listing).toContain('sudo -n -u www-data');
  });
});

describe('a plan without webhooks, on a target that has ours (issue 17)', () => {
  const other = { id: 'erp-events', kind: 'api' as const, endpoint: 'https://erp.acme.test/api' };
  const ctx = testContext({}, { kind: 'integration', integrations: [other] });
  const ids = (facts: Record<string, unknown>) => pipelineFor(ctx.plan).steps(facts).map((s) => s.id);

  it('adds the removal only when the target has some of ours (or could not say), never with webhooks in the plan', () => {
    const remove = ['integrations:php-tools', 'integrations:telemetry', 'integrations:webhook-remove'];
    expect(ids({ webhookTargetsFound: ['mokodeploy-erp-events'] })).toEqual(remove);
    expect(ids({ webhookTargetsFound: null })).toEqual(remove);
    expect(ids({ webhookTargetsFound: [] })).toEqual([]);
    expect(ids({})).toEqual([]);
    const withHook = testContext({}, { kind: 'integration', integrations: [hook] }).plan;
    expect(pipelineFor(withHook).steps({ webhookTargetsFound: ['mokodeploy-old'] }).map((s) => s.id)).toEqual([
      'integrations:php-tools',
      'integrations:telemetry',
      'integrations:webhook',
      'integrations:webhook-check',
    ]);
  });

  it('dry run lists it: our tool with no target to keep, naming what it removes, nothing enabled', () => {
    const facts = { stamp: '20261206120000', webhookTargetsFound: ['mokodeploy-erp-events'] };
    const steps = pipelineFor(ctx.plan).steps(facts);
    const listing = renderDryRun(planRun(steps, { ...ctx, facts, outputs: {} }));
    const lines = listing.split('\n');
    const under = lines.slice(lines.findIndex((l) => l.includes(' integrations:webhook-remove — ')) + 1);
    expect(under).toHaveLength(1); // one command, and no module enabled
    expect(under[0]).toMatch(/sudo -n -u www-data php \S+\/integration-webhook-targets\.php < \(secret on stdin\)$/);
    const removal = steps.find((s) => s.id === 'integrations:webhook-remove')!;
    const [action] = removal.plan({ ...ctx, facts, outputs: {} });
    expect(action?.description).toContain('remove webhook targets mokodeploy-erp-events');
    // a name read from the target's database is not printed as it is when it could forge a line of the listing
    const odd = { ...facts, webhookTargetsFound: ['mokodeploy-a', 'mokodeploy-x\n  13. rm -rf /'] };
    const [oddAction] = removal.plan({ ...ctx, facts: odd, outputs: {} });
    expect(oddAction?.description).toContain('mokodeploy-a, 1 more named with other characters');
    expect(oddAction?.description).not.toContain('rm -rf');
    const stdin = action?.kind === 'run' ? JSON.parse((action.command.stdin as Secret).reveal()) : undefined;
    expect(stdin).toMatchObject({ prefix: 'mokodeploy-', targets: [] });
  });
});

describe('handoff pack row', () => {
  it('says what was configured and, after an upgrade that ran the check, what was tested', () => {
    const upgraded = newRecord({ kind: 'upgrade', integrations: [hook] });
    const withRun = {
      ...upgraded,
      runs: [{ ...(upgraded.runs[0] ?? {}), outcome: 'succeeded', finishedAt: '2026-12-06T21:00:00Z' }],
      facts: {
        ...upgraded.facts,
        upgrade: {
          steps: [
            { id: 'upgrade:telemetry', ms: 1 },
            { id: 'integrations:webhook-check', ms: 1 },
          ],
        },
      },
    } as typeof upgraded;
    const rows = integrationReportRows(withRun);
    expect(rows[0]).toEqual([
      'erp-events',
      'api',
      'webhook to https://erp.acme.test/dolibarr/events on COMPANY_CREATE, BILL_VALIDATE (Dolibarr webhook target mokodeploy-erp-events)',
      'Dolibarr posted COMPANY_CREATE of a test third party to https://erp.acme.test/dolibarr/events, answered 2xx — passed 2026-12-06T21:00:00Z',
    ]);
    expect(rows[1]).toEqual([
      'telemetry',
      'setting',
      "Dolibarr's anonymous first ping: off (MAIN_FIRST_PING_OK_ID = 'disabled')",
      'set by upgrade:telemetry',
    ]);
    // an upgrade that did not run the check claims nothing
    expect(integrationReportRows(upgraded)[0]![3]).toBe('not tested by mokodeploy');
  });
});
