import { integerTypes, realTypes, type TableSchema } from './schema.js';
import type { SqlValue } from './types.js';

/**
 * Order-independent per-field checksums: the sum over rows of hash(key, canonical value).
 * The same function runs over what was sent and over what the database gives back, so a
 * truncated, rounded, re-encoded or missing value shows as a mismatch on its field.
 * (32-bit FNV-1a, computed in JS: no buffer per value. Sums stay exact below 2^53.)
 */
export class FieldChecksums {
  readonly sums = new Map<string, number>();
  rows = 0;

  constructor(private readonly schema: TableSchema) {}

  /** One row given as parallel arrays of column names and values. */
  addRow(key: string, columns: string[], values: SqlValue[]): void {
    this.rows++;
    const seed = fnv1a(`${key}\u001f`, 0x811c9dc5);
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const h = fnv1a(canonical(values[i] ?? null, c, this.schema), seed);
      this.sums.set(c, (this.sums.get(c) ?? 0) + h);
    }
  }

  add(key: string, values: Record<string, SqlValue>, columns: string[]): void {
    this.addRow(key, columns, columns.map((c) => values[c] ?? null));
  }
}

export function canonical(value: SqlValue | undefined, column: string, schema: TableSchema): string {
  if (value === null || value === undefined) return '\u0000';
  const col = schema.get(column);
  if (col && integerTypes.has(col.dataType)) return String(Math.trunc(Number(value)));
  if (col && realTypes.has(col.dataType)) {
    const n = Number(value);
    return col.numericScale !== null ? n.toFixed(col.numericScale) : String(Number(n.toPrecision(6)));
  }
  return String(value);
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
  return fnv1a(parent.toLowerCase(), fnv1a(`${child}\u001f`, 0x811c9dc5));
}
