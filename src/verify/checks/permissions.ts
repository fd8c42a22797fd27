import { permissionsCheck as validationPermissions } from '../../checks/permissions.js';
import { result, type CheckResult, type VerifyCheck } from '../check.js';
import { runValidationCheck } from './from-validation.js';
import type { VerifyContext } from '../context.js';
import { HttpSession } from '../http.js';

/**
 * Verification "File permissions correct" (DOLIBARR.md §10, admin/system/security.php): the validation
 * probe again (conf.php and web-root modes, src/checks/permissions.ts), plus, now that the site is
 * installed: install.lock present and no upgrade.unlock left; conf.php and the code not writable by the
 * web server (asked as that user); the documents directory outside the web root and writable by it;
 * conf/ and install/ not reachable over HTTP.
 */
const item = 'verify.permissions';

async function stat(
  ctx: VerifyContext,
  path: string,
): Promise<{ mode: number; owner: string; group: string } | undefined> {
  const r = await ctx.host.run({ argv: ['stat', '-L', '-c', '%a %U %G', '--', path] });
  if (r.code !== 0) return undefined;
  const [mode, owner, group] = r.stdout.trim().split(' ');
  return { mode: parseInt(mode!, 8), owner: owner!, group: group! };
}

async function writableByWeb(ctx: VerifyContext, path: string): Promise<boolean> {
  const r = await ctx.host.run({ argv: ['test', '-w', path], asUser: ctx.plan.target.webUser });
  return r.code === 0;
}

const octal = (m: number) => m.toString(8).padStart(4, '0');

async function lockFiles(ctx: VerifyContext): Promise<CheckResult[]> {
  const lock = await stat(ctx, ctx.paths.installLock);
  const unlock = await stat(ctx, ctx.paths.upgradeUnlock);
  return [
    lock
      ? result(item, 'permissions.install-lock', 'pass', `${ctx.paths.installLock} present`)
      : result(
          item,
          'permissions.install-lock',
          'fail',
          `${ctx.paths.installLock} missing`,
          `the installer is reachable: create it (touch ${ctx.paths.installLock}; chmod 444)`,
        ),
    unlock
      ? result(
          item,
          'permissions.upgrade-unlock',
          'fail',
          `${ctx.paths.upgradeUnlock} present`,
          `upgrade pages are open: rm ${ctx.paths.upgradeUnlock}`,
        )
      : result(item, 'permissions.upgrade-unlock', 'pass', 'no upgrade.unlock'),
  ];
}

async function confPhp(ctx: VerifyContext): Promise<CheckResult> {
  const path = ctx.paths.confPhp;
  const s = await stat(ctx, path);
  if (!s)
    return result(
      item,
      'permissions.conf-php-access',
      'fail',
      `${path} not found`,
      'the deployment writes conf.php there: redeploy or adopt the install',
    );
  const seen = `${path} ${octal(s.mode)} ${s.owner}:${s.group}`;
  const want = `chmod 0440 ${path}; chown root:${ctx.plan.target.webGroup} ${path}`;
  if (await writableByWeb(ctx, path))
    return result(
      item,
      'permissions.conf-php-access',
      'fail',
      seen,
      `conf.php is writable by ${ctx.plan.target.webUser}: ${want}`,
    );
  if (s.mode & 0o006)
    return result(
      item,
      'permissions.conf-php-access',
      'fail',
      seen,
      `conf.php is world-${s.mode & 0o002 ? 'writable' : 'readable'}: ${want}`,
    );
  return result(item, 'permissions.conf-php-access', 'pass', seen);
}

async function codeAndData(ctx: VerifyContext): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const web = ctx.plan.target.webUser;
  if (await writableByWeb(ctx, ctx.paths.htdocs)) {
    out.push(
      result(
        item,
        'permissions.code',
        'fail',
        `${ctx.paths.htdocs} writable by ${web}`,
        `the code must be read-only for the web server: chown -R root:root the release; find -type d chmod 755, files 644`,
      ),
    );
  } else out.push(result(item, 'permissions.code', 'pass', `${ctx.paths.htdocs} not writable by ${web}`));
  const inside = ctx.paths.dataRoot.startsWith(`${ctx.paths.root}/current/`);
  const writable = await writableByWeb(ctx, ctx.paths.dataRoot);
  if (inside || !writable) {
    out.push(
      result(
        item,
        'permissions.documents',
        'fail',
        `${ctx.paths.dataRoot}${inside ? ' inside the web root' : ''}${writable ? '' : ` not writable by ${web}`}`,
        `keep documents outside the web root, owned by ${web}, mode 0750`,
      ),
    );
  } else
    out.push(
      result(
        item,
        'permissions.documents',
        'pass',
        `${ctx.paths.dataRoot} outside the web root, writable by ${web}`,
      ),
    );
  return out;
}

async function deniedOverHttp(ctx: VerifyContext): Promise<CheckResult> {
  const http = new HttpSession(ctx.site);
  const open: string[] = [];
  for (const path of ['conf/conf.php', 'install/index.php', 'install/step1.php']) {
    const r = await http.get(path, { follow: false });
    if (r.status === 200) open.push(`${path} (HTTP 200)`);
  }
  return open.length === 0
    ? result(item, 'permissions.http-denied', 'pass', 'conf/ and install/ not served')
    : result(
        item,
        'permissions.http-denied',
        'fail',
        `served: ${open.join(', ')}`,
        'deny /conf/ and /install/ in the web server site',
      );
}

export const permissionsCheck: VerifyCheck = {
  id: 'permissions',
  item: 'verify.permissions',
  title: 'Files and permissions',
  async run(ctx) {
    return [
      ...(await runValidationCheck(validationPermissions, item, ctx)),
      ...(await lockFiles(ctx)),
      await confPhp(ctx),
      ...(await codeAndData(ctx)),
      await deniedOverHttp(ctx),
    ];
  },
};
