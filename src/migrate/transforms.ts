import type { Transform } from './mapping-schema.js';
import type { SqlValue } from './types.js';
import { compileDates, type DateStats } from './dates.js';

import { TransformError } from './transform-error.js';

export { TransformError };

/** What transforms need from outside: the country dictionary of the live database. */
export interface TransformContext {
  countryId(codeOrLabel: string): number | undefined;
}

/** Apply a field's transforms in order. Pure; throws TransformError on a value it cannot convert. */
export function applyTransforms(raw: string, transforms: Transform[], ctx: TransformContext): SqlValue {
  return compileTransforms(transforms, ctx)(raw);
}

type Step = (value: SqlValue) => SqlValue;

/** What a field's transforms saw, for the report: which date format matched how often. */
export interface FieldStats {
  dates?: DateStats;
}

/**
 * A field's transforms composed once into one function (mapping a row then costs no switch, no
 * look-up of the rule per value): the pipeline compiles each field when a job starts.
 */
export function compileTransforms(transforms: Transform[], ctx: TransformContext, stats?: FieldStats): (raw: string) => SqlValue {
  const steps = transforms.map((t) => compileOne(t, ctx, stats));
  if (steps.length === 0) return (raw) => raw;
  if (steps.length === 1) return steps[0]!;
  return (raw) => {
    let value: SqlValue = raw;
    for (let i = 0; i < steps.length; i++) value = steps[i]!(value);
    return value;
  };
}

/** One transform as a function of the value; null stays null except for `default` and `map`. */
function compileOne(t: Transform, ctx: TransformContext, stats?: FieldStats): Step {
  if (typeof t === 'object' && 'default' in t) return (value) => (value === null || value === '' ? t.default : value);
  if (typeof t === 'object' && 'map' in t) {
    const index = new Map(Object.entries(t.map).map(([from, to]) => [from.toLowerCase(), to]));
    const names = Object.keys(t.map).join(', ');
    return (value) => mapValue(value, index, names, t.otherwise);
  }
  const onText = compileText(t, ctx, stats);
  return (value) => (value === null ? null : onText(typeof value === 'string' ? value : String(value)));
}

function compileText(t: Exclude<Transform, { default: unknown } | { map: unknown }>, ctx: TransformContext, stats?: FieldStats): (s: string) => SqlValue {
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
    const parse = compileDates(Array.isArray(t.date) ? t.date : [t.date], stats?.dates);
    return (s) => (blank(s) ? null : parse(s.trim()));
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

export { parseDate } from './dates.js';
