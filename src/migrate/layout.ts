import type { ObjectDef } from './objects.js';
import type { Mapping } from './mapping-schema.js';
import type { SqlValue } from './types.js';

/**
 * The Dolibarr columns one job writes, in a fixed order: a row is an array indexed by these
 * slots, copied from `template` (defaults and stamps already in place). One array per row instead
 * of an object with dynamic keys is what keeps a million-row import cheap in allocation and GC.
 *
 * Order: the object's defaults, the key, the mapping's fields (so problems are listed as before),
 * then what the load adds (generated codes, price incl. tax, fk_soc), then the stamp columns.
 */
export interface RowLayout {
  columns: string[];
  template: SqlValue[];
  /** Slots [0, checked) are validated against the schema; the rest are set by the pipeline. */
  checked: number;
  slot(column: string): number;
}

export function jobLayout(def: ObjectDef, mapping: Mapping, stamp: Record<string, SqlValue>): RowLayout {
  const columns: string[] = [];
  const template: SqlValue[] = [];
  const index = new Map<string, number>();
  const add = (column: string, value: SqlValue) => {
    if (index.has(column)) return;
    index.set(column, columns.length);
    columns.push(column);
    template.push(value);
  };
  for (const [column, value] of Object.entries(def.defaults)) add(column, value);
  add(def.keyColumn, '');
  for (const column of Object.keys(mapping.fields)) add(column, null);
  const checked = columns.length;
  for (const column of generatedColumns[def.kind]) add(column, null);
  for (const [column, value] of Object.entries(stamp)) add(column, value);
  return { columns, template, checked, slot: (column) => index.get(column) ?? -1 };
}

/** Columns the load sets itself: codes from the numbering module, price incl. tax, the parent's rowid. */
const generatedColumns: Record<ObjectDef['kind'], string[]> = {
  thirdparty: ['code_client', 'code_fournisseur'],
  product: ['price_ttc'],
  contact: ['fk_soc'],
};

/** A row back as column -> value (reports, tests). */
export function rowRecord(layout: RowLayout, values: readonly SqlValue[]): Record<string, SqlValue> {
  const out: Record<string, SqlValue> = {};
  layout.columns.forEach((c, i) => (out[c] = values[i] ?? null));
  return out;
}
