import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/context.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { releaseStamp } from '../../src/dolibarr/layout.js';
import { pruneArchivesAtHypercareEnd } from '../../src/hypercare/prune-archives.js';
import type { FixtureRelease } from '../helpers/fixture-release/build.js';
import { cliDeployWorkspace } from '../helpers/cli-deploy-workspace.js';
import type { InstallStack } from '../helpers/install-stack/index.js';
import { servedDatabase } from '../helpers/upgrade/served.js';
import { startStackForUpgrade } from '../helpers/upgrade/stack-for-upgrade.js';

/**
 * Issue 19 archive retention run by itself, through the CLI on the fixture (real MariaDB, PHP-FPM, nginx): two
 * upgrades by copy in a row (A 19.0.4 -> 20.0.2, then B, a customization of 20.0.2). B starts by pruning what the
 * rules give up (a failed schema and an old archive, weeks old) and keeps the newest archive, the database A left,
 * because A's hypercare has not ended; recorded on B as facts.archivesPruned (audited). When hypercare ends (what
 * `close` runs after the close gate), the archives go, except the newest while the deployment that left it (B) is
 * still in hypercare; the live database never.
 */
let stack: InstallStack;
let next: FixtureRelease;
const ws = cliDeployWorkspace('moko-archives-auto-');
let site: string[];
const q = (sql: string) => stack.db.rootClient.query(sql);
const schemas = async () => (await q("SHOW DATABASES LIKE 'acme\\_crm%'")).map((r) => r[0]!).sort();
const daysAgo = (d: number) => releaseStamp(new Date(Date.now() - d * 86_400_000));
const staleFailed = `acme_crm_mkbad${daysAgo(40)}`;
const staleOld = `acme_crm_mkold${daysAgo(50)}`;
const live = () => servedDatabase(stack);
const app = () =>
  createApp({ home: ws.home, env: { ...process.env, ...ws.env }, stdout: sink, stderr: sink });
const sink = Object.assign(new PassThrough(), { isTTY: false });

/** The end of hypercare as the record has it once `close` went through (the state the close gate leads to). */
async function closed(id: string): Promise<void> {
  const store = await app().store();
  await store.mutate(id, (r: DeploymentRecord) => ({
    record: { ...r, state: 'closed' },
    audit: {
      at: new Date().toISOString(),
      actor: 'dave',
      role: 'deployment-manager',
      action: 'close',
      deploymentId: id,
      summary: 'closed the deployment (test: hypercare over)',
      before: { state: r.state },
      after: { state: 'closed' },
    },
  }));
}

beforeAll(async () => {
  ({ stack, next } = await startStackForUpgrade(ws.out));
  site = ws.useSite(stack);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', ws.out]);
});

describe('archive retention runs by itself (issue 19)', () => {
  let liveA = '';
  let liveB = '';

  it('two upgrades by copy in a row: the second prunes first, keeping the newest archive and the live database', async () => {
    await ws.scheduleUpgrade('acme-up-a', { plan: ws.writeUpgradePlan(stack.plan, next, 'acme-up-a'), site });
    expect(await ws.cli('upgrade', 'acme-up-a', '--as', 'tina', ...site)).toBe(0);
    liveA = live();
    expect(liveA).toMatch(/^acme_crm_mk\d{14}$/);
    expect((await ws.record('acme-up-a')).facts.upgrade).toMatchObject({
      engine: 'copy',
      archiveDatabase: 'acme_crm',
    });
    expect((await ws.record('acme-up-a')).facts.archivesPruned).toBeUndefined(); // nothing to drop then
    // what earlier times left: a failed upgrade's schema and an old archive, weeks old
    for (const s of [staleFailed, staleOld]) await q(`CREATE DATABASE \`${s}\``);

    const planB = ws.writeUpgradePlan(stack.plan, next, 'acme-up-b', { kind: 'customization' });
    await ws.scheduleUpgrade('acme-up-b', { plan: planB, site });
    expect(await ws.cli('upgrade', 'acme-up-b', '--as', 'tina', ...site)).toBe(0);
    liveB = live();
    expect(liveB).not.toBe(liveA);
    // the stale ones gone; the database A left (newest archive when B started: A's hypercare not over) kept
    expect(await schemas()).toEqual(['acme_crm', liveA, liveB].sort());
    const pruned = (await ws.record('acme-up-b')).facts.archivesPruned as Record<string, unknown>;
    expect(pruned).toMatchObject({ trigger: 'upgrade-start', live: liveA, newestGuardedBy: 'acme-up-a' });
    expect((pruned.dropped as string[]).sort()).toEqual([staleFailed, staleOld].sort());
    const audit = await (await app().store()).auditEntries();
    expect(
      audit.some(
        (e) =>
          e.deploymentId === 'acme-up-b' &&
          e.action === 'record-facts' &&
          JSON.stringify(e).includes(staleOld),
      ),
    ).toBe(true);
  }, 600_000);

  it('hypercare ends: older archives go, the newest stays while the deployment that left it is in hypercare', async () => {
    await closed('acme-up-a');
    const a = await pruneArchivesAtHypercareEnd(app(), 'acme-up-a', { as: 'dave' });
    expect(process.exitCode ?? 0).toBe(0);
    expect(a?.dropped).toEqual(['acme_crm']);
    // liveA is what a rollback of B before writes goes back to: B is not even live yet
    expect(await schemas()).toEqual([liveA, liveB].sort());
    expect((await ws.record('acme-up-a')).facts.archivesPruned).toMatchObject({
      trigger: 'hypercare-ended',
      newestGuardedBy: 'acme-up-b',
    });

    await closed('acme-up-b');
    const b = await pruneArchivesAtHypercareEnd(app(), 'acme-up-b', { as: 'dave' });
    expect(b?.dropped).toEqual([liveA]);
    expect(await schemas()).toEqual([liveB]); // the live database, never dropped
    expect(live()).toBe(liveB);
  }, 300_000);
});
