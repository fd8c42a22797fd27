import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planSchema, type Plan } from '../../../src/core/plan.js';
import type { StepContext } from '../../../src/steps/step.js';
import { gatherUpgradeFacts } from '../../../src/steps/upgrade/facts.js';
import type { EngineContext } from '../../../src/steps/upgrade/engine-run.js';
import type { FixtureRelease } from '../fixture-release/build.js';
import { caOf, type InstallStack } from '../install-stack/index.js';

/** Issue 5 tests: an upgrade (or rollback) context on top of an install stack. */
export function upgradePlan(
  stack: InstallStack,
  release: FixtureRelease | { version: string; tarball: string; sha256?: string },
): Plan {
  return planSchema.parse({
    ...stack.plan,
    kind: 'upgrade',
    dolibarr: { version: release.version, release: release.tarball, sha256: release.sha256 },
  });
}

/** Facts that differ on a test machine: a stand-alone php-fpm reloaded by pid file, no systemd. */
export function upgradeOverrides(stack: InstallStack) {
  return {
    serviceManager: 'none' as const,
    phpReload: { kind: 'pidfile' as const, path: join(stack.dir, 'fpm', 'php-fpm.pid') },
    fpmSocket: stack.ctx.facts.fpmSocket as string,
    cronDir: stack.ctx.facts.cronDir as string,
  };
}

export async function upgradeContext(stack: InstallStack, plan: Plan): Promise<StepContext> {
  const facts = await gatherUpgradeFacts(stack.host, plan, upgradeOverrides(stack));
  return { ...stack.ctx, plan, facts: { ...facts } };
}

export function engineFor(
  stack: InstallStack,
  ctx: StepContext,
  storeDir = mkdtempSync(join(tmpdir(), 'moko-upgrade-store-')),
): EngineContext & { access: { address: string; ca: Buffer } } {
  return {
    host: stack.host,
    ctx,
    storeDir,
    deploymentId: 'acme-upgrade',
    planHash: 'test-plan-hash',
    person: 'tester',
    access: { address: '127.0.0.1', ca: caOf(stack) },
  };
}

/**
 * Columns Dolibarr writes on every successful login (main.inc.php l.1264 -> User::update_last_login_date(),
 * user.class.php l.2351-2378, 20.0.2): a verification login after a restore is not a change of the data.
 */
const loginTraces = ['datelastlogin', 'datepreviouslogin', 'iplastlogin', 'ippreviouslogin'];

/** llx_user's rows without the login traces: count and an order-independent sum of each row's CRC32. */
async function usersFingerprint(
  q: InstallStack['db']['rootClient']['query'],
  database: string,
): Promise<string> {
  const columns = (
    await q(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = '${database}' AND table_name = 'llx_user' ORDER BY ordinal_position`,
    )
  )
    .map((r) => r[0]!)
    .filter((c) => !loginTraces.includes(c.toLowerCase()));
  const row = `CONCAT_WS('|', ${columns.map((c) => `QUOTE(\`${c}\`)`).join(', ')})`;
  const [[count, sum]] = (await q(
    `SELECT COUNT(*), COALESCE(SUM(CRC32(${row})), 0) FROM \`${database}\`.llx_user`,
  )) as [[string, string]];
  return `${count} ${sum}`;
}

/**
 * Every table's row count and CHECKSUM TABLE, read as root: the test's own view of "the same data" (llx_user
 * without the last-login columns every login writes, usersFingerprint).
 */
export async function dataFingerprint(
  stack: InstallStack,
  database = stack.plan.database.name,
): Promise<Record<string, string>> {
  const q = stack.db.rootClient.query;
  const tables = (
    await q(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${database}' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).map((r) => r[0]!);
  const out: Record<string, string> = {};
  for (const t of tables) {
    if (t === 'llx_user') {
      out[t] = await usersFingerprint(q, database);
      continue;
    }
    const [[, sum]] = (await q(`CHECKSUM TABLE \`${database}\`.\`${t}\``)) as [[string, string]];
    const [[count]] = (await q(`SELECT COUNT(*) FROM \`${database}\`.\`${t}\``)) as [[string]];
    out[t] = `${count} ${sum}`;
  }
  return out;
}

/** Three third parties, as a user would have entered them before the upgrade. */
export async function addBusinessData(stack: InstallStack): Promise<void> {
  const db = stack.plan.database.name;
  await stack.db.rootClient.query(
    `INSERT INTO \`${db}\`.llx_societe (nom, client, code_client, datec) VALUES ('Alpha SARL', 1, 'CU0001', NOW()), ('Beta GmbH', 1, 'CU0002', NOW()), ('Gamma Ltd', 2, 'CU0003', NOW())`,
  );
  await stack.db.rootClient.query(
    `INSERT INTO \`${db}\`.llx_product (ref, label, price, datec) VALUES ('P1', 'Widget', 10, NOW()), ('P2', 'Gadget', 20, NOW())`,
  );
}
