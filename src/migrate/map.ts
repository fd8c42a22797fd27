import type { Mapping, Transform } from './mapping-schema.js';
import { compileTransforms, TransformError, type FieldStats, type TransformContext } from './transforms.js';
import { newDateStats } from './dates.js';
import { objectDefs } from './objects.js';
import { jobLayout, rowRecord, type RowLayout } from './layout.js';
import type { MappedRow, Reject, SourceRow, SqlValue } from './types.js';

/** Every source column a mapping reads: all must be in the file's header. */
export function sourceColumns(mapping: Mapping): string[] {
  const cols = [mapping.key.from, ...Object.values(mapping.fields).flatMap((f) => ('from' in f ? [f.from] : []))];
  if (mapping.thirdparty) cols.push(mapping.thirdparty.from);
  return [...new Set(cols)];
}

/** Source row -> mapped row or the reject naming every field that failed. */
export type RowMapper = (row: SourceRow) => MappedRow | Reject;

interface FieldPlan {
  slot: number;
  from: string;
  index: number;
  convert: ((raw: string) => SqlValue) | undefined;
  constant: SqlValue;
  required: boolean;
  /** Empty source values keep the object's default (what create() would set). */
  keepDefault: boolean;
}

/**
 * A mapping compiled once for a file's header (pure): column positions, composed transforms,
 * slots. The object's defaults come first (in the layout's template), the mapping overrides them.
 * A transform that fails rejects the row with the field named.
 */
export function compileMapper(mapping: Mapping, header: readonly string[], layout: RowLayout, ctx: TransformContext, stats?: Record<string, FieldStats>): RowMapper {
  const def = objectDefs[mapping.object];
  const at = (column: string) => header.indexOf(column);
  const keyIndex = at(mapping.key.from);
  const keyConvert = compileTransforms(mapping.key.transforms, ctx);
  const keySlot = layout.slot(def.keyColumn);
  const parentIndex = mapping.thirdparty ? at(mapping.thirdparty.from) : -1;
  const fields: FieldPlan[] = Object.entries(mapping.fields).map(([column, f]) =>
    'value' in f
      ? { slot: layout.slot(column), from: column, index: -1, convert: undefined, constant: f.value, required: false, keepDefault: false }
      : { slot: layout.slot(column), from: f.from, index: at(f.from), convert: compileTransforms(f.transforms, ctx, stats && fieldStats(stats, column, f.transforms)), constant: null, required: f.required, keepDefault: column in def.defaults },
  );
  const field = (row: SourceRow, index: number) => (index < 0 ? '' : (row.fields[index] ?? ''));

  return (row) => {
    const values = layout.template.slice();
    let problems: { field: string; reason: string }[] | undefined;
    let key = '';
    try {
      key = String(keyConvert(field(row, keyIndex)) ?? '');
    } catch (e) {
      (problems ??= []).push({ field: mapping.key.from, reason: (e as Error).message });
    }
    if (key === '') (problems ??= []).push({ field: mapping.key.from, reason: `the key column "${mapping.key.from}" is empty` });
    values[keySlot] = key;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.convert === undefined) {
        values[f.slot] = f.constant;
        continue;
      }
      try {
        const v = f.convert(field(row, f.index));
        const empty = v === null || v === '';
        if (f.required && empty) (problems ??= []).push({ field: f.from, reason: `"${f.from}" is required` });
        if (!empty || !f.keepDefault) values[f.slot] = v === '' ? null : v;
      } catch (e) {
        if (!(e instanceof TransformError)) throw e;
        (problems ??= []).push({ field: f.from, reason: `"${f.from}": ${e.message}` });
      }
    }
    if (problems) return { line: row.line, field: problems[0]!.field, reason: problems.map((p) => p.reason).join('; '), record: row.record };
    const parent = parentIndex < 0 ? '' : field(row, parentIndex).trim();
    return { line: row.line, key, lowerKey: key.toLowerCase(), values, parentRef: parent === '' ? undefined : parent, source: row };
  };
}

/** The report's counters of a field with a date transform (which format read how many values). */
function fieldStats(stats: Record<string, FieldStats>, column: string, transforms: Transform[]): FieldStats | undefined {
  const date = transforms.find((t): t is Extract<Transform, { date: unknown }> => typeof t === 'object' && 'date' in t);
  if (!date) return undefined;
  return (stats[column] = { dates: newDateStats(Array.isArray(date.date) ? date.date : [date.date]) });
}

/** Whether a mapper's answer is a mapped row (else a reject). */
export function isMapped(r: MappedRow | Reject): r is MappedRow {
  return 'values' in r;
}

/**
 * One row mapped on its own (tests, one-off checks): the values come back as column -> value.
 * The pipeline compiles the mapping once per file with compileMapper instead.
 */
export function mapRow(row: SourceRow, mapping: Mapping, ctx: TransformContext): { mapped: { line: number; key: string; values: Record<string, SqlValue>; refs: { thirdparty?: string } } } | { reject: Reject } {
  const layout = jobLayout(objectDefs[mapping.object], mapping, {});
  const r = compileMapper(mapping, row.header, layout, ctx)(row);
  if (!isMapped(r)) return { reject: r };
  const values = rowRecord(layout, r.values.slice(0, layout.checked));
  return { mapped: { line: r.line, key: r.key, values, refs: r.parentRef === undefined ? {} : { thirdparty: r.parentRef } } };
}
