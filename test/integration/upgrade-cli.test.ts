import { execFileSync } from 'node:child_process';
import { readLiveDatabase } from '../../src/backup/live-database.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SqliteStore } from '../../src/store/sqlite.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { teamPeople } from '../helpers/cli.js';
import { cliDeployWorkspace } from '../helpers/cli-deploy-workspace.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { addBusinessData } from '../helpers/upgrade/index.js';
import { packCustomModule } from '../helpers/fixture-release/custom-module.js';

/**
 * The issue 5 commands as a user runs them, against the fixture install: backup (ticks backup-verified),
 * upgrade (a recorded run with its downtime), rollback (performed, verified, recorded with its root cause).
 */
let stack: InstallStack;
let good: FixtureRelease;
const ws = cliDeployWorkspace('moko-upgrade-cli-');
const { out, home, cli, captured } = ws;
const id = 'acme-upgrade-cli';
let site: string[];

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  good = buildFixtureRelease({ version: '20.0.2' }, join(out, 'new'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  await addBusinessData(stack);
  site = ws.useSite(stack); // the site's secrets in the store, its engine options
  ws.writeUpgradePlan(stack.plan, good, id, {
    window: { start: '2026-12-05T20:00:00Z', end: '2026-12-05T23:00:00Z', timezone: 'UTC' },
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('mokodeploy backup / upgrade / rollback', () => {
  it('records the backup as evidence, the upgrade run with its downtime, and the verified rollback', async () => {
    expect(await cli('plan', 'submit', join(out, `plan-${id}.yaml`), '--as', 'tina')).toBe(0);
    expect(await cli('approve', id, '--as', 'dave')).toBe(0);
    expect(await cli('backup', id, '--as', 'tina', ...site)).toBe(0);
    expect(await cli('ready', id, '--as', 'tina')).toBe(0);
    expect(await cli('schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client')).toBe(0);
    // deploy of an upgrade plan: the dry run lists the upgrade's steps, the real one runs `upgrade`
    const listing = await captured('deploy', id, '--dry-run', '--json', ...site);
    expect(listing.code).toBe(0);
    const steps = String(JSON.parse(listing.stdout).listing);
    expect(steps).toContain('upgrade:switch');
    expect(steps).toContain('kill -USR2'); // --fpm-pid: the stand-alone php-fpm's reload, as the real run
    expect(steps).not.toContain('systemctl');
    // issue 19: the upgrade by copy is the default (read-only window, then the switch), no maintenance
    expect(steps.indexOf('upgrade:read-only-on')).toBeLessThan(steps.indexOf('upgrade:write-mark'));
    expect(steps).not.toContain('upgrade:maintenance-on');
    expect(await cli('deploy', id, '--as', 'tina', ...site)).toBe(0);
    const store = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    let record = (await store.get(id))!.record;
    expect(record.checklist['backup-verified']?.evidence[0]).toMatchObject({ kind: 'backup' });
    expect(record.state).toBe('verifying');
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(record.runs.at(-1)!.downtimeSeconds).toBeLessThanOrEqual(3);
    // issue 23: the upgrade's own backup is copied off the server and recorded with its manifest
    const upgradeStamp = (record.facts.upgrade as { backupStamp: string }).backupStamp;
    const upgradeBackup = (
      record.facts.backups as Record<string, { manifestSha256: string; copies?: { store?: string } }>
    )[upgradeStamp];
    expect(upgradeBackup?.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(upgradeBackup?.copies?.store ?? '/nonexistent')).toBe(true);
    expect(record.facts.confSha256).toBe(
      execFileSync('sha256sum', [join(stack.plan.target.root, 'shared/conf/conf.php')])
        .toString()
        .split(' ')[0],
    );
    await store.close();

    expect(
      await cli(
        'rollback',
        id,
        '--as',
        'tina',
        ...site,
        '--trigger',
        'client-request',
        '--reason',
        'client asked (test)',
        '--root-cause',
        'test of the procedure',
      ),
    ).toBe(0);
    const again = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    record = (await again.get(id))!.record;
    expect(record.state).toBe('rolled-back');
    expect(record.rollbacks.at(-1)).toMatchObject({
      trigger: 'client-request',
      rootCause: 'test of the procedure',
    });
    expect(record.facts.lastRollback).toMatchObject({ verified: { login: true } });
    // issue 19: the upgrade was by copy and took no write: the old database swapped back, nothing restored
    expect(record.facts.lastRollback).toMatchObject({ beforeWrites: true });
    expect(
      readFileSync(join(stack.plan.target.root, 'current', 'htdocs', 'filefunc.inc.php'), 'utf8'),
    ).toContain('19.0.4');
    await again.close();

    // a customization on the same version: a new custom module, a new release beside the old, no migration
    const module = packCustomModule(join(out, 'mokocrm-extra'), {
      name: 'mokoextra',
      className: 'modMokoExtra',
      numero: 500200,
    });
    const customId = 'acme-custom-cli';
    const custom = {
      ...JSON.parse(JSON.stringify(stack.plan)),
      id: customId,
      kind: 'customization',
      environment: 'staging',
      dolibarr: { ...stack.plan.dolibarr },
      customModules: [...stack.plan.customModules, { name: 'mokoextra', source: module }],
      people: teamPeople,
      window: { start: '2026-12-06T20:00:00Z', end: '2026-12-06T23:00:00Z', timezone: 'UTC' },
    };
    execFileSync('sh', ['-c', `cat > ${join(out, 'custom.yaml')}`], { input: stringify(custom) });
    expect(await cli('plan', 'submit', join(out, 'custom.yaml'), '--as', 'tina')).toBe(0);
    expect(await cli('approve', customId, '--as', 'dave')).toBe(0);
    expect(await cli('backup', customId, '--as', 'tina', ...site)).toBe(0);
    expect(await cli('ready', customId, '--as', 'tina')).toBe(0);
    expect(await cli('schedule', customId, '--as', 'dave', '--client-approved-by', 'Jane Client')).toBe(0);
    const listed = await captured('deploy', customId, '--dry-run', '--json');
    expect(String(JSON.parse(listed.stdout).listing)).not.toContain('upgrade:migrate');
    expect(await cli('deploy', customId, '--as', 'tina', ...site)).toBe(0);
    const third = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    const customized = (await third.get(customId))!.record;
    await third.close();
    expect(customized.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(customized.runs.at(-1)!.downtimeSeconds).toBeLessThanOrEqual(3);
    expect(customized.facts.release).toMatch(/^19\.0\.4-/);
    const current = join(stack.plan.target.root, 'current', 'htdocs');
    expect(
      readFileSync(join(current, 'custom', 'mokoextra', 'core', 'modules', 'modMokoExtra.class.php'), 'utf8'),
    ).toContain('modMokoExtra');
    expect(
      await stack.db.rootClient.query(
        // issue 19: the customization by copy moved the site to its copy (read back from the target)
        `SELECT value FROM ${await readLiveDatabase(stack.host, stack.plan)}.llx_const WHERE name = 'MAIN_MODULE_MOKOEXTRA'`,
      ),
    ).toEqual([['1']]);
  }, 400_000);
});
