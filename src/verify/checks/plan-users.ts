import { result, type CheckResult, type VerifyCheck } from '../check.js';
import type { VerifyContext } from '../context.js';
import { logIn } from '../session.js';

/**
 * Verification "User login successful" for every user of the plan, with the rights the plan gives:
 * each logs in through the form, and each right "module.perms[.subperms]" is granted in llx_user_rights
 * (joined to llx_rights_def, as User::getrights() reads them).
 */
async function missingRights(ctx: VerifyContext, login: string, rights: string[]): Promise<string[]> {
  if (rights.length === 0) return [];
  const rows = await ctx.db.query(
    `SELECT d.module, d.perms, COALESCE(d.subperms, '') FROM llx_user_rights r JOIN llx_user u ON u.rowid = r.fk_user JOIN llx_rights_def d ON d.id = r.fk_id WHERE u.login = '${login.replace(/'/g, "''")}'`,
  );
  const granted = new Set(rows.map(([m, p, s]) => [m, p, s].filter(Boolean).join('.')));
  return rights.filter((r) => !granted.has(r));
}

export const planUsersCheck: VerifyCheck = {
  id: 'plan-users',
  item: 'verify.login',
  title: 'Plan users log in with their rights',
  async run(ctx) {
    const out: CheckResult[] = [];
    for (const u of ctx.plan.users) {
      const r = await logIn(ctx.site, u.login, ctx.secret(u.password.secret));
      const missing = r.ok ? await missingRights(ctx, u.login, u.rights) : [];
      if (!r.ok)
        out.push(
          result('verify.login', `login.user.${u.login}`, 'fail', `${u.login} could not log in`, r.reason),
        );
      else if (missing.length > 0)
        out.push(
          result(
            'verify.login',
            `login.user.${u.login}`,
            'fail',
            `${u.login} logged in but lacks ${missing.join(', ')}`,
            `grant the rights of the plan: redeploy the users step or set them on the user card`,
          ),
        );
      else
        out.push(
          result(
            'verify.login',
            `login.user.${u.login}`,
            'pass',
            `${u.login} logged in; rights ${u.rights.join(', ') || '(none asked)'}`,
          ),
        );
    }
    return out;
  },
};
