import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { cliDeployWorkspace } from '../helpers/cli-deploy-workspace.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';

/**
 * Policy "Rollback Procedures: Decide -> Notify stakeholders -> Execute" when the upgrade rolls itself back (a
 * broken migration, in place, through the CLI on the fixture site): the engine's decision is recorded once as a
 * 'rollback-decided' entry with the trigger that fired, and the stakeholders' "rollback decided" message is queued
 * once per recipient, besides the "rollback completed" one.
 */
let stack: InstallStack;
let broken: FixtureRelease;
let site: string[];
const ws = cliDeployWorkspace('moko-upgrade-rollback-notify-');
const { out, home, cli } = ws;
const id = 'acme-auto-rollback';

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  broken = buildFixtureRelease({ version: '20.0.2', brokenMigration: true }, join(out, 'broken'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  site = ws.useSite(stack);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe("an upgrade's automatic rollback tells the stakeholders it was decided", () => {
  it('one rollback-decided entry with the trigger that fired, its message once per recipient', async () => {
    const contacts = [
      { name: 'Jane Client', email: 'jane@client.test', role: 'approver' as const },
      { name: 'Ivan IT', email: 'it@client.test', role: 'it' as const },
    ];
    await ws.scheduleUpgrade(id, { plan: ws.writeUpgradePlan(stack.plan, broken, id, { contacts }), site });
    expect(await cli('upgrade', id, '--in-place', '--as', 'tina', ...site)).not.toBe(0);

    const record = await ws.record(id);
    expect(record.state).toBe('rolled-back');
    // the broken migration left the database half migrated: data integrity, on the decision and the rollback alike
    expect(record.rollbacks.at(-1)).toMatchObject({ trigger: 'data-integrity' });
    const store = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    try {
      const decided = (await store.auditEntries()).filter((e) => e.action === 'rollback-decided');
      expect(decided).toHaveLength(1);
      expect(decided[0]).toMatchObject({
        actor: 'tina',
        deploymentId: id,
        after: {
          trigger: 'data-integrity',
          reason: expect.stringMatching(/^automatic rollback: .*upgrade:migrate/),
        },
      });
      const outbox = await store.outbox({ deploymentId: id });
      const said = outbox.filter((m) => m.event === 'rollback-decided');
      expect(said.map((m) => m.recipient).sort()).toEqual(['it@client.test', 'jane@client.test']);
      expect(new Set(said.map((m) => m.recipient)).size).toBe(said.length); // once each
      for (const m of said) expect(m.subject).toContain('(data-integrity)');
      // told before it was done: the decision's messages come before the completion's
      const completed = outbox.filter((m) => m.event === 'rollback-completed');
      expect(completed.length).toBe(said.length);
      expect(Math.max(...said.map((m) => m.id))).toBeLessThan(Math.min(...completed.map((m) => m.id)));
    } finally {
      await store.close();
    }
  }, 400_000);
});
