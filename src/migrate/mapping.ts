import { readFileSync } from 'node:fs';
import { inputError } from '../core/errors.js';
import { mappingSchema, type FieldMapping, type Mapping } from './mapping-schema.js';
import { parseMappingFile } from './mapping-file.js';
import { defaultMappings } from './default-mappings.js';
import { closest } from './closest.js';
import { dateTypes, integerTypes, realTypes, type TableSchema } from './schema.js';

/** Where each part of a mapping read from a file is (file:line:col), for the checks against the live schema. */
const positions = new WeakMap<Mapping, (path: (string | number)[], at?: 'key' | 'value') => string>();

/** A mapping by file path, or `default:<name>` for a built-in one; validated once (STYLE.md 6). */
export function readMapping(ref: string): Mapping {
  if (ref.startsWith('default:')) {
    const name = ref.slice('default:'.length);
    const m = defaultMappings[name];
    if (!m) throw inputError(`there is no default mapping "${name}"`, { fix: `one of: ${Object.keys(defaultMappings).map((n) => `default:${n}`).join(', ')}` });
    return mappingSchema.parse(m);
  }
  let text: string;
  try {
    text = readFileSync(ref, 'utf8');
  } catch (e) {
    throw inputError(`cannot read the mapping file: ${(e as Error).message}`, { where: ref });
  }
  const file = parseMappingFile(text, ref);
  positions.set(file.mapping, file.where);
  return file.mapping;
}

/**
 * Every Dolibarr column a mapping writes must exist in the live table, and get values of its type
 * (a text column takes anything; a number or date column needs a transform that gives one):
 * checked before any row is read, every problem at its line in the mapping file.
 */
export function checkMappingColumns(mapping: Mapping, source: string, table: string, schema: TableSchema): void {
  const located = positions.get(mapping);
  const where = (path: (string | number)[]) => (located ? located(path, 'key') : source);
  const problems: string[] = [];
  for (const [column, field] of Object.entries(mapping.fields)) {
    const col = schema.get(column);
    if (!col) {
      const hint = closest(column, schema.keys());
      problems.push(`${where(['fields', column])} fields.${column}: ${table} has no column "${column}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
      continue;
    }
    const needs = integerTypes.has(col.dataType) || realTypes.has(col.dataType) ? 'number' : dateTypes.has(col.dataType) ? 'date' : undefined;
    const gives = produces(field);
    if (!needs || gives === needs || gives === 'any') continue;
    const from = 'from' in field ? `"${field.from}"` : 'the constant';
    problems.push(needs === 'number'
      ? `${where(['fields', column])} fields.${column}: ${table}.${column} is ${col.dataType}, but ${from} goes in as ${gives}: add a transform that gives a number (country, integer, number, boolean, or a map to numbers)`
      : `${where(['fields', column])} fields.${column}: ${table}.${column} is ${col.dataType}, but ${from} goes in as ${gives}: add a date transform, e.g. {date: [DD/MM/YYYY, YYYY-MM-DD]}`);
  }
  if (problems.length > 0) {
    throw inputError(`the mapping does not fit ${table}: ${problems.length} problem(s)`, {
      where: source,
      details: problems,
      fix: `correct the fields shown; \`mokodeploy migrate schema mapping\` prints what a mapping may hold`,
    });
  }
}

type Kind = 'text' | 'number' | 'date' | 'any';

/** What kind of value a field's transforms leave (the last one that decides wins). */
function produces(field: FieldMapping): Kind {
  if ('value' in field) return field.value === null ? 'any' : typeof field.value === 'number' || /^-?\d+(\.\d+)?$/.test(field.value) ? 'number' : 'text';
  let kind: Kind = 'text';
  for (const t of field.transforms) {
    if (t === 'country' || t === 'number' || t === 'integer' || t === 'boolean') kind = 'number';
    else if (t === 'trim' || t === 'collapse-spaces' || t === 'email') kind = kind === 'number' ? 'text' : kind;
    else if (typeof t === 'object' && 'date' in t) kind = 'date';
    else if (typeof t === 'object' && ('phone' in t || 'case' in t)) kind = 'text';
    else if (typeof t === 'object' && 'map' in t) {
      const values = [...Object.values(t.map), ...(t.otherwise === undefined ? [] : [t.otherwise])].filter((v) => v !== null);
      kind = values.every((v) => typeof v === 'number' || /^-?\d+(\.\d+)?$/.test(v)) ? 'number' : 'text';
    } else if (typeof t === 'object' && 'default' in t) kind = kind === 'number' && typeof t.default !== 'number' ? 'text' : kind;
  }
  return kind;
}
