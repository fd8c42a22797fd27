import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { inputError } from '../core/errors.js';
import { closest } from './closest.js';
import { mappingSchema, type Mapping } from './mapping-schema.js';

type Path = (string | number)[];
type Issue = z.core.$ZodIssue;

/** A mapping read from its file, with where each of its parts is (file:line:col), for later checks. */
export interface MappingFile {
  mapping: Mapping;
  /** Where a value is; with 'key', where the key naming it is (a column name in fields). */
  where(path: Path, at?: 'key' | 'value'): string;
}

const fix = 'correct the fields shown; `mokodeploy migrate schema mapping` prints what a mapping may hold, `mokodeploy migrate map suggest FILE --object KIND` proposes one from a file';
const transformNames = ['trim', 'collapse-spaces', 'email', 'country', 'number', 'integer', 'boolean', 'empty-is-null', '{case: upper|lower|title}', '{date: FORMAT or [FORMATS]}', '{phone: {country: FR}}', '{map: {...}, otherwise: VALUE}', '{default: VALUE}'];
/** The fields allowed at each level of a mapping, for "did you mean". */
const allowedKeys = (path: Path): string[] => {
  if (path.length === 0) return Object.keys(mappingSchema.shape);
  if (path[0] === 'key' && path.length === 1) return ['from', 'transforms'];
  if (path[0] === 'thirdparty' && path.length === 1) return ['from', 'by'];
  if (path[0] === 'fields' && path.length === 2) return ['from', 'transforms', 'required', 'value'];
  return [];
};

/**
 * Parse and check a mapping file (STYLE.md 6), every problem with the line of the value at fault:
 * an unknown key at its own line with the nearest allowed one, a wrong type at the value's line
 * with what is expected (zod's "Invalid input" of a union is resolved to the branch the value was
 * meant for), the fix naming the real commands.
 */
export function parseMappingFile(text: string, file: string): MappingFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number) => {
    const p = lines.linePos(offset);
    return `${file}:${p.line}:${p.col}`;
  };
  if (doc.errors.length > 0) {
    throw inputError('the mapping file is not valid YAML', { where: file, details: doc.errors.map((e) => `${pos(e.pos[0])} ${e.message.split('\n')[0]}`), fix: 'correct the YAML syntax at the lines shown' });
  }
  const where = (path: Path, at: 'key' | 'value' = 'value'): string => {
    const key = at === 'key' && path.length > 0 ? keyWhere(doc, path.slice(0, -1), String(path.at(-1)), pos) : undefined;
    if (key) return key;
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return pos(node.range[0]);
    }
    return `${file}:1:1`;
  };
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const result = mappingSchema.safeParse(data ?? {});
  if (result.success) return { mapping: result.data, where };
  const details = result.error.issues.flatMap((issue) => describe(issue, [], data, doc, where, pos));
  throw inputError(`the mapping file has ${details.length} problem(s)`, { where: file, details, fix });
}

/** One issue as lines `file:line:col path: what is wrong (what is expected)`. */
function describe(issue: Issue, base: Path, data: unknown, doc: Document, where: (p: Path) => string, pos: (o: number) => string): string[] {
  const path = [...base, ...(issue.path as Path)];
  const name = path.length > 0 ? path.join('.') : '(top level)';
  const value = valueAt(data, path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => {
      const hint = closest(k, allowedKeys(path));
      return `${keyWhere(doc, path, k, pos) ?? where(path)} ${path.length > 0 ? `${name}.` : ''}${k}: unknown field${hint ? ` (did you mean "${hint}"?)` : ''}; allowed here: ${allowedKeys(path).join(', ')}`;
    });
  }
  if (issue.code === 'invalid_key') {
    const key = String(path.at(-1));
    return [`${keyWhere(doc, path.slice(0, -1), key, pos) ?? where(path)} ${name}: "${key}" is not a Dolibarr column name (lower-case letters, digits and _, e.g. "${key.toLowerCase().replace(/[^a-z0-9_]/g, '_')}")`];
  }
  if (issue.code === 'invalid_union') {
    if (path.at(-2) === 'transforms' && typeof value === 'string') {
      const hint = closest(value, transformNames);
      return [`${where(path)} ${name}: "${value}" is not a transform${hint ? ` (did you mean "${hint}"?)` : ''}; one of: ${transformNames.join(', ')}`];
    }
    if (path[0] === 'fields' && path.length === 2 && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      return [`${where(path)} ${name}: expected {from: SOURCE COLUMN, transforms: [...], required: true|false} or {value: CONSTANT}, got ${show(value)}${typeof value === 'string' ? ` (did you mean ${String(path[1])}: {from: "${value}"}?)` : ''}`];
    }
    const branch = bestBranch(issue.errors as Issue[][]);
    return branch.flatMap((i) => describe(i, path, data, doc, where, pos));
  }
  if (issue.code === 'invalid_type') return [`${where(path)} ${name}: expected ${issue.expected}, got ${show(value)}`];
  if (issue.code === 'invalid_value') {
    const options = issue.values.map(String);
    const hint = typeof value === 'string' ? closest(value, options) : undefined;
    return [`${where(path)} ${name}: ${show(value)} is not one of: ${options.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`];
  }
  return [`${where(path)} ${name}: ${issue.message}`];
}

/**
 * The union branch the value was meant for: the one whose problems lie deepest (the value had its
 * shape and failed further in), then the one with the fewest problems.
 */
function bestBranch(branches: Issue[][]): Issue[] {
  const depth = (issues: Issue[]): number => Math.max(...issues.map((i) => i.path.length + (i.code === 'invalid_union' ? depth((i.errors as Issue[][]).flat()) : 0) - (i.code === 'unrecognized_keys' ? 1 : 0)));
  return [...branches].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0] ?? [];
}

function keyWhere(doc: Document, path: Path, key: string, pos: (o: number) => string): string | undefined {
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return pair && isNode(pair.key) && pair.key.range ? pos(pair.key.range[0]) : undefined;
}

function valueAt(data: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), data);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}
