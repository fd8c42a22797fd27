import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { inputError } from './errors.js';

/**
 * Parse YAML text and validate it against a zod schema, collecting every problem with its
 * file:line:column and field path (STYLE.md 6): `plans/acme.yaml:12:5 target.port: expected number, received string`.
 */
export function parseYamlWithSchema<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  what: string,
): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return `${file}:${pos.line}:${pos.col} ${e.message.split('\n')[0]}`;
    });
    throw inputError(`the ${what} file is not valid YAML`, {
      where: file,
      details,
      fix: 'correct the YAML syntax at the lines shown',
    });
  }
  const data: unknown = doc.toJS();
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const where = locate(doc, lineCounter, path);
    const field = path.length > 0 ? path.join('.') : '(top level)';
    return `${file}:${where} ${field}: ${describeIssue(issue)}${quoteHint(issue, data)}`;
  });
  throw inputError(`the ${what} file has ${details.length} problem(s)`, {
    where: file,
    details,
    fix: `correct the fields shown; \`mokodeploy ${what} schema\` prints what is allowed`,
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

/** YAML reads 0123… or true as a number or boolean: a field that wants text then needs quotes. */
function quoteHint(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code !== 'invalid_type' || issue.expected !== 'string') return '';
  const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], data);
  if (typeof value !== 'number' && typeof value !== 'boolean') return '';
  const field = String(issue.path.at(-1) ?? 'field');
  return ` (YAML read an unquoted ${typeof value}: quote the value, e.g. ${field}: "…", copied again from its source)`;
}

/** Line and column of the deepest node that exists along a path. */
function locate(doc: Document, lineCounter: LineCounter, path: string[]): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return `${pos.line}:${pos.col}`;
    }
  }
  return '1:1';
}
