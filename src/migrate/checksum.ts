import { integerTypes, realTypes, type Column, type TableSchema } from './schema.js';
import type { SqlValue } from './types.js';

/**
 * Order-independent per-field checksums: the sum over rows of hash(key, canonical value).
 * The same function runs over what was sent and over what the database gives back, so a
 * truncated, rounded, re-encoded or missing value shows as a mismatch on its field.
 * (32-bit FNV-1a, computed in JS: no buffer per value. Sums stay exact below 2^53.)
 * Columns are fixed when the tally starts and the canonical form of each is decided once.
 */
export class FieldChecksums {
  readonly columns: readonly string[];
  readonly #sums: number[];
  readonly #canonical: ((value: SqlValue) => string)[];
  rows = 0;

  constructor(schema: TableSchema, columns: readonly string[]) {
    this.columns = columns;
    this.#sums = columns.map(() => 0);
    this.#canonical = columns.map((c) => canonicalFor(schema.get(c)));
  }

  /** One row: `values[slots[i]]` is the value of columns[i] (slots default to 0..n-1). */
  addRow(key: string, values: readonly SqlValue[], slots?: readonly number[]): void {
    this.rows++;
    const seed = fnv1a('\u001f', fnv1a(key, 0x811c9dc5));
    for (let i = 0; i < this.#sums.length; i++) {
      const v = values[slots ? slots[i]! : i];
      this.#sums[i] = this.#sums[i]! + fnv1a(this.#canonical[i]!(v ?? null), seed);
    }
  }

  sum(column: string): number {
    const i = this.columns.indexOf(column);
    return i < 0 ? 0 : this.#sums[i]!;
  }
}

/** How a column's values are compared: integers and decimals by their number, the rest as text. */
function canonicalFor(col: Column | undefined): (value: SqlValue) => string {
  if (col && integerTypes.has(col.dataType)) return (v) => (v === null ? '\u0000' : typeof v === 'number' && Number.isInteger(v) ? String(v) : String(Math.trunc(Number(v))));
  if (col && realTypes.has(col.dataType)) {
    const scale = col.numericScale;
    return (v) => (v === null ? '\u0000' : scale !== null ? Number(v).toFixed(scale) : String(Number(Number(v).toPrecision(6))));
  }
  return (v) => (v === null ? '\u0000' : typeof v === 'string' ? v : String(v));
}

/** FNV-1a over UTF-16 code units, continuing from `seed` (so key + value need no concatenation). */
export function fnv1a(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hash of a (child key, parent reference) pair: summed, proves each contact points at the third party the source named. */
export function pairHash(child: string, parent: string): number {
  return fnv1a(parent.toLowerCase(), fnv1a('\u001f', fnv1a(child, 0x811c9dc5)));
}
