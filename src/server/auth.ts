import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import secureSession from '@fastify/secure-session';
import csrfProtection from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import { httpError } from './http-errors.js';
import { findActor } from './login.js';
import { passwordVersion } from './passwords.js';
import type { Actor } from '../core/team.js';
import type { ServerContext } from './context.js';
import { sessionSeconds } from './session-revocations.js';

export interface AuthOptions {
  sessionKey: Buffer;
}

// the calendar feed carries its own credential (calendar-feed.ts)
const publicPaths = [
  '/login',
  '/api/login',
  '/api/session',
  '/assets/',
  '/vendor/',
  '/favicon.ico',
  '/calendar/feed/',
];
const isPublic = (url: string) =>
  publicPaths.some((p) => (p.endsWith('/') ? url.startsWith(p) : url === p || url.startsWith(`${p}?`)));
export const isApi = (url: string) => url.startsWith('/api/');

/** The CSRF token from the header (API) or the `_csrf` form field (urlencoded or multipart). */
function csrfTokenOf(req: FastifyRequest): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const field = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof field === 'string') return field;
  if (field && typeof field === 'object' && 'value' in field)
    return String((field as { value: unknown }).value);
  return undefined;
}

/** Sessions (sealed cookie), CSRF on every state-changing request, rate limiting (per-route, see login), and who is logged in. */
export async function registerAuth(
  server: FastifyInstance,
  ctx: ServerContext,
  opts: AuthOptions,
): Promise<void> {
  await server.register(secureSession, {
    key: opts.sessionKey,
    cookieName: 'mokodeploy_session',
    expiry: sessionSeconds,
    cookie: { path: '/', httpOnly: true, sameSite: 'strict', secure: ctx.tls },
  });
  await server.register(csrfProtection, { sessionPlugin: '@fastify/secure-session', getToken: csrfTokenOf });
  await server.register(rateLimit, { global: false });

  server.decorateRequest('user', null);
  server.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    req.user = sessionUser(ctx, req);
    if (req.user || isPublic(req.url)) return;
    if (isApi(req.url))
      throw httpError(
        401,
        'not logged in',
        'log in: POST /api/login {login, password} with the x-csrf-token from GET /api/session',
      );
    return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
  });
  server.addHook('preHandler', (req, reply, done) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return done();
    server.csrfProtection(req, reply, done);
  });
}

/** The session's person, if they are still in the team file and their password was not reset since. */
function sessionUser(ctx: ServerContext, req: FastifyRequest): Actor | null {
  const login = req.session.get('login');
  if (!login) return null;
  const sid = req.session.get('sid');
  if (!sid || ctx.sessions.isRevoked(sid)) return null;
  const stored = ctx.passwords.hashOf(login);
  if (!stored || req.session.get('passwordVersion') !== passwordVersion(stored)) return null;
  return findActor(ctx, login) ?? null;
}

/** Start a session for a person who just proved who they are: a fresh CSRF secret too. */
export function startSession(ctx: ServerContext, req: FastifyRequest, login: string): void {
  req.session.regenerate();
  req.session.set('login', login);
  req.session.set('passwordVersion', passwordVersion(ctx.passwords.hashOf(login) ?? ''));
  req.session.set('sid', randomUUID());
  req.session.set('startedAt', Date.now());
}

/** Log out: this session ends on the server too, so a copy of its cookie stops working. */
export function endSession(ctx: ServerContext, req: FastifyRequest): void {
  const sid = req.session.get('sid');
  if (sid) ctx.sessions.revoke(sid, (req.session.get('startedAt') ?? Date.now()) + sessionSeconds * 1000);
  req.session.delete();
}
