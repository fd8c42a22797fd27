import type { ObjectDef } from './objects.js';
import { dateTypes, integerTypes, realTypes, textTypes, type Column, type TableSchema } from './schema.js';
import type { MappedRow, SqlValue } from './types.js';

const emailPattern = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]{2,}$/;
const intRanges: Record<string, [number, number]> = {
  tinyint: [-128, 127], smallint: [-32768, 32767], mediumint: [-8388608, 8388607], int: [-2147483648, 2147483647], integer: [-2147483648, 2147483647],
};

/**
 * Check a mapped row against the live column definitions (pure): required fields, types,
 * lengths, ranges, characters the column's charset can hold, e-mail syntax. Returns every
 * problem, so one pass over the file tells the operator all that is wrong with a row.
 */
export function validateRow(row: MappedRow, def: ObjectDef, schema: TableSchema): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  for (const col of def.required) if (isEmpty(row.values[col])) problems.push({ field: col, reason: `${col} is required by Dolibarr` });
  for (const [name, value] of Object.entries(row.values)) {
    const col = schema.get(name);
    if (!col) continue; // mapping columns are checked against the schema once, before reading
    const reason = checkValue(value, col);
    if (reason) problems.push({ field: name, reason: `${name}: ${reason}` });
    else if (/(^|_)email$/.test(name) && typeof value === 'string' && value !== '' && !emailPattern.test(value)) {
      problems.push({ field: name, reason: `${name}: "${value}" is not an e-mail address` });
    }
  }
  return problems;
}

function isEmpty(v: SqlValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

export function checkValue(value: SqlValue, col: Column): string | undefined {
  if (value === null) return col.nullable || col.hasDefault ? undefined : 'must not be empty (NOT NULL)';
  if (integerTypes.has(col.dataType)) {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(n)) return `"${value}" is not a whole number`;
    const range = intRanges[col.dataType];
    if (range && (n < range[0] || n > range[1])) return `${n} is out of range for ${col.dataType}`;
    return undefined;
  }
  if (realTypes.has(col.dataType)) {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return `"${value}" is not a number`;
    if (col.numericPrecision !== null && col.numericScale !== null && Math.abs(n) >= 10 ** (col.numericPrecision - col.numericScale)) {
      return `${n} is too large for ${col.dataType}(${col.numericPrecision},${col.numericScale})`;
    }
    return undefined;
  }
  if (dateTypes.has(col.dataType)) {
    const s = String(value);
    const ok = col.dataType === 'date' ? /^\d{4}-\d{2}-\d{2}$/.test(s) : /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(s);
    return ok ? undefined : `"${s}" is not a ${col.dataType} (use a date transform)`;
  }
  if (textTypes.has(col.dataType)) return checkText(String(value), col);
  return undefined;
}

const surrogate = /[\uD800-\uDFFF]/;

function checkText(s: string, col: Column): string | undefined {
  // s.length counts UTF-16 units, never fewer than characters: split only when it may be too long.
  if (col.maxLength !== null && s.length > col.maxLength) {
    const chars = [...s];
    if (chars.length > col.maxLength) return `${chars.length} characters, the column holds ${col.maxLength} ("${chars.slice(0, 20).join('')}…")`;
  }
  // Dolibarr creates its tables in utf8 (3-byte utf8mb3): an emoji would fail or be mangled.
  if ((col.charset === 'utf8mb3' || col.charset === 'utf8') && surrogate.test(s)) {
    const wide = [...s].find((c) => c.codePointAt(0)! > 0xffff);
    if (wide) return `the character ${wide} cannot be stored in a ${col.charset} column`;
  }
  if (col.charset === 'latin1' && [...s].some((c) => c.codePointAt(0)! > 0xff)) return 'characters outside latin1';
  return undefined;
}
