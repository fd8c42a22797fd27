import type { ObjectDef } from './objects.js';
import type { RowLayout } from './layout.js';
import type { MappedRow } from './types.js';

/**
 * Duplicates within one file: the external key and every unique column (per entity) may
 * appear once. Remembers the first line of each value (memory: one entry per distinct value).
 */
export class DuplicateFinder {
  readonly #columns: { name: string; slot: number; seen: Map<string, number> }[];

  constructor(def: ObjectDef, layout: RowLayout) {
    this.#columns = [def.keyColumn, ...def.unique].map((name) => ({ name, slot: layout.slot(name), seen: new Map() })).filter((c) => c.slot >= 0);
  }

  /** The problem with this row if a key or unique value was seen before; remembers it otherwise. */
  check(row: MappedRow): { field: string; reason: string } | undefined {
    const cols = this.#columns;
    for (let i = 0; i < cols.length; i++) {
      const v = row.values[cols[i]!.slot];
      if (v === null || v === undefined || v === '') continue;
      const first = cols[i]!.seen.get(lower(v)); // MariaDB's *_ci collations compare case-insensitively
      if (first !== undefined) return { field: cols[i]!.name, reason: `duplicate ${cols[i]!.name} "${v}" (first on line ${first})` };
    }
    for (let i = 0; i < cols.length; i++) {
      const v = row.values[cols[i]!.slot];
      if (v !== null && v !== undefined && v !== '') cols[i]!.seen.set(lower(v), row.line);
    }
    return undefined;
  }
}

const lower = (v: string | number) => (typeof v === 'string' ? v.toLowerCase() : String(v));
