import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

/**
 * Issue 19, the CI smoke: the upgrade bench (bench/upgrade.ts) on the fixture release with the copy engine and a
 * small database, real MariaDB, PHP-FPM and nginx. It exits 1 when the prober (login page and a logged-in page every
 * 50 ms) saw an outage of a second or more during the upgrade or the rollback before writes, or when either failed.
 */
it('bench upgrade --smoke: the copy engine upgrades and rolls back with under a second of outage', () => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/upgrade.ts', '--smoke', '--engines', 'copy'],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  console.log(
    r.stdout
      .split('\n')
      .filter((l) => /^(engine|copy)/.test(l))
      .join('\n'),
  );
  expect(r.stdout).toMatch(/^copy\s+2000\s/m);
  expect(r.stdout).not.toContain('SMOKE FAILED');
  expect(r.status, r.stderr.slice(-2000)).toBe(0);
}, 900_000);
