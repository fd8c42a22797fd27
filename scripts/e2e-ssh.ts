/**
 * `npm run e2e -- --release R.tgz --ssh` (issue 25): the target is reached through a real sshd on 127.0.0.1 as the
 * non-root deploy user (password-less sudo, known_hosts checking), as on a client server. The install runs through
 * that connection, the verification too (scripts/e2e-verify.ts); then the site is broken one way at a time and
 * verify, still over SSH, must say fail or unknown for it, never ok. Last, a login user whose sudo asks for a
 * password verifies the correct site: what it cannot read is unknown, never ok.
 */
import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Plan } from '../src/core/plan.js';
import { SshHost } from '../src/hosts/ssh.js';
import { makeVerifyContext, type VerifyContext } from '../src/verify/context.js';
import type { CheckResult } from '../src/verify/check.js';
import { checkLine } from '../src/verify/format.js';
import { runVerification } from '../src/verify/run.js';
import type { InstallStack } from '../test/helpers/install-stack/index.js';
import { deployUser, ensureUser, sshTargetOf, startSshd, type Sshd } from '../test/helpers/services/index.js';
import { verifyOptionsFor } from '../test/helpers/verify/site.js';

const line = (label: string, text: string) => console.log(`${label.padEnd(12)} ${text}`);

/** In the sudo group, whose rule asks for a password: `sudo -n` fails (test/helpers/services/users.ts). */
const noSudoUser = 'mokosudo';

export interface SshTarget {
  sshd: Sshd;
  /** The plan's target fields for the deploy user (host, port, user, identityFile, knownHostsFile, sudo). */
  connection: Partial<Plan['target']>;
}

export async function startSshTarget(): Promise<SshTarget> {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  ensureUser(noSudoUser, { sudo: 'password' });
  const sshd = await startSshd({ users: [deployUser, noSudoUser] });
  line(
    'ssh',
    `sshd on 127.0.0.1:${sshd.port}, login ${deployUser} (sudo -n), known_hosts ${sshd.knownHostsPath}`,
  );
  return { sshd, connection: sshTargetOf(sshd, deployUser) };
}

function contextAs(stack: InstallStack, sshd: Sshd, user: string): VerifyContext {
  const target = sshTargetOf(sshd, user);
  return makeVerifyContext({
    plan: { ...stack.plan, target: { ...stack.plan.target, ...target } },
    policy: stack.ctx.policy,
    host: new SshHost({ ...target }),
    now: new Date(),
    secret: (n) => stack.secrets.secret(n),
    options: verifyOptionsFor(stack, 3),
  });
}

/** The target's paths as verify computes them (the target is this machine: the e2e breaks them as root). */
function pathsOf(stack: InstallStack, target: SshTarget): VerifyContext['paths'] {
  return contextAs(stack, target.sshd, deployUser).paths;
}

async function verifyOnly(ctx: VerifyContext, only: string[]): Promise<CheckResult[]> {
  try {
    return (await runVerification(ctx, { only })).checks;
  } finally {
    await ctx.host.close().catch(() => {});
  }
}

interface Breakage {
  name: string;
  /** The checks that must not pass while it is broken. */
  checks: string[];
  only: string[];
  apply(): void;
  undo(): void;
}

function breakages(paths: VerifyContext['paths']): Breakage[] {
  const { installLock, upgradeUnlock, confPhp } = paths;
  const confMode = statSync(confPhp).mode & 0o7777;
  return [
    {
      name: 'upgrade.unlock left',
      checks: ['permissions.upgrade-unlock'],
      only: ['permissions'],
      apply: () => writeFileSync(upgradeUnlock, ''),
      undo: () => rmSync(upgradeUnlock, { force: true }),
    },
    {
      name: 'install.lock removed',
      checks: ['permissions.install-lock'],
      only: ['permissions'],
      apply: () => renameSync(installLock, `${installLock}.e2e`),
      undo: () => renameSync(`${installLock}.e2e`, installLock),
    },
    {
      name: 'conf.php world-readable (0644)',
      checks: ['permissions.conf-php-access', 'permissions.conf-php'],
      only: ['permissions'],
      apply: () => chmodSync(confPhp, 0o644),
      undo: () => chmodSync(confPhp, confMode),
    },
    {
      name: 'conf.php writable by the web user (0660)',
      checks: ['permissions.conf-php-access'],
      only: ['permissions'],
      apply: () => chmodSync(confPhp, 0o660),
      undo: () => chmodSync(confPhp, confMode),
    },
  ];
}

