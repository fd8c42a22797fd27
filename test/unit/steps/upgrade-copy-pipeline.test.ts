import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSchema } from '../../../src/core/plan.js';
import { copyConfPhp, readOnlyConfPhp } from '../../../src/steps/upgrade-copy/conf-wrapper.js';
import { copyUpgradePipeline, leaveReadOnlyPipeline } from '../../../src/steps/upgrade-copy/index.js';
import {
  archiveDatabaseName,
  copyDatabaseName,
  failedDatabaseName,
} from '../../../src/steps/upgrade-copy/names.js';
import { rollbackBeforeWritesPipeline } from '../../../src/steps/rollback/before-writes.js';
import { makeTestPlan } from '../../helpers/services/plan.js';

/** Issue 19: the order of the upgrade by copy, its schema names and the conf.php it writes (run by the real php). */
const ids = (steps: { id: string }[]) => steps.map((s) => s.id);
const before = (list: string[], a: string, b: string) =>
  expect(list.indexOf(a)).toBeLessThan(list.indexOf(b));

describe('upgrade by copy pipeline', () => {
  const passes = [
    { from: '19.0.0', to: '20.0.0', step5Action: 'upgrade_20.0.0' },
    { from: '20.0.0', to: '21.0.0', step5Action: 'upgrade' },
  ];
  const list = ids(copyUpgradePipeline({ passes }));

  it('writes stop before the copy, the copy is migrated pass by pass before the swap, the swap comes before current moves', () => {
    for (const [a, b] of [
      ['backup:manifest', 'upgrade:read-only-on'],
      ['upgrade:check-copy', 'upgrade:cron-pause'],
      ['upgrade:cron-pause', 'upgrade:read-only-on'],
      ['upgrade:read-only-on', 'upgrade:reload-php-read-only'],
      ['upgrade:reload-php-read-only', 'upgrade:copy-database'],
      ['upgrade:copy-database', 'upgrade:verify-copy'],
      ['upgrade:copy-conf', 'upgrade:migrate-copy-19.0.0-20.0.0'],
      ['upgrade:migrate-copy-19.0.0-20.0.0', 'upgrade:migrate-copy-20.0.0-21.0.0'],
      ['upgrade:migrate-copy-20.0.0-21.0.0', 'upgrade:verify-copy-version'],
      ['upgrade:verify-copy-version', 'upgrade:compare-copy'],
      ['upgrade:relink-conf', 'upgrade:swap-database'],
      ['upgrade:swap-database', 'upgrade:switch'],
      ['upgrade:switch', 'upgrade:reload-php'],
      ['upgrade:reload-php', 'upgrade:cron-resume'],
    ] as const)
      before(list, a, b);
    // no maintenance: the site serves reads throughout
    expect(list.some((id) => id.includes('maintenance'))).toBe(false);
  });

  it('a failure before the swap only undoes the window; the rollback before writes swaps back after switching back', () => {
    expect(ids(leaveReadOnlyPipeline())).toEqual([
      'abort:read-only-off',
      'abort:reload-php',
      'abort:cron-resume',
      'abort:relink-conf',
      'abort:drop-copy',
      'abort:relock',
      'rollback:mark-bad',
    ]);
    const back = ids(rollbackBeforeWritesPipeline());
    before(back, 'rollback:new-read-only', 'rollback:switch-back');
    before(back, 'rollback:switch-back', 'rollback:reload-php-switched');
    before(back, 'rollback:reload-php-switched', 'rollback:swap-back-database');
    before(back, 'rollback:swap-back-database', 'rollback:old-writable');
    expect(back.some((id) => id.includes('restore'))).toBe(false);
  });

  it('schema names stay within 64 characters and never equal the live one', () => {
    const plan = planSchema.parse({
      ...makeTestPlan(),
      database: { ...makeTestPlan().database, name: 'x'.repeat(64) },
    });
    for (const name of [
      copyDatabaseName(plan),
      archiveDatabaseName(plan, '20261206091405'),
      failedDatabaseName(plan, '20261206091405'),
    ]) {
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name).not.toBe(plan.database.name);
    }
  });
});

describe('conf.php of a release during the window (real php)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moko-conf-wrapper-'));
  // a path with a quote and a backslash stays inside the PHP string literal
  const shared = join(dir, "sha'red\\conf.php");
  writeFileSync(
    shared,
    "<?php\n$dolibarr_main_db_name = 'acme_crm';\n$dolibarr_main_document_root = '/srv/acme/current/htdocs';\n$dolibarr_main_document_root_alt = '/srv/acme/current/htdocs/custom';\n$dolibarr_main_db_pass = 'secret';\n",
  );
  const run = (content: string) => {
    const file = join(dir, 'conf.php');
    writeFileSync(file, content);
    return JSON.parse(
      execFileSync('php', ['-r', `include $argv[1]; echo json_encode(get_defined_vars());`, file]).toString(),
    ) as Record<string, unknown>;
  };

  it('read-only: the shared conf.php, then the flag', () => {
    const v = run(readOnlyConfPhp(shared));
    expect(v.dolibarr_main_db_readonly).toBe(1);
    expect(v.dolibarr_main_db_name).toBe('acme_crm');
    expect(v.dolibarr_main_db_pass).toBe('secret');
  });

  it("the copy: its schema and the new release's document roots; no secret copied into the file", () => {
    const content = copyConfPhp(
      shared,
      'acme_crm_mkcopy',
      '/srv/acme/current/htdocs',
      '/srv/acme/releases/20.0.2-x/htdocs',
    );
    expect(content).not.toContain('secret');
    const v = run(content);
    expect(v.dolibarr_main_db_name).toBe('acme_crm_mkcopy');
    expect(v.dolibarr_main_document_root).toBe('/srv/acme/releases/20.0.2-x/htdocs');
    expect(v.dolibarr_main_document_root_alt).toBe('/srv/acme/releases/20.0.2-x/htdocs/custom');
    expect(v.dolibarr_main_db_readonly).toBeUndefined();
  });
});
