import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThroughForm } from '../../src/dolibarr/login-form.js';
import { SecretStore } from '../../src/store/secrets.js';
import { buildFixtureRelease, type FixtureRelease } from '../helpers/fixture-release/build.js';
import { teamYaml } from '../helpers/cli.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { upgradeCliWorkspace } from '../helpers/upgrade/cli-workspace.js';

/**
 * Issue 25 (after-upgrade inventory): every real login writes llx_user (main.inc.php l.1264, 20.0.2, calls
 * User::update_last_login_date(); the fixture does the same). The upgrade's health check logs in, so the
 * after-upgrade inventory is taken after it: a rollback right after a healthy upgrade with no client activity
 * finds nothing to discard and needs no --discard-changes. A client's login after the upgrade is a write it names.
 */
let stack: InstallStack;
let next: FixtureRelease;
const ws = upgradeCliWorkspace('moko-rollback-login-');
const { out, home, env, cli } = ws;
const id = 'acme-login';
let site: string[];
const q = (sql: string) => stack.db.rootClient.query(sql);
const current = () => readlinkSync(join(stack.plan.target.root, 'current'));
const lastLogin = async () =>
  String((await q("SELECT datelastlogin FROM acme_crm.llx_user WHERE login = 'admin'"))[0]![0]);

/** The CLI's output too (the refusal names what it would discard). */
async function cliOut(...args: string[]): Promise<{ code: number; text: string }> {
  const chunks: string[] = [];
  const write = (s: string | Uint8Array) => (chunks.push(String(s)), true);
  const [o, e] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = write as typeof process.stdout.write;
  process.stderr.write = write as typeof process.stderr.write;
  try {
    return { code: await cli(...args), text: chunks.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

async function upgrade(planId: string): Promise<number> {
  expect(await cli('plan', 'submit', ws.writeUpgradePlan(stack.plan, next, planId), '--as', 'tina')).toBe(0);
  expect(await cli('approve', planId, '--as', 'dave')).toBe(0);
  expect(await cli('backup', planId, '--as', 'tina', ...site)).toBe(0);
  expect(await cli('ready', planId, '--as', 'tina')).toBe(0);
  expect(await cli('schedule', planId, '--as', 'dave', '--client-approved-by', 'Jane Client')).toBe(0);
  return cli('upgrade', planId, '--as', 'tina', ...site);
}

const rollback = (planId: string) =>
  cliOut(
    'rollback',
    planId,
    '--as',
    'tina',
    '--trigger',
    'client-request',
    '--reason',
    'client asks (test)',
    ...site,
  );

beforeAll(async () => {
  const old = buildFixtureRelease({ version: '19.0.4' }, join(out, 'old'));
  next = buildFixtureRelease({ version: '20.0.2' }, join(out, 'next'));
  stack = await startInstallStack({ release: old.tarball, version: old.version, sha256: old.sha256 });
  writeFileSync(join(out, 'team.yaml'), teamYaml);
  const secrets = new SecretStore(home, env.MOKODEPLOY_SECRET_KEY_FILE);
  for (const name of ['acme/db', 'acme/admin']) secrets.set(name, stack.secrets.secret(name));
  site = [
    '--address',
    '127.0.0.1',
    '--ca-file',
    stack.cert.caPath,
    '--fpm-pid',
    join(stack.dir, 'fpm', 'php-fpm.pid'),
  ];
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out]);
});

describe('the after-upgrade inventory is taken after the health check (issue 25)', () => {
  it('a rollback right after a healthy upgrade, nobody logged in since: no --discard-changes needed', async () => {
    const before = await lastLogin();
    expect(await upgrade(id)).toBe(0);
    expect(current()).toMatch(/20\.0\.2-/);
    // the health check logged in, as Dolibarr writes it: the login is in llx_user
    expect(await lastLogin()).not.toBe(before);
    const r = await rollback(id);
    expect(r.code, r.text).toBe(0);
    expect(r.text).not.toMatch(/discard/);
    expect(current()).toMatch(/19\.0\.4-/);
    expect((await ws.record(id)).state).toBe('rolled-back');
  }, 400_000);

  it("a client's login after the upgrade is a write the rollback names (llx_user), refused without the flag", async () => {
    const again = `${id}-2`;
    expect(await upgrade(again)).toBe(0);
    const login = await loginThroughForm({
      url: stack.plan.site.url,
      login: 'admin',
      password: stack.secrets.secret('acme/admin'),
      address: '127.0.0.1',
      ca: readFileSync(stack.cert.caPath),
    });
    expect(login.ok, login.reason).toBe(true);
    const r = await rollback(again);
    expect(r.code, r.text).toBe(4);
    expect(r.text).toMatch(/llx_user: rows changed/);
    expect(r.text).toContain('--discard-changes');
    expect(current()).toMatch(/20\.0\.2-/);
  }, 400_000);
});
