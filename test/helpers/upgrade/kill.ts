import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { openRun } from '../../../src/runner/index.js';
import type { FixtureRelease } from '../fixture-release/build.js';
import type { InstallStack } from '../install-stack/index.js';
import { addBusinessData, dataFingerprint, upgradeOverrides, upgradePlan } from './index.js';
import { servedRelease } from './served.js';
import { spawnPausedUpgrade } from './spawn.js';
import { startStackForUpgrade, type StackForUpgrade } from './stack-for-upgrade.js';

/** The kill tests' start: an upgrade stack with business data, its fingerprint and the release served before. */
export interface StackToKill extends StackForUpgrade {
  before: Record<string, string>;
  oldRelease: string;
}

export async function startStackToKill(dir: string): Promise<StackToKill> {
  const up = await startStackForUpgrade(dir);
  try {
    await addBusinessData(up.stack);
    return { ...up, before: await dataFingerprint(up.stack), oldRelease: servedRelease(up.stack) };
  } catch (e) {
    await up.stack.stop();
    throw e;
  }
}

/** A kill test file's scene: its temp dir, the run store in it, and the stack (filled in by beforeAll). */
export interface KillScene extends StackToKill {
  out: string;
  store: string;
}

/**
 * Registers the file's beforeAll (startStackToKill in a new temp dir named after `prefix`) and afterAll (stack
 * stopped, dir removed); read the stack's fields inside the tests, once beforeAll has run.
 */
export function useStackToKill(prefix: string): KillScene {
  const out = mkdtempSync(join(tmpdir(), prefix));
  const scene = { out, store: join(out, 'store') } as KillScene;
  beforeAll(async () => {
    Object.assign(scene, await startStackToKill(out));
  }, 240_000);
  afterAll(async () => {
    await scene.stack?.stop();
    execFileSync('rm', ['-rf', out]);
  });
  return scene;
}

export interface KillAt {
  /** The run store the child journals into. */
  store: string;
  /** The journal event the child freezes at, e.g. 'step-done:upgrade:switch'. */
  pause: string;
  engine?: 'copy';
}

/**
 * The upgrade of `stack` to `release` as deployment 'acme-upgrade', in a child process frozen at `pause` and killed
 * with SIGKILL there. Returns the upgrade run it left open in the store (the one a new run resumes).
 */
export async function killUpgradeAt(stack: InstallStack, release: FixtureRelease, at: KillAt) {
  const secrets = Object.fromEntries([...stack.secrets.values].map(([k, v]) => [k, v.reveal()]));
  const child = await spawnPausedUpgrade({
    plan: upgradePlan(stack, release),
    secrets,
    overrides: upgradeOverrides(stack),
    storeDir: at.store,
    deploymentId: 'acme-upgrade',
    pause: at.pause,
    ...(at.engine ? { engine: at.engine } : {}),
  });
  process.kill(child.pid, 'SIGKILL');
  expect(await child.exited).toBe('SIGKILL');
  return openRun(at.store, 'acme-upgrade.upgrade');
}
