/**
 * End-to-end upgrade of a real Dolibarr across a major version, then a rollback (issue 5):
 *   npm run e2e -- --release /work/releases/dolibarr-20.0.2.tgz --upgrade-from /work/releases/dolibarr-19.0.4.tgz
 * (scripts/e2e.ts hands over to this file when --upgrade-from is given; `tsx scripts/e2e-upgrade.ts …` works too.)
 * Installs OLD with the install pipeline, adds third parties, contacts and products, upgrades to NEW with
 * src/steps/upgrade (Dolibarr's own upgrade pages, one major per pass) while a prober measures the downtime, logs
 * in, checks the data and the database version, then rolls back with src/steps/rollback and checks again: login,
 * version, and every table's row count and CHECKSUM TABLE equal to before the upgrade. Nothing of the releases
 * is copied into the repository. With --broken-runs (issue 13, scripts/e2e-upgrade-runs.ts): two broken upgrades with
 * a write between them, then a kill -9 during upgrade.php and the resume, reporting row counts and the outage.
 * With --webhook (issue 17): the plan has an outgoing webhook, so the upgrade enables module Webhook on the new release,
 * writes the target and fires a test event into a loopback sink after the migration, before the after-upgrade
 * inventory (the rollback right after must still find nothing to discard).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { planSchema } from '../src/core/plan.js';
import { gatherRollbackFacts } from '../src/steps/rollback/facts.js';
import { runRollback } from '../src/steps/rollback/run-rollback.js';
import { describeChanges, hasChanges } from '../src/steps/rollback/changes.js';
import { gatherUpgradeFacts } from '../src/steps/upgrade/facts.js';
import { runUpgrade } from '../src/steps/upgrade/run-upgrade.js';
import type { StepTime } from '../src/steps/upgrade/engine-run.js';
import { caOf, startInstallStack, type InstallStackOptions } from '../test/helpers/install-stack/index.js';
import { dataFingerprint, engineFor, upgradeOverrides } from '../test/helpers/upgrade/index.js';
import { brokenRuns } from './e2e-upgrade-runs.js';
import { startHttpSink } from '../test/helpers/integrations/http-sink.js';

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const versionOf = (path: string) => /dolibarr-(\d+\.\d+\.\d+)\.tgz$/.exec(basename(path))?.[1];
const secs = (ms: number) => `${(ms / 1000).toFixed(2).padStart(7)} s`;
const printSteps = (steps: StepTime[]) =>
  steps.forEach((s) => console.log(`  ${s.id.padEnd(36)} ${secs(s.ms)}${s.skipped ? ' (skipped)' : ''}`));

export async function e2eUpgrade(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      release: { type: 'string' },
      'upgrade-from': { type: 'string' },
      keep: { type: 'boolean', default: false },
      // issue 13: two broken upgrades with a write between them, then a kill -9 mid-migration and the resume
      'broken-runs': { type: 'boolean', default: false },
      webhook: { type: 'boolean', default: false },
    },
    strict: false,
  });
  const [newTgz, oldTgz] = [
    values.release as string | undefined,
    values['upgrade-from'] as string | undefined,
  ];
  const [newVersion, oldVersion] = [newTgz && versionOf(newTgz), oldTgz && versionOf(oldTgz)];
  if (!newTgz || !oldTgz || !newVersion || !oldVersion) {
    console.error(
      'usage: npm run e2e -- --release PATH/dolibarr-NEW.tgz --upgrade-from PATH/dolibarr-OLD.tgz [--broken-runs] [--keep]',
    );
    return 2;
  }
  const wall = Date.now();
  const options = {
    release: oldTgz,
    version: oldVersion,
    sha256: await sha256(oldTgz),
    keep: Boolean(values.keep),
    mariadbArgs: ['--innodb-buffer-pool-size=256M', '--innodb-log-file-size=128M'],
  };
  const stack = await startInstallStack(options as InstallStackOptions);
  try {
    const q = (sql: string) => stack.db.rootClient.query(sql);
    console.log(`installed    ${oldVersion} in ${(stack.installMs / 1000).toFixed(1)} s`);
    await q(
      "INSERT INTO acme_crm.llx_societe (nom, entity, client, code_client, datec) VALUES ('Alpha SARL', 1, 1, 'CU0001', NOW()), ('Beta GmbH', 1, 1, 'CU0002', NOW()), ('Gamma Ltd', 1, 2, 'CU0003', NOW())",
    );
    await q(
      "INSERT INTO acme_crm.llx_socpeople (fk_soc, entity, lastname, firstname, datec, fk_user_creat) SELECT rowid, 1, CONCAT('Contact ', rowid), 'Ann', NOW(), (SELECT MIN(rowid) FROM acme_crm.llx_user) FROM acme_crm.llx_societe",
    );
    await q(
      "INSERT INTO acme_crm.llx_product (ref, entity, label, price, datec) VALUES ('P1', 1, 'Widget', 10, NOW()), ('P2', 1, 'Gadget', 20, NOW()), ('P3', 1, 'Gizmo', 30, NOW())",
    );
    const before = await dataFingerprint(stack);
    const business = async () =>
      (
        await q(
          'SELECT (SELECT COUNT(*) FROM acme_crm.llx_societe), (SELECT COUNT(*) FROM acme_crm.llx_socpeople), (SELECT COUNT(*) FROM acme_crm.llx_product)',
        )
      )[0]!.join('/');
    const dbVersion = async () =>
      (
        await q(
          "SELECT name, value FROM acme_crm.llx_const WHERE entity = 0 AND name IN ('MAIN_VERSION_LAST_INSTALL', 'MAIN_VERSION_LAST_UPGRADE') ORDER BY name",
        )
      )
        .map((r) => r.join('='))
        .join(', ');
    console.log(
      `data         third parties/contacts/products ${await business()}; ${Object.keys(before).length} tables; ${await dbVersion()}`,
    );

    const sink = values.webhook ? await startHttpSink() : undefined;
    const plan = planSchema.parse({
      ...stack.plan,
      kind: 'upgrade',
      dolibarr: { version: newVersion, release: newTgz, sha256: await sha256(newTgz) },
      ...(sink
        ? {
            integrations: [
              {
                id: 'erp-events',
                kind: 'api',
                webhook: { url: `${sink.url}/erp/events`, triggers: ['COMPANY_CREATE', 'COMPANY_DELETE'] },
              },
            ],
          }
        : {}),
    });
    if (values['broken-runs']) {
      const ok = await brokenRuns(stack, plan, newTgz, newVersion, business);
      console.log(`wall         ${((Date.now() - wall) / 1000).toFixed(1)} s`);
      return ok ? 0 : 1;
    }
    // the public 20.0.2 copy is htdocs/ only (DOLIBARR.md §0): without scripts/cron the cron check is skipped, as scripts/e2e.ts does
    const facts = await gatherUpgradeFacts(stack.host, plan, { ...upgradeOverrides(stack), skipCron: true });
    console.log(
      `passes       ${facts.passes.map((p) => `${p.from} -> ${p.to} (${p.step5Action})`).join(', ')}`,
    );
    const up = await runUpgrade({
      ...engineFor(stack, { ...stack.ctx, plan, facts: { ...facts } }),
      access: { address: '127.0.0.1', ca: caOf(stack) },
    });
    console.log(
      `upgrade      ${up.outcome}${up.reason ? `: ${up.reason}` : ''} in ${(up.durationMs / 1000).toFixed(1)} s; downtime ${up.downtime?.downtimeSeconds} s (${up.downtime?.failedSamples}/${up.downtime?.samples} probes not 200)`,
    );
    printSteps(up.steps);
    for (const x of up.downtime?.outages ?? []) console.log(`  outage ${x.from} ${x.seconds} s (${x.seen})`);
    if (up.rollbackSteps) printSteps(up.rollbackSteps);
    console.log(
      `login        ${up.health?.ok ? 'OK' : `FAILED: ${up.health?.reason}`} (${up.health?.durationMs} ms)`,
    );
    console.log(
      `after        ${await dbVersion()}; data ${await business()}; ${(await q("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'acme_crm'"))[0]![0]} tables`,
    );
    if (up.outcome !== 'upgraded') return 1;
    // issue 17: upgrade2.php (l.620 in 20.0.2) set MAIN_FIRST_PING_OK_ID to 'torefresh'; upgrade:telemetry sets it back
    const ping = (
      await q(
        "SELECT entity, value FROM acme_crm.llx_const WHERE name = 'MAIN_FIRST_PING_OK_ID' ORDER BY entity",
      )
    )
      .map((r) => r.join('='))
      .join(', ');
    const pingOff = ping === '0=disabled, 1=disabled';
    console.log(
      `first ping   MAIN_FIRST_PING_OK_ID ${ping} (${pingOff ? 'off, as the plan says' : 'NOT off'})`,
    );
    const hooks = (sink?.requests ?? []).map((x) => {
      const body = x.json as { triggercode?: string; object?: Record<string, unknown> } | undefined;
      return `${x.method} ${x.path} ${body?.triggercode} "${String(body?.object?.name)}" (${Object.keys(body?.object ?? {}).length} properties, ${x.body.length} bytes)`;
    });
    for (const h of hooks) console.log(`webhook      ${h}`);
    await sink?.stop();
    const hooked = !sink || (hooks.length === 2 && hooks[0]!.includes('COMPANY_CREATE'));

    const rbFacts = await gatherRollbackFacts(stack.host, stack.plan, {
      backupStamp: up.backupStamp,
      previousRelease: up.previousRelease,
      phpReload: upgradeOverrides(stack).phpReload,
      reason: 'e2e: rollback on demand',
    });
    // issue 25: as `rollback` without --discard-changes: right after a healthy upgrade nobody wrote anything, so it
    // must not be refused (the after-upgrade inventory is taken after the health check's login wrote llx_user)
    const rb = await runRollback({
      ...engineFor(stack, { ...stack.ctx, facts: { ...rbFacts } }),
      access: { address: '127.0.0.1', ca: caOf(stack) },
      discardChanges: false,
    });
    console.log(
      `changes      ${rb.changes && hasChanges(rb.changes) ? describeChanges(rb.changes).join('; ') : 'none since the upgrade (no --discard-changes needed)'}`,
    );
    console.log(
      `rollback     ${rb.ok ? 'OK' : `FAILED: ${rb.reason}`} in ${(rb.durationMs / 1000).toFixed(1)} s; downtime ${rb.downtime?.downtimeSeconds} s`,
    );
    printSteps(rb.steps);
    // compared before our own verification login (which writes llx_user's last-login dates) is not possible from
    // here: the rollback's verify-data step already compared every table with the backup before that login
    const afterRollback = await dataFingerprint(stack);
    const differing = Object.keys({ ...before, ...afterRollback }).filter(
      (t) => before[t] !== afterRollback[t],
    );
    const same = differing.every((t) => t === 'llx_user');
    if (differing.length)
      console.log(
        `differs      ${differing.join(', ')} (llx_user: last-login dates written by the verification login)`,
      );
    console.log(`login        ${rb.health?.ok ? 'OK' : `FAILED: ${rb.health?.reason}`}`);
    console.log(
      `after        ${await dbVersion()}; data ${await business()}; every table's rows and checksum equal to before the upgrade: ${same ? 'yes' : 'NO'}${differing.length ? ' (but llx_user)' : ''}`,
    );
    console.log(`wall         ${((Date.now() - wall) / 1000).toFixed(1)} s`);
    if (values.keep) console.log(`kept         ${stack.dir}`);
    return rb.ok && same && up.health?.ok && pingOff && hooked ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

if (process.argv[1] && basename(process.argv[1]).startsWith('e2e-upgrade')) {
  e2eUpgrade().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(
        e instanceof Error
          ? 'describe' in e && typeof e.describe === 'function'
            ? e.describe()
            : e.stack
          : e,
      );
      process.exit(1);
    },
  );
}
