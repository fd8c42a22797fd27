import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsOf } from '../../src/core/metrics.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { listRuns, openRun } from '../../src/runner/index.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { addBusinessData, dataFingerprint } from '../helpers/upgrade/index.js';
import { cliDeployWorkspace } from '../helpers/cli-deploy-workspace.js';

/**
 * Issue 13 "runs that never mix", through the CLI as a user runs it, on the fixture 19.0.4 site (real MariaDB,
 * PHP-FPM, nginx): two backups in a row are both intact; two failed upgrades (a broken migration) with a write
 * between them each restore their own attempt's backup and lose nothing; `rollback` of a rolled-back record changes
 * nothing on the target; `rollback --backup ID` restores that backup.
 */
let stack: InstallStack;
let good: FixtureRelease;
let broken: FixtureRelease;
const ws = cliDeployWorkspace('moko-upgrade-runs-');
const { out, home, env, cli } = ws;
const id = 'acme-runs';
const cliChild = fileURLToPath(new URL('../helpers/upgrade/cli-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let site: string[];
const q = (sql: string) => stack.db.rootClient.query(sql);
const societe = async () => Number((await q('SELECT COUNT(*) FROM acme_crm.llx_societe'))[0]![0]);
const current = () => readlinkSync(join(stack.plan.target.root, 'current'));

const record = (of = id): Promise<DeploymentRecord> => ws.record(of);
const writePlan = (release: FixtureRelease, planId = id): string =>
  ws.writeUpgradePlan(stack.plan, release, planId);

/** From rolled-back to a new scheduled attempt. */
const newAttempt = () => newAttemptOf(id);
async function newAttemptOf(id: string): Promise<void> {
  expect(
    await cli(
      'rollback-analysis',
      id,
      '--as',
      'tina',
      '--root-cause',
      'broken migration (test)',
      '--remediation',
      'fix it',
    ),
  ).toBe(0);
  expect(await cli('retry', id, '--as', 'dave')).toBe(0);
  expect(await cli('ready', id, '--as', 'tina')).toBe(0);
  expect(await cli('schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client')).toBe(0);
}

const backupDirs = () =>
  execFileSync('ls', ['-1', stack.plan.target.backupRoot], { encoding: 'utf8' })
    .split('\n')
    .filter((n) => /^\d{14}$/.test(n));
const checkSums = (stamp: string) =>
  execFileSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], {
    cwd: join(stack.plan.target.backupRoot, stamp),
    encoding: 'utf8',
  });

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  good = buildFixtureRelease({ version: '20.0.2' }, join(out, 'good'));
  broken = buildFixtureRelease({ version: '20.0.2', brokenMigration: true }, join(out, 'broken'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  await addBusinessData(stack);
  site = ws.useSite(stack);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('runs that never mix (issue 13)', () => {
  let firstBackup: string;

  it('two backups in a row: two directories, both intact (sha256sum --check), each run closed', async () => {
    expect(await cli('plan', 'submit', writePlan(broken), '--as', 'tina')).toBe(0);
    expect(await cli('approve', id, '--as', 'dave')).toBe(0);
    expect(await cli('backup', id, '--as', 'tina', ...site)).toBe(0);
    // at once: stamps are to the second, the second backup takes the next free one
    expect(await cli('backup', id, '--as', 'tina', ...site)).toBe(0);
    const dirs = backupDirs();
    expect(dirs).toHaveLength(2);
    for (const stamp of dirs) expect(checkSums(stamp)).toMatch(/database\.sql: OK/);
    firstBackup = dirs[0]!;
    expect((await record()).facts.lastBackup).toMatchObject({ stamp: dirs[1] });
    expect(listRuns(home, `${id}.backup`).map((r) => r.closed?.outcome)).toEqual(['done', 'done']);
  }, 180_000);

  it('two failed upgrades with a write between them: each rollback restores its own backup, nothing lost', async () => {
    expect(await cli('ready', id, '--as', 'tina')).toBe(0);
    expect(await cli('schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client')).toBe(0);
    expect(await cli('upgrade', id, '--in-place', '--as', 'tina', ...site)).not.toBe(0);
    let r = await record();
    expect(r.state).toBe('rolled-back');
    expect(await societe()).toBe(3);
    const firstAttempt = r.facts.lastFailedUpgrade as { backupStamp: string; newRelease: string };

    await newAttempt();
    // the write between them: a customer entered after the first attempt
    await q(
      "INSERT INTO acme_crm.llx_societe (nom, client, code_client, datec) VALUES ('Delta SA', 1, 'CU0004', NOW())",
    );
    const before = await dataFingerprint(stack);
    expect(await cli('upgrade', id, '--in-place', '--as', 'tina', ...site)).not.toBe(0);
    r = await record();
    expect(r.state).toBe('rolled-back');
    const second = r.facts.lastFailedUpgrade as {
      backupStamp: string;
      newRelease: string;
      outcome: string;
      reason: string;
      evidence?: { kind: string; name: string };
    };
    expect(second.outcome).toBe('rolled-back');
    // the second attempt's own backup was restored and verified, not the first attempt's
    expect(second.backupStamp).not.toBe(firstAttempt.backupStamp);
    expect(await societe()).toBe(4);
    expect(await dataFingerprint(stack)).toEqual(before);
    expect(r.facts.badReleases).toEqual([firstAttempt.newRelease, second.newRelease]);
    expect(
      readFileSync(join(stack.plan.target.root, 'releases', second.newRelease, '.mokodeploy-bad'), 'utf8'),
    ).toContain('DB_ERROR_SYNTAX');
    // the cause in the reason: the SQL Dolibarr's page printed and the database's message; the page kept as evidence
    expect(second.reason).toMatch(
      /upgrade\.php 19\.0\.0 20\.0\.0: exit code 1: Error DB_ERROR_SYNTAX \(Req \d+\): ALTER TABLE llx_societe ADD COLUMN fixture_broken \| You have an error in your SQL syntax/,
    );
    expect(second.reason).not.toContain('</html>');
    expect(second.evidence).toMatchObject({ kind: 'file' });
    // every run is closed: the upgrades rolled back, their rollbacks done
    expect(listRuns(home, `${id}.upgrade`).map((x) => x.closed?.outcome)).toEqual([
      'rolled-back',
      'rolled-back',
    ]);
    expect(listRuns(home, `${id}.rollback`).map((x) => x.closed?.outcome)).toEqual(['done', 'done']);
  }, 400_000);

  it('rollback of a rolled-back record is refused before anything runs on the target', async () => {
    await q(
      "INSERT INTO acme_crm.llx_societe (nom, client, code_client, datec) VALUES ('Epsilon BV', 1, 'CU0005', NOW())",
    );
    const before = await dataFingerprint(stack);
    const served = current();
    const rollbacks = listRuns(home, `${id}.rollback`).length;
    const code = await cli(
      'rollback',
      id,
      '--as',
      'tina',
      ...site,
      '--trigger',
      'client-request',
      '--reason',
      'again (test)',
    );
    expect(code).toBe(4);
    expect(await dataFingerprint(stack)).toEqual(before);
    expect(current()).toBe(served);
    expect(existsSync(join(stack.plan.target.root, 'shared/maintenance.on'))).toBe(false);
    expect(listRuns(home, `${id}.rollback`)).toHaveLength(rollbacks);
    expect((await record()).rollbacks).toHaveLength(2);
  }, 120_000);

  it('rollback --backup ID restores that backup, verified against it; its downtime is in the metrics', async () => {
    // a good upgrade of the same site under a second record, then rolled back to the very first backup
    const goodId = `${id}-good`;
    expect(await cli('plan', 'submit', writePlan(good, goodId), '--as', 'tina')).toBe(0);
    expect(await cli('approve', goodId, '--as', 'dave')).toBe(0);
    expect(await cli('backup', goodId, '--as', 'tina', ...site)).toBe(0);
    expect(await cli('ready', goodId, '--as', 'tina')).toBe(0);
    expect(await cli('schedule', goodId, '--as', 'dave', '--client-approved-by', 'Jane Client')).toBe(0);
    expect(await cli('upgrade', goodId, '--in-place', '--as', 'tina', ...site)).toBe(0);
    expect(current()).toMatch(/20\.0\.2-/);
    expect(await societe()).toBe(5);
    const code = await cli(
      'rollback',
      goodId,
      '--as',
      'tina',
      ...site,
      '--trigger',
      'client-request',
      '--reason',
      'back to the first backup (test)',
      '--backup',
      firstBackup,
      // issue 25: Delta and Epsilon, entered since that backup, are discarded (and kept as evidence)
      '--discard-changes',
    );
    expect(code).toBe(0);
    const rows = readFileSync(join(stack.plan.target.backupRoot, firstBackup, 'tables/rows.tsv'), 'utf8');
    expect(rows).toMatch(/^llx_societe\t3$/m);
    expect(await societe()).toBe(3);
    expect(current()).toMatch(/19\.0\.4-/);
    const store = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    const r = (await store.get(goodId))!.record;
    await store.close();
    expect(r.facts.lastRollback).toMatchObject({ backup: firstBackup, verified: { login: true } });
    const rollbackDowntime = (r.facts.lastRollback as { downtimeSeconds: number }).downtimeSeconds;
    expect(rollbackDowntime).toBeGreaterThan(0);
    const runs = r.runs.reduce((sum, x) => sum + (x.downtimeSeconds ?? 0), 0);
    expect(metricsOf(r).downtimeSeconds).toBeCloseTo(runs + rollbackDowntime, 1);
  }, 400_000);

  it('upgrade killed (kill -9) in maintenance, then `rollback` restores the backup of the killed run, its entry abandoned', async () => {
    const goodId = `${id}-good`;
    await newAttemptOf(goodId);
    const before = await dataFingerprint(stack);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cliChild, 'upgrade', goodId, '--in-place', '--as', 'tina', ...site],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
        stdio: 'ignore',
      },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // kill it once maintenance is on (the site answers 503, the database is about to migrate)
    for (let i = 0; i < 1200; i++) {
      const run = openRun(home, `${goodId}.upgrade`);
      if (run?.records.some((r) => r.type === 'step-done' && r.step === 'upgrade:maintenance-on')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await exited;
    const killed = openRun(home, `${goodId}.upgrade`)!;
    const started = killed.records.find((r) => r.type === 'run-started')!;
    expect(existsSync(join(stack.plan.target.root, 'shared/maintenance.on'))).toBe(true);
    // a stale upgrade is on the record (the good one earlier): the rollback must take the killed run's backup
    const code = await cli(
      'rollback',
      goodId,
      '--as',
      'tina',
      ...site,
      '--trigger',
      'critical-functionality',
      '--reason',
      'killed (test)',
    );
    expect(code).toBe(0);
    const store = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    const r = (await store.get(goodId))!.record;
    await store.close();
    expect(r.facts.lastRollback).toMatchObject({ backup: started.facts.stamp });
    expect(await dataFingerprint(stack)).toEqual(before);
    expect(r.state).toBe('rolled-back');
    expect(r.runs.some((x) => x.outcome === 'running')).toBe(false);
    expect(r.runs.at(-1)).toMatchObject({ outcome: 'abandoned' });
    expect(listRuns(home, `${goodId}.upgrade`).find((x) => x.runId === killed.runId)?.closed?.outcome).toBe(
      'rolled-back',
    );
    // the outage on the rollback's record starts when the killed run turned maintenance on
    const on = killed.records.find((x) => x.type === 'step-done' && x.step === 'upgrade:maintenance-on')!;
    const outage = (r.facts.lastRollback as { outage: { from: string } }).outage;
    expect(Date.parse(outage.from)).toBeLessThanOrEqual(Date.parse(on.at));
  }, 400_000);
});
