import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkLogin } from './login.js';
import { parseBody } from './parse-body.js';
import { endSession, startSession } from './auth.js';
import { loginPage } from '../web/pages/login.js';
import type { ServerContext } from './context.js';

const credentials = z.object({
  login: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
  next: z.string().optional(),
});

/** Only a path on this site: never `//evil.example` or an absolute URL (no open redirect). */
const safeNext = (next?: string) => (next && /^\/(?!\/)[^\\]*$/.test(next) ? next : '/');

/** Log in and out, by form and by JSON; both limited per IP (here) and per login (checkLogin). */
export function registerSessionRoutes(
  server: FastifyInstance,
  ctx: ServerContext,
  opts: { loginPerIpPerMinute: number },
): void {
  const limited = { rateLimit: { max: opts.loginPerIpPerMinute, timeWindow: '1 minute' } };

  server.get('/login', async (req, reply) => {
    const next = (req.query as { next?: string }).next;
    return reply
      .type('text/html')
      .send(String(loginPage({ csrf: reply.generateCsrf(), next: safeNext(next) })));
  });

  server.post('/login', { config: limited }, async (req, reply) => {
    const form = credentials.safeParse(req.body);
    if (!form.success)
      return reply
        .code(400)
        .type('text/html')
        .send(String(loginPage({ csrf: reply.generateCsrf(), error: 'give a login and a password' })));
    try {
      const actor = await checkLogin(ctx, form.data.login, form.data.password);
      startSession(ctx, req, actor.login);
      return reply.redirect(safeNext(form.data.next), 303);
    } catch (e) {
      const status = (e as { statusCode?: number }).statusCode ?? 500;
      if (status >= 500) throw e;
      const page = loginPage({
        csrf: reply.generateCsrf(),
        error: (e as Error).message,
        login: form.data.login,
        next: safeNext(form.data.next),
      });
      return reply.code(status).type('text/html').send(String(page));
    }
  });

  server.post('/logout', async (req, reply) => {
    endSession(ctx, req);
    return reply.redirect('/login', 303);
  });

  server.get('/api/session', async (req, reply) => ({ user: req.user, csrfToken: reply.generateCsrf() }));

  server.post('/api/login', { config: limited }, async (req, reply) => {
    const body = parseBody(credentials, req.body, 'login');
    const actor = await checkLogin(ctx, body.login, body.password);
    startSession(ctx, req, actor.login);
    return { user: actor, csrfToken: reply.generateCsrf() };
  });

  server.post('/api/logout', async (req) => {
    endSession(ctx, req);
    return { loggedOut: true };
  });
}
