import type { Secret } from '../core/secret.js';
import { readLoginToken, showsLoginForm, showsLogout } from '../dolibarr/login-form.js';
import { HttpSession, type SiteAccess } from './http.js';

/**
 * A logged-in HTTP session on the Dolibarr site, through the real login form (CSRF token + session
 * cookie; contract in src/dolibarr/login-form.ts). Pages are then fetched as that user.
 */
export interface LoggedIn {
  ok: boolean;
  session: HttpSession;
  reason?: string;
  ms: number;
}

/**
 * A password to post: a real Secret, or a public guess (admin-account's list of common passwords), which
 * must not be a Secret: each Secret's value is redacted from every later output line (issue 14 point 9).
 */
export type Password = Secret | PublicGuess;
export interface PublicGuess {
  reveal(): string;
}

export async function logIn(site: SiteAccess, login: string, password: Password): Promise<LoggedIn> {
  const session = new HttpSession(site);
  const started = Date.now();
  const first = await session.get('index.php');
  const token = readLoginToken(first.text);
  if (!token) {
    return {
      ok: false,
      session,
      ms: Date.now() - started,
      reason: `no login form with a CSRF token at ${first.url} (HTTP ${first.status})`,
    };
  }
  const form = new URLSearchParams({
    token,
    actionlogin: 'login',
    loginfunction: 'loginfunction',
    username: login,
    password: password.reveal(),
  });
  const after = await session.request(first.url, {
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const ms = Date.now() - started;
  if (after.status !== 200)
    return { ok: false, session, ms, reason: `HTTP ${after.status} after posting the login form` };
  if (showsLoginForm(after.text) || !showsLogout(after.text)) {
    return {
      ok: false,
      session,
      ms,
      reason: 'the login form came back: wrong credentials, CSRF token or session cookie',
    };
  }
  return { ok: true, session, ms };
}
