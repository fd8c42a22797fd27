import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema, type Plan } from '../../src/core/plan.js';
import { pipelineFor } from '../../src/runner/pipelines.js';
import { runRollbackBeforeWrites } from '../../src/steps/rollback/run-before-writes.js';
import { runCopyUpgrade } from '../../src/steps/upgrade-copy/run-copy-upgrade.js';
import { runUpgrade } from '../../src/steps/upgrade/run-upgrade.js';
import type { FixtureRelease } from '../helpers/fixture-release/build.js';
import type { InstallStack } from '../helpers/install-stack/index.js';
import { runPipeline } from '../helpers/install-stack/run-pipeline.js';
import { startHttpSink, type HttpSink } from '../helpers/integrations/http-sink.js';
import { engineFor, upgradeContext, upgradePlan } from '../helpers/upgrade/index.js';
import { servedDatabase, servedRelease } from '../helpers/upgrade/served.js';
import { startStackForUpgrade } from '../helpers/upgrade/stack-for-upgrade.js';

/**
 * Issue 17 inside an upgrade: webhooks converge exactly as in a deploy of kind integration (integrations-webhook.test.ts),
 * on real MariaDB, PHP and the fixture release's Webhook module. A target the plan still has is left unchanged or
 * updated, one it dropped is removed, and when the plan drops every webhook the targets an earlier plan left are
 * removed too (read before the upgrade: gatherUpgradeFacts); the client's own target is never touched. All of it
 * happens before the upgrade's write mark, so a rollback before writes right after still finds no client write.
 */
let stack: InstallStack;
let next: FixtureRelease;
let sink: HttpSink;
const out = mkdtempSync(join(tmpdir(), 'moko-upgrade-webhooks-'));
const current = () => servedRelease(stack);
const liveDatabase = () => servedDatabase(stack);
const targets = async () =>
  (
    await stack.db.rootClient.query(
      `SELECT ref, trigger_codes, tms FROM \`${liveDatabase()}\`.llx_webhook_target ORDER BY ref`,
    )
  ).map((r) => r.join(' '));
const refs = async () => (await targets()).map((t) => t.split(' ')[0]);

const a = { id: 'erp-events', triggers: ['COMPANY_CREATE', 'COMPANY_DELETE'] };
const b = { id: 'billing', triggers: ['BILL_VALIDATE'] };

function planWith(kind: 'integration' | 'upgrade', hooks: { id: string; triggers: string[] }[]): Plan {
  const base = kind === 'upgrade' ? upgradePlan(stack, next) : stack.plan;
  return planSchema.parse({
    ...base,
    kind,
    integrations: hooks.map((h) => ({
      id: h.id,
      kind: 'api',
      webhook: { url: `${sink.url}/${h.id}`, triggers: h.triggers },
    })),
  });
}

/** The upgrade by copy of a plan; the ids of its steps; then the rollback before writes (nothing of the client's). */
async function upgradeThenBack(plan: Plan, check: (ids: string[]) => Promise<void>) {
  const ctx = await upgradeContext(stack, plan);
  const r = await runCopyUpgrade({ ...engineFor(stack, ctx) });
  expect(r.outcome, r.reason).toBe('upgraded');
  const ids = r.steps.map((s) => s.id);
  await check(ids);
  const back = await runRollbackBeforeWrites({
    ...engineFor(stack, { ...ctx, facts: { ...r.facts, badRelease: r.newRelease, reason: 'test' } }),
  });
  expect(back.ok, back.reason).toBe(true);
  expect(current()).toMatch(/19\.0\.4-/);
}

beforeAll(async () => {
  [{ stack, next }, sink] = await Promise.all([startStackForUpgrade(out), startHttpSink()]);
  // the deployment's webhooks as an integration deploy left them, and one the client made by hand
  const plan = planWith('integration', [a, b]);
  const pipeline = pipelineFor(plan, { phpBinary: stack.ctx.facts.phpBinary, stamp: '20261206130000' });
  const facts = await pipeline.gatherFacts(stack.host);
  await runPipeline(stack.host, pipeline.steps(facts), {
    ...stack.ctx,
    plan,
    facts: { ...stack.ctx.facts, ...facts },
    outputs: {},
  });
  await stack.db.rootClient.query(
    `INSERT INTO \`${liveDatabase()}\`.llx_webhook_target (ref, label, url, trigger_codes, status, date_creation, fk_user_creat) VALUES ('client-crm', 'the client''s own', '${sink.url}/client', 'COMPANY_CREATE', 1, NOW(), 1)`,
  );
}, 400_000);

afterAll(async () => {
  await Promise.all([stack?.stop(), sink?.stop()]);
  execFileSync('rm', ['-rf', out]);
});

describe('webhooks converge inside an upgrade (issue 17)', () => {
  it('a target kept as it is stays unchanged, a changed one is updated, a dropped one removed, the client’s kept', async () => {
    const before = await targets();
    expect(before.map((t) => t.split(' ')[0])).toEqual([
      'client-crm',
      'mokodeploy-billing',
      'mokodeploy-erp-events',
    ]);
    const changed = { ...a, triggers: [...a.triggers, 'COMPANY_MODIFY'] };
    await upgradeThenBack(planWith('upgrade', [changed]), async (ids) => {
      expect(ids.indexOf('integrations:webhook')).toBeLessThan(ids.indexOf('upgrade:write-mark'));
      const after = await targets();
      expect(after.map((t) => t.split(' ').slice(0, 2).join(' '))).toEqual([
        'client-crm COMPANY_CREATE',
        'mokodeploy-erp-events COMPANY_CREATE,COMPANY_DELETE,COMPANY_MODIFY',
      ]);
      expect(after[0]).toBe(before[0]); // the client's row, tms included, as it was
    });
    // the same plan as deployed: nothing rewritten (tms of every row as before)
    await upgradeThenBack(planWith('upgrade', [a, b]), async () => {
      expect(await targets()).toEqual(before);
    });
  }, 600_000);

  it('a plan without any webhook: the targets an earlier plan left are removed before the write mark', async () => {
    const none = planSchema.parse({ ...upgradePlan(stack, next), integrations: [] });
    await upgradeThenBack(none, async (ids) => {
      expect(ids).toContain('integrations:webhook-remove');
      expect(ids.indexOf('integrations:webhook-remove')).toBeLessThan(ids.indexOf('upgrade:write-mark'));
      expect(await refs()).toEqual(['client-crm']);
    });
    // rolled back: the old database was never touched, ours are there again
    expect(await refs()).toEqual(['client-crm', 'mokodeploy-billing', 'mokodeploy-erp-events']);
  }, 600_000);

  it('in place too; and once converged, an upgrade plans no removal', async () => {
    const none = planSchema.parse({ ...upgradePlan(stack, next), integrations: [] });
    const ctx = await upgradeContext(stack, none);
    expect(ctx.facts.webhookTargetsFound).toEqual(['mokodeploy-erp-events', 'mokodeploy-billing']);
    const r = await runUpgrade({ ...engineFor(stack, ctx) });
    expect(r.outcome, r.reason).toBe('upgraded');
    expect(await refs()).toEqual(['client-crm']);
    const again = await upgradeContext(stack, { ...none, kind: 'customization' });
    expect(again.facts.webhookTargetsFound).toEqual([]);
    const listed = pipelineFor(none).steps({ passes: [] });
    const removal = listed.find((s) => s.id === 'integrations:webhook-remove');
    expect(removal?.plan({ ...again, outputs: {} })).toEqual([]);
  }, 600_000);
});
