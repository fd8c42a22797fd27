import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../src/core/secret.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import { SshHost } from '../../src/hosts/ssh.js';
import { makeVerifyContext, type VerifyContext } from '../../src/verify/context.js';
import { runVerification, type VerificationOutcome } from '../../src/verify/run.js';
import { deployUser, ensureUser, sshTargetOf, startSshd, type Sshd } from '../helpers/services/index.js';
import { startVerifySite, type VerifySite } from '../helpers/verify/site.js';
import { workspace } from '../helpers/cli.js';
import { recordPlan, verifyingRecord } from '../helpers/verify/record.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SecretStore } from '../../src/store/secrets.js';
import { anchorFileFor } from '../../src/audit/anchor.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';

/**
 * Issue 25: `verify` reaching the server over a real sshd as a non-root deploy user (password-less sudo),
 * as on a client server. The site is the same deployed fixture as verify-site.test.ts (files owned by root
 * and www-data in 0750 directories, conf.php 0440). Every probe must see what a root run sees; a user whose
 * sudo asks for a password must get "unknown" (skip), never "ok", for what it cannot read.
 */
const noSudoUser = 'mokosudo'; // in the sudo group, whose rule asks for a password: `sudo -n` fails
let site: VerifySite;
let sshd: Sshd;
let full: VerificationOutcome;

function sshContext(user: string): VerifyContext {
  const target = sshTargetOf(sshd, user);
  const plan: Plan = { ...site.stack.plan, target: { ...site.stack.plan.target, ...target } };
  const local = site.context();
  return makeVerifyContext({
    plan,
    policy: local.policy,
    host: new SshHost({ ...target }),
    now: new Date(),
    secret: (n) => site.stack.secrets.secret(n),
    options: site.options,
  });
}

const item = (o: VerificationOutcome, id: string) => o.items.find((i) => i.id === id)!;
const check = (o: VerificationOutcome, id: string) => o.checks.find((c) => c.check === id)!;

beforeAll(async () => {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  ensureUser(noSudoUser, { sudo: 'password' });
  [site, sshd] = await Promise.all([startVerifySite(), startSshd({ users: [deployUser, noSudoUser] })]);
  full = await runVerification(sshContext(deployUser));
}, 300_000);

afterAll(async () => {
  await sshd?.stop().catch(() => {});
  await site?.stop();
});

