import { result, type CheckResult, type VerifyCheck } from '../check.js';
import { logIn } from '../session.js';

/**
 * Verification "Admin account secured": no administrator answers to a default password (the login form
 * is tried with a short list, as an attacker would), and no active administrator has a default login.
 */
export const defaultLogins = ['admin', 'administrator', 'root', 'dolibarr', 'superadmin'];
const weakPasswords = (login: string) => [login, 'admin', 'password', 'dolibarr', 'changeme', '123456'];
const item = 'verify.admin-account';

export const adminAccountCheck: VerifyCheck = {
  id: 'admin-account',
  item: 'verify.admin-account',
  title: 'Administrator accounts',
  async run(ctx) {
    const admins = (
      await ctx.db.query('SELECT login FROM llx_user WHERE admin = 1 AND statut = 1 ORDER BY login')
    ).map((r) => r[0]!);
    const out: CheckResult[] = [];
    const weak: string[] = [];
    for (const login of admins) {
      for (const [i, guess] of weakPasswords(login).entries()) {
        // a well-known guess, not a secret: wrapping it in Secret would redact "password" from all output
        if ((await logIn(ctx.site, login, { reveal: () => guess })).ok) {
          weak.push(`${login} (common password #${i + 1} of the list)`);
          break;
        }
      }
    }
    out.push(
      weak.length > 0
        ? result(
            item,
            'admin.password',
            'fail',
            `weak password accepted for ${weak.join(', ')}`,
            'change these passwords now (at least 16 random characters, kept in the secret store)',
          )
        : result(
            item,
            'admin.password',
            'pass',
            `${admins.length} administrator(s) refused ${weakPasswords('x').length} common passwords each`,
          ),
    );
    const named = admins.filter((l) => defaultLogins.includes(l.toLowerCase()));
    out.push(
      named.length > 0
        ? result(
            item,
            'admin.login',
            'warn',
            `administrator login(s) with a default name: ${named.join(', ')}`,
            'rename them (or create a named administrator and disable these) so the login is not guessable',
          )
        : result(item, 'admin.login', 'pass', `administrators: ${admins.join(', ')}`),
    );
    return out;
  },
};
