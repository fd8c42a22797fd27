/**
 * Benchmark (issue 5), on the fixture release with real MariaDB, PHP-FPM and nginx:
 *  1. upgrade downtime: 19.0.4 -> 20.0.2 while the prober polls the site (goal <= 3 s);
 *  2. rollback time against a raw `mariadb < dump` of the same database in the same run (goal <= 1.2x).
 * The database is filled first so the restore is not lost in constant costs: N third parties and N/2 products
 * (default N = 400000; `npx tsx bench/upgrade.ts N`). Run as root. Prints the figures.
 */
import { execFileSync } from 'node:child_process';
import { loadavg, cpus, tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { gatherRollbackFacts } from '../src/steps/rollback/facts.js';
import { runRollback } from '../src/steps/rollback/run-rollback.js';
import { runUpgrade } from '../src/steps/upgrade/run-upgrade.js';
import { backupLayout } from '../src/backup/layout.js';
import { buildFixtureRelease } from '../test/helpers/fixture-release/build.js';
import { startInstallStack } from '../test/helpers/install-stack/index.js';
import { engineFor, upgradeContext, upgradeOverrides, upgradePlan } from '../test/helpers/upgrade/index.js';

const rows = Number(process.argv[2] ?? 400_000);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<number> {
  const out = mkdtempSync(join(tmpdir(), 'moko-bench-upgrade-'));
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  const good = buildFixtureRelease({ version: '20.0.2' }, join(out, 'new'));
  const stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  try {
    const q = (sql: string) => stack.db.rootClient.query(sql);
    await q(
      `INSERT INTO acme_crm.llx_societe (nom, client, code_client, datec) SELECT CONCAT('Company ', seq), 1, CONCAT('CU', seq), NOW() FROM acme_crm.seq_1_to_${rows}`,
    );
    await q(
      `INSERT INTO acme_crm.llx_product (ref, label, price, datec) SELECT CONCAT('P', seq), CONCAT('Product ', seq), seq / 100, NOW() FROM acme_crm.seq_1_to_${Math.floor(rows / 2)}`,
    );
    console.log(
      `machine      ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(`data         ${rows} third parties, ${Math.floor(rows / 2)} products`);

    const ctx = await upgradeContext(stack, upgradePlan(stack, good));
    const up = await runUpgrade({ ...engineFor(stack, ctx) });
    const window = up.steps.filter((x) =>
      [
        'upgrade:maintenance-on',
        'upgrade:switch',
        'upgrade:reload-php',
        'upgrade:migrate-19.0.0-20.0.0',
        'upgrade:maintenance-off',
      ].includes(x.id),
    );
    console.log(
      `upgrade      ${up.outcome} in ${s(up.durationMs)}; DOWNTIME ${up.downtime?.downtimeSeconds} s measured by the prober (goal <= 3 s); steps in the window: ${window.map((x) => `${x.id.replace('upgrade:', '')} ${s(x.ms)}`).join(', ')}`,
    );
    if (up.outcome !== 'upgraded') return 1;

    const facts = await gatherRollbackFacts(stack.host, stack.plan, {
      backupStamp: up.backupStamp,
      previousRelease: up.previousRelease,
      phpReload: upgradeOverrides(stack).phpReload,
      reason: 'bench',
    });
    const rb = await runRollback({ ...engineFor(stack, { ...stack.ctx, facts: { ...facts } }) });
    if (!rb.ok) {
      console.log(`rollback     FAILED: ${rb.reason}`);
      return 1;
    }
    const dump = backupLayout(stack.plan.target.backupRoot, up.backupStamp).database;
    await q('CREATE DATABASE acme_raw');
    const started = Date.now();
    execFileSync('sh', ['-c', `"$@" acme_raw < '${dump}'`, 'raw', ...stack.db.rootClient.argv], {
      stdio: 'inherit',
    });
    const rawMs = Date.now() - started;
    const restoreStep = rb.steps.find((x) => x.id === 'rollback:restore-database')?.ms ?? 0;
    const dumpMb = Number(execFileSync('stat', ['-c', '%s', dump]).toString()) / 1e6;
    console.log(
      `rollback     ${s(rb.durationMs)} in all (verified: login ${rb.health?.ok ? 'OK' : 'FAILED'}, rows + checksums of ${rb.backup?.tables.rows.size} tables); downtime ${rb.downtime?.downtimeSeconds} s`,
    );
    for (const x of rb.steps) console.log(`  ${x.id.padEnd(30)} ${s(x.ms).padStart(8)}`);
    console.log(`raw restore  mariadb acme_raw < database.sql (${dumpMb.toFixed(1)} MB): ${s(rawMs)}`);
    console.log(
      `RATIO        rollback / raw restore = ${(rb.durationMs / rawMs).toFixed(2)}x (goal <= 1.2x); restore step alone ${(restoreStep / rawMs).toFixed(2)}x`,
    );
    return 0;
  } finally {
    await stack.stop();
    execFileSync('rm', ['-rf', out]);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(
      e instanceof Error ? ('describe' in e && typeof e.describe === 'function' ? e.describe() : e.stack) : e,
    );
    process.exit(1);
  },
);
