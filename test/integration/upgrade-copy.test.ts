import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLiveDatabase } from '../../src/backup/live-database.js';
import { cronFilePath } from '../../src/steps/install/configure-cron.js';
import { runCopyUpgrade, type CopyUpgradeResult } from '../../src/steps/upgrade-copy/run-copy-upgrade.js';
import { runRollbackBeforeWrites } from '../../src/steps/rollback/run-before-writes.js';
import {
  pauseCron,
  readOnlyOffStep,
  readOnlyOn,
  resumeCronStep,
} from '../../src/steps/upgrade-copy/read-only.js';
import { runPipeline } from '../../src/steps/upgrade/engine-run.js';
import { runRehearsal } from '../../src/steps/rehearse/run-rehearsal.js';
import { checkSiteHealth } from '../../src/steps/upgrade/health.js';
import { ownConfMarker, releaseStateDir } from '../../src/steps/upgrade-copy/release-conf.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import {
  addBusinessData,
  dataFingerprint,
  engineFor,
  upgradeContext,
  upgradePlan,
} from '../helpers/upgrade/index.js';

/**
 * Issue 19 against real MariaDB, PHP-FPM and nginx with the fixture release: the upgrade by copy. A migration that
 * fails on the copy leaves the live database untouched and the old release writable again; a good one swaps the
 * migrated copy in with under a second of outage and keeps the old database whole in an archive schema; the
 * rollback before writes swaps it back and switches back in under a second, nothing restored.
 */
let stack: InstallStack;
let good: FixtureRelease;
let broken: FixtureRelease;
const out = mkdtempSync(join(tmpdir(), 'moko-upgrade-copy-test-'));
let before: Record<string, string>;
const q = (sql: string) => stack.db.rootClient.query(sql);
const root = () => stack.plan.target.root;
const current = () => readlinkSync(join(root(), 'current'));
const confOf = (release: string) => join(root(), 'releases', release, 'htdocs/conf/conf.php');
/** The release's own conf.php (a file requiring the shared one), not a symlink (issue 19, release-conf.ts). */
const ownConf = (release: string) =>
  !lstatSync(confOf(release)).isSymbolicLink() &&
  readFileSync(confOf(release), 'utf8').includes(ownConfMarker);
/** The release's read-only state files present. */
const readOnlyFiles = (release: string) =>
  ['read-only', 'read-only-web'].filter((k) => existsSync(join(releaseStateDir(root()), `${release}.${k}`)));
const schemas = async () => (await q("SHOW DATABASES LIKE 'acme\\_crm\\_mk%'")).map((r) => r[0]).sort();

