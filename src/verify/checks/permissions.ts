import { permissionsCheck as validationPermissions } from '../../checks/permissions.js';
import { result, type CheckResult, type VerifyCheck } from '../check.js';
import { runValidationCheck } from './from-validation.js';
import type { VerifyContext } from '../context.js';
import { HttpSession } from '../http.js';
import { statPath, testAs } from '../target-probe.js';

/**
 * Verification "File permissions correct" (DOLIBARR.md §10, admin/system/security.php): the validation
 * probe again (conf.php and web-root modes, src/checks/permissions.ts), plus, now that the site is
 * installed: install.lock present and no upgrade.unlock left; conf.php and the code not writable by the
 * web server (asked as that user); the documents directory outside the web root and writable by it;
 * conf/ and install/ not reachable over HTTP. Paths are read through sudo as the engine writes them; what
 * cannot be read is `unknown`, never a pass (src/verify/target-probe.ts).
 */
const item = 'verify.permissions';

const octal = (m: number) => m.toString(8).padStart(4, '0');
const unknown = (check: string, what: string, why: string) =>
  result(item, check, 'unknown', `${what}: could not look`, why);

async function lockFiles(ctx: VerifyContext): Promise<CheckResult[]> {
  const { installLock, upgradeUnlock } = ctx.paths;
  const lock = await statPath(ctx, installLock);
  const unlock = await statPath(ctx, upgradeUnlock);
  return [
    !lock.known
      ? unknown('permissions.install-lock', installLock, lock.why)
      : lock.value
        ? result(item, 'permissions.install-lock', 'pass', `${installLock} present`)
        : result(
            item,
            'permissions.install-lock',
            'fail',
            `${installLock} missing`,
            `the installer is reachable: create it (touch ${installLock}; chmod 444)`,
          ),
    !unlock.known
      ? unknown('permissions.upgrade-unlock', upgradeUnlock, unlock.why)
      : unlock.value
        ? result(
            item,
            'permissions.upgrade-unlock',
            'fail',
            `${upgradeUnlock} present`,
            `upgrade pages are open: rm ${upgradeUnlock}`,
          )
        : result(item, 'permissions.upgrade-unlock', 'pass', 'no upgrade.unlock'),
  ];
}

async function confPhp(ctx: VerifyContext): Promise<CheckResult> {
  const path = ctx.paths.confPhp;
  const seen = await statPath(ctx, path);
  if (!seen.known) return unknown('permissions.conf-php-access', path, seen.why);
  const s = seen.value;
  if (!s)
    return result(
      item,
      'permissions.conf-php-access',
      'fail',
      `${path} not found`,
      'the deployment writes conf.php there: redeploy or adopt the install',
    );
  const observed = `${path} ${octal(s.mode)} ${s.owner}:${s.group}`;
  const want = `chmod 0440 ${path}; chown root:${ctx.plan.target.webGroup} ${path}`;
  const writable = await testAs(ctx, ctx.plan.target.webUser, '-w', path);
  if (!writable.known) return unknown('permissions.conf-php-access', observed, writable.why);
  if (writable.value)
    return result(
      item,
      'permissions.conf-php-access',
      'fail',
      observed,
      `conf.php is writable by ${ctx.plan.target.webUser}: ${want}`,
    );
  if (s.mode & 0o006)
    return result(
      item,
      'permissions.conf-php-access',
      'fail',
      observed,
      `conf.php is world-${s.mode & 0o002 ? 'writable' : 'readable'}: ${want}`,
    );
  return result(item, 'permissions.conf-php-access', 'pass', observed);
}

async function code(ctx: VerifyContext): Promise<CheckResult> {
  const web = ctx.plan.target.webUser;
  const writable = await testAs(ctx, web, '-w', ctx.paths.htdocs);
  if (!writable.known) return unknown('permissions.code', ctx.paths.htdocs, writable.why);
  return writable.value
    ? result(
        item,
        'permissions.code',
        'fail',
        `${ctx.paths.htdocs} writable by ${web}`,
        `the code must be read-only for the web server: chown -R root:root the release; find -type d chmod 755, files 644`,
      )
    : result(item, 'permissions.code', 'pass', `${ctx.paths.htdocs} not writable by ${web}`);
}

async function documents(ctx: VerifyContext): Promise<CheckResult> {
  const web = ctx.plan.target.webUser;
  const inside = ctx.paths.dataRoot.startsWith(`${ctx.paths.root}/current/`);
  const seen = await testAs(ctx, web, '-w', ctx.paths.dataRoot);
  if (!seen.known) return unknown('permissions.documents', ctx.paths.dataRoot, seen.why);
  const writable = seen.value;
  return inside || !writable
    ? result(
        item,
        'permissions.documents',
        'fail',
        `${ctx.paths.dataRoot}${inside ? ' inside the web root' : ''}${writable ? '' : ` not writable by ${web}`}`,
        `keep documents outside the web root, owned by ${web}, mode 0750`,
      )
    : result(
        item,
        'permissions.documents',
        'pass',
        `${ctx.paths.dataRoot} outside the web root, writable by ${web}`,
      );
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
      await code(ctx),
      await documents(ctx),
      await deniedOverHttp(ctx),
    ];
  },
};
