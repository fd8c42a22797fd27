import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../../src/cli/main.js';
import type { Plan } from '../../../src/core/plan.js';
import type { DeploymentRecord } from '../../../src/core/record.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { teamPeople } from '../cli.js';
import type { FixtureRelease } from '../fixture-release/build.js';

/**
 * A store of its own for upgrade tests that drive the CLI in this process (upgrade-runs, rollback-discard):
 * the environment the CLI reads, `cli(...)` returning the exit code, the stored record, and upgrade plan files.
 */
export function upgradeCliWorkspace(prefix: string) {
  const out = mkdtempSync(join(tmpdir(), prefix));
  const home = join(out, 'home');
  const env = {
    MOKODEPLOY_HOME: home,
    MOKODEPLOY_TEAM: join(out, 'team.yaml'),
    MOKODEPLOY_SECRET_KEY_FILE: join(out, 'secret.key'),
    NO_COLOR: '1',
  };

  async function cli(...args: string[]): Promise<number> {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return await main(['node', 'mokodeploy', ...args], { env: { ...process.env, ...env } });
    } finally {
      process.env = saved;
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
  function writeUpgradePlan(sitePlan: Plan, release: FixtureRelease, planId: string): string {
    const file = join(out, `plan-${planId}.yaml`);
    const now = Date.now();
    const plan = {
      ...JSON.parse(JSON.stringify(sitePlan)),
      id: planId,
      kind: 'upgrade',
      environment: 'staging',
      dolibarr: { version: release.version, release: release.tarball, sha256: release.sha256, upgradeFrom: '19.0.4' },
      people: teamPeople,
      window: {
        start: new Date(now - 3_600_000).toISOString(),
        end: new Date(now + 3 * 3_600_000).toISOString(),
        timezone: 'UTC',
      },
    };
    writeFileSync(file, stringify(plan));
    return file;
  }

  return { out, home, env, cli, record, writeUpgradePlan };
}
