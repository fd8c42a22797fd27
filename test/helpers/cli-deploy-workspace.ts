import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import type { Plan, PlanInput } from '../../src/core/plan.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { SecretStore } from '../../src/store/secrets.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { teamPeople, teamYaml, workspace, type Workspace } from './cli.js';
import { buildFixtureRelease, type FixtureRelease } from './fixture-release/build.js';
import { writeCustomModule } from './fixture-release/custom-module.js';
import type { InstallStack } from './install-stack/index.js';
import type { Mariadb } from './services/index.js';
import { planInput } from './records.js';
import { tempTargetPaths, testDatabase, type dirMaker, type testSite } from './site-parts.js';

/** The window of a plan run now: opened an hour ago, for three more hours. */
export function windowOpenNow(timezone = 'UTC'): PlanInput['window'] {
  const now = Date.now();
  return {
    start: new Date(now - 3_600_000).toISOString(),
    end: new Date(now + 3 * 3_600_000).toISOString(),
    timezone,
  };
}

/**
 * The "CLI deploy workspace" the deploy, upgrade and rollback tests stand on, driving the CLI in this process
 * (`main()`): a store directory of its own (home, secret key), the test team file, `cli(...)` returning the exit
 * code, `captured(...)` also returning what it printed, the stored record, an upgrade plan file from an installed
 * fixture site's plan, the site's secrets and engine options, and the gates walked up to a scheduled upgrade.
 */
export function cliDeployWorkspace(prefix: string) {
  const out = mkdtempSync(join(tmpdir(), prefix));
  const home = join(out, 'home');
  const env = {
    MOKODEPLOY_HOME: home,
    MOKODEPLOY_TEAM: join(out, 'team.yaml'),
    MOKODEPLOY_SECRET_KEY_FILE: join(out, 'secret.key'),
    NO_COLOR: '1',
  };
  writeFileSync(env.MOKODEPLOY_TEAM, teamYaml);

  async function cli(...args: string[]): Promise<number> {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return await main(['node', 'mokodeploy', ...args], { env: { ...process.env, ...env } });
    } finally {
      process.env = saved;
    }
  }

  /** The CLI with stdout and stderr captured (both are process-wide: one command at a time). */
  async function captured(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const got = { stdout: '', stderr: '' };
    const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
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

  async function record(id: string): Promise<DeploymentRecord> {
    const store = new SqliteStore(join(home, 'mokodeploy.sqlite'));
    try {
      return (await store.get(id))!.record;
    } finally {
      await store.close();
    }
  }

  /** A staging upgrade plan from the installed site's plan to `release`, with a window open now. */
  function writeUpgradePlan(
    sitePlan: Plan,
    release: FixtureRelease,
    planId: string,
    overrides: Partial<PlanInput> = {},
  ): string {
    const file = join(out, `plan-${planId}.yaml`);
    const plan = {
      ...JSON.parse(JSON.stringify(sitePlan)),
      id: planId,
      kind: 'upgrade',
      environment: 'staging',
      dolibarr: {
        version: release.version,
        release: release.tarball,
        sha256: release.sha256,
        upgradeFrom: '19.0.4',
      },
      people: teamPeople,
      window: windowOpenNow(),
      ...overrides,
    };
    writeFileSync(file, stringify(plan));
    return file;
  }

  /** The installed site's secrets (database, admin) in this store, and the engine options that reach it. */
  function useSite(stack: InstallStack, names = ['acme/db', 'acme/admin']): string[] {
    const secrets = new SecretStore(home, env.MOKODEPLOY_SECRET_KEY_FILE);
    for (const name of names) secrets.set(name, stack.secrets.secret(name));
    return siteOptions(stack);
  }

  /**
   * Policy Phase 1 as the team does it: submit the plan file (unless `submitted`), build the package when asked,
   * approve, back up (backup-verified), ready, schedule. The upgrade is then one `upgrade`/`deploy` away.
   */
  async function scheduleUpgrade(
    id: string,
    o: { plan?: string; site: string[]; package?: boolean },
  ): Promise<void> {
    const steps = [
      ...(o.plan ? [['plan', 'submit', o.plan, '--as', 'tina']] : []),
      ...(o.package ? [['package', id, '--as', 'tina']] : []),
      ['approve', id, '--as', 'dave'],
      ['backup', id, '--as', 'tina', ...o.site],
      ['ready', id, '--as', 'tina'],
      ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
    ];
    for (const args of steps) expect(await cli(...args), args.join(' ')).toBe(0);
  }

  return { out, home, env, cli, captured, record, writeUpgradePlan, useSite, scheduleUpgrade };
}

export type CliDeployWorkspace = ReturnType<typeof cliDeployWorkspace>;

/** The engine commands' options for an installed fixture site: its address, CA, stand-alone PHP-FPM's pid file. */
export function siteOptions(stack: Pick<InstallStack, 'cert' | 'dir'>): string[] {
  return [
    '--address',
    '127.0.0.1',
    '--ca-file',
    stack.cert.caPath,
    '--fpm-pid',
    join(stack.dir, 'fpm', 'php-fpm.pid'),
  ];
}

/**
 * A staging plan for a fresh local target (every path in the workspace's temp dir, the test MariaDB, no service
 * manager), for the built-CLI workspace (`workspace()` of cli.ts).
 */
export function freshTargetPlan(
  d: ReturnType<typeof dirMaker>,
  o: {
    release: Pick<FixtureRelease, 'version' | 'tarball' | 'sha256'>;
    site: Awaited<ReturnType<typeof testSite>>;
    db: Mariadb;
    /** How the target is reached (default this machine): SSH fields. */
    connection?: Partial<PlanInput['target']>;
  } & Partial<PlanInput>,
): PlanInput {
  const { release, site, db, connection, ...overrides } = o;
  return planInput({
    environment: 'staging',
    dolibarr: { version: release.version, release: release.tarball, sha256: release.sha256 },
    target: {
      host: 'local',
      ...connection,
      ...tempTargetPaths(d),
      phpFpmSocket: join(d('run'), 'php-fpm-acme.sock'),
      serviceManager: 'none',
      cronDir: d('cron.d'),
    },
    site,
    database: testDatabase(db),
    ...overrides,
  });
}

/** Submit, approve, ready and schedule through the built CLI: a new install one `deploy` away. */
export function scheduleThroughCli(
  ws: Workspace,
  id: string,
  planFile: string,
  env?: NodeJS.ProcessEnv,
): void {
  for (const args of [
    ['plan', 'submit', planFile, '--as', 'tina'],
    ['approve', id, '--as', 'dave'],
    ['ready', id, '--as', 'tina'],
    ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ]) {
    const r = ws.run(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}

/**
 * A built-CLI workspace whose submitted plan (acme-2026-12) names the fixture 20.0.2 release and one custom module
 * directory: what the package tests build from; `json(args)` runs a command that must succeed and parses its --json.
 */
export function packagingWorkspace() {
  const ws = workspace();
  const release = buildFixtureRelease({ version: '20.0.2' }, join(ws.dir, 'release')).tarball;
  const moduleDir = writeCustomModule(join(ws.dir, 'modules'), {
    name: 'mokotest',
    className: 'modMokoTest',
  });
  ws.writePlan(
    'plan.yaml',
    planInput({
      dolibarr: { version: '20.0.2', release },
      customModules: [{ name: 'mokotest', source: moduleDir }],
    }),
  );
  expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
  const json = (args: string[]) => {
    const r = ws.run(['--json', ...args]);
    expect(r.code, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  };
  return { ws, release, moduleDir, json };
}
