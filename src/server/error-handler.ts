import type { FastifyInstance } from 'fastify';
import { redact } from '../core/secret.js';
import { errorBody, httpError, statusOf } from './http-errors.js';
import { isApi } from './auth.js';
import { errorPage } from '../web/pages/error.js';

/** The one place errors become responses: JSON `{error, where, fix, details}` for the API, a page otherwise. */
export function registerErrorHandlers(server: FastifyInstance): void {
  server.setErrorHandler((error, req, reply) => {
    const status = statusOf(error);
    const body = errorBody(error);
    if (status >= 500)
      req.log.error({ err: redact((error as Error).stack ?? String(error)) }, 'internal error');
    if (isApi(req.url) || !req.session) return reply.code(status).send(body);
    let csrf = '';
    try {
      csrf = reply.generateCsrf();
    } catch {
      csrf = '';
    }
    const back = req.url.match(/^\/deployments\/[^/?#]+/)?.[0];
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(errorPage({ user: req.user ?? null, csrf }, status, body, back).text);
  });
  server.setNotFoundHandler((req) => {
    throw httpError(
      404,
      `nothing at ${req.method} ${req.url.split('?')[0]}`,
      isApi(req.url) ? 'see GET /api/operations and the README' : 'go back to the board',
    );
  });
}
