import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema, type Plan } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { phpTool } from '../../src/dolibarr/php/bootstrap.js';
import { webhookRef } from '../../src/integrations/webhook.js';
import { readWebhookFacts } from '../../src/integrations/webhook-found.js';
import { pipelineFor } from '../../src/runner/pipelines.js';
import { removeWebhooks } from '../../src/steps/integrations/webhook-remove.js';
import { integrationPaths, phpOf } from '../../src/steps/integrations/context.js';
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
  it('before module Webhook was ever enabled: no target of ours found, and a removal has nothing to do', async () => {
    const none = planSchema.parse({ ...stack.plan, kind: 'integration', integrations: [{ id: 'x', kind: 'api' }] });
    expect(await q("SHOW TABLES LIKE 'llx_webhook_target'")).toEqual([]);
    const php = String(stack.ctx.facts.phpBinary ?? 'php');
    expect(await readWebhookFacts(stack.host, none, php)).toEqual({ webhookTargetsFound: [] });
    // facts that could not say (null): the removal runs and finds no table
    const ctx = { ...ctxOf(none), facts: { ...ctxOf(none).facts, webhookTargetsFound: null } };
    const [removed] = await runTools(removeWebhooks, ctx);
    expect(removed).toMatchObject({ ok: true, targets: [], done: ['no webhook target table: nothing to remove'] });
  }, 60_000);

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

/** Deploy a plan as `deploy` of kind integration does: facts read from the target, then the steps for those facts. */
async function deployIntegrations(plan: Plan): Promise<string[]> {
  const pipeline = pipelineFor(plan, { phpBinary: stack.ctx.facts.phpBinary, stamp: '20261206130000' });
  const facts = await pipeline.gatherFacts(stack.host);
  const steps = pipeline.steps(facts);
  await runPipeline(stack.host, steps, { ...stack.ctx, plan, facts: { ...stack.ctx.facts, ...facts }, outputs: {} });
  return steps.map((s) => s.id);
}

/** A business event the client makes: a third party created then deleted through Dolibarr (COMPANY_CREATE, COMPANY_DELETE). */
async function clientCreatesThirdParty(plan: Plan): Promise<number> {
  const ctx = ctxOf(plan);
  const p = integrationPaths(ctx);
  const tool = `${p.toolsDir}/test-client-event.php`;
  const body = `require_once DOL_DOCUMENT_ROOT.'/societe/class/societe.class.php';
$soc = new Societe($db);
$soc->name = 'client third party';
$id = $soc->create($user);
if ($id <= 0 || $soc->delete($id, $user) <= 0) { moko_fail($soc->error.' '.implode('; ', (array) $soc->errors)); }
$mokoResult['id'] = $id;`;
  await stack.host.writeFile({ path: tool, content: phpTool(body), mode: 0o644, owner: 'root', group: 'root' });
  const r = await stack.host.run({
    argv: [phpOf(ctx), tool],
    stdin: new Secret(JSON.stringify({ htdocs: p.htdocs, admin: plan.admin.login })),
    asUser: plan.target.webUser,
    cwd: p.htdocs,
  });
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { ok?: boolean; id?: number; errors?: string[] };
  expect(out.ok, `${r.stdout}${r.stderr}`).toBe(true);
  return out.id ?? 0;
}

describe('a plan that drops all its webhooks (issue 17)', () => {
  it('removes the targets mokodeploy made, keeps the client’s own, and a new event is posted to no one', async () => {
    await q(
      `INSERT INTO llx_webhook_target (ref, label, url, trigger_codes, status, date_creation, fk_user_creat) VALUES ('client-crm', 'the client''s own', '${sink.url}/client/hook', 'COMPANY_CREATE', 1, NOW(), 1)`,
    );
    expect(await deployIntegrations(planWith([a, b]))).toContain('integrations:webhook');
    const refs = async () => (await targets()).map((t) => t.split('\t')[0] ?? '');
    expect(await refs()).toEqual(expect.arrayContaining(['mokodeploy-billing', 'mokodeploy-erp-events']));
    const theClients = (await refs()).filter((r) => !r.startsWith('mokodeploy-'));
    expect(theClients).toContain('client-crm');

    // the same deployment, now without any webhook (its API connection configures nothing else)
    const none = planSchema.parse({
      ...stack.plan,
      kind: 'integration',
      integrations: [{ id: a.id, kind: 'api', endpoint: `${sink.url}/api` }],
    });
    expect(await deployIntegrations(none)).toEqual([
      'integrations:php-tools',
      'integrations:telemetry',
      'integrations:webhook-remove',
    ]);
    expect(await refs()).toEqual(theClients);

    // a new business event: the client's own target receives it, ours no longer exist to receive it
    sink.requests.length = 0;
    expect(await clientCreatesThirdParty(none)).toBeGreaterThan(0);
    expect(sink.requests.map((r) => r.path)).toEqual(['/client/hook']);

    // converged: nothing of ours left, so a further run adds no step
    expect(await deployIntegrations(none)).toEqual([]);
  }, 180_000);
});