const withoutUserChecksum = (f: Record<string, string>) => ({ ...f, llx_user: f.llx_user?.split(' ')[0] });

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  good = buildFixtureRelease({ version: '20.0.2' }, join(out, 'good'));
  broken = buildFixtureRelease({ version: '20.0.2', brokenMigration: true }, join(out, 'broken'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  await addBusinessData(stack);
  before = await dataFingerprint(stack);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('read-only mode of the served release (the write-unavailable window)', () => {
  it('a login works and writes nothing, cron is paused; afterwards writable again', async () => {
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const e = engineFor(stack, ctx);
    // the columns main.inc.php's login writes (user.class.php update_last_login_date(), l.2295-2301 in 19.0.4)
    const users = async () =>
      JSON.stringify(await q('SELECT datelastlogin, datepreviouslogin, iplastlogin FROM acme_crm.llx_user'));
    const on = await runPipeline(
      e,
      'read-only-test',
      // no reload: the state file is tested by the release's own conf.php on every request
      [pauseCron, readOnlyOn],
      ctx.facts,
    );
    expect(on.error?.describe?.() ?? '').toBe('');
    expect(existsSync(cronFilePath(ctx))).toBe(false);
    const frozen = await users();
    expect((await checkSiteHealth(ctx, e.access)).ok).toBe(true);
    // main.inc.php l.1191 (19.0.4) ignores update_last_login_date()'s failure: the login goes on, nothing written
    expect(await users()).toBe(frozen);
    const off = await runPipeline(
      e,
      'read-only-test',
      [readOnlyOffStep('test:off'), resumeCronStep('test:cron')],
      ctx.facts,
    );
    expect(off.error?.describe?.() ?? '').toBe('');
    expect(existsSync(cronFilePath(ctx))).toBe(true);
    expect((await checkSiteHealth(ctx, e.access)).ok).toBe(true);
    expect(await users()).not.toBe(frozen);
    before = await dataFingerprint(stack);
  }, 120_000);
});

describe('upgrade by copy 19.0.4 -> 20.0.2', () => {
  let done: CopyUpgradeResult;

  it('a migration failing on the copy: live database untouched, old release writable again, copy dropped, release marked bad', async () => {
    const served = current();
    const ctx = await upgradeContext(stack, upgradePlan(stack, broken));
    const r = await runCopyUpgrade({ ...engineFor(stack, ctx) });
    expect(r.outcome, r.reason).toBe('failed-before-switch');
    expect(r.failedStep).toBe('upgrade:migrate-copy-19.0.0-20.0.0');
    expect(r.steps.map((s) => s.id)).toContain('upgrade:read-only-on');
    expect(current()).toBe(served);
    expect(await dataFingerprint(stack)).toEqual(before);
    expect(await schemas()).toEqual([]);
    expect(ownConf(served.replace('releases/', ''))).toBe(true);
    expect(readOnlyFiles(served.replace('releases/', ''))).toEqual([]);
    expect(existsSync(cronFilePath(ctx))).toBe(true);
    expect(readFileSync(join(root(), 'releases', r.newRelease, '.mokodeploy-bad'), 'utf8')).toContain(
      'upgrade.php',
    );
    expect(r.writeUnavailable?.seconds).toBeGreaterThan(0);
    expect(r.downtime?.downtimeSeconds).toBeLessThan(1);
  }, 180_000);

  it('rehearsal by copy: predicts writes unavailable and the switch on a throwaway copy; production untouched', async () => {
    const served = current();
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const r = await runRehearsal(engineFor(stack, ctx), { engine: 'copy' });
    expect(r.upgrade?.outcome, r.upgrade?.reason).toBe('upgraded');
    expect(r.predictedWriteUnavailableSeconds).toBeGreaterThan(0);
    expect(r.predictedSwitchSeconds).toBeGreaterThan(0);
    expect(r.removed).toBe(true);
    expect(await q("SHOW DATABASES LIKE 'acme\\_crm\\_rehearsal%'")).toEqual([]);
    expect(current()).toBe(served);
    expect(existsSync(cronFilePath(ctx))).toBe(true);
    expect(await dataFingerprint(stack)).toEqual(before);
    console.log(
      `fixture rehearsal by copy: writes unavailable ${r.predictedWriteUnavailableSeconds} s, switch ${r.predictedSwitchSeconds} s`,
    );
  }, 240_000);

  it('a good upgrade: the site moves to the migrated copy by `current` alone (no metadata lock on the live schema), the old database kept whole, outage under a second', async () => {
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    // a reader holding a table the migration changes, open across the whole upgrade: a RENAME TABLE of it would
    // wait for this transaction (lock_wait_timeout, a day by default) and every later reader behind it
    const reader = holdReadTransaction('acme_crm', 'llx_const');
    await reader.ready;
    done = await runCopyUpgrade({ ...engineFor(stack, ctx) });
    reader.end();
    expect(done.outcome, done.reason).toBe('upgraded');
    expect(current()).toBe(`releases/${done.newRelease}`);
    const live = done.liveDatabase!;
    expect(live).toMatch(/^acme_crm_mk\d{14}$/);
    expect(done.archiveDatabase).toBe('acme_crm');
    // the site's conf.php names it (read back as every later command does), the shared one included
    expect(await liveOnTarget()).toBe(live);
    expect(readFileSync(join(root(), 'shared/conf/conf.php'), 'utf8')).toContain(`'${live}'`);
    expect(
      await q(`SELECT value FROM ${live}.llx_const WHERE name = 'MAIN_VERSION_LAST_UPGRADE' AND entity = 0`),
    ).toEqual([['20.0.2']]);
    expect(await q(`SHOW COLUMNS FROM ${live}.llx_product LIKE 'fixture_v20'`)).toHaveLength(1);
    expect(await q(`SELECT nom FROM ${live}.llx_societe ORDER BY rowid`)).toEqual([
      ['Alpha SARL'],
      ['Beta GmbH'],
      ['Gamma Ltd'],
    ]);
    // the old database, never written, is left as it was: exactly the data before the upgrade
    expect(await dataFingerprint(stack, 'acme_crm')).toEqual(before);
    expect(await q("SHOW COLUMNS FROM acme_crm.llx_product LIKE 'fixture_v20'")).toHaveLength(0);
    expect(done.steps.map((x) => x.id).filter((id) => /swap|compare/.test(id))).toEqual([]);
    for (const release of [done.newRelease, done.previousRelease]) {
      expect(ownConf(release)).toBe(true);
      expect(readOnlyFiles(release)).toEqual([]);
    }
    expect(existsSync(cronFilePath(ctx))).toBe(true);
    expect(existsSync(join(stack.plan.target.dataRoot, 'upgrade.unlock'))).toBe(false);
    expect(done.health?.ok).toBe(true);
    expect(done.writeUnavailable?.seconds).toBeGreaterThan(0);
    console.log(
      `fixture copy upgrade: ${(done.durationMs / 1000).toFixed(1)} s, writes unavailable ${done.writeUnavailable?.seconds} s, outage ${done.downtime!.downtimeSeconds} s (${done.downtime!.failedSamples}/${done.downtime!.samples})`,
      JSON.stringify(done.steps),
    );
    expect(done.downtime!.downtimeSeconds).toBeLessThan(1);
    expect(done.downtime!.samples).toBeGreaterThan(5);
  }, 180_000);

  it('rollback before writes: the old release on the old database again, current back, nothing restored, under a second', async () => {
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const r = await runRollbackBeforeWrites({
      ...engineFor(stack, { ...ctx, facts: { ...done.facts, badRelease: done.newRelease, reason: 'test' } }),
    });
    expect(r.ok, r.reason).toBe(true);
    expect(current()).toBe(`releases/${done.previousRelease}`);
    expect(await liveOnTarget()).toBe('acme_crm');
    // the old data exactly, but for the last-login dates the rollback's own health check wrote (main.inc.php l.1264)
    const after = await dataFingerprint(stack);
    expect(withoutUserChecksum(after)).toEqual(withoutUserChecksum(before));
    expect(r.steps.map((s) => s.id)).not.toContain('rollback:restore-database');
    expect(r.steps.map((s) => s.id)).toContain('rollback:check-writes');
    // the copy the new release used stays whole for the analysis
    expect(await schemas()).toContain(done.liveDatabase);
    for (const release of [done.newRelease, done.previousRelease]) {
      expect(ownConf(release)).toBe(true);
      expect(readOnlyFiles(release)).toEqual([]);
    }
    expect(r.health?.ok).toBe(true);
    console.log(
      `fixture rollback before writes: ${(r.durationMs / 1000).toFixed(2)} s (check ${r.checkMs} ms), outage ${r.downtime?.downtimeSeconds} s`,
      JSON.stringify(r.steps),
      JSON.stringify(r.downtime?.outages),
      JSON.stringify(r.switchWindow),
    );
    expect(r.downtime!.downtimeSeconds).toBeLessThan(1);
  }, 120_000);

  let again: CopyUpgradeResult;
  it('after that rollback, a new upgrade by copy works (a new copy, a new name)', async () => {
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    again = await runCopyUpgrade({ ...engineFor(stack, ctx) });
    expect(again.outcome, again.reason).toBe('upgraded');
    expect(again.archiveDatabase).toBe('acme_crm');
    expect(again.liveDatabase).not.toBe(done.liveDatabase);
    expect(await liveOnTarget()).toBe(again.liveDatabase);
  }, 180_000);

  it('a client write after the switch: the rollback before writes refuses, the new release serves on, writable', async () => {
    const live = again.liveDatabase!;
    await q(
      `INSERT INTO ${live}.llx_societe (nom, client, code_client, datec) VALUES ('Written after the switch', 1, 'CU0777', NOW())`,
    );
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    await expect(
      runRollbackBeforeWrites({
        ...engineFor(stack, {
          ...ctx,
          facts: { ...again.facts, badRelease: again.newRelease, reason: 'test' },
        }),
      }),
    ).rejects.toThrow(/changed since the switch[\s\S]*llx_societe/);
    expect(current()).toBe(`releases/${again.newRelease}`);
    expect(await liveOnTarget()).toBe(live);
    expect(ownConf(again.newRelease)).toBe(true);
    expect(readOnlyFiles(again.newRelease)).toEqual([]);
    expect(await q(`SELECT COUNT(*) FROM ${live}.llx_societe WHERE code_client = 'CU0777'`)).toEqual([['1']]);
  }, 120_000);

  it('a second upgrade by copy from a copy: the live name moves on again, the data follows, and its rollback goes back to the first copy', async () => {
    const from = again.liveDatabase!;
    const plan = { ...upgradePlan(stack, good), kind: 'customization' as const };
    const ctx = await upgradeContext(stack, plan);
    const second = await runCopyUpgrade({ ...engineFor(stack, ctx) });
    expect(second.outcome, second.reason).toBe('upgraded');
    expect(second.archiveDatabase).toBe(from);
    expect(second.liveDatabase).toMatch(/^acme_crm_mk\d{14}$/);
    expect(second.liveDatabase).not.toBe(from);
    expect(await liveOnTarget()).toBe(second.liveDatabase);
    expect(
      await q(`SELECT COUNT(*) FROM ${second.liveDatabase!}.llx_societe WHERE code_client = 'CU0777'`),
    ).toEqual([['1']]);
    const r = await runRollbackBeforeWrites({
      ...engineFor(stack, {
        ...ctx,
        facts: { ...second.facts, badRelease: second.newRelease, reason: 'test' },
      }),
    });
    expect(r.ok, r.reason).toBe(true);
    expect(current()).toBe(`releases/${second.previousRelease}`);
    expect(await liveOnTarget()).toBe(from);
  }, 240_000);
});

/** `$dolibarr_main_db_name` as `current`'s conf.php sets it, read on the target as the commands do. */
async function liveOnTarget(): Promise<string | undefined> {
  return readLiveDatabase(stack.host, stack.plan);
}

/** A client with an open transaction that has read `table` (a shared metadata lock until it ends). */
function holdReadTransaction(db: string, table: string) {
  const [cmd, ...args] = stack.db.rootClient.argv;
  const child = spawn(cmd!, [...args, '--unbuffered'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdin.write(`START TRANSACTION;\nSELECT COUNT(*) FROM \`${db}\`.\`${table}\`;\n`);
  return {
    ready,
    end() {
      child.stdin.end('COMMIT;\n');
    },
  };
}
