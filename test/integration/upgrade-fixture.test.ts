import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupPipeline } from '../../src/backup/index.js';
import { readBackup } from '../../src/backup/read.js';
import { runPipeline } from '../../src/steps/upgrade/engine-run.js';
import { runUpgrade, type UpgradeResult } from '../../src/steps/upgrade/run-upgrade.js';
import { runRollback } from '../../src/steps/rollback/run-rollback.js';
import { runRehearsal } from '../../src/steps/rehearse/run-rehearsal.js';
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
 * Issue 5 against real MariaDB, PHP-FPM and nginx with the fixture release: 19.0.4 installed with data; a backup;
 * an upgrade to a 20.0.2 whose migration fails half-way rolls itself back (data identical, checksums); a good
 * upgrade to 20.0.2 with seconds of downtime; a rollback on demand back to 19.0.4, verified.
 */
let stack: InstallStack;
let good: FixtureRelease;
let broken: FixtureRelease;
const out = mkdtempSync(join(tmpdir(), 'moko-upgrade-test-'));
let before: Record<string, string>;
const q = (sql: string) => stack.db.rootClient.query(sql);
const current = () => readlinkSync(join(stack.plan.target.root, 'current'));
const sha = (p: string) => execFileSync('sha256sum', [p]).toString().split(' ')[0];

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

describe('backup', () => {
  it('dumps, archives, test-restores into a scratch database and writes a manifest of sha256 sums', async () => {
    const ctx = { ...stack.ctx, facts: { ...stack.ctx.facts, stamp: '20260101000000' } };
    const run = await runPipeline(engineFor(stack, ctx), 'backup', backupPipeline(), ctx.facts);
    expect(run.error?.describe?.() ?? '').toBe('');
    const b = await readBackup(stack.host, stack.plan.target.backupRoot, '20260101000000');
    expect(b.files.map((f) => f.name).sort()).toEqual([
      'backup.json',
      'conf.php',
      'custom.tar.gz',
      'database.sql',
      'documents.tar.gz',
      'tables/checksums.tsv',
      'tables/rows.tsv',
    ]);
    expect(b.tables.rows.get('llx_societe')).toBe(3);
    expect(execFileSync('sha256sum', ['--check', '--quiet', 'SHA256SUMS'], { cwd: b.dir }).toString()).toBe(
      '',
    );
    // the scratch database is gone, the backup is private
    expect(await q("SHOW DATABASES LIKE 'acme_crm_restoretest'")).toEqual([]);
    expect(execFileSync('stat', ['-c', '%a', b.dir]).toString().trim()).toBe('700');
    expect(await dataFingerprint(stack)).toEqual(before);
  });
});

describe('rehearsal', () => {
  it('restores the latest backup into a throwaway copy, upgrades it, times each step, removes it; production untouched', async () => {
    const served = current();
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const r = await runRehearsal(engineFor(stack, ctx));
    expect(r.restore.ok, r.restore.reason).toBe(true);
    expect(r.upgrade?.outcome, r.upgrade?.reason).toBe('upgraded');
    expect(r.fromVersion).toBe('19.0.4');
    expect(r.upgrade!.steps.map((s) => s.id)).toContain('upgrade:migrate-19.0.0-20.0.0');
    expect(r.predictedDowntimeSeconds).toBeGreaterThan(0);
    expect(r.removed).toBe(true);
    expect(existsSync(`${stack.plan.target.root}-rehearsal`)).toBe(false);
    expect(await q("SHOW DATABASES LIKE 'acme_crm_rehearsal'")).toEqual([]);
    expect(current()).toBe(served);
    expect(await dataFingerprint(stack)).toEqual(before);
    console.log(
      `fixture rehearsal: predicted downtime ${r.predictedDowntimeSeconds} s, ${(r.durationMs / 1000).toFixed(1)} s in all`,
    );
  }, 240_000);
});

