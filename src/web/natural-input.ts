import { inputError } from '../core/errors.js';

/**
 * Dates, times and durations as people type them. A date-time without an offset is read in the deployment
 * window's timezone (the client's clock): "06/12/2026 20:00" (day/month/year), "2026-12-06 20:00", "6.12.2026 8:00";
 * a full ISO time with an offset is taken as it is.
 */
const patterns: { re: RegExp; order: 'dmy' | 'ymd' }[] = [
  { re: /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T,]+(\d{1,2})[:h.](\d{2})(?::(\d{2}))?)?$/, order: 'dmy' },
  { re: /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/, order: 'ymd' },
];

/** Minutes east of UTC that a timezone is at an instant. */
function offsetMinutes(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
}

export function parseWhen(text: string, timeZone: string, where: string): string {
  const t = text.trim();
  const fix = `type it as 06/12/2026 20:00 (day/month/year, 24-hour clock, ${timeZone}) or 2026-12-06 20:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  for (const { re, order } of patterns) {
    const m = re.exec(t);
    if (!m) continue;
    const [a, b, c, hh, mm, ss] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
    const [y, mo, d] = order === 'dmy' ? [c!, b!, a!] : [a!, b!, c!];
    const [h, mi, s] = [hh ?? 0, mm ?? 0, ss ?? 0];
    const guess = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(guess);
    if (mo < 1 || mo > 12 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
      throw inputError(`"${t}" is not a real date and time`, { where, fix });
    const first = guess - offsetMinutes(timeZone, guess) * 60_000;
    return new Date(guess - offsetMinutes(timeZone, first) * 60_000).toISOString();
  }
  throw inputError(`"${t}" is not a date and time`, { where, fix });
}

/** "90 s", "2 min", "1 h 30", "1h30m", "01:30:00", or a bare number of minutes -> seconds. */
export function parseDuration(text: string, where: string): number {
  const t = text.trim().toLowerCase();
  const fix = 'type it as 90 s, 5 min, 1 h 30 or 01:30:00 (a bare number is minutes)';
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 60);
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (clock) {
    const [h, m, s] = [Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0)];
    return clock[3] === undefined ? h * 60 + m : h * 3600 + m * 60 + s; // 1:30 is 1 min 30 s, 01:30:00 1 h 30
  }
  const unit = /(\d+(?:\.\d+)?)\s*(hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)?/g;
  let total = 0;
  let rest = t;
  let previous = '';
  for (const m of t.matchAll(unit)) {
    const n = Number(m[1]);
    const u = m[2] ?? (previous === 'h' ? 'm' : previous === 'm' ? 's' : '');
    if (!u) throw inputError(`"${text.trim()}" has a number without a unit`, { where, fix });
    const kind = u[0] as 'h' | 'm' | 's';
    total += n * (kind === 'h' ? 3600 : kind === 'm' ? 60 : 1);
    previous = kind;
    rest = rest.replace(m[0], '');
  }
  if (rest.replace(/\s+|,|\band\b/g, '') !== '' || previous === '')
    throw inputError(`"${text.trim()}" is not a duration`, { where, fix });
  return Math.round(total);
}
