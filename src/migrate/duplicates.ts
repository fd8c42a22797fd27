import type { ObjectDef } from './objects.js';
import type { RowLayout } from './layout.js';
import type { MappedRow } from './types.js';
import { KeyLines } from './key-lines.js';

/**
 * Duplicates within one file: the external key and every unique column (per entity) may
 * appear once. Remembers the first line of each value (memory: 12 bytes per distinct value, key-lines.ts).
 */
export class DuplicateFinder {
  readonly #columns: { name: string; slot: number; seen: KeyLines }[];

  constructor(def: ObjectDef, layout: RowLayout) {
    this.#columns = [def.keyColumn, ...def.unique].map((name) => ({ name, slot: layout.slot(name), seen: new KeyLines() })).filter((c) => c.slot >= 0);
  }

  /** The problem with this row if a key or unique value was seen before; remembers it otherwise. */
  check(row: MappedRow): { field: string; reason: string } | undefined {
    const cols = this.#columns;
    for (let i = 0; i < cols.length; i++) {
      const k = key(row, i, cols[i]!.slot); // MariaDB's *_ci collations compare case-insensitively
      const first = k === undefined ? undefined : cols[i]!.seen.get(k);
      if (first !== undefined) return { field: cols[i]!.name, reason: `duplicate ${cols[i]!.name} "${row.values[cols[i]!.slot]}" (first on line ${first})` };
    }
    for (let i = 0; i < cols.length; i++) {
      const k = key(row, i, cols[i]!.slot);
      if (k !== undefined) cols[i]!.seen.set(k, row.line);
    }
    return undefined;
  }
}

/** The value compared (lower-cased), undefined when empty; column 0 is the external key, lower-cased once by the mapper. */
function key(row: MappedRow, column: number, slot: number): string | undefined {
  if (column === 0 && row.values[slot] === row.key) return row.lowerKey;
  const v = row.values[slot];
  return v === null || v === undefined || v === '' ? undefined : lower(v);
}

const lower = (v: string | number) => (typeof v === 'string' ? v.toLowerCase() : String(v));
