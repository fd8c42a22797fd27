import type { ObjectDef } from './objects.js';
import type { MappedRow } from './types.js';

/**
 * Duplicates within one file: the external key and every unique column (per entity) may
 * appear once. Remembers the first line of each value (memory: one entry per distinct value).
 */
export class DuplicateFinder {
  readonly #seen = new Map<string, Map<string, number>>();

  constructor(private readonly def: ObjectDef) {
    for (const c of [def.keyColumn, ...def.unique]) this.#seen.set(c, new Map());
  }

  /** The problem with this row if a key or unique value was seen before; remembers it otherwise. */
  check(row: MappedRow): { field: string; reason: string } | undefined {
    for (const [column, seen] of this.#seen) {
      const v = row.values[column];
      if (v === null || v === undefined || v === '') continue;
      const k = String(v).toLowerCase(); // MariaDB's *_ci collations compare case-insensitively
      const first = seen.get(k);
      if (first !== undefined) return { field: column, reason: `duplicate ${column} "${v}" (first on line ${first})` };
    }
    for (const [column, seen] of this.#seen) {
      const v = row.values[column];
      if (v !== null && v !== undefined && v !== '') seen.set(String(v).toLowerCase(), row.line);
    }
    return undefined;
  }

  /** The keys seen, for references from a later job (contact -> third party). */
  keys(): Set<string> {
    return new Set(this.#seen.get(this.def.keyColumn)!.keys());
  }
}