describe('upgrade 19.0.4 -> 20.0.2', () => {
  let failed: UpgradeResult;
  let done: UpgradeResult;

  it('a migration failing half-way rolls back by itself: old release served, data identical, release marked bad', async () => {
    const oldRelease = current();
    const confSum = sha(join(stack.plan.target.root, 'shared/conf/conf.php'));
    const ctx = await upgradeContext(stack, upgradePlan(stack, broken));
    failed = await runUpgrade({ ...engineFor(stack, ctx) });
    expect(failed.outcome, failed.reason).toBe('rolled-back');
    expect(failed.failedStep).toBe('upgrade:migrate-19.0.0-20.0.0');
    expect(current()).toBe(oldRelease);
    expect(await dataFingerprint(stack)).toEqual(before);
    expect(await q("SHOW TABLES FROM acme_crm LIKE 'llx_fixture_new_in_upgrade'")).toEqual([]);
    expect(existsSync(join(stack.plan.target.dataRoot, 'upgrade.unlock'))).toBe(false);
    expect(existsSync(join(stack.plan.target.dataRoot, 'install.lock'))).toBe(true);
    expect(existsSync(join(stack.plan.target.root, 'shared/maintenance.on'))).toBe(false);
    expect(
      readFileSync(join(stack.plan.target.root, 'releases', failed.newRelease, '.mokodeploy-bad'), 'utf8'),
    ).toContain('upgrade.php');
    expect(sha(join(stack.plan.target.root, 'shared/conf/conf.php'))).toBe(confSum);
    expect(failed.health?.ok).toBe(true);
    expect(failed.rollbackSteps?.map((s) => s.id)).toContain('rollback:verify-data');
  }, 180_000);

  it('a good upgrade: Dolibarr migrated, conf.php untouched, no upgrade.unlock, login works, seconds of downtime', async () => {
    const confSum = sha(join(stack.plan.target.root, 'shared/conf/conf.php'));
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    done = await runUpgrade({ ...engineFor(stack, ctx) });
    expect(done.outcome, done.reason).toBe('upgraded');
    expect(current()).toBe(`releases/${done.newRelease}`);
    expect(
      await q("SELECT value FROM acme_crm.llx_const WHERE name = 'MAIN_VERSION_LAST_UPGRADE' AND entity = 0"),
    ).toEqual([['20.0.2']]);
    expect(await q("SHOW COLUMNS FROM acme_crm.llx_product LIKE 'fixture_v20'")).toHaveLength(1);
    expect(await q('SELECT nom FROM acme_crm.llx_societe ORDER BY rowid')).toEqual([
      ['Alpha SARL'],
      ['Beta GmbH'],
      ['Gamma Ltd'],
    ]);
    expect(sha(join(stack.plan.target.root, 'shared/conf/conf.php'))).toBe(confSum);
    expect(
      readlinkSync(join(stack.plan.target.root, 'releases', done.newRelease, 'htdocs/conf/conf.php')),
    ).toBe(join(stack.plan.target.root, 'shared/conf/conf.php'));
    expect(existsSync(join(stack.plan.target.dataRoot, 'upgrade.unlock'))).toBe(false);
    expect(existsSync(join(stack.plan.target.dataRoot, 'install.lock'))).toBe(true);
    expect(done.health?.ok).toBe(true);
    console.log(
      `fixture upgrade: ${(done.durationMs / 1000).toFixed(1)} s, downtime ${done.downtime!.downtimeSeconds} s (${done.downtime!.failedSamples}/${done.downtime!.samples} probes failed)`,
      JSON.stringify(done.steps),
      JSON.stringify(done.downtime),
    );
    expect(done.downtime!.downtimeSeconds).toBeLessThanOrEqual(3);
    expect(done.downtime!.samples).toBeGreaterThan(5);
  }, 180_000);

  it('rollback on demand goes back to 19.0.4, verified against the backup (row counts, checksums) and by a login', async () => {
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const facts = {
      ...done.facts,
      backupStamp: done.backupStamp,
      badRelease: done.newRelease,
      reason: 'client request (test)',
    };
    const r = await runRollback({ ...engineFor(stack, { ...ctx, facts }) });
    expect(r.ok, r.reason).toBe(true);
    expect(current()).toBe(`releases/${done.previousRelease}`);
    expect(await dataFingerprint(stack)).toEqual(before);
    expect(
      await q("SELECT COUNT(*) FROM acme_crm.llx_const WHERE name = 'MAIN_VERSION_LAST_UPGRADE'"),
    ).toEqual([['0']]);
    expect(r.backup?.tables.rows.get('llx_societe')).toBe(3);
    expect(r.health?.ok).toBe(true);
  }, 180_000);
});
