import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema, type Plan } from '../../src/core/plan.js';
import { webhookRef } from '../../src/integrations/webhook.js';
import { writeIntegrationTools } from '../../src/steps/integrations/php-tools.js';
import { checkWebhooks, webhookTestName } from '../../src/steps/integrations/webhook-check.js';
import { configureWebhooks } from '../../src/steps/integrations/webhook.js';
import type { Step, StepContext } from '../../src/steps/step.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { startHttpSink, type HttpSink } from '../helpers/integrations/http-sink.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { runPipeline } from '../helpers/install-stack/run-pipeline.js';

/**
 * Issue 17, outgoing webhooks, on real MariaDB and PHP with the fixture release (its Webhook module, Target class,
 * trigger and Societe imitate Dolibarr 20.0.2's, see test/helpers/fixture-release/php-webhook.ts): the module enabled
 * through activateModule(), the plan's targets written through Dolibarr's Target class (second run converged, a target
 * the plan dropped removed, the client's own target left alone, an unknown trigger code refused with nothing written),
 * and a real event (a test third party created then deleted) received by a loopback sink with its JSON body checked.
 */
let stack: InstallStack;
let sink: HttpSink;
const q = async (sql: string) =>
  (await stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${sql}`)).map((r) => r.join('\t'));
const targets = () => q('SELECT ref, url, trigger_codes, status FROM llx_webhook_target ORDER BY ref');

function planWith(hooks: { id: string; path: string; triggers: string[] }[]): Plan {
  return planSchema.parse({
    ...stack.plan,
    kind: 'integration',
    integrations: hooks.map((h) => ({
      id: h.id,
      kind: 'api',
      description: `events for ${h.id}`,
      webhook: { url: `${sink.url}${h.path}`, triggers: h.triggers },
    })),
  });
}

const ctxOf = (plan: Plan): StepContext => ({
  ...stack.ctx,
  plan,
  facts: { ...stack.ctx.facts, stamp: '20261206120000' },
  outputs: {},
});

/** Run a step's commands on the target; the JSON each of our tools printed, in order. */
async function runTools(step: Step, ctx: StepContext) {
  const results: { ok: boolean; errors: string[]; targets?: { ref: string; action: string }[] }[] = [];
  for (const a of step.plan(ctx)) {
    if (a.kind !== 'run') continue;
    const r = await stack.host.run(a.command);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    expect(last.startsWith('{'), `${a.description}: ${r.stdout}${r.stderr}`).toBe(true);
    results.push(JSON.parse(last));
  }
  return results;
}

const a = { id: 'erp-events', path: '/erp/hook', triggers: ['COMPANY_CREATE', 'COMPANY_DELETE'] };
const b = { id: 'billing', path: '/billing/hook', triggers: ['BILL_VALIDATE'] };

beforeAll(async () => {
  const fixture = buildFixtureRelease({ version: '20.0.2' });
  [stack, sink] = await Promise.all([
    startInstallStack({ release: fixture.tarball, version: fixture.version, sha256: fixture.sha256 }),
    startHttpSink(),
  ]);
  await runPipeline(stack.host, [writeIntegrationTools], ctxOf(planWith([a])));
}, 600_000);

afterAll(async () => {
  await Promise.all([stack?.stop(), sink?.stop()]);
});

describe('outgoing webhooks (issue 17)', () => {
  it('enables the module, writes the targets, and a real event reaches the sink with its JSON body', async () => {
    const ctx = ctxOf(planWith([a, b]));
    const [enabled, written] = await runTools(configureWebhooks, ctx);
    expect(enabled?.ok, enabled?.errors.join()).toBe(true);
    expect(written?.targets).toEqual([
      { ref: 'mokodeploy-erp-events', id: expect.any(Number), action: 'created' },
      { ref: 'mokodeploy-billing', id: expect.any(Number), action: 'created' },
    ]);
    expect(await q("SELECT value FROM llx_const WHERE name = 'MAIN_MODULE_WEBHOOK'")).toEqual(['1']);
    expect(await targets()).toEqual([
      `mokodeploy-billing\t${sink.url}/billing/hook\tBILL_VALIDATE\t1`,
      `mokodeploy-erp-events\t${sink.url}/erp/hook\tCOMPANY_CREATE,COMPANY_DELETE\t1`,
    ]);

    await runPipeline(stack.host, [checkWebhooks], ctx);
    const name = webhookTestName(ctx);
    const posts = sink.requests.filter((r) => r.path === '/erp/hook');
    expect(posts.map((p) => [p.method, p.contentType])).toEqual([
      ['POST', 'application/json'],
      ['POST', 'application/json'],
    ]);
    expect(posts.map((p) => p.json)).toEqual([
      { triggercode: 'COMPANY_CREATE', object: expect.objectContaining({ name, id: expect.any(Number) }) },
      { triggercode: 'COMPANY_DELETE', object: expect.objectContaining({ name }) },
    ]);
    // the billing target listens to no third-party event: reached with a GET, sent no made-up invoice
    expect(sink.requests.filter((r) => r.path === '/billing/hook').map((r) => r.method)).toEqual(['GET']);
    // the test third party is gone; the check noted what it tested for the record
    expect(await q(`SELECT COUNT(*) FROM llx_societe WHERE nom = '${name}'`)).toEqual(['0']);
    expect(ctx.outputs.integrationChecks).toEqual([
      expect.objectContaining({ integration: 'erp-events', step: 'integrations:webhook-check' }),
      expect.objectContaining({ integration: 'billing', step: 'integrations:webhook-check' }),
    ]);
  }, 120_000);

  it('a second run converges; a target dropped from the plan is removed, the client’s own is left alone', async () => {
    await q(
      `INSERT INTO llx_webhook_target (ref, label, url, trigger_codes, status, date_creation, fk_user_creat) VALUES ('7', 'made by hand', 'https://hooks.client.test/x', 'ORDER_VALIDATE', 1, NOW(), 1)`,
    );
    const before = await q('SELECT rowid, tms FROM llx_webhook_target ORDER BY rowid');
    const [, again] = await runTools(configureWebhooks, ctxOf(planWith([a, b])));
    expect(again?.targets?.map((t) => t.action)).toEqual(['unchanged', 'unchanged']);
    expect(await q('SELECT rowid, tms FROM llx_webhook_target ORDER BY rowid')).toEqual(before);

    const changed = { ...a, triggers: ['COMPANY_CREATE', 'COMPANY_DELETE', 'COMPANY_MODIFY'] };
    const [, third] = await runTools(configureWebhooks, ctxOf(planWith([changed])));
    expect(third?.targets?.map((t) => [t.ref, t.action])).toEqual([
      ['mokodeploy-erp-events', 'updated'],
      ['mokodeploy-billing', 'removed'],
    ]);
    expect(await targets()).toEqual([
      `7\thttps://hooks.client.test/x\tORDER_VALIDATE\t1`,
      `mokodeploy-erp-events\t${sink.url}/erp/hook\tCOMPANY_CREATE,COMPANY_DELETE,COMPANY_MODIFY\t1`,
    ]);
  }, 120_000);

  it('a trigger code this Dolibarr does not know is refused before anything is written', async () => {
    const before = await targets();
    const plan = planWith([{ ...a, triggers: ['COMPANY_CREATE', 'COMPANY_EXPLODE'] }]);
    const [, refused] = await runTools(configureWebhooks, ctxOf(plan));
    expect(refused?.ok).toBe(false);
    expect(refused?.errors.join()).toContain(
      `${webhookRef({ id: a.id })}: COMPANY_EXPLODE (known: COMPANY_CREATE, COMPANY_MODIFY, COMPANY_DELETE)`,
    );
    expect(await targets()).toEqual(before);
  }, 60_000);

  it('a target that does not answer 2xx fails the check with Dolibarr’s own message, no test third party left', async () => {
    const ctx = ctxOf(planWith([a]));
    await runTools(configureWebhooks, ctx);
    sink.answer(500);
    try {
      const error = await runPipeline(stack.host, [checkWebhooks], ctx).then(
        () => 'passed',
        (e: Error & { output?: string }) => `${e.message} ${e.output ?? ''}`.replaceAll('\\/', '/'),
      );
      expect(error).toContain(
        `The WebHook for COMPANY_CREATE failed to get URL ${sink.url}/erp/hook with httpcode=500`,
      );
      expect(await q(`SELECT COUNT(*) FROM llx_societe WHERE nom = '${webhookTestName(ctx)}'`)).toEqual([
        '0',
      ]);
    } finally {
      sink.answer(200);
    }
  }, 60_000);
});
