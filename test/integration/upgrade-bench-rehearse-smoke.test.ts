import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

/**
 * Issue 19, the CI smoke of the rehearsal's prediction: bench/upgrade.ts --rehearse on the fixture release (real
 * MariaDB, PHP-FPM, nginx) backs up, rehearses with the copy engine on a restored copy (`mokodeploy rehearse`'s
 * runRehearsal), then runs the real upgrade, at two sizes, and prints predicted vs actual writes-unavailable time with
 * the error. --smoke exits 1 when a run has no prediction (or failed, or missed its outage goals). The issue's 20% is
 * a speed target: judged on real releases by the bench by hand (`--max-error 20`), printed here, never asserted on
 * a shared CI machine, where the fixture's 2-3 s window moves 50% with the load (seen: -52% and +54%).
 */
it('bench upgrade --smoke --rehearse: the rehearsal predicts every run of the real upgrade by copy, error printed', () => {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/upgrade.ts',
      '--smoke',
      '--rehearse',
      '--engines',
      'copy',
      '--sizes',
      '2000,20000',
    ],
    { encoding: 'utf8', timeout: 900_000 },
  );
  const table = r.stdout.slice(r.stdout.indexOf('prediction (rehearse)'));
  console.log(table);
  // a prediction and an actual window, with the error between them, for each size
  expect(table).toMatch(/^copy\s+2000\s+\d+\s+\d+\.\d+s\s+\d+\.\d+s\s+[+-]\d+\.\d%/m);
  expect(table).toMatch(/^copy\s+20000\s+\d+\s+\d+\.\d+s\s+\d+\.\d+s\s+[+-]\d+\.\d%/m);
  expect(r.stdout).not.toContain('SMOKE FAILED');
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
}, 1_200_000);
