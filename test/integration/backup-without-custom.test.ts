import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupPipeline } from '../../src/backup/index.js';
import { readBackup } from '../../src/backup/read.js';
import { checkManifestCommand } from '../../src/backup/steps/write-manifest.js';
import { readTargetState } from '../../src/backup/target-state.js';
import { planSchema } from '../../src/core/plan.js';
import { releaseStamp } from '../../src/dolibarr/layout.js';
import { gatherRestoreFacts, restorePipeline } from '../../src/steps/restore/index.js';
import { runPipeline } from '../../src/steps/upgrade/engine-run.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { addBusinessData, dataFingerprint, engineFor } from '../helpers/upgrade/index.js';

/**
 * Seen with the real 20.0.2 tarball (it has no htdocs/custom/) and a plan without custom modules: `mokodeploy
 * backup` failed at backup:files (`tar -C …/custom` exits 2) and left custom.tar.gz.partial. The backup now holds
 * an empty custom.tar.gz (one layout, listed in SHA256SUMS) and a restore extracts it.
 */
let stack: InstallStack;
const out = mkdtempSync(join(tmpdir(), 'moko-backup-nocustom-'));
const stamp = '20261206040506';

beforeAll(async () => {
  const release = buildFixtureRelease({ version: '20.0.2', withoutCustom: true }, out);
  const listing = execFileSync('tar', ['-tzf', release.tarball], { encoding: 'utf8' });
  expect(listing).not.toContain('/htdocs/custom/');
  stack = await startInstallStack({
    release: release.tarball,
    version: release.version,
    sha256: release.sha256,
  });
  await addBusinessData(stack);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('backup of a release without htdocs/custom, then restore', () => {
  it('backs up with an empty custom.tar.gz in the manifest, and restores it', async () => {
    const current = join(stack.plan.target.root, 'current', 'htdocs');
    expect(existsSync(join(current, 'index.php'))).toBe(true);
    expect(existsSync(join(current, 'custom'))).toBe(false);
    const target = await readTargetState(stack.host, stack.plan);
    const ctx = { ...stack.ctx, facts: { ...stack.ctx.facts, stamp, target } };
    const backup = await runPipeline(engineFor(stack, ctx), 'backup', backupPipeline(), ctx.facts);
    expect(backup.error?.describe?.() ?? '', `failed at ${backup.failedStep}`).toBe('');
    const summary = await readBackup(stack.host, stack.plan.target.backupRoot, stamp);
    expect(summary.files.map((f) => f.name)).toContain('custom.tar.gz');
    expect(execFileSync('tar', ['-tzf', join(summary.dir, 'custom.tar.gz')], { encoding: 'utf8' })).toBe('');
    expect(existsSync(join(summary.dir, 'custom.tar.gz.partial'))).toBe(false);
    expect((await stack.host.run(checkManifestCommand(summary.dir))).code).toBe(0);

    const dir = (p: string) => {
      const full = join(stack.dir, 'dr', p);
      mkdirSync(full, { recursive: true });
      chmodSync(full, 0o755);
      return full;
    };
    const plan = planSchema.parse({
      ...stack.plan,
      kind: 'disaster-recovery',
      target: {
        ...stack.plan.target,
        root: join(dir('www'), 'acme'),
        dataRoot: join(dir('lib'), 'acme', 'documents'),
        webConfigDir: dir('sites'),
        phpFpmPoolDir: dir('pool.d'),
      },
      database: { ...stack.plan.database, name: 'acme_nocustom_dr' },
    });
    const facts = await gatherRestoreFacts(stack.host, plan, stamp, {
      serviceManager: 'none',
      fpmSocket: join(dir('run'), 'php-fpm-dr.sock'),
      cronDir: dir('cron.d'),
      stamp: releaseStamp(new Date()),
    });
    const drCtx = { ...stack.ctx, plan, facts: { ...facts } };
    const restore = await runPipeline(engineFor(stack, drCtx), 'restore', restorePipeline(), drCtx.facts);
    expect(restore.error?.describe?.() ?? '', `failed at ${restore.failedStep}`).toBe('');
    expect(restore.steps.map((s) => s.id)).toContain('restore:custom-modules');
    expect(await dataFingerprint(stack, 'acme_nocustom_dr')).toEqual(
      await dataFingerprint(stack, 'acme_crm'),
    );
  }, 600_000);
});
