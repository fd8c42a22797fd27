import { crc32 } from 'node:zlib';
import { integerTypes, realTypes, type TableSchema } from './schema.js';
import type { SqlValue } from './types.js';

/**
 * Order-independent per-field checksums: the sum over rows of crc32(key, canonical value).
 * The same function runs over what was sent and over what the database gives back, so a
 * truncated, rounded, re-encoded or missing value shows as a mismatch on its field.
 * (Sums stay exact below 2^53: 2^32 x 2M rows.)
 */
export class FieldChecksums {
  readonly sums = new Map<string, number>();
  rows = 0;

  constructor(private readonly schema: TableSchema) {}

  add(key: string, values: Record<string, SqlValue>, columns: string[]): void {
    this.rows++;
    for (const c of columns) {
      const v = canonical(values[c] ?? null, c, this.schema);
      this.sums.set(c, (this.sums.get(c) ?? 0) + crc32(`${key}\u001f${v}`));
    }
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

/** crc32 of a (child key, parent reference) pair: summed, proves each contact points at the third party the source named. */
export function pairHash(child: string, parent: string): number {
  return crc32(`${child}\u001f${parent.toLowerCase()}`);
}
