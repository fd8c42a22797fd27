import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

/**
 * Issue 19, the CI smoke of the rehearsal's prediction: bench/upgrade.ts --rehearse on the fixture release (real
 * MariaDB, PHP-FPM, nginx) backs up, rehearses with the copy engine on a restored copy (`mokodeploy rehearse`'s
 * runRehearsal), then runs the real upgrade, at two sizes, and prints predicted vs actual writes-unavailable time with
 * the error. --smoke exits 1 when an error reaches --max-error (or a run failed or missed its outage goals). The
 * issue's 20% is judged on real releases (bench/upgrade.ts by hand: the window lasts tens of seconds); on the fixture
 * the window is 3-5 s of sub-second steps, where one scheduling stall of a shared machine is 20%: the smoke holds 50%.
 */
it('bench upgrade --smoke --rehearse: the rehearsal predicts the real upgrade by copy (within 50% on the fixture)', () => {
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
      '--max-error',
      '50',
    ],
    { encoding: 'utf8', timeout: 900_000 },
  );
  const table = r.stdout.slice(r.stdout.indexOf('prediction (rehearse)'));
  console.log(table);
  expect(table).toMatch(/^copy\s+2000\s.*%/m);
  expect(table).toMatch(/^copy\s+20000\s.*%/m);
  expect(r.stdout).not.toContain('SMOKE FAILED');
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
}, 1_200_000);
