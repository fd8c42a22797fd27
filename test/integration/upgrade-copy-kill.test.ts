import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLiveDatabase } from '../../src/backup/live-database.js';
import { listRuns } from '../../src/runner/index.js';
import { runCopyUpgrade } from '../../src/steps/upgrade-copy/run-copy-upgrade.js';
import { runRollbackBeforeWrites } from '../../src/steps/rollback/run-before-writes.js';
import { dataFingerprint, engineFor, upgradeContext, upgradePlan } from '../helpers/upgrade/index.js';
import { killUpgradeAt, useStackToKill } from '../helpers/upgrade/kill.js';
import { servedRelease } from '../helpers/upgrade/served.js';

/**
 * Issue 19 fault injection for the upgrade by copy: killed (SIGKILL) right after `current` moved to the new release
 * and before the shared conf.php names the copy (the moment the live database's name is recorded on the target).
 * The site already serves the copy (the new release's own conf.php names it); a new run resumes with the killed
 * run's facts (its stamp: the same copy), names the copy in the shared conf.php and finishes; every later command
 * reads the live name back from the target. Its rollback before writes then goes back to the database the killed
 * run started from.
 */
const k = useStackToKill('moko-upgrade-copy-kill-');
const { store } = k;
const current = () => servedRelease(k.stack);

describe('kill -9 of an upgrade by copy between the switch and the live name', () => {
  it('resumes to a working upgrade on the copy, and its rollback before writes goes back', async () => {
    const { stack, next: release, before, oldRelease } = k;
    const plan = upgradePlan(stack, release);
    const killed = (await killUpgradeAt(stack, release, {
      store,
      pause: 'step-done:upgrade:switch',
      engine: 'copy',
    }))!;
    const stamp = String(killed.records.find((r) => r.type === 'run-started')?.facts.stamp);
    const copy = `acme_crm_mk${stamp}`;
    // killed after `current` moved: the new release serves the copy through its own conf.php; the shared one still
    // names the old database
    expect(current()).not.toBe(oldRelease);
    expect(await readLiveDatabase(stack.host, stack.plan)).toBe(copy);
    expect(readFileSync(join(stack.plan.target.root, 'shared/conf/conf.php'), 'utf8')).toContain(
      "'acme_crm'",
    );

    const ctx = await upgradeContext(stack, plan);
    const r = await runCopyUpgrade({ ...engineFor(stack, ctx, store), probe: false });
    expect(r.outcome, r.reason).toBe('upgraded');
    expect(r.resumed).toBe(true);
    // the killed run's copy, not a new one: its stamp came from its journal, not from the target as it is now
    expect(r.liveDatabase).toBe(copy);
    expect(r.archiveDatabase).toBe('acme_crm');
    expect(r.steps.find((s) => s.id === 'upgrade:copy-database')?.skipped).toBe(true);
    expect(await readLiveDatabase(stack.host, stack.plan)).toBe(copy);
    expect(readFileSync(join(stack.plan.target.root, 'shared/conf/conf.php'), 'utf8')).toContain(`'${copy}'`);
    expect(
      await stack.db.rootClient.query(
        `SELECT value FROM ${copy}.llx_const WHERE name = 'MAIN_VERSION_LAST_UPGRADE' AND entity = 0`,
      ),
    ).toEqual([['20.0.2']]);
    expect(await dataFingerprint(stack, 'acme_crm')).toEqual(before);
    expect(existsSync(join(stack.plan.target.dataRoot, 'upgrade.unlock'))).toBe(false);
    expect(r.health?.ok).toBe(true);
    const runs = listRuns(store, 'acme-upgrade.upgrade');
    expect(runs.find((x) => x.runId === killed.runId)?.closed?.outcome).toBe('abandoned');

    const back = await runRollbackBeforeWrites({
      ...engineFor(stack, { ...ctx, facts: { ...r.facts, badRelease: r.newRelease, reason: 'test' } }, store),
      probe: false,
    });
    expect(back.ok, back.reason).toBe(true);
    expect(current()).toBe(oldRelease);
    expect(await readLiveDatabase(stack.host, stack.plan)).toBe('acme_crm');
  }, 300_000);
});
