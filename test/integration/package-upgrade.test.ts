import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { SecretStore } from '../../src/store/secrets.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { teamYaml, teamPeople } from '../helpers/cli.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';

/**
 * Issue 22 for an upgrade (local target: the same path, without the upload): the new release is packaged and
 * approved, then its tarball at the plan's path is deleted — the upgrade still runs, from the verified package.
 */
let stack: InstallStack;
let next: FixtureRelease;
const out = mkdtempSync(join(tmpdir(), 'moko-package-upgrade-'));
const home = join(out, 'home');
const env = {
  MOKODEPLOY_HOME: home,
  MOKODEPLOY_TEAM: join(out, 'team.yaml'),
  MOKODEPLOY_SECRET_KEY_FILE: join(out, 'secret.key'),
  NO_COLOR: '1',
};
const id = 'acme-package-upgrade';

async function cli(...args: string[]): Promise<number> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await main(['node', 'mokodeploy', ...args], { env: { ...process.env, ...env } });
  } finally {
    process.env = saved;
  }
}

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  next = buildFixtureRelease({ version: '20.0.2' }, join(out, 'new'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  writeFileSync(join(out, 'team.yaml'), teamYaml);
  const secrets = new SecretStore(home, env.MOKODEPLOY_SECRET_KEY_FILE);
  for (const name of ['acme/db', 'acme/admin']) secrets.set(name, stack.secrets.secret(name));
  const plan = {
    ...JSON.parse(JSON.stringify(stack.plan)),
    id,
    kind: 'upgrade',
    environment: 'staging',
    dolibarr: { version: next.version, release: next.tarball, sha256: next.sha256, upgradeFrom: '19.0.4' },
    people: teamPeople,
    window: { start: '2026-12-05T20:00:00Z', end: '2026-12-05T23:00:00Z', timezone: 'UTC' },
  };
  writeFileSync(join(out, 'plan.yaml'), stringify(plan));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

/** Run the CLI with stdout and stderr captured. */
async function captured(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const got = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  for (const name of ['stdout', 'stderr'] as const)
    process[name].write = ((chunk: string | Uint8Array) => {
      got[name] += String(chunk);
      return true;
    }) as typeof process.stdout.write;
  try {
    return { code: await cli(...args), ...got };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

describe('an upgrade from the approved package', () => {
  it('a dry run lists the upgrade while the release is not on the target yet, with a warning', async () => {
    expect(await cli('plan', 'submit', join(out, 'plan.yaml'), '--as', 'tina')).toBe(0);
    renameSync(next.tarball, `${next.tarball}.away`); // not downloaded yet
    try {
      for (const command of [['deploy', id], ['upgrade', id, '--in-place']]) {
        const r = await captured(...command, '--dry-run', '--json');
        expect(r.code, r.stderr).toBe(0);
        const result = JSON.parse(r.stdout);
        expect(result.listing).toContain('upgrade:switch');
        expect(result.listing).toContain(`sha256sum --check`); // the real run still checks the tarball
        expect(result.warnings).toEqual([expect.stringContaining(`the release ${next.tarball} is not on local`)]);
        expect(r.stderr).toContain('the dry run plans with the plan\'s version 20.0.2 and sha256');
      }
      // the engine asked for is the one listed
      const inPlace = JSON.parse((await captured('upgrade', id, '--in-place', '--dry-run', '--json')).stdout);
      expect(inPlace.listing).toContain('upgrade:maintenance-on');
    } finally {
      renameSync(`${next.tarball}.away`, next.tarball);
    }
  }, 240_000);

  it('runs from the verified package after the tarball at the plan path is gone', async () => {
    const site = ['--address', '127.0.0.1', '--ca-file', stack.cert.caPath, '--fpm-pid', join(stack.dir, 'fpm', 'php-fpm.pid')];
    expect(await cli('package', id, '--as', 'tina')).toBe(0);
    expect(await cli('approve', id, '--as', 'dave')).toBe(0);
    expect(await cli('backup', id, '--as', 'tina', ...site)).toBe(0);
    expect(await cli('ready', id, '--as', 'tina')).toBe(0);
    expect(await cli('schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client')).toBe(0);
    rmSync(next.tarball); // what runs is the package's copy, not the plan's path
    // the dry run plans from the package in the store too: its staged paths, nothing read at the plan's path
    const hash = JSON.parse((await captured('--json', 'show', id)).stdout).package.hash as string;
    const dry = await captured('deploy', id, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const listed = JSON.parse(dry.stdout);
    expect(listed.warnings).toEqual([]);
    expect(listed.listing).toContain(`${stack.plan.target.root}/packages/${hash}/release/dolibarr-20.0.2.tgz`);
    expect(listed.listing).not.toContain(next.tarball);
    expect(await cli('deploy', id, '--as', 'tina', ...site)).toBe(0);
    const store = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    const record = (await store.get(id))!.record;
    await store.close();
    expect(record.state).toBe('verifying');
    expect(record.package!.hash).toBe(hash);
    const dir = join(stack.plan.target.root, 'packages', hash);
    expect(readFileSync(join(dir, '.verified'), 'utf8').trim()).toBe(hash);
    expect(existsSync(join(dir, 'release', 'dolibarr-20.0.2.tgz'))).toBe(true);
    expect(readFileSync(join(stack.plan.target.root, 'current', 'htdocs', 'filefunc.inc.php'), 'utf8')).toContain("'20.0.2'");
  }, 600_000);
});
