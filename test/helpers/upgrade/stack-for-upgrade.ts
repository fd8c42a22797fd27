import { join } from 'node:path';
import { buildFixtureRelease, type FixtureRelease } from '../fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../install-stack/index.js';

/** What an upgrade test starts from: the fixture 19.0.4 installed on real services, the fixture 20.0.2 to go to. */
export interface StackForUpgrade {
  stack: InstallStack;
  next: FixtureRelease;
}

/** Builds both fixture releases under `dir` (old/, next/) and installs the old one (MariaDB, PHP-FPM, nginx). */
export async function startStackForUpgrade(dir: string): Promise<StackForUpgrade> {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(dir, 'old'));
  const next = buildFixtureRelease({ version: '20.0.2' }, join(dir, 'next'));
  const stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  return { stack, next };
}