describe('verify over SSH as the non-root deploy user', () => {
  it('passes what a local run passes on a correct site: database checks, permissions, logs, health', () => {
    for (const id of [
      'verify.login',
      'verify.workflows',
      'verify.search',
      'verify.export',
      'verify.uploads',
      'verify.reports',
      'verify.email',
      'verify.tls',
      'verify.permissions',
      'verify.database-access',
      'verify.page-load',
      'verify.error-logs',
      'verify.caching',
    ]) {
      const i = item(full, id);
      expect(i.status, `${id}: ${i.observed} ${i.detail ?? ''}`).toBe('pass');
    }
    expect(item(full, 'verify.workflows').observed).toMatch(/database at 22\.0\.2 = release 22\.0\.2/);
    expect(check(full, 'permissions.install-lock')).toMatchObject({ status: 'pass' });
    expect(check(full, 'permissions.conf-php-access').observed).toMatch(/conf\.php 0440 root:www-data/);
    expect(item(full, 'verify.admin-account').observed).toMatch(/refused 6 common passwords/);
    const queries = item(full, 'verify.queries');
    expect(queries.detail ?? '').not.toMatch(/database query failed/);
  });

  it('leaves common words alone in output: the guessed passwords of admin-account are not secrets (issue 14 point 9)', () => {
    expect(redact('admin.password: 6 common passwords refused; [dolibarr.cron] changeme 123456')).toBe(
      'admin.password: 6 common passwords refused; [dolibarr.cron] changeme 123456',
    );
  });

  it('names the tables without a primary key and whose they are: Dolibarr core, a custom module, neither (issue 14 point 11)', async () => {
    const htdocs = sshContext(deployUser).paths.htdocs;
    // as Dolibarr 19.0.4/20.0.2 install/mysql/tables/llx_user_param.sql: no primary key, a unique key
    const core = join(htdocs, 'install', 'mysql', 'tables', 'llx_user_param.sql');
    const moduleSql = join(htdocs, 'custom', 'mokoinvoice', 'sql');
    mkdirSync(moduleSql, { recursive: true });
    writeFileSync(core, 'create table llx_user_param (fk_user integer NOT NULL) ENGINE=innodb;\n');
    writeFileSync(
      join(moduleSql, 'llx_mokoinvoice_line.sql'),
      'create table llx_mokoinvoice_line (fk integer);\n',
    );
    await site.sql(
      'CREATE TABLE IF NOT EXISTS llx_user_param (fk_user integer NOT NULL, param varchar(180) NOT NULL, UNIQUE KEY uk_user_param (fk_user, param)) ENGINE=innodb; CREATE TABLE llx_mokoinvoice_line (fk integer) ENGINE=innodb; CREATE TABLE llx_handmade (x integer) ENGINE=innodb',
    );
    try {
      let o = await runVerification(sshContext(deployUser), { only: ['queries'] });
      const keys = check(o, 'queries.keys');
      expect(keys.status).toBe('warn');
      expect(keys.observed).toMatch(/llx_user_param \(Dolibarr core\)/);
      expect(keys.observed).toMatch(/llx_mokoinvoice_line \(custom module mokoinvoice\)/);
      expect(keys.observed).toMatch(/llx_handmade \(neither Dolibarr nor an installed custom module\)/);
      expect(keys.detail).toMatch(/custom module mokoinvoice: add a primary key to llx_mokoinvoice_line/);
      expect(keys.detail).not.toMatch(/llx_user_param/);
      await site.sql('DROP TABLE llx_mokoinvoice_line; DROP TABLE llx_handmade');
      o = await runVerification(sshContext(deployUser), { only: ['queries'] });
      expect(check(o, 'queries.keys')).toMatchObject({ status: 'pass' });
      expect(check(o, 'queries.keys').observed).toMatch(
        /llx_user_param \(Dolibarr core\).*Dolibarr's own schema/,
      );
    } finally {
      await site.sql('DROP TABLE IF EXISTS llx_mokoinvoice_line; DROP TABLE IF EXISTS llx_handmade');
      rmSync(join(htdocs, 'custom', 'mokoinvoice', 'sql'), { recursive: true, force: true });
    }
  }, 120_000);

  it('fails the permissions item when an upgrade.unlock is left, install.lock is gone and conf.php is world-readable', async () => {
    const { upgradeUnlock, installLock, confPhp } = sshContext(deployUser).paths;
    const confMode = statSync(confPhp).mode & 0o7777;
    writeFileSync(upgradeUnlock, '');
    rmSync(installLock);
    chmodSync(confPhp, 0o644);
    try {
      const o = await runVerification(sshContext(deployUser), { only: ['permissions'] });
      expect(check(o, 'permissions.upgrade-unlock')).toMatchObject({ status: 'fail' });
      expect(check(o, 'permissions.install-lock')).toMatchObject({ status: 'fail' });
      expect(check(o, 'permissions.conf-php-access')).toMatchObject({ status: 'fail' });
      expect(check(o, 'permissions.conf-php-access').detail).toMatch(/world-readable/);
      expect(item(o, 'verify.permissions').status).toBe('fail');
    } finally {
      rmSync(upgradeUnlock, { force: true });
      writeFileSync(installLock, '', { mode: 0o444 });
      chmodSync(confPhp, confMode);
    }
  }, 120_000);

  it('says unknown, with the reason, never ok, when sudo asks the login user for a password', async () => {
    const { upgradeUnlock } = sshContext(deployUser).paths;
    writeFileSync(upgradeUnlock, '');
    await site.sql('CREATE TABLE llx_nokey_probe (x integer) ENGINE=innodb');
    try {
      const o = await runVerification(sshContext(noSudoUser), {
        only: ['permissions', 'dolibarr-health', 'error-logs', 'queries'],
      });
      for (const id of [
        'permissions.install-lock',
        'permissions.upgrade-unlock',
        'permissions.conf-php-access',
        'permissions.code',
        'permissions.documents',
      ]) {
        const c = check(o, id);
        expect(c.status, `${id}: ${c.observed}`).toBe('unknown');
        expect(c.detail ?? '', id).toMatch(/password|permission|cannot/i);
      }
      const unlock = check(o, 'permissions.upgrade-unlock');
      expect(unlock.observed).not.toMatch(/^no upgrade\.unlock/);
      for (const c of o.checks)
        expect(c.status === 'pass' && /cron|error/.test(c.check), c.check).toBe(false);
      expect(item(o, 'verify.permissions').status).not.toBe('pass');
      // whose a keyless table is cannot be read without sudo: the tables are named, their owner is not guessed
      const keys = check(o, 'queries.keys');
      expect(keys.status).toBe('unknown');
      expect(keys.observed).toMatch(/llx_nokey_probe/);
      expect(keys.observed).not.toMatch(/neither|Dolibarr core|custom module/);
      expect(keys.detail).toMatch(/password/);
    } finally {
      rmSync(upgradeUnlock, { force: true });
      await site.sql('DROP TABLE IF EXISTS llx_nokey_probe');
    }
  }, 120_000);

  it('the built CLI: `mokodeploy verify` of a deployment whose target is reached over SSH as the deploy user', async () => {
    const ws = workspace();
    const keyFile = ws.env.MOKODEPLOY_AUDIT_KEY_FILE!;
    const env = { MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') };
    const now = new Date();
    // the plan names where the cron file is (no --cron-dir): verify reads it from there (issue 14 point 6)
    const sshPlan = sshContext(deployUser).plan;
    const plan = recordPlan(
      sshPlan,
      { id: 'acme-ssh', target: { ...sshPlan.target, cronDir: site.options.cronDir } },
      now,
    );
    const store = new SqliteStore(ws.storePath, {
      signer: readOrCreateAuditSigner(keyFile),
      anchorFile: anchorFileFor(ws.storePath, keyFile),
    });
    const record = verifyingRecord(plan, now);
    await store.create({
      record,
      audit: {
        at: now.toISOString(),
        actor: 'tina',
        role: 'technical-lead',
        action: 'create',
        deploymentId: record.id,
        summary: 'test record',
        before: null,
        after: null,
      },
    });
    await store.close();
    const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), env.MOKODEPLOY_SECRET_KEY_FILE);
    for (const name of ['acme/admin', 'acme/db', 'acme/alice'])
      secrets.set(name, site.stack.secrets.secret(name));
    const r = await ws.runAsync(
      [
        'verify',
        'acme-ssh',
        '--as',
        'quinn',
        '--ca-file',
        site.options.caFile!,
        '--address',
        '127.0.0.1',
        '--only',
        'permissions,database-access,dolibarr-health,queries',
      ],
      env,
    );
    expect(r.stdout, r.stderr).toMatch(/verifying acme-ssh/);
    expect(r.stdout).not.toMatch(/database query failed|could not run/);
    expect(r.stdout).toMatch(/ok\s+permissions\.install-lock/);
    expect(r.stdout).toMatch(/ok\s+permissions\.upgrade-unlock\s+no upgrade\.unlock/);
    expect(r.stdout).toMatch(/ok\s+dolibarr\.db-version/);
    expect(r.stdout).toMatch(/ok\s+dolibarr\.cron\s+\S+\/cron\.d\/mokocrm-acme present; a run now/);
    expect(r.stdout).toMatch(/ok\s+database\.account/);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 180_000);
});
