import { TransformError } from './transform-error.js';

/**
 * Dates by formats made of YYYY, YY, MM, M, DD, D, HH, mm, ss and literal separators, returned as
 * 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (what MariaDB stores); impossible dates are refused.
 *
 * A field may list several formats (exports mix `1980-02-01`, `01/02/1980`, `2/1/80`). The rules:
 * - formats are tried in the order listed; the first that reads the value as a real date wins.
 *   So the order settles day/month: list DD/MM/YYYY before MM/DD/YYYY to read 01/02/1980 as
 *   1 February. A value that a later format would read as another date is counted as ambiguous
 *   (with an example) so the choice is visible in the report.
 * - a two-digit year (YY) is 2000-2069 for 00-69 and 1970-1999 for 70-99 (POSIX strptime's %y).
 */
export interface DateStats {
  /** Values read, by the format that read them. */
  matched: Record<string, number>;
  /** Values a later format would have read as another date. */
  ambiguous: number;
  example?: string;
}

const NO_MATCH = 1;
const NOT_REAL_DATE = 2;
const NOT_REAL_TIME = 3;
type Parser = (s: string) => string | number;

export function newDateStats(formats: string[]): DateStats {
  return { matched: Object.fromEntries(formats.map((f) => [f, 0])), ambiguous: 0 };
}

/** One format, one value (tests, one-off use); throws TransformError. */
export function parseDate(s: string, format: string): string {
  return compileDates([format])(s);
}

/** A field's formats compiled once; the returned function throws TransformError on a value no format reads. */
export function compileDates(formats: string[], stats?: DateStats): (s: string) => string {
  const parsers = formats.map(compiled);
  if (stats) for (const f of formats) stats.matched[f] ??= 0;
  if (parsers.length === 1) {
    const [parse, format] = [parsers[0]!, formats[0]!];
    return (s) => {
      const r = parse(s);
      if (typeof r === 'number') throw new TransformError(reason(s, r, format));
      if (stats) stats.matched[format]!++;
      return r;
    };
  }
  return (s) => {
    let firstCode = NO_MATCH;
    let firstFormat = formats[0]!;
    for (let i = 0; i < parsers.length; i++) {
      const r = parsers[i]!(s);
      if (typeof r === 'number') {
        if (r > firstCode) [firstCode, firstFormat] = [r, formats[i]!];
        continue;
      }
      if (stats) {
        stats.matched[formats[i]!]!++;
        for (let j = i + 1; j < parsers.length; j++) {
          const other = parsers[j]!(s);
          if (typeof other === 'string' && other !== r) {
            if (stats.ambiguous++ === 0) stats.example = `"${s}" read as ${r} (${formats[i]}), ${formats[j]} would give ${other}`;
            break;
          }
        }
      }
      return r;
    }
    throw new TransformError(firstCode === NO_MATCH ? `"${s}" matches none of the date formats ${formats.join(', ')}` : reason(s, firstCode, firstFormat));
  };
}

function reason(s: string, code: number, format: string): string {
  if (code === NOT_REAL_DATE) return `"${s}" is not a real date (${format})`;
  if (code === NOT_REAL_TIME) return `"${s}" is not a real time (${format})`;
  return `"${s}" does not match the date format ${format}`;
}

const cache = new Map<string, Parser>();
function compiled(format: string): Parser {
  let p = cache.get(format);
  if (!p) cache.set(format, (p = compileDate(format)));
  return p;
}

const tokenPatterns: Record<string, string> = { YYYY: '(\\d{4})', YY: '(\\d{2})', MM: '(\\d{2})', M: '(\\d{1,2})', DD: '(\\d{2})', D: '(\\d{1,2})', HH: '(\\d{2})', mm: '(\\d{2})', ss: '(\\d{2})' };
const tokenParts: Record<string, string> = { YYYY: 'year', YY: 'yy', MM: 'month', M: 'month', DD: 'day', D: 'day', HH: 'hour', mm: 'minute', ss: 'second' };

/** A date format compiled once: a regular expression and the group of each part (no object per value). */
function compileDate(format: string): Parser {
  const tokens = format.match(/YYYY|YY|MM|M|DD|D|HH|mm|ss|[^YMDHms]+/g) ?? [];
  const group: Record<string, number> = {};
  let n = 0;
  const re = new RegExp(`^${tokens.map((t) => (tokenPatterns[t] ? ((group[tokenParts[t]!] = ++n), tokenPatterns[t]) : t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  const { year: y, yy, month: mo, day: d, hour: h, minute: mi, second: se } = group;
  // Already in MariaDB's own form: the text is returned as it is.
  const canonical = format === 'YYYY-MM-DD' || format === 'YYYY-MM-DD HH:mm:ss';
  return (s) => {
    const m = re.exec(s);
    if (!m) return NO_MATCH;
    const short = yy === undefined ? NaN : Number(m[yy]);
    const year = y !== undefined ? Number(m[y]) : short < 70 ? 2000 + short : 1900 + short;
    const month = mo === undefined ? NaN : Number(m[mo]);
    const day = d === undefined ? NaN : Number(m[d]);
    if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month))) return NOT_REAL_DATE;
    if (h === undefined) return canonical ? s : `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
    const [hh, mm, ss] = [Number(m[h]), mi === undefined ? 0 : Number(m[mi]), se === undefined ? 0 : Number(m[se])];
    if (hh > 23 || mm > 59 || ss > 59) return NOT_REAL_TIME;
    return canonical ? s : `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)} ${pad(hh)}:${pad(mm)}:${pad(ss)}`;
  };
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad = (n: number) => String(n).padStart(2, '0');
