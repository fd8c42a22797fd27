import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuns, openRun, type JournalRecord } from '../../src/runner/index.js';
import { recordedDowntime } from '../../src/steps/upgrade/outage.js';
import { gatherRollbackFacts } from '../../src/steps/rollback/facts.js';
import { runRollback } from '../../src/steps/rollback/run-rollback.js';
import { runUpgrade } from '../../src/steps/upgrade/run-upgrade.js';
import {
  dataFingerprint,
  engineFor,
  upgradeContext,
  upgradeOverrides,
  upgradePlan,
} from '../helpers/upgrade/index.js';
import { killUpgradeAt, useStackToKill } from '../helpers/upgrade/kill.js';
import { servedRelease } from '../helpers/upgrade/served.js';

/**
 * Issue 5 fault injection: the upgrade 19.0.4 -> 20.0.2 runs in a child process frozen at a step boundary inside
 * the critical part (after the switch, before and after the migration, after maintenance) and killed with
 * SIGKILL. Then either a new run resumes it to a working upgrade, or a rollback restores the backup: nothing is
 * lost either way (row counts and checksums of every table), the lock is taken over, no upgrade.unlock or
 * maintenance flag is left.
 */
const k = useStackToKill('moko-upgrade-kill-');
const { store } = k;
const current = () => servedRelease(k.stack);
const leftovers = () => ({
  unlock: existsSync(join(k.stack.plan.target.dataRoot, 'upgrade.unlock')),
  maintenance: existsSync(join(k.stack.plan.target.root, 'shared/maintenance.on')),
  lock: existsSync(join(k.stack.plan.target.root, '.mokodeploy-lock')),
});

async function killAt(pause: string): Promise<void> {
  const { stack, next: release } = k;
  // the killed run is the one unfinished upgrade run: nothing closed it
  const killed = await killUpgradeAt(stack, release, { store, pause });
  expect(killed?.records.some((r) => r.type === 'run-finished')).toBe(false);
  killedRun = killed!;
}

let killedRun: NonNullable<ReturnType<typeof openRun>>;

async function rollBack(): Promise<void> {
  const { stack, next: release, before, oldRelease } = k;
  const interrupted = openRun(store, 'acme-upgrade.upgrade');
  const ctx = await upgradeContext(stack, upgradePlan(stack, release)).catch(() => undefined);
  const base = ctx ?? { ...stack.ctx };
  const facts = await gatherRollbackFacts(stack.host, stack.plan, {
    phpReload: upgradeOverrides(stack).phpReload,
    reason: 'killed during the upgrade (test)',
  });
  const r = await runRollback({
    ...engineFor(stack, { ...base, plan: stack.plan, facts: { ...facts } }, store),
  });
  expect(r.ok, r.reason).toBe(true);
  expect(current()).toBe(oldRelease);
  expect(await dataFingerprint(stack)).toEqual(before);
  expect(leftovers()).toEqual({ unlock: false, maintenance: false, lock: false });
  // an interrupted upgrade is closed (rolled back): the next upgrade starts afresh
  expect(openRun(store, 'acme-upgrade.upgrade')).toBeUndefined();
  if (interrupted)
    expect(
      listRuns(store, 'acme-upgrade.upgrade').find((x) => x.runId === interrupted.runId)?.closed?.outcome,
    ).toBe('rolled-back');
}

async function resume(): Promise<void> {
  const { stack, next: release } = k;
  const ctx = await upgradeContext(stack, upgradePlan(stack, release));
  const resumeStarted = Date.now();
  const r = await runUpgrade({ ...engineFor(stack, ctx, store), probe: false });
  expect(r.outcome, r.reason).toBe('upgraded');
  expect(r.resumed).toBe(true);
  expect(r.steps.some((s) => s.skipped)).toBe(true);
  // the killed run ends as abandoned, with its times; the resumed run is closed done
  const runs = listRuns(store, 'acme-upgrade.upgrade');
  const killed = runs.find((x) => x.runId === killedRun.runId)!;
  expect(killed.closed).toMatchObject({ outcome: 'abandoned', endedAt: killedRun.records.at(-1)!.at });
  expect(killed.closed?.startedAt).toBe(killedRun.records[0]!.at);
  expect(runs.find((x) => x.runId === r.runId)?.closed?.outcome).toBe('done');
  // honest outage: from the killed run's maintenance on to the resumed run's maintenance off
  const on = killedRun.records.find(
    (x): x is Extract<JournalRecord, { type: 'step-done' }> =>
      x.type === 'step-done' && x.step === 'upgrade:maintenance-on',
  );
  expect(on).toBeDefined();
  const to = Date.parse(r.outage!.to!);
  expect(Date.parse(r.outage!.from)).toBeLessThanOrEqual(Date.parse(on!.at));
  // the recorded outage covers the whole time: the killed run's part, the time it lay dead, the resumed run's part
  const downtime = recordedDowntime(r.downtime?.downtimeSeconds, r.outage)!;
  expect(downtime).toBeGreaterThanOrEqual((to - Date.parse(on!.at)) / 1000);
  // killed inside the outage: the time it lay dead is outage too
  const off = killedRun.records.some((x) => x.type === 'step-done' && x.step === 'upgrade:maintenance-off');
  if (!off) expect(downtime).toBeGreaterThan((resumeStarted - Date.parse(on!.at)) / 1000);

  expect(
    await stack.db.rootClient.query(
      "SELECT value FROM acme_crm.llx_const WHERE name = 'MAIN_VERSION_LAST_UPGRADE'",
    ),
  ).toEqual([['20.0.2']]);
  expect(await stack.db.rootClient.query('SELECT nom FROM acme_crm.llx_societe ORDER BY rowid')).toEqual([
    ['Alpha SARL'],
    ['Beta GmbH'],
    ['Gamma Ltd'],
  ]);
  expect(leftovers()).toEqual({ unlock: false, maintenance: false, lock: false });
  expect(r.health?.ok).toBe(true);
}

describe('kill -9 during the upgrade, then resume or roll back', () => {
  it('killed right after the switch (maintenance on, DB not migrated): rollback restores everything', async () => {
    await killAt('step-done:upgrade:switch');
    await rollBack();
  }, 240_000);

  it('killed before the migration starts: a new run resumes and finishes the upgrade; then rolled back', async () => {
    await killAt('step-start:upgrade:migrate-19.0.0-20.0.0');
    await resume();
    await rollBack();
  }, 300_000);

  it('killed right after the migration (still in maintenance): rollback restores the pre-upgrade data', async () => {
    await killAt('step-done:upgrade:migrate-19.0.0-20.0.0');
    await rollBack();
  }, 240_000);

  it('killed after maintenance off (unlock not yet removed): a new run resumes and finishes', async () => {
    await killAt('step-done:upgrade:maintenance-off');
    await resume();
  }, 240_000);
});
