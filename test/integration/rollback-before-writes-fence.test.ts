import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/runner/index.js';
import { runRollbackBeforeWrites } from '../../src/steps/rollback/run-before-writes.js';
import { runCopyUpgrade, type CopyUpgradeResult } from '../../src/steps/upgrade-copy/run-copy-upgrade.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { addBusinessData, engineFor, upgradeContext, upgradePlan } from '../helpers/upgrade/index.js';
import { servedRelease } from '../helpers/upgrade/served.js';
import { openClientSession } from '../helpers/services/mariadb-session.js';

/**
 * Issue 19: the rollback before writes under a second whatever requests are in flight. The new release goes
 * read-only (its state file) and a write fence is taken on its database (src/steps/upgrade-copy/fence*.ts): one
 * session holding LOCK TABLES ... READ on every table, so requests that started before the flag go on reading but
 * cannot write, and the rollback need not wait for them (the drain it replaces waited for every one: 10-18 s pages at
 * 1M third parties). On the fixture release behind the tests' real nginx, PHP-FPM and MariaDB:
 * - a slow read in flight on the new database: the window stays under a second and the read completes;
 * - a request that connected before the flag and writes after the fence: refused (its connection killed after the
 *   switch back), its row in neither database, the rollback completes;
 * - kill -9 of mokodeploy right after the fence: the fence ends by itself (its lifetime), the next rollback works;
 * - writes found: the fence ends at once (nobody killed: a blocked writer writes), the new release writes again.
 * On the old code (drain) the first test fails: the window waits for the read.
 */
let stack: InstallStack;
let good: FixtureRelease;
const out = mkdtempSync(join(tmpdir(), 'moko-rollback-fence-'));
const q = (sql: string) => stack.db.rootClient.query(sql);
const fences = async (schema: string) =>
  Number(
    (
      await q(
        `SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'DO SLEEP(%mokodeploy-fence:${schema}%'`,
      )
    )[0]![0],
  );
const societe = async (schema: string, code: string) =>
  Number((await q(`SELECT COUNT(*) FROM \`${schema}\`.llx_societe WHERE code_client = '${code}'`))[0]![0]);

/** A client of the site's account on `schema`, as a Dolibarr request holds one from bootstrap to its end. */
function siteSession(schema: string) {
  const db = stack.plan.database;
  return openClientSession(stack.db.rootClient.argv, {
    user: db.user,
    password: stack.secrets.secret(db.password.secret).reveal(),
    port: db.port,
    schema,
  });
}

/**
 * A slow page of the new release, connecting as Dolibarr does (htdocs/core/db/mysqli.class.php l.96-112: the server,
 * then select_db of conf.php's database) and reading for `seconds`; fetched through nginx and PHP-FPM.
 */
function slowPage(release: string, seconds: number): Promise<{ status: string; body: string }> {
  const page = join(stack.plan.target.root, 'releases', release, 'htdocs', 'mokotest-slow.php');
  writeFileSync(
    page,
    [
      '<?php',
      "include_once 'conf/conf.php';",
      '$db = new mysqli($dolibarr_main_db_host, $dolibarr_main_db_user, $dolibarr_main_db_pass, "", (int) $dolibarr_main_db_port);',
      '$db->select_db($dolibarr_main_db_name);',
      `$r = $db->query("SELECT SLEEP(${seconds}), COUNT(*) FROM llx_societe")->fetch_row();`,
      "echo 'read ', $r[1], ' readonly=', empty($dolibarr_main_db_readonly) ? 0 : 1;",
      '',
    ].join('\n'),
  );
  chmodSync(page, 0o644);
  const ca = join(out, 'ca.pem');
  writeFileSync(ca, caOf(stack));
  const url = `https://crm.acme.test:${stack.httpsPort}/mokotest-slow.php`;
  const resolve = `crm.acme.test:${stack.httpsPort}:127.0.0.1`;
  return new Promise((done) =>
    execFile(
      'curl',
      ['-sS', '--max-time', '30', '--cacert', ca, '--resolve', resolve, '-w', '\n%{http_code}', url],
      (_e, stdout, stderr) => {
        const lines = `${stdout}${stderr}`.trim().split('\n');
        done({ status: lines.at(-1)!, body: lines.slice(0, -1).join('\n') });
      },
    ),
  );
}

