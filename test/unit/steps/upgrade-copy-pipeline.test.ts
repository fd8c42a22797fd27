import { execFileSync } from 'node:child_process';
import { mkdtempSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSchema } from '../../../src/core/plan.js';
import { copyConfPhp, readOnlyConfPhp } from '../../../src/steps/upgrade-copy/conf-wrapper.js';
import {
  copyUpgradePipeline,
  leaveReadOnlyPipeline,
  writableStepId,
  writeWindow,
} from '../../../src/steps/upgrade-copy/index.js';
import { exactPartFailed } from '../../../src/steps/upgrade-copy/write-mark.js';
import { predictUpgrade } from '../../../src/steps/rehearse/predict.js';
import { testContext } from './install-context.js';
import { copyDatabaseName } from '../../../src/steps/upgrade-copy/names.js';
import { ownConfMarker, ownReleaseConfPhp } from '../../../src/steps/upgrade-copy/release-conf.js';
import { rollbackBeforeWritesPipeline } from '../../../src/steps/rollback/before-writes.js';
import { isDeploymentDatabase } from '../../../src/backup/live-database.js';
import { rewriteDbNamePhp } from '../../../src/steps/upgrade-copy/shared-conf.js';
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

  it('writes stop before the copy, the copy is migrated and marked before current moves; no table is renamed', () => {
    for (const [a, b] of [
      ['backup:manifest', 'upgrade:read-only-on'],
      ['upgrade:check-copy', 'upgrade:cron-pause'],
      ['upgrade:cron-pause', 'upgrade:read-only-on'],
      ['upgrade:own-conf', 'upgrade:cron-pause'],
      ['upgrade:read-only-on', 'upgrade:copy-database'],
      ['upgrade:copy-database', 'upgrade:verify-copy'],
      ['upgrade:copy-conf', 'upgrade:migrate-copy-19.0.0-20.0.0'],
      ['upgrade:migrate-copy-19.0.0-20.0.0', 'upgrade:migrate-copy-20.0.0-21.0.0'],
      ['upgrade:migrate-copy-20.0.0-21.0.0', 'upgrade:verify-copy-version'],
      ['upgrade:verify-copy-version', 'upgrade:modules'],
      ['upgrade:modules', 'upgrade:switch-conf'],
      ['upgrade:switch-conf', 'upgrade:switch'],
      ['upgrade:switch', 'upgrade:reload-php'],
      ['upgrade:reload-php', 'upgrade:live-database'],
      ['upgrade:live-database', 'upgrade:read-only-off'],
      ['upgrade:verify-db-version', 'upgrade:write-mark'],
      ['backup:retention', 'upgrade:write-mark'],
      ['upgrade:write-mark', 'upgrade:writable'],
      ['upgrade:writable', 'upgrade:cron-resume'],
      ['upgrade:writable', 'upgrade:write-mark-exact'],
    ] as const)
      before(list, a, b);
    // no PHP-FPM reload but the switch's (planned for Apache only) and a legacy site's one conversion
    expect(list.filter((id) => id.includes('reload'))).toEqual(['upgrade:reload-php']);
    // the switch is `current`; the mark is the last thing before writes come back; no RENAME TABLE
    expect(list[list.indexOf('upgrade:switch-conf') + 1]).toBe('upgrade:switch');
    expect(list[list.indexOf('upgrade:write-mark') + 1]).toBe('upgrade:writable');
    expect(list.some((id) => /swap|compare/.test(id))).toBe(false);
    // no maintenance: the site serves reads throughout
    expect(list.some((id) => id.includes('maintenance'))).toBe(false);
  });

  it("the write mark's exact part runs after writes are back: outside the window the rehearsal predicts, which still counts every step of it", () => {
    before(list, writeWindow.to, 'upgrade:write-mark-exact');
    expect(list.indexOf('upgrade:write-mark-exact')).toBeGreaterThan(list.indexOf(writableStepId));
    const steps = list.map((id) => ({ id, ms: 1000 }));
    const p = predictUpgrade({ engine: 'copy', steps, reloadIds: [] })!;
    const window = list.slice(list.indexOf(writeWindow.from), list.indexOf(writeWindow.to) + 1);
    expect(p.parts.map((x) => x.id)).toEqual(window);
    expect(window).toContain('upgrade:write-mark');
    expect(window).not.toContain('upgrade:write-mark-exact');
    expect(p.writeUnavailableSeconds).toBe(window.length);
    // the exact part's failure does not fail the upgrade (a rollback then counts what moved as written)
    const step = copyUpgradePipeline({ passes }).find((x) => x.id === 'upgrade:write-mark-exact')!;
    const ctx = testContext({ backupStamp: '20261206170000' } as never);
    const run = step.plan(ctx).find((a) => a.kind === 'run' && a.description.includes('exact part'));
    expect(run && run.kind === 'run' && run.okCodes).toEqual([0, exactPartFailed]);
  });

  it('a failure before the switch only undoes the window; the rollback before writes checks for writes with the new release read-only, then switches back', () => {
    expect(ids(leaveReadOnlyPipeline())).toEqual([
      'abort:read-only-off',
      'abort:cron-resume',
      'abort:relink-conf',
      'abort:drop-copy',
      'abort:relock',
      'rollback:mark-bad',
    ]);
    const back = ids(rollbackBeforeWritesPipeline());
    before(back, 'rollback:own-conf', 'rollback:new-read-only');
    before(back, 'rollback:new-read-only', 'rollback:check-writes');
    before(back, 'rollback:old-conf', 'rollback:new-read-only');
    before(back, 'rollback:check-writes', 'rollback:switch-back');
    before(back, 'rollback:switch-back', 'rollback:reload-php');
    before(back, 'rollback:reload-php', 'rollback:shared-conf');
    expect(back.filter((id) => id.includes('reload'))).toEqual(['rollback:reload-php']);
    expect(back.some((id) => /restore|swap/.test(id))).toBe(false);
    expect(ids(rollbackBeforeWritesPipeline({ check: false }))).not.toContain('rollback:check-writes');
  });

  it("copy names stay within 64 characters, differ per upgrade, and are known as the deployment's", () => {
    for (const base of ['x'.repeat(64), 'acme_crm']) {
      const plan = planSchema.parse({
        ...makeTestPlan(),
        database: { ...makeTestPlan().database, name: base },
      });
      const a = copyDatabaseName(plan, '20261206091405');
      const b = copyDatabaseName(plan, '20261207091405');
      for (const name of [a, b]) {
        expect(name.length).toBeLessThanOrEqual(64);
        expect(name).not.toBe(plan.database.name);
        expect(isDeploymentDatabase(base, name)).toBe(true);
      }
      expect(a).not.toBe(b);
      expect(isDeploymentDatabase(base, base)).toBe(true);
      expect(isDeploymentDatabase(base, `other_mk20261206091405`)).toBe(false);
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

  it("a release's own conf.php: the shared one, its real document roots, then its state files per request", () => {
    const state = {
      dir,
      database: join(dir, 'r.database'),
      readOnly: join(dir, 'r.read-only'),
      readOnlyWeb: join(dir, 'r.read-only-web'),
    };
    const content = ownReleaseConfPhp({
      sharedConf: shared,
      currentHtdocs: '/srv/acme/current/htdocs',
      htdocs: '/srv/acme/releases/20.0.2-x/htdocs',
      release: '20.0.2-x',
      state,
    });
    expect(content).not.toContain('secret');
    expect(content).toContain(ownConfMarker);
    let v = run(content);
    expect(v.dolibarr_main_db_name).toBe('acme_crm');
    expect(v.dolibarr_main_db_pass).toBe('secret');
    expect(v.dolibarr_main_document_root).toBe('/srv/acme/releases/20.0.2-x/htdocs');
    expect(v.dolibarr_main_document_root_alt).toBe('/srv/acme/releases/20.0.2-x/htdocs/custom');
    expect(v.dolibarr_main_db_readonly).toBeUndefined();
    writeFileSync(state.database, 'acme_crm_mk20261206091405\n');
    writeFileSync(state.readOnlyWeb, '');
    // the web-only flag: php-cli (our tools) writes
    v = run(content);
    expect(v.dolibarr_main_db_name).toBe('acme_crm_mk20261206091405');
    expect(v.dolibarr_main_db_readonly).toBeUndefined();
    writeFileSync(state.readOnly, '');
    v = run(content);
    expect(v.dolibarr_main_db_readonly).toBe(1);
    expect((v._SERVER as Record<string, string>).DOLIBARR_MAIN_LOGEVENTS_USER_LOGIN).toBe('');
    // php-cgi is not cli: the web-only flag applies there
    for (const f of [state.readOnly, state.database]) unlinkSync(f);
    const cgi = execFileSync('sh', ['-c', 'command -v php-cgi || true']).toString().trim();
    if (cgi) {
      writeFileSync(join(dir, 'conf.php'), content);
      writeFileSync(
        join(dir, 'cgi.php'),
        `<?php include ${JSON.stringify(join(dir, 'conf.php'))}; echo json_encode(isset($dolibarr_main_db_readonly));`,
      );
      expect(
        execFileSync(cgi, ['-q', join(dir, 'cgi.php')])
          .toString()
          .trim(),
      ).toBe('true');
    }
    unlinkSync(state.readOnlyWeb);
  });

  it('the shared conf.php rewritten to name the live database: one line changed, mode kept, nothing else', () => {
    const file = join(dir, 'shared-conf.php');
    const text =
      "<?php\n$dolibarr_main_db_host='localhost';\n$dolibarr_main_db_name='acme_crm';\n$dolibarr_main_db_pass='p\\'w';\n";
    writeFileSync(file, text, { mode: 0o640 });
    execFileSync('php', ['-r', rewriteDbNamePhp, '--', file, 'acme_crm_mk20261206091405']);
    const v = run(`<?php include ${JSON.stringify(file)};`);
    expect(v.dolibarr_main_db_name).toBe('acme_crm_mk20261206091405');
    expect(v.dolibarr_main_db_pass).toBe("p'w");
    expect(execFileSync('stat', ['-c', '%a', file]).toString().trim()).toBe('640');
    // two assignments (a hand edit): refused, the file unchanged
    writeFileSync(file, `${text}$dolibarr_main_db_name='other';\n`);
    expect(() => execFileSync('php', ['-r', rewriteDbNamePhp, '--', file, 'x'], { stdio: 'pipe' })).toThrow();
    expect(run(`<?php include ${JSON.stringify(file)};`).dolibarr_main_db_name).toBe('other');
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
