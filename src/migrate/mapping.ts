import { readFileSync } from 'node:fs';
import { inputError } from '../core/errors.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';
import { mappingSchema, type Mapping } from './mapping-schema.js';
import { defaultMappings } from './default-mappings.js';
import type { TableSchema } from './schema.js';

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
  return parseYamlWithSchema(text, ref, mappingSchema, 'mapping');
}

/** Every Dolibarr column a mapping writes must exist in the live table (checked before any row is read). */
export function checkMappingColumns(mapping: Mapping, source: string, table: string, schema: TableSchema): void {
  const unknown = Object.keys(mapping.fields).filter((c) => !schema.has(c));
  if (unknown.length > 0) {
    throw inputError(`the mapping writes column(s) ${table} does not have: ${unknown.join(', ')}`, {
      where: source,
      fix: `columns of ${table}: ${[...schema.keys()].join(', ')}`,
    });
  }
}
