import { MokoError, type ErrorKind } from '../core/errors.js';
import { redact } from '../core/secret.js';

/** The JSON body of every API error: what, where, how to fix, details. */
export interface ErrorBody {
  error: string;
  kind: ErrorKind | 'http' | 'bug';
  where?: string;
  fix?: string;
  details: string[];
}

const statusOfKind: Record<ErrorKind, number> = {
  input: 400,
  'not-found': 404,
  refused: 409,
  conflict: 409,
  target: 502,
};

/** Identity and role refusals are 403; a gate or state refusal is 409 (the record is not there yet). */
export function statusOf(e: unknown): number {
  if (e instanceof MokoError)
    return e.kind === 'refused' && e.security
      ? 403
      : e.kind === 'not-found' && e.security
        ? 403
        : statusOfKind[e.kind];
  const code = (e as { statusCode?: number }).statusCode;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
}

export function errorBody(e: unknown): ErrorBody {
  if (e instanceof MokoError) {
    return {
      error: redact(e.message),
      kind: e.kind,
      where: e.where,
      fix: e.fix ? redact(e.fix) : undefined,
      details: e.details.map(redact),
    };
  }
  const status = statusOf(e);
  if (status < 500)
    return {
      error: redact((e as Error).message ?? String(e)),
      kind: 'http',
      fix: (e as { fix?: string }).fix,
      details: [],
    };
  return { error: 'internal error (a bug in mokodeploy, please report it)', kind: 'bug', details: [] };
}

/** An HTTP error that is not one of the core's (no session, bad CSRF token, too many tries). */
export function httpError(
  statusCode: number,
  message: string,
  fix?: string,
): Error & { statusCode: number; fix?: string } {
  return Object.assign(new Error(message), { statusCode, fix });
}
