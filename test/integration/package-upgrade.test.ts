import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { cliDeployWorkspace } from '../helpers/cli-deploy-workspace.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';

/**
 * Issue 22 for an upgrade (local target: the same path, without the upload): the new release is packaged and
 * approved, then its tarball at the plan's path is deleted — the upgrade still runs, from the verified package.
 */
let stack: InstallStack;
let next: FixtureRelease;
let site: string[];
const ws = cliDeployWorkspace('moko-package-upgrade-');
const { out, cli, captured } = ws;
const id = 'acme-package-upgrade';
let plan: string;

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  next = buildFixtureRelease({ version: '20.0.2' }, join(out, 'new'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  site = ws.useSite(stack);
  plan = ws.writeUpgradePlan(stack.plan, next, id);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('an upgrade from the approved package', () => {
  it('a dry run lists the upgrade while the release is not on the target yet, with a warning', async () => {
    expect(await cli('plan', 'submit', plan, '--as', 'tina')).toBe(0);
    renameSync(next.tarball, `${next.tarball}.away`); // not downloaded yet
    try {
      for (const command of [
        ['deploy', id],
        ['upgrade', id, '--in-place'],
      ]) {
        const r = await captured(...command, '--dry-run', '--json');
        expect(r.code, r.stderr).toBe(0);
        const result = JSON.parse(r.stdout);
        expect(result.listing).toContain('upgrade:switch');
        expect(result.listing).toContain(`sha256sum --check`); // the real run still checks the tarball
        expect(result.warnings).toEqual([
          expect.stringContaining(`the release ${next.tarball} is not on local`),
        ]);
        expect(r.stderr).toContain("the dry run plans with the plan's version 20.0.2 and sha256");
      }
      // the engine asked for is the one listed
      const inPlace = JSON.parse((await captured('upgrade', id, '--in-place', '--dry-run', '--json')).stdout);
      expect(inPlace.listing).toContain('upgrade:maintenance-on');
    } finally {
      renameSync(`${next.tarball}.away`, next.tarball);
    }
  }, 240_000);

  it('runs from the verified package after the tarball at the plan path is gone', async () => {
    await ws.scheduleUpgrade(id, { site, package: true });
    rmSync(next.tarball); // what runs is the package's copy, not the plan's path
    // the dry run plans from the package in the store too: its staged paths, nothing read at the plan's path
    const hash = (await ws.record(id)).package!.hash;
    const dry = await captured('deploy', id, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const listed = JSON.parse(dry.stdout);
    expect(listed.warnings).toEqual([]);
    expect(listed.listing).toContain(
      `${stack.plan.target.root}/packages/${hash}/release/dolibarr-20.0.2.tgz`,
    );
    expect(listed.listing).not.toContain(next.tarball);
    expect(await cli('deploy', id, '--as', 'tina', ...site)).toBe(0);
    const record = await ws.record(id);
    expect(record.state).toBe('verifying');
    expect(record.package!.hash).toBe(hash);
    const dir = join(stack.plan.target.root, 'packages', hash);
    expect(readFileSync(join(dir, '.verified'), 'utf8').trim()).toBe(hash);
    expect(existsSync(join(dir, 'release', 'dolibarr-20.0.2.tgz'))).toBe(true);
    expect(
      readFileSync(join(stack.plan.target.root, 'current', 'htdocs', 'filefunc.inc.php'), 'utf8'),
    ).toContain("'20.0.2'");
  }, 600_000);
});
