import type { Transform } from './mapping-schema.js';
import type { SqlValue } from './types.js';

/** A transform failed on a value: the row is rejected with this reason. */
export class TransformError extends Error {}

/** What transforms need from outside: the country dictionary of the live database. */
export interface TransformContext {
  countryId(codeOrLabel: string): number | undefined;
}

/** Apply a field's transforms in order. Pure; throws TransformError on a value it cannot convert. */
export function applyTransforms(raw: string, transforms: Transform[], ctx: TransformContext): SqlValue {
  return compileTransforms(transforms, ctx)(raw);
}

type Step = (value: SqlValue) => SqlValue;

/**
 * A field's transforms composed once into one function (mapping a row then costs no switch, no
 * look-up of the rule per value): the pipeline compiles each field when a job starts.
 */
export function compileTransforms(transforms: Transform[], ctx: TransformContext): (raw: string) => SqlValue {
  const steps = transforms.map((t) => compileOne(t, ctx));
  if (steps.length === 0) return (raw) => raw;
  if (steps.length === 1) return steps[0]!;
  return (raw) => {
    let value: SqlValue = raw;
    for (let i = 0; i < steps.length; i++) value = steps[i]!(value);
    return value;
  };
}

/** One transform as a function of the value; null stays null except for `default` and `map`. */
function compileOne(t: Transform, ctx: TransformContext): Step {
  if (typeof t === 'object' && 'default' in t) return (value) => (value === null || value === '' ? t.default : value);
  if (typeof t === 'object' && 'map' in t) {
    const index = new Map(Object.entries(t.map).map(([from, to]) => [from.toLowerCase(), to]));
    const names = Object.keys(t.map).join(', ');
    return (value) => mapValue(value, index, names, t.otherwise);
  }
  const onText = compileText(t, ctx);
  return (value) => (value === null ? null : onText(typeof value === 'string' ? value : String(value)));
}

function compileText(t: Exclude<Transform, { default: unknown } | { map: unknown }>, ctx: TransformContext): (s: string) => SqlValue {
  if (typeof t === 'string') {
    switch (t) {
      case 'trim': return (s) => s.trim();
      case 'collapse-spaces': return collapseSpaces;
      case 'empty-is-null': return (s) => (blank(s) ? null : s);
      case 'email': return (s) => (blank(s) ? null : normaliseEmail(s));
      case 'country': return (s) => (blank(s) ? null : countryId(s, ctx));
      case 'number': return (s) => (blank(s) ? null : parseNumber(s));
      case 'integer': return (s) => (blank(s) ? null : parseInteger(s));
      case 'boolean': return (s) => (blank(s) ? null : parseBoolean(s));
    }
  }
  if ('case' in t) return (s) => changeCase(s, t.case);
  if ('date' in t) {
    const format = t.date;
    return (s) => (blank(s) ? null : parseDate(s.trim(), format));
  }
  const country = t.phone.country;
  return (s) => (blank(s) ? null : normalisePhone(s, country));
}

const needsCollapse = /\s\s|[\t\n\r\f\v\u00a0]/;
function collapseSpaces(s: string): string {
  return needsCollapse.test(s) ? s.trim().replace(/\s+/g, ' ') : s.trim();
}

const blank = (s: string) => s.trim() === '';

function mapValue(value: SqlValue, index: Map<string, SqlValue>, names: string, otherwise: SqlValue | undefined): SqlValue {
  const k = value === null ? '' : String(value).trim();
  const hit = index.get(k.toLowerCase());
  if (hit !== undefined) return hit;
  if (otherwise !== undefined) return otherwise;
  throw new TransformError(`"${k}" is not one of: ${names}`);
}

