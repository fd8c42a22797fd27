import type { ObjectDef } from './objects.js';
import { dateTypes, integerTypes, realTypes, textTypes, type Column, type TableSchema } from './schema.js';
import type { SqlValue } from './types.js';
import { emailProblem } from './email.js';

const intRanges: Record<string, [number, number]> = {
  tinyint: [-128, 127], smallint: [-32768, 32767], mediumint: [-8388608, 8388607], int: [-2147483648, 2147483647], integer: [-2147483648, 2147483647],
};

type Problem = { field: string; reason: string };
/** A column's check, compiled once from its live definition: the reason a value does not fit, or undefined. */
type ColumnCheck = (value: SqlValue) => string | undefined;

/**
 * Check a mapped row against the live column definitions (pure): required fields, types,
 * lengths, ranges, characters the column's charset can hold, e-mail syntax. Returns every
 * problem, so one pass over the file tells the operator all that is wrong with a row.
 * (Rows given as column -> value; the pipeline uses compileValidator on its slot arrays.)
 */
export function validateRow(row: { values: Record<string, SqlValue> }, def: ObjectDef, schema: TableSchema): Problem[] {
  const columns = Object.keys(row.values);
  const check = compileValidator(def, schema, columns, columns.length);
  return check(columns.map((c) => row.values[c] ?? null));
}

/**
 * The row check for a job's layout, compiled once: per slot, the column's check and whether it
 * holds an e-mail address; the required columns as slots. Slots from `checked` on are not checked
 * (the pipeline sets them itself).
 */
export function compileValidator(def: ObjectDef, schema: TableSchema, columns: readonly string[], checked: number): (values: readonly SqlValue[]) => Problem[] {
  const required = def.required.map((c) => ({ column: c, slot: columns.indexOf(c) }));
  const slots: { name: string; slot: number; check: ColumnCheck; email: boolean }[] = [];
  for (let i = 0; i < checked; i++) {
    const col = schema.get(columns[i]!);
    // mapping columns are checked against the schema once, before reading
    if (col) slots.push({ name: col.name, slot: i, check: columnCheck(col), email: /(^|_)email$/.test(col.name) });
  }
  return (values) => {
    let problems: Problem[] | undefined;
    for (const r of required) if (r.slot < 0 || isEmpty(values[r.slot])) (problems ??= []).push({ field: r.column, reason: `${r.column} is required by Dolibarr` });
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const value = values[s.slot] ?? null;
      const reason = s.check(value);
      if (reason) (problems ??= []).push({ field: s.name, reason: `${s.name}: ${reason}` });
      else if (s.email && typeof value === 'string' && value !== '') {
        // As Dolibarr checks it when the record is saved again (email.ts): else the user could not edit it.
        const bad = emailProblem(value);
        if (bad) (problems ??= []).push({ field: s.name, reason: `${s.name}: ${bad}` });
      }
    }
    return problems ?? none;
  };
}

const none: Problem[] = [];

function isEmpty(v: SqlValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** The check of one column, its type decided once (not per value). */
function columnCheck(col: Column): ColumnCheck {
  const ifNull = col.nullable || col.hasDefault ? undefined : 'must not be empty (NOT NULL)';
  const check = valueCheck(col);
  return (value) => (value === null ? ifNull : check(value));
}

function valueCheck(col: Column): (value: string | number) => string | undefined {
  if (integerTypes.has(col.dataType)) {
    const range = intRanges[col.dataType];
    return (value) => {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isInteger(n)) return `"${value}" is not a whole number`;
      if (range && (n < range[0] || n > range[1])) return `${n} is out of range for ${col.dataType}`;
      return undefined;
    };
  }
  if (realTypes.has(col.dataType)) {
    const limit = col.numericPrecision !== null && col.numericScale !== null ? 10 ** (col.numericPrecision - col.numericScale) : Infinity;
    return (value) => {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return `"${value}" is not a number`;
      if (Math.abs(n) >= limit) return `${n} is too large for ${col.dataType}(${col.numericPrecision},${col.numericScale})`;
      return undefined;
    };
  }
  if (dateTypes.has(col.dataType)) {
    const pattern = col.dataType === 'date' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/;
    return (value) => {
      const s = String(value);
      return pattern.test(s) ? undefined : `"${s}" is not a ${col.dataType} (use a date transform)`;
    };
  }
  if (textTypes.has(col.dataType)) return (value) => checkText(typeof value === 'string' ? value : String(value), col);
  return () => undefined;
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