/** Each breakage: its checks fail or are unknown (never pass); the site is put back after each. */
export async function e2eSshBroken(stack: InstallStack, target: SshTarget): Promise<string[]> {
  const wrong: string[] = [];
  for (const b of breakages(pathsOf(stack, target))) {
    b.apply();
    try {
      const checks = await verifyOnly(contextAs(stack, target.sshd, deployUser), b.only);
      for (const id of b.checks) {
        const c = checks.find((x) => x.check === id);
        const said = c ? `${c.status} ${c.observed}` : 'not reported';
        line('broken', `${b.name}: ${id} ${said}`);
        if (!c || c.status === 'pass') wrong.push(`${b.name}: ${id} ${said}`);
      }
    } finally {
      b.undo();
    }
  }
  wrong.push(...(await breakDatabase(stack, target)));
  wrong.push(...(await withoutSudo(stack, target)));
  return wrong;
}

/** The database account's password changed behind conf.php's back: the database checks fail, never ok. */
async function breakDatabase(stack: InstallStack, target: SshTarget): Promise<string[]> {
  const { user, name } = stack.plan.database;
  const real = stack.secrets.secret(stack.plan.database.password.secret).reveal();
  const accounts = await stack.db.rootClient.query(`SELECT Host FROM mysql.user WHERE User = '${user}'`);
  const setAll = (password: string) =>
    stack.db.rootClient.query(
      accounts.map(([h]) => `ALTER USER '${user}'@'${h}' IDENTIFIED BY '${password}';`).join(' '),
    );
  const wrong: string[] = [];
  await setAll('e2e-not-the-password');
  try {
    const checks = await verifyOnly(contextAs(stack, target.sshd, deployUser), [
      'dolibarr-health',
      'database-access',
    ]);
    // what needs Dolibarr's account must not pass; the server-wide checks (listen, root, anonymous) still can
    const needsAccount =
      /^(dolibarr\.(db-version|modules)|database\.account)$|^(dolibarr-health|database-access)$/;
    for (const c of checks) {
      line('broken', `${name} password changed: ${c.check} ${c.status} ${c.observed}`);
      if (c.status === 'pass' && needsAccount.test(c.check))
        wrong.push(`db password changed: ${c.check} pass`);
    }
    if (!checks.some((c) => c.check === 'database.account' || c.check === 'dolibarr-health'))
      wrong.push('db password changed: neither database.account nor dolibarr-health reported');
  } finally {
    await setAll(real);
  }
  return wrong;
}

/** A login user whose sudo wants a password: the probes that need root say unknown with the reason, never ok. */
async function withoutSudo(stack: InstallStack, target: SshTarget): Promise<string[]> {
  const { upgradeUnlock } = pathsOf(stack, target);
  writeFileSync(upgradeUnlock, '');
  const wrong: string[] = [];
  try {
    const checks = await verifyOnly(contextAs(stack, target.sshd, noSudoUser), [
      'permissions',
      'dolibarr-health',
      'queries',
    ]);
    console.log(`verify as ${noSudoUser} (sudo asks a password), with an upgrade.unlock left:`);
    for (const c of checks) console.log(checkLine(c));
    for (const id of [
      'permissions.install-lock',
      'permissions.upgrade-unlock',
      'permissions.conf-php-access',
    ]) {
      const c = checks.find((x) => x.check === id);
      if (!c || c.status === 'pass') wrong.push(`${noSudoUser}: ${id} ${c ? c.status : 'not reported'}`);
    }
  } finally {
    rmSync(upgradeUnlock, { force: true });
  }
  return wrong;
}
