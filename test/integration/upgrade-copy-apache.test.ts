import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLiveDatabase } from '../../src/backup/live-database.js';
import { runRollbackBeforeWrites } from '../../src/steps/rollback/run-before-writes.js';
import { runCopyUpgrade } from '../../src/steps/upgrade-copy/run-copy-upgrade.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { addBusinessData, engineFor, upgradeContext, upgradePlan } from '../helpers/upgrade/index.js';

/**
 * Issue 19 on Apache: mod_proxy_fcgi passes SCRIPT_FILENAME through `current` (no `$realpath_root`), so PHP's
 * realpath cache and OPcache (keyed by that path) would keep the old release's scripts after the flip: Apache targets
 * keep one PHP-FPM reload at each `current` flip (reload-wait.ts flipReloadStep) and none for read-only on/off. The
 * site then serves the new release (the health check's login) and the rollback's flip back serves the old one.
 */
let stack: InstallStack;
let good: FixtureRelease;
const out = mkdtempSync(join(tmpdir(), 'moko-copy-apache-test-'));
const reloads = () =>
  (readFileSync(join(stack.dir, 'fpm', 'php-fpm.log'), 'utf8').match(/Reloading in progress/g) ?? []).length;

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  good = buildFixtureRelease({ version: '20.0.2' }, join(out, 'good'));
  stack = await startInstallStack({
    release: old.tarball,
    version: old.version,
    sha256: old.sha256,
    webServer: 'apache',
  });
  await addBusinessData(stack);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('upgrade by copy behind Apache', () => {
  it('one reload at the switch, one at the rollback’s switch back, none for read-only on/off', async () => {
    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const r0 = reloads();
    const up = await runCopyUpgrade({ ...engineFor(stack, ctx) });
    expect(up.outcome, up.reason).toBe('upgraded');
    expect(up.health?.ok).toBe(true);
    expect(reloads() - r0).toBe(1);
    expect(up.downtime!.downtimeSeconds).toBeLessThan(1);
    const r1 = reloads();
    const rb = await runRollbackBeforeWrites({
      ...engineFor(stack, { ...ctx, facts: { ...up.facts, badRelease: up.newRelease, reason: 'test' } }),
    });
    expect(rb.ok, rb.reason).toBe(true);
    expect(reloads() - r1).toBe(1);
    expect(readlinkSync(join(stack.plan.target.root, 'current'))).toBe(`releases/${up.previousRelease}`);
    expect(await readLiveDatabase(stack.host, stack.plan)).toBe('acme_crm');
    expect(rb.health?.ok).toBe(true);
  }, 300_000);
});