async function upgrade(): Promise<CopyUpgradeResult> {
  const ctx = await upgradeContext(stack, upgradePlan(stack, good));
  const up = await runCopyUpgrade({ ...engineFor(stack, ctx), probe: false });
  expect(up.outcome, up.reason).toBe('upgraded');
  return up;
}

async function rollback(
  up: CopyUpgradeResult,
  o: { store?: string; events?: (e: RunEvent) => void; facts?: Record<string, unknown> } = {},
) {
  const ctx = await upgradeContext(stack, upgradePlan(stack, good));
  const facts = { ...up.facts, badRelease: up.newRelease, reason: 'test', ...o.facts };
  return runRollbackBeforeWrites({
    ...engineFor(stack, { ...ctx, facts }, o.store),
    probe: false,
    events: o.events,
  });
}

/** The rollback before writes of `up` in its own process, killed with SIGKILL once its fence is held. */
async function killAfterFence(up: CopyUpgradeResult, store: string, lifetime: number) {
  const facts = { ...up.facts, badRelease: up.newRelease, reason: 'test', fenceLifetimeSeconds: lifetime };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../helpers/upgrade/rollback-child.ts', import.meta.url))],
    { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const secrets = Object.fromEntries([...stack.secrets.values].map(([k, v]) => [k, v.reveal()]));
  child.stdin.end(
    JSON.stringify({
      plan: upgradePlan(stack, good),
      secrets,
      facts,
      storeDir: store,
      deploymentId: 'acme-upgrade',
      pause: 'step-done:rollback:new-read-only',
    }),
  );
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<NodeJS.Signals | null>((r) => child.once('close', (_c, s) => r(s)));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if ((JSON.parse(line) as { type: string }).type === 'paused') resolve();
    });
    void closed.then(() => reject(new Error(`the rollback child exited before its pause: ${stderr}`)));
  });
  process.kill(child.pid!, 'SIGKILL');
  expect(await closed).toBe('SIGKILL');
  expect(await fences(up.liveDatabase!)).toBe(1);
}

