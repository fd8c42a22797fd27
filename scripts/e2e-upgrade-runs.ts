/**
 * `npm run e2e -- --release NEW.tgz --upgrade-from OLD.tgz --broken-runs` (issue 13, runs that never mix), on real
 * Dolibarr: two upgrades to a copy of NEW whose last migration file ends with a statement Dolibarr does not tolerate
 * (a syntax error: DB_ERROR_SYNTAX is not among run_sql()'s accepted errors, core/lib/admin.lib.php l.477-491,
 * 19.0.4), with a third party written between them — each must restore its own attempt's backup; then an upgrade to
 * NEW killed with SIGKILL while Dolibarr's upgrade.php runs, and resumed: the outage recorded runs from the killed
 * run's maintenance on to the resumed run's maintenance off. Every run shares one store (one journal per run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../src/core/plan.js';
import { listRuns, openRun } from '../src/runner/index.js';
import { gatherUpgradeFacts, resumeUpgradeFacts } from '../src/steps/upgrade/facts.js';
import { recordedDowntime } from '../src/steps/upgrade/outage.js';
import { runUpgrade, type UpgradeResult } from '../src/steps/upgrade/run-upgrade.js';
import { caOf, type InstallStack } from '../test/helpers/install-stack/index.js';
import { engineFor, upgradeOverrides } from '../test/helpers/upgrade/index.js';
import { spawnPausedUpgrade } from '../test/helpers/upgrade/spawn.js';

const deploymentId = 'acme-upgrade';

/** NEW with a failing statement appended to the migration file of its last major step. */
export function brokenCopy(newTgz: string, newVersion: string, dir: string): string {
  const to = `${newVersion.split('.')[0]}.0.0`;
  const from = `${Number(newVersion.split('.')[0]) - 1}.0.0`;
  const work = mkdtempSync(join(dir, 'broken-'));
  execFileSync('tar', ['-xzf', newTgz, '-C', work]);
  const top = readdirSync(work)[0]!;
  const file = join(work, top, 'htdocs/install/mysql/migration', `${from}-${to}.sql`);
  execFileSync('sh', [
    '-c',
    'printf "\\n-- e2e: a broken migration\\nALTER TABLE llx_societe ADD COLUMN e2e_broken;\\n" >> "$1"',
    'append',
    file,
  ]);
  const tarball = join(dir, `dolibarr-${newVersion}-broken.tgz`);
  execFileSync('tar', ['-czf', tarball, '-C', work, top]);
  rmSync(work, { recursive: true, force: true });
  return tarball;
}

const sha256 = (path: string) => execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;

export async function brokenRuns(
  stack: InstallStack,
  plan: Plan,
  newTgz: string,
  newVersion: string,
  business: () => Promise<string>,
): Promise<boolean> {
  const store = mkdtempSync(join(tmpdir(), 'moko-e2e-runs-store-'));
  const access = { address: '127.0.0.1', ca: caOf(stack) };
  const overrides = { ...upgradeOverrides(stack), skipCron: true };
  const broken = brokenCopy(newTgz, newVersion, stack.dir);
  const brokenPlan = { ...plan, dolibarr: { ...plan.dolibarr, release: broken, sha256: sha256(broken) } };
  const attempt = async (p: Plan): Promise<UpgradeResult> => {
    // as `mokodeploy upgrade` does: a resume plans with the interrupted run's facts and reads no tarball
    const open = openRun(store, `${deploymentId}.upgrade`)?.records.find((r) => r.type === 'run-started');
    const facts = open
      ? await resumeUpgradeFacts(stack.host, p, open.facts, overrides)
      : await gatherUpgradeFacts(stack.host, p, overrides);
    return runUpgrade({ ...engineFor(stack, { ...stack.ctx, plan: p, facts: { ...facts } }, store), access });
  };
  const q = (sql: string) => stack.db.rootClient.query(sql);
  let ok = true;
  for (const n of [1, 2]) {
    if (n === 2) {
      await q(
        "INSERT INTO acme_crm.llx_societe (nom, entity, client, code_client, datec) VALUES ('Written between the attempts', 1, 1, 'CU0099', NOW())",
      );
      console.log(`write        one third party; data now ${await business()}`);
    }
    const before = await business();
    const r = await attempt(brokenPlan);
    const after = await business();
    console.log(
      `broken #${n}    ${r.outcome} in ${(r.durationMs / 1000).toFixed(1)} s, backup ${r.backupStamp}, run ${r.runId}; downtime ${recordedDowntime(r.downtime?.downtimeSeconds, r.outage)} s (probe ${r.downtime?.downtimeSeconds} s, maintenance window ${r.outage?.seconds} s)`,
    );
    console.log(`  reason     ${r.reason}`);
    console.log(
      `  data       before ${before}, after ${after}: ${before === after ? 'nothing lost' : 'DIFFERS'}`,
    );
    ok &&= r.outcome === 'rolled-back' && before === after;
  }
  // kill -9 while Dolibarr's upgrade.php runs, then resume
  const secrets = Object.fromEntries([...stack.secrets.values].map(([k, v]) => [k, v.reveal()]));
  const child = await spawnPausedUpgrade(
    { plan, secrets, overrides, storeDir: store, deploymentId },
    (l) => l.type === 'command' && String(l.step).startsWith('upgrade:migrate-'),
  );
  await new Promise((r) => setTimeout(r, 500)); // upgrade.php runs for seconds: killed inside it
  process.kill(child.pid, 'SIGKILL');
  await child.exited;
  const killedAt = Date.now();
  const reached = child.lines.filter((l) => l.type === 'step-done').map((l) => String(l.step));
  console.log(
    `kill -9      during ${String(child.lines.at(-1)?.step)} (last step done: ${reached.at(-1)}; maintenance off reached: ${reached.includes('upgrade:maintenance-off')})`,
  );
  await orphansGone(plan.target.root);
  const resumed = await attempt(plan);
  const runs = listRuns(store, `${deploymentId}.upgrade`);
  const killed = runs.find((x) => x.closed?.outcome === 'abandoned');
  console.log(
    `resume       ${resumed.outcome} (resumed: ${resumed.resumed}) in ${(resumed.durationMs / 1000).toFixed(1)} s; killed run ${killed?.runId} closed ${killed?.closed?.outcome} (${killed?.closed?.startedAt} - ${killed?.closed?.endedAt})`,
  );
  console.log(
    `  outage     ${resumed.outage?.from} -> ${resumed.outage?.to}: ${resumed.outage?.seconds} s (probe of the resumed run alone: ${resumed.downtime?.downtimeSeconds} s; killed ${((killedAt - Date.parse(resumed.outage?.from ?? '')) / 1000).toFixed(1)} s after maintenance on)`,
  );
  console.log(`  data       ${await business()}; current ${readlinkSync(join(plan.target.root, 'current'))}`);
  console.log(`  runs       ${runs.map((x) => `${x.runId} ${x.closed?.outcome ?? 'open'}`).join(', ')}`);
  rmSync(store, { recursive: true, force: true });
  return ok && resumed.outcome === 'upgraded' && resumed.resumed;
}

/** The killed run's PHP page keeps running as an orphan (issue 14.2): wait until nothing runs in the target. */
async function orphansGone(root: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const busy = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .some((p) => {
        try {
          return (
            readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('run-install-page') &&
            readlinkSync(`/proc/${p}/cwd`).startsWith(root)
          );
        } catch {
          return false;
        }
      });
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}