export function changeCase(s: string, rule: 'upper' | 'lower' | 'title'): string {
  if (rule === 'upper') return s.toLocaleUpperCase();
  if (rule === 'lower') return s.toLocaleLowerCase();
  const lower = s.toLocaleLowerCase();
  // One word (the usual first name): only its first letter changes, no regular-expression pass.
  if (!wordBreak.test(lower) && lower.charCodeAt(0) < 0xd800) return letter.test(lower[0] ?? '') ? lower[0]!.toLocaleUpperCase() + lower.slice(1) : lower;
  return lower.replace(/(^|[\s'’-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toLocaleUpperCase());
}

const wordBreak = /[\s'’-]/;
const letter = /^\p{L}$/u;

/** Lower-cased, trimmed, "mailto:" and angle brackets removed; validity is checked by validate. */
export function normaliseEmail(s: string): string {
  if (!s.includes('<') && !/mailto:/i.test(s)) return s.trim().toLowerCase();
  return s.trim().replace(/^<(.*)>$/, '$1').trim().replace(/^mailto:/i, '').trim().toLowerCase();
}

const callingCodes: Record<string, string> = {
  FR: '33', BE: '32', DE: '49', ES: '34', IT: '39', CH: '41', GB: '44', US: '1', CA: '1', NL: '31', LU: '352', PT: '351', IE: '353', AT: '43',
};

/**
 * E.164-style "+33 1 23 45 67 89" -> "+33123456789". A national number ("01 23 45 67 89")
 * gets the country's calling code when one is given. Extensions and letters are refused.
 */
export function normalisePhone(s: string, country?: string): string {
  const t = s.trim();
  if (/[a-wyz]/i.test(t)) throw new TransformError(`"${t}" is not a phone number`);
  let digits = t.replace(/[\s().\-/]/g, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  if (!/^\+?\d{4,15}$/.test(digits)) throw new TransformError(`"${t}" is not a phone number`);
  if (digits.startsWith('+')) return digits;
  const code = country ? callingCodes[country] : undefined;
  if (!code) return digits;
  return `+${code}${digits.replace(/^0/, '')}`;
}

export function parseNumber(s: string): number {
  let t = s.trim().replace(/[\s\u00a0']/g, '');
  // "1.234,56" (European) and "1,234.56" (English): the last separator is the decimal one.
  if (t.includes(',') && t.includes('.')) t = t.lastIndexOf(',') > t.lastIndexOf('.') ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  else if (t.includes(',')) t = t.replace(',', '.');
  const n = Number(t);
  if (t === '' || !Number.isFinite(n)) throw new TransformError(`"${s.trim()}" is not a number`);
  return n;
}

export function parseInteger(s: string): number {
  const n = parseNumber(s);
  if (!Number.isInteger(n)) throw new TransformError(`"${s.trim()}" is not a whole number`);
  return n;
}

export function parseBoolean(s: string): number {
  const t = s.trim().toLowerCase();
  if (['1', 'yes', 'y', 'true', 'oui', 'x'].includes(t)) return 1;
  if (['0', 'no', 'n', 'false', 'non', ''].includes(t)) return 0;
  throw new TransformError(`"${s.trim()}" is not yes/no`);
}

function countryId(s: string, ctx: TransformContext): number {
  const id = ctx.countryId(s.trim());
  if (id === undefined) throw new TransformError(`unknown country "${s.trim()}" (not a code, ISO3 code or label of llx_c_country)`);
  return id;
}

/**
 * Parse a date by a format made of YYYY, YY, MM, M, DD, D, HH, mm, ss and literal separators;
 * returns 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (what MariaDB stores). Impossible dates are refused.
 */
export function parseDate(s: string, format: string): string {
  let parse = dateParsers.get(format);
  if (!parse) dateParsers.set(format, (parse = compileDate(format)));
  return parse(s);
}

const dateParsers = new Map<string, (s: string) => string>();
const tokenPatterns: Record<string, string> = { YYYY: '(\\d{4})', YY: '(\\d{2})', MM: '(\\d{2})', M: '(\\d{1,2})', DD: '(\\d{2})', D: '(\\d{1,2})', HH: '(\\d{2})', mm: '(\\d{2})', ss: '(\\d{2})' };
const tokenParts: Record<string, string> = { YYYY: 'year', YY: 'yy', MM: 'month', M: 'month', DD: 'day', D: 'day', HH: 'hour', mm: 'minute', ss: 'second' };

/** A date format compiled once: a regular expression and the group of each part (no object per value). */
function compileDate(format: string): (s: string) => string {
  const tokens = format.match(/YYYY|YY|MM|M|DD|D|HH|mm|ss|[^YMDHms]+/g) ?? [];
  const group: Record<string, number> = {};
  let n = 0;
  const re = new RegExp(`^${tokens.map((t) => (tokenPatterns[t] ? ((group[tokenParts[t]!] = ++n), tokenPatterns[t]) : t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  const { year: y, yy, month: mo, day: d, hour: h, minute: mi, second: se } = group;
  // Already in MariaDB's own form: the text is returned as it is.
  const canonical = format === 'YYYY-MM-DD' || format === 'YYYY-MM-DD HH:mm:ss';
  return (s) => {
    const m = re.exec(s);
    if (!m) throw new TransformError(`"${s}" does not match the date format ${format}`);
    const short = yy === undefined ? NaN : Number(m[yy]);
    const year = y !== undefined ? Number(m[y]) : short < 70 ? 2000 + short : 1900 + short;
    const month = mo === undefined ? NaN : Number(m[mo]);
    const day = d === undefined ? NaN : Number(m[d]);
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month))) throw new TransformError(`"${s}" is not a real date (${format})`);
    if (h === undefined) return canonical ? s : `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
    const [hh, mm, ss] = [Number(m[h]), mi === undefined ? 0 : Number(m[mi]), se === undefined ? 0 : Number(m[se])];
    if (hh > 23 || mm > 59 || ss > 59) throw new TransformError(`"${s}" is not a real time (${format})`);
    return canonical ? s : `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)} ${pad(hh)}:${pad(mm)}:${pad(ss)}`;
  };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad = (n: number) => String(n).padStart(2, '0');