const afterFence = (then: () => void) => (e: RunEvent) => {
  if (e.type === 'step-done' && e.step === 'rollback:new-read-only') then();
};

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  good = buildFixtureRelease({ version: '20.0.2' }, join(out, 'good'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  await addBusinessData(stack);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('rollback before writes with a write fence', () => {
  it('a slow read in flight on the new database: the window stays under a second and the read completes', async () => {
    const up = await upgrade();
    const live = up.liveDatabase!;
    const reader = siteSession(live);
    reader.send('SELECT SLEEP(6), COUNT(*) FROM llx_societe;');
    reader.end(); // the request ends once its read is answered
    const page = slowPage(up.newRelease, 6);
    await new Promise((r) => setTimeout(r, 500));
    const r = await rollback(up);
    expect(r.ok, r.reason).toBe(true);
    console.log(
      `rollback before writes behind a 6 s read: window ${r.switchWindow?.seconds} s, in all ${(r.durationMs / 1000).toFixed(2)} s`,
      JSON.stringify(r.steps),
    );
    expect(r.switchWindow!.seconds).toBeLessThan(1);
    expect(servedRelease(stack)).toBe(`releases/${up.previousRelease}`);
    expect(await reader.exited).toBe(0);
    expect(reader.output()).toMatch(/^0\t3$/m);
    // the page that started before the flag: answered normally, by the new release, writable when it began
    expect(await page).toEqual({ status: '200', body: 'read 3 readonly=0' });
    expect(await fences(live)).toBe(0);
  }, 300_000);

  it('a request connected before the flag that writes after the fence: refused, its row nowhere, the rollback done', async () => {
    const up = await upgrade();
    const live = up.liveDatabase!;
    const writer = siteSession(live);
    writer.send('SELECT CONNECTION_ID();');
    expect(await writer.waitFor(/^\d+$/m)).toBe(true);
    let sent = false;
    const r = await rollback(up, {
      events: afterFence(() => {
        sent = true;
        writer.send(
          "INSERT INTO llx_societe (nom, client, code_client, datec) VALUES ('Late write', 1, 'CU0999', NOW()); SELECT 'inserted';",
        );
      }),
    });
    expect(sent).toBe(true);
    expect(r.ok, r.reason).toBe(true);
    expect(r.switchWindow!.seconds).toBeLessThan(1);
    expect(r.steps.map((s) => s.id)).toContain('rollback:fence-release');
    expect(await writer.exited).not.toBe(0);
    expect(writer.output()).not.toContain('inserted');
    expect(writer.output()).toMatch(/Lost connection|server has gone away|Connection was killed/);
    expect(await societe(live, 'CU0999')).toBe(0);
    expect(await societe(up.archiveDatabase!, 'CU0999')).toBe(0);
    expect(await fences(live)).toBe(0);
    expect(servedRelease(stack)).toBe(`releases/${up.previousRelease}`);
  }, 300_000);

  it('kill -9 of mokodeploy right after the fence: it ends by itself within its lifetime; the next rollback works', async () => {
    const up = await upgrade();
    const live = up.liveDatabase!;
    const store = mkdtempSync(join(out, 'store-'));
    await killAfterFence(up, store, 6);
    const killedAt = Date.now();
    while ((await fences(live)) > 0 && Date.now() - killedAt < 20_000)
      await new Promise((r) => setTimeout(r, 200));
    const ms = Date.now() - killedAt;
    console.log(`the fence of the killed run ended ${ms} ms after the kill (lifetime 6 s)`);
    expect(await fences(live)).toBe(0);
    expect(ms).toBeLessThan(12_000);
    // the next rollback takes its own fence (the killed run is started again, not resumed past its fence)
    let fenced = 0;
    const r = await rollback(up, {
      store,
      events: afterFence(() => void fences(live).then((n) => (fenced = n))),
    });
    expect(r.ok, r.reason).toBe(true);
    expect(r.steps.find((s) => s.id === 'rollback:new-read-only')?.skipped).toBeFalsy();
    await new Promise((r) => setTimeout(r, 200));
    expect(fenced).toBe(1);
    expect(servedRelease(stack)).toBe(`releases/${up.previousRelease}`);
    expect(await fences(live)).toBe(0);
  }, 300_000);

  it('kill -9 after the fence, the next rollback at once (the old fence still held): it works, no fence left', async () => {
    const up = await upgrade();
    const live = up.liveDatabase!;
    const store = mkdtempSync(join(out, 'store-'));
    await killAfterFence(up, store, 900);
    // the next run takes over the dead run's lock and stops its orphans (the fence's client among them)
    const r = await rollback(up, { store });
    expect(r.ok, r.reason).toBe(true);
    expect(r.switchWindow!.seconds).toBeLessThan(1);
    expect(servedRelease(stack)).toBe(`releases/${up.previousRelease}`);
    expect(await fences(live)).toBe(0);
  }, 300_000);

  it('writes found: the fence ends at once, nobody killed (a blocked writer writes), the new release writes again', async () => {
    const up = await upgrade();
    const live = up.liveDatabase!;
    // a client's write after the rollback's first check (made without changing anything), before the freeze
    const client = siteSession(live);
    const writer = siteSession(live);
    for (const s of [client, writer]) {
      s.send('SELECT CONNECTION_ID();');
      expect(await s.waitFor(/^\d+$/m)).toBe(true);
    }
    await expect(
      rollback(up, {
        events: (e) => {
          if (e.type === 'step-done' && e.step === 'rollback:old-conf')
            client.send(
              "INSERT INTO llx_societe (nom, client, code_client, datec) VALUES ('Written after the switch', 1, 'CU0777', NOW()); SELECT 'written';",
            );
          // and one that started before the flag, blocked by the fence until the refusal ends it
          afterFence(() =>
            writer.send(
              "INSERT INTO llx_societe (nom, client, code_client, datec) VALUES ('Blocked then written', 1, 'CU0888', NOW()); SELECT 'inserted';",
            ),
          )(e);
        },
      }),
    ).rejects.toThrow(/changed since the switch/);
    client.end();
    expect(await client.exited).toBe(0);
    expect(await societe(live, 'CU0777')).toBe(1);
    expect(await writer.waitFor(/inserted/)).toBe(true);
    writer.end();
    expect(await writer.exited).toBe(0);
    expect(await societe(live, 'CU0888')).toBe(1);
    expect(await fences(live)).toBe(0);
    // the new release serves on, and a write goes through at once
    expect(servedRelease(stack)).toBe(`releases/${up.newRelease}`);
    const t = Date.now();
    await q(
      `INSERT INTO \`${live}\`.llx_societe (nom, client, code_client, datec) VALUES ('Right after', 1, 'CU0889', NOW())`,
    );
    expect(Date.now() - t).toBeLessThan(2000);
    expect(await societe(live, 'CU0889')).toBe(1);
  }, 300_000);
});
