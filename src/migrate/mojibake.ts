/**
 * Text damaged before it reached us, flagged per row (issue 15): the row still loads, the report
 * counts and lists it, so someone can fix it at the source. Three signs:
 * - lost: a "?" between letters ("Ma?gorzata", "O?uz"): the source system could not store the
 *   letter and wrote "?" instead, the letter is gone;
 * - replacement: U+FFFD, a character a decoder could not read;
 * - double-encoded: UTF-8 bytes read as Windows-1252 and saved again ("Ã©" for é, "â€™" for ’):
 *   a lead byte C2-DF (Â..ß) or E0-EF (à..ï) followed by continuation bytes 80-BF as cp1252 shows them.
 */
export type DamageKind = 'lost' | 'replacement' | 'double-encoded';

export interface TextWarning {
  line: number;
  field: string;
  kind: DamageKind;
  value: string;
}

export interface TextWarnings {
  count: number;
  byKind: Record<DamageKind, number>;
  /** The first rows flagged (the count has them all). */
  rows: TextWarning[];
}

const shown = 200;
const lost = /\p{L}\?+\p{L}/u;
// Bytes 80-BF as Windows-1252 decodes them (WHATWG: 81, 8D, 8F, 90, 9D stay C1 controls).
const cont = '[\\u00A0-\\u00BF\\u20AC\\u201A\\u0192\\u201E\\u2026\\u2020\\u2021\\u02C6\\u2030\\u0160\\u2039\\u0152\\u017D\\u2018\\u2019\\u201C\\u201D\\u2022\\u2013\\u2014\\u02DC\\u2122\\u0161\\u203A\\u0153\\u017E\\u0178\\u0081\\u008D\\u008F\\u0090\\u009D]';
const doubled = new RegExp(`[\\u00C2-\\u00DF]${cont}|[\\u00E0-\\u00EF]${cont}{2}`);
// eslint-disable-next-line no-control-regex
const nonAscii = /[^\x00-\x7F]/;

/** The kind of damage a text shows, if any. */
export function textDamage(s: string): DamageKind | undefined {
  if (s.indexOf('\uFFFD') >= 0) return 'replacement';
  if (s.indexOf('?') >= 0 && lost.test(s)) return 'lost';
  if (nonAscii.test(s) && doubled.test(s)) return 'double-encoded';
  return undefined;
}

export function newTextWarnings(): TextWarnings {
  return { count: 0, byKind: { lost: 0, replacement: 0, 'double-encoded': 0 }, rows: [] };
}

/** Check the source columns a mapping reads, per row: one warning per row (its first damaged field). */
export function compileTextCheck(header: readonly string[], columns: readonly string[], into: TextWarnings): (line: number, fields: readonly string[]) => void {
  const slots = columns.map((c) => header.indexOf(c)).filter((i) => i >= 0);
  return (line, fields) => {
    for (let i = 0; i < slots.length; i++) {
      const value = fields[slots[i]!] ?? '';
      const kind = value === '' ? undefined : textDamage(value);
      if (!kind) continue;
      into.count++;
      into.byKind[kind]++;
      if (into.rows.length < shown) into.rows.push({ line, field: header[slots[i]!]!, kind, value });
      return;
    }
  };
}
