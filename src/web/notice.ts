import type { FastifyRequest } from 'fastify';
import { actionFormByKey } from './action-forms.js';

/**
 * The notice after a form: only ever one of these fixed labels, chosen by the server that did the work,
 * carried to the next page in the sealed session (never in the URL: a link cannot make the dashboard say
 * anything). Warnings are the core's own words, also from the session, shown as a list.
 */
const doneLabels: Record<string, string> = {
  tick: 'Checklist item ticked',
  verification: 'Verification recorded',
  plan: 'Plan recorded',
  validate: 'Environment validation recorded',
  revise: 'Plan revised',
  deploy: 'Deployment started; its progress follows below',
};

export interface Notice {
  label: string;
  warnings: string[];
}

export interface Flash {
  done: string;
  warnings: string[];
}

const maxWarnings = 20;
const maxWarningLength = 300;

export const doneLabel = (key: string): string | undefined =>
  Object.hasOwn(doneLabels, key) ? doneLabels[key] : actionFormByKey(key)?.label;

/** Remember what a form did, for the page it redirects to (warnings de-duplicated and bounded: a cookie is small). */
export function setFlash(req: FastifyRequest, done: string, warnings: readonly string[]): void {
  const unique = [...new Set(warnings)].slice(0, maxWarnings).map((w) => w.slice(0, maxWarningLength));
  req.session.set('flash', { done, warnings: unique });
}

/** The notice for this page, once: read from the session and cleared. Nothing from the query string. */
export function takeNotice(req: FastifyRequest): Notice | undefined {
  const flash = req.session?.get('flash');
  if (!flash) return undefined;
  req.session.set('flash', undefined);
  const label = doneLabel(flash.done);
  return label ? { label, warnings: flash.warnings } : undefined;
}
