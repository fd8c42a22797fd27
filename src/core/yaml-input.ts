import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { inputError } from './errors.js';

/**
 * Parse YAML text and validate it against a zod schema, collecting every problem with its
 * file:line:column and field path (STYLE.md 6): `plans/acme.yaml:12:5 target.port: expected number, received string`.
 */
export function parseYamlWithSchema<S extends z.ZodType>(
  input: string | Buffer,
  file: string,
  schema: S,
  what: string,
): z.output<S> {
  const text = typeof input === 'string' ? input : decodeUtf8(input, file, what);
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
  const data = toData(doc, file, what);
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
  const value = issue.path.reduce<unknown>(
    (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k],
    data,
  );
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

/** The document's value; an alias that expands without bound (a "billion laughs") is bad input, not a crash. */
function toData(doc: Document, file: string, what: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    throw inputError(`the ${what} file expands its aliases (*name) too far: ${e.message}`, {
      where: file,
      fix: 'write the values out instead of repeating aliases of aliases',
    });
  }
}

/**
 * Bytes as UTF-8, strictly: a byte that is not UTF-8 (a file saved as Latin-1, a binary) is refused with its
 * line and column rather than read as U+FFFD, which would put a changed value into the record unseen.
 */
export function decodeUtf8(bytes: Buffer, file: string, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, bad);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const col = new TextDecoder().decode(before.subarray(before.lastIndexOf(0x0a) + 1)).length + 1;
    throw inputError(`the ${what} file is not UTF-8 text (byte 0x${bytes[bad]!.toString(16)})`, {
      where: `${file}:${line}:${col}`,
      fix: 'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
    });
  }
}

/** Offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    const n =
      c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > bytes.length) return i;
    try {
      if (n > 1) decoder.decode(bytes.subarray(i, i + n));
    } catch {
      return i;
    }
    i += n;
  }
  return Math.max(0, bytes.length - 1);
}
