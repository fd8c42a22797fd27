import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../cli/app.js';
import type { Html } from './html.js';
import type { PageContext } from './layout.js';
import { actionFormByKey } from './action-forms.js';
import { may } from './permissions.js';

/** What the forms that are not action forms say when they are done. */
const doneLabels: Record<string, string> = {
  tick: 'Checklist item ticked',
  verification: 'Verification recorded',
  plan: 'Plan recorded',
  validate: 'Environment validation recorded',
  revise: 'Plan revised',
  deploy: 'Deployment started; its progress follows below',
};

/** Who is looking, what they may reach, a fresh CSRF token for the forms, and the outcome of the last form. */
export function pageContext(app: AppContext, req: FastifyRequest, reply: FastifyReply): PageContext {
  const q = req.query as { done?: string; warn?: string };
  const label = q.done ? (actionFormByKey(q.done)?.label ?? doneLabels[q.done]) : undefined;
  const notice = label ? `Done: ${label}.${q.warn ? ` Warning: ${q.warn}` : ''}` : undefined;
  const canSubmitPlan = req.user ? may(app.policy(), req.user, 'plan.submit') : false;
  return { user: req.user, csrf: reply.generateCsrf(), notice, canSubmitPlan };
}

export const sendPage = (reply: FastifyReply, page: Html, status = 200) =>
  reply.code(status).type('text/html; charset=utf-8').send(page.text);

/** Back to the deployment page after a form, saying what was done (and any warning). */
export function redirectDone(
  reply: FastifyReply,
  id: string,
  done: string,
  warnings: string[] = [],
  anchor = '',
) {
  const warn = warnings.length ? `&warn=${encodeURIComponent(warnings.join(' '))}` : '';
  return reply.redirect(
    `/deployments/${encodeURIComponent(id)}?done=${encodeURIComponent(done)}${warn}${anchor}`,
    303,
  );
}
