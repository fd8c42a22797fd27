import { result, type VerifyCheck } from '../check.js';
import { logIn } from '../session.js';

/** Verification "User login successful" over HTTP (no browser): the plan's admin through the login form. */
export const loginHttpCheck: VerifyCheck = {
  id: 'login-http',
  item: 'verify.login',
  title: 'Admin login over HTTP',
  async run(ctx) {
    const login = ctx.plan.admin.login;
    const r = await logIn(ctx.site, login, ctx.secret(ctx.plan.admin.password.secret));
    return [
      r.ok
        ? result('verify.login', 'login.http', 'pass', `${login} logged in through the form in ${r.ms} ms`)
        : result('verify.login', 'login.http', 'fail', `${login} could not log in`, r.reason),
    ];
  },
};
