import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planSchema, type Plan } from '../../src/core/plan.js';
import { runRollbackBeforeWrites } from '../../src/steps/rollback/run-before-writes.js';
import { runRollback } from '../../src/steps/rollback/run-rollback.js';
import { runCopyUpgrade } from '../../src/steps/upgrade-copy/run-copy-upgrade.js';
import { runUpgrade, type UpgradeResult } from '../../src/steps/upgrade/run-upgrade.js';
import type { FixtureRelease } from '../helpers/fixture-release/build.js';
import type { InstallStack } from '../helpers/install-stack/index.js';
import { startHttpSink, type HttpSink } from '../helpers/integrations/http-sink.js';
import { engineFor, upgradeContext, upgradePlan } from '../helpers/upgrade/index.js';
import { servedDatabase, servedRelease } from '../helpers/upgrade/served.js';
import { startStackForUpgrade } from '../helpers/upgrade/stack-for-upgrade.js';

/**
 * Issue 17 inside an upgrade, both engines, on real MariaDB, PHP-FPM and nginx with the fixture release (whose
 * upgrade2.php re-arms the first ping as Dolibarr's does, install/upgrade2.php l.620 in 20.0.2): the upgrade of a
 * plan with telemetry off ends with MAIN_FIRST_PING_OK_ID = 'disabled', its integrations are configured and checked
 * (a webhook fired by a real Dolibarr event into a loopback sink), and since they ran before the after-upgrade
 * inventory, a rollback right after takes the path for "no client writes" without being told to discard anything.
 */
let stack: InstallStack;
let next: FixtureRelease;
let sink: HttpSink;
const out = mkdtempSync(join(tmpdir(), 'moko-upgrade-integrations-'));
const q = (sql: string) => stack.db.rootClient.query(sql);
const current = () => servedRelease(stack);
const liveDatabase = () => servedDatabase(stack);
const pingIds = async () =>
  (
    await q(
      `SELECT entity, value FROM \`${liveDatabase()}\`.llx_const WHERE name = 'MAIN_FIRST_PING_OK_ID' ORDER BY entity`,
    )
  ).map((r) => r.join(' '));

function planWith(telemetry: boolean): Plan {
  const base = upgradePlan(stack, next);
  return planSchema.parse({
    ...base,
    dolibarr: { ...base.dolibarr, telemetry },
    integrations: [
      {
        id: 'erp-sync',
        kind: 'api',
        description: 'the ERP pulls orders and gets third-party events',
        api: { url: `${sink.url}/erp/health` },
        webhook: { url: `${sink.url}/erp/events`, triggers: ['COMPANY_CREATE', 'COMPANY_DELETE'] },
      },
    ],
  });
}

const ids = (r: UpgradeResult) => r.steps.map((s) => s.id);

/** The integration steps ran after the migration and the switch, in the upgrade run itself. */
function expectIntegrationsAfterSwitch(r: UpgradeResult) {
  const list = ids(r);
  expect(list).toContain('upgrade:telemetry');
  expect(list).toContain('integrations:api-check');
  expect(list.indexOf('upgrade:switch')).toBeLessThan(list.indexOf('upgrade:telemetry'));
  expect(list.indexOf('upgrade:verify-db-version')).toBeLessThan(list.indexOf('upgrade:telemetry'));
  expect(list.indexOf('upgrade:telemetry')).toBeLessThan(list.indexOf('integrations:api-check'));
  expect(list.indexOf('integrations:webhook')).toBeLessThan(list.indexOf('integrations:webhook-check'));
}

/** The webhook check's real event reached the sink since `from` (the run's own test third party). */
function expectEventsSince(from: number) {
  const events = sink.requests.slice(from).filter((x) => x.path === '/erp/events');
  expect(events.map((e) => (e.json as { triggercode: string }).triggercode)).toEqual([
    'COMPANY_CREATE',
    'COMPANY_DELETE',
  ]);
  expect((events[0]!.json as { object: { name: string } }).object.name).toMatch(/^mokodeploy-webhook-check /);
}

beforeAll(async () => {
  [{ stack, next }, sink] = await Promise.all([startStackForUpgrade(out), startHttpSink()]);
}, 300_000);

afterAll(async () => {
  await Promise.all([stack?.stop(), sink?.stop()]);
  execFileSync('rm', ['-rf', out]);
});

describe('integrations and telemetry inside an upgrade (issue 17)', () => {
  it('by copy: the ping stays off although upgrade2.php re-armed it, the integration checked, rollback before writes right after', async () => {
    expect(await pingIds()).toEqual(['0 disabled', '1 disabled']); // the install's own opt-out
    const ctx = await upgradeContext(stack, planWith(false));
    const from = sink.requests.length;
    const r = await runCopyUpgrade({ ...engineFor(stack, ctx) });
    expect(r.outcome, r.reason).toBe('upgraded');
    expectIntegrationsAfterSwitch(r);
    expectEventsSince(from);
    expect(await pingIds()).toEqual(['0 disabled', '1 disabled']);
    expect(sink.requests.some((x) => x.path === '/erp/health')).toBe(true);
    // nothing but the upgrade's own writes since its inventory: the archive swapped back, nothing restored
    const back = await runRollbackBeforeWrites({
      ...engineFor(stack, { ...ctx, facts: { ...r.facts, badRelease: r.newRelease, reason: 'test' } }),
    });
    expect(back.ok, back.reason).toBe(true);
    expect(current()).toMatch(/19\.0\.4-/);
  }, 400_000);

  it('in place: the same, and the rollback right after finds nothing to discard', async () => {
    const ctx = await upgradeContext(stack, planWith(false));
    const from = sink.requests.length;
    const r = await runUpgrade({ ...engineFor(stack, ctx) });
    expect(r.outcome, r.reason).toBe('upgraded');
    expectIntegrationsAfterSwitch(r);
    expectEventsSince(from);
    expect(await pingIds()).toEqual(['0 disabled', '1 disabled']);
    const facts = { ...r.facts, backupStamp: r.backupStamp, badRelease: r.newRelease, reason: 'test' };
    const back = await runRollback({ ...engineFor(stack, { ...ctx, facts }), discardChanges: false });
    expect(back.ok, back.reason).toBe(true);
    expect(back.changes?.tables).toEqual([]);
    expect(current()).toMatch(/19\.0\.4-/);
  }, 400_000);

  it('by copy, a failing integration check fails the upgrade: the site goes back to the old release and database', async () => {
    const ctx = await upgradeContext(stack, planWith(false));
    const before = liveDatabase();
    sink.answer(500);
    try {
      const r = await runCopyUpgrade({ ...engineFor(stack, ctx) });
      expect(r.outcome, r.reason).toBe('rolled-back');
      expect(r.failedStep).toBe('integrations:webhook-check');
      // Dolibarr's own verdict, in what the failing command printed (kept as evidence)
      expect(r.output).toContain('The WebHook for COMPANY_CREATE failed');
    } finally {
      sink.answer(200);
    }
    expect(current()).toMatch(/19\.0\.4-/);
    expect(liveDatabase()).toBe(before);
  }, 400_000);

  it("a plan that opts in keeps Dolibarr's default: the upgrade leaves the ping re-armed ('torefresh')", async () => {
    const ctx = await upgradeContext(stack, planWith(true));
    const r = await runUpgrade({ ...engineFor(stack, ctx) });
    expect(r.outcome, r.reason).toBe('upgraded');
    expect(await pingIds()).toEqual(['0 torefresh', '1 torefresh']);
  }, 400_000);
});
