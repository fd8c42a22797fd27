import type { Actor } from '../core/team.js';
import { MokoError } from '../core/errors.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { httpError } from './http-errors.js';
import type { ServerContext } from './context.js';

/**
 * Check a login and password against the team file and the password file. Unknown logins,
 * people without a password and wrong passwords fail alike (same message, same scrypt cost);
 * after too many failures for one login it is refused for a while, whatever the IP.
 */
export async function checkLogin(ctx: ServerContext, login: string, password: string): Promise<Actor> {
  const wait = ctx.limiter.begin(login); // counted before the hash: see login-limiter.ts
  if (wait > 0) {
    throw httpError(
      429,
      `too many failed logins for this account; try again in ${Math.ceil(wait / 60_000)} minute(s)`,
      'wait, or ask a colleague to reset your password',
    );
  }
  const stored = ctx.passwords.hashOf(login);
  const matches = await verifyPassword(password, stored ?? (await decoyHash()));
  const actor = stored && matches ? findActor(ctx, login) : undefined;
  if (!actor) {
    throw httpError(
      401,
      'wrong login or password',
      'a person in the team file with a password set by: mokodeploy user password LOGIN',
    );
  }
  ctx.limiter.succeed(login);
  return actor;
}

/** The person with this login in the team file now, or undefined (removed since they logged in). */
export function findActor(ctx: ServerContext, login: string): Actor | undefined {
  try {
    const { team } = ctx.app.team();
    const person = team.people.find((p) => p.login === login);
    return person ? { login: person.login, name: person.name, roles: [...person.roles] } : undefined;
  } catch (e) {
    if (e instanceof MokoError) return undefined;
    throw e;
  }
}
