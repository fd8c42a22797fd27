import type { Mapping } from './mapping-schema.js';
import { applyTransforms, TransformError, type TransformContext } from './transforms.js';
import { objectDefs } from './objects.js';
import type { MappedRow, Reject, SourceRow, SqlValue } from './types.js';

/** Every source column a mapping reads: all must be in the file's header. */
export function sourceColumns(mapping: Mapping): string[] {
  const cols = [mapping.key.from, ...Object.values(mapping.fields).flatMap((f) => ('from' in f ? [f.from] : []))];
  if (mapping.thirdparty) cols.push(mapping.thirdparty.from);
  return [...new Set(cols)];
}

/**
 * Source row -> Dolibarr columns (pure). The object's defaults come first (what create() would
 * set), the mapping overrides them. A transform that fails rejects the row with the field named.
 */
export function mapRow(row: SourceRow, mapping: Mapping, ctx: TransformContext): { mapped: MappedRow } | { reject: Reject } {
  const def = objectDefs[mapping.object];
  const values: Record<string, SqlValue> = { ...def.defaults };
  const problems: { field: string; reason: string }[] = [];
  let key = '';
  try {
    key = String(applyTransforms(row.get(mapping.key.from), mapping.key.transforms, ctx) ?? '');
  } catch (e) {
    problems.push({ field: mapping.key.from, reason: (e as Error).message });
  }
  if (key === '') problems.push({ field: mapping.key.from, reason: `the key column "${mapping.key.from}" is empty` });
  values[def.keyColumn] = key;
  for (const [column, f] of fieldsOf(mapping)) {
    if ('value' in f) {
      values[column] = f.value;
      continue;
    }
    try {
      const v = applyTransforms(row.get(f.from), f.transforms, ctx);
      const empty = v === null || v === '';
      if (f.required && empty) problems.push({ field: f.from, reason: `"${f.from}" is required` });
      if (!empty || !(column in def.defaults)) values[column] = v === '' ? null : v;
    } catch (e) {
      if (!(e instanceof TransformError)) throw e;
      problems.push({ field: f.from, reason: `"${f.from}": ${e.message}` });
    }
  }
  if (problems.length > 0) {
    return { reject: { line: row.line, field: problems[0]!.field, reason: problems.map((p) => p.reason).join('; '), record: row.record } };
  }
  const refs: MappedRow['refs'] = {};
  const ref = mapping.thirdparty ? row.get(mapping.thirdparty.from).trim() : '';
  if (ref !== '') refs.thirdparty = ref;
  return { mapped: { line: row.line, key, values, refs } };
}

const fieldLists = new WeakMap<Mapping, [string, Mapping['fields'][string]][]>();

/** The mapping's fields as a list, built once per mapping (mapRow runs for every row). */
function fieldsOf(mapping: Mapping): [string, Mapping['fields'][string]][] {
  let list = fieldLists.get(mapping);
  if (!list) fieldLists.set(mapping, (list = Object.entries(mapping.fields)));
  return list;
}
