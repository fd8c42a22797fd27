import { describe, expect, it } from 'vitest';
import { inventoryDifferences, parseInventory } from '../../../src/backup/inventory.js';
import { backupPipeline } from '../../../src/backup/index.js';
import { rollbackPipeline } from '../../../src/steps/rollback/index.js';
import { downtimeSteps, migrationPasses, upgradePipeline } from '../../../src/steps/upgrade/index.js';
import type { Action } from '../../../src/steps/step.js';
import { knownSecrets, testContext } from './install-context.js';

const passes = migrationPasses('19.0.4', '21.0.1');
const ctx = (() => {
  const base = testContext(
    {},
    {
      kind: 'upgrade',
      database: {
        name: 'acme_crm',
        user: 'acme',
        password: { secret: 'acme/db' },
        admin: { user: 'root', password: { secret: 'acme/dbadmin' } },
      },
    },
  );
  return {
    ...base,
    facts: {
      ...base.facts,
      target: {
        currentRelease: '19.0.4-20261101000000',
        dbVersion: '19.0.4',
        filesVersion: '19.0.4',
        dbReachable: true,
        installLock: true,
        confSha256: 'b'.repeat(64),
      },
      previousRelease: '19.0.4-20261101000000',
      badRelease: '20.0.2-20261127100000',
      passes,
      phpReload: { kind: 'systemd', service: 'php8.2-fpm' },
      lang: 'fr_FR',
    },
  };
})();
const planned = (steps: ReturnType<typeof upgradePipeline>) =>
  steps.map((s) => ({ id: s.id, actions: s.plan(ctx) }));
const argvOf = (actions: Action[]) =>
  actions.flatMap((a) => (a.kind === 'run' ? [a.command.argv.join(' ')] : []));

describe('migrationPasses (one major per pass, DOLIBARR.md §4)', () => {
  it('splits a jump over two majors into two passes; only the last says plain "upgrade"', () => {
    expect(passes).toEqual([
      { from: '19.0.0', to: '20.0.0', step5Action: 'upgrade_20.0.0' },
      { from: '20.0.0', to: '21.0.0', step5Action: 'upgrade' },
    ]);
  });
  it('runs a minor upgrade as one pass re-running the last migration', () => {
    expect(migrationPasses('20.0.1', '20.0.2')).toEqual([
      { from: '19.0.0', to: '20.0.0', step5Action: 'upgrade' },
    ]);
  });
  it('has no pass backwards', () => expect(migrationPasses('21.0.0', '20.0.2')).toEqual([]));
});

describe('upgradePipeline', () => {
  const steps = planned(upgradePipeline(ctx.facts));
  const ids = steps.map((s) => s.id);

  it('backs up first, opens maintenance only around the switch and the migration, locks again after', () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 5)).toEqual([
      'backup:prepare',
      'backup:database',
      'backup:files',
      'backup:restore-test',
      'backup:manifest',
    ]);
    expect(downtimeSteps(upgradePipeline(ctx.facts))).toEqual([
      'upgrade:maintenance-on',
      'upgrade:switch',
      'upgrade:reload-php',
      'upgrade:migrate-19.0.0-20.0.0',
      'upgrade:migrate-20.0.0-21.0.0',
      'upgrade:maintenance-off',
    ]);
    expect(ids.indexOf('upgrade:unlock')).toBeLessThan(ids.indexOf('upgrade:maintenance-on'));
    expect(ids.indexOf('upgrade:relock')).toBeGreaterThan(ids.indexOf('upgrade:maintenance-off'));
  });

  it('never puts a secret in an argv and never rewrites conf.php', () => {
    const all = steps.flatMap((s) => s.actions);
    for (const line of argvOf(all))
      for (const secret of Object.values(knownSecrets)) expect(line).not.toContain(secret);
    expect(
      all.filter((a) => a.kind === 'write').map((a) => (a.kind === 'write' ? a.file.path : '')),
    ).not.toContain('/var/www/mokocrm/acme/shared/conf/conf.php');
  });

  it('runs upgrade.php, upgrade2.php and step5.php per pass as the web user, arguments by stdin', () => {
    const pass = steps.find((s) => s.id === 'upgrade:migrate-19.0.0-20.0.0')!.actions;
    expect(pass.map((a) => a.description)).toEqual([
      'php install/upgrade.php 19.0.0 20.0.0',
      'php install/upgrade2.php 19.0.0 20.0.0',
      'php install/step5.php 19.0.0 20.0.0 fr_FR upgrade_20.0.0',
    ]);
    for (const a of pass)
      if (a.kind === 'run')
        expect(a.command).toMatchObject({
          asUser: 'www-data',
          cwd: '/var/www/mokocrm/acme/current/htdocs/install',
        });
  });

  it('dumps with one consistent snapshot, without CREATE DATABASE', () => {
    const dump = argvOf(steps.find((s) => s.id === 'backup:database')!.actions).join('\n');
    expect(dump).toContain('--single-transaction');
    expect(dump).not.toContain('--databases');
  });
});

describe('rollbackPipeline', () => {
  it('checks the backup, switches back, restores, verifies the data and marks the release bad', () => {
    const ids = rollbackPipeline().map((s) => s.id);
    expect(ids).toEqual([
      'rollback:check-backup',
      'rollback:maintenance-on',
      'rollback:keep-evidence',
      'rollback:switch-back',
      'rollback:reload-php',
      'rollback:restore-database',
      'rollback:restore-files',
      'rollback:relock',
      'rollback:verify-db-version',
      'rollback:maintenance-off',
      'rollback:verify-data',
      'rollback:mark-bad',
    ]);
    const back = rollbackPipeline()
      .find((s) => s.id === 'rollback:switch-back')!
      .plan(ctx);
    expect(argvOf(back)[0]).toContain('releases/19.0.4-20261101000000');
  });
  it('uses the same steps for a plain backup', () =>
    expect(
      backupPipeline()
        .map((s) => s.id)
        .at(-1),
    ).toBe('backup:retention'));
});

describe('inventoryDifferences', () => {
  const backup = parseInventory('llx_a\t3\nllx_b\t1\n', 'llx_a\t111\nllx_b\t222\n');
  it('is empty for the same data', () =>
    expect(
      inventoryDifferences(backup, parseInventory('llx_a\t3\nllx_b\t1\n', 'llx_a\t111\nllx_b\t222\n')),
    ).toEqual([]));
  it('names changed counts, changed checksums, missing and extra tables', () => {
    const now = parseInventory('llx_a\t3\nllx_c\t0\n', 'llx_a\t999\nllx_c\t0\n');
    expect(inventoryDifferences(backup, now)).toEqual([
      'llx_a: checksum differs',
      'llx_b: missing',
      'llx_c: not in the backup',
    ]);
  });
});
