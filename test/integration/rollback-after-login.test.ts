import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { runRollback } from '../../src/steps/rollback/run-rollback.js';
import { runUpgrade, type UpgradeResult } from '../../src/steps/upgrade/run-upgrade.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { engineFor, upgradeContext, upgradePlan } from '../helpers/upgrade/index.js';

/**
 * Issue 25 (after-upgrade inventory): every real login writes llx_user (main.inc.php l.1264, 20.0.2, calls
 * User::update_last_login_date(); the fixture does the same). The in-place upgrade's health check logs in, so its
 * after-upgrade inventory is taken after it: a rollback right after a healthy upgrade with no client activity finds
 * nothing to discard (as `rollback` without --discard-changes: discardChanges false). A client's login afterwards
 * is a write it names. Driven through the engine (steps/upgrade/run-upgrade.ts), whichever engine the CLI picks.
 */
let stack: InstallStack;
let next: FixtureRelease;
/** The upgrade the second test leaves in place (its rollback refused). */
let pending: UpgradeResult | undefined;
const out = mkdtempSync(join(tmpdir(), 'moko-rollback-login-'));
const q = (sql: string) => stack.db.rootClient.query(sql);
const current = () => readlinkSync(join(stack.plan.target.root, 'current'));
const lastLogin = async () =>
  String((await q("SELECT datelastlogin FROM acme_crm.llx_user WHERE login = 'admin'"))[0]![0]);

async function upgrade(): Promise<UpgradeResult> {
  const ctx = await upgradeContext(stack, upgradePlan(stack, next));
  const r = await runUpgrade({ ...engineFor(stack, ctx) });
  expect(r.outcome, r.reason).toBe('upgraded');
  return r;
}

/** As `rollback <id>` without --discard-changes, right after `done`. */
async function rollback(done: UpgradeResult) {
  const ctx = await upgradeContext(stack, upgradePlan(stack, next));
  const facts = { ...done.facts, backupStamp: done.backupStamp, badRelease: done.newRelease, reason: 'test' };
  return runRollback({ ...engineFor(stack, { ...ctx, facts }), discardChanges: false });
}

/** `rollback --discard-changes` (the previous test left a client login behind). */
async function rollbackDiscarding(done: UpgradeResult) {
  const ctx = await upgradeContext(stack, upgradePlan(stack, next));
  const facts = { ...done.facts, backupStamp: done.backupStamp, badRelease: done.newRelease, reason: 'test' };
  return runRollback({ ...engineFor(stack, { ...ctx, facts }), discardChanges: true });
}

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  next = buildFixtureRelease({ version: '20.0.2' }, join(out, 'next'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('the after-upgrade inventory is taken after the health check (issue 25)', () => {
  it('a rollback right after a healthy upgrade, nobody logged in since: nothing to discard', async () => {
    const before = await lastLogin();
    const done = await upgrade();
    expect(current()).toMatch(/20\.0\.2-/);
    // the health check logged in, and Dolibarr wrote it into llx_user
    expect(done.health?.ok).toBe(true);
    expect(await lastLogin()).not.toBe(before);
    const r = await rollback(done);
    expect(r.ok, r.reason).toBe(true);
    expect(r.changes?.tables).toEqual([]);
    expect(current()).toMatch(/19\.0\.4-/);
  }, 400_000);

  it("a client's login after the upgrade is a write the rollback names (llx_user), refused without the flag", async () => {
    const done = await upgrade();
    pending = done;
    const login = await loginThroughForm({
      url: stack.plan.site.url,
      login: 'admin',
      password: stack.secrets.secret('acme/admin'),
      address: '127.0.0.1',
      ca: readFileSync(stack.cert.caPath),
    });
    expect(login.ok, login.reason).toBe(true);
    const refusal = await rollback(done).then(
      () => 'not refused',
      (e: Error) => e.message,
    );
    expect(refusal).toMatch(/the site changed since backup/);
    expect(refusal).toMatch(/llx_user: rows changed/);
    expect(current()).toMatch(/20\.0\.2-/);
  }, 400_000);

  it('an upgrade killed after serving again but before its after-upgrade inventory: a write since is still named', async () => {
    const r = await rollbackDiscarding(pending!);
    expect(r.ok, r.reason).toBe(true);
    const done = await upgrade();
    // as if killed between maintenance off and the inventory: no after-upgrade baseline in its backup
    const tables = join(stack.plan.target.backupRoot, done.backupStamp, 'tables');
    for (const f of readdirSync(tables).filter((n) => n.startsWith('after-upgrade-')))
      rmSync(join(tables, f));
    await q(
      "INSERT INTO acme_crm.llx_societe (nom, client, code_client, datec) VALUES ('Omega SA', 1, 'CU0099', NOW())",
    );
    const refusal = await rollback(done).then(
      () => 'not refused',
      (e: Error) => e.message,
    );
    expect(refusal).toMatch(/llx_societe: \+1 rows/);
    expect(current()).toMatch(/20\.0\.2-/);
  }, 400_000);
});
