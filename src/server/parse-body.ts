import type { z } from 'zod';
import { inputError } from '../core/errors.js';

/** Validate a request body once, at the edge, into a typed value; every problem is named. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw inputError(`invalid ${what}`, {
    details: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
    fix: 'correct the fields shown',
  });
}
