import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app/context.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Html } from './html.js';
import type { PageContext } from './layout.js';
import { may } from './permissions.js';
import { setFlash, takeNotice } from './notice.js';
import { waitingFor } from './waiting.js';

/**
 * Who is looking, what they may reach, how much waits for them (the count in the navigation), a fresh CSRF
 * token for the forms, and the outcome of the last form (from the session, never from the URL).
 */
export async function pageContext(
  app: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  records?: readonly DeploymentRecord[],
): Promise<PageContext> {
  const user = req.user;
  const canSubmitPlan = user ? may(app.policy(), user, 'plan.submit') : false;
  const all = user ? (records ?? (await (await app.store()).all())) : [];
  const waiting = user ? waitingFor(all, user, app.policy(), app.now()).length : 0;
  return { user, csrf: reply.generateCsrf(), notice: takeNotice(req), canSubmitPlan, waiting };
}

export const sendPage = (reply: FastifyReply, page: Html, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').send(page.text);

/**
 * Back to the deployment page after a form. What was done (a key of a fixed list) and the core's warnings go
 * in the sealed session; the `done` key in the URL only tells tests and history where they are.
 */
export function redirectDone(
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  done: string,
  warnings: string[] = [],
  anchor = '',
) {
  setFlash(req, done, warnings);
  return reply.redirect(
    `/deployments/${encodeURIComponent(id)}?done=${encodeURIComponent(done)}${anchor}`,
    303,
  );
}
