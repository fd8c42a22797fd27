import type { Policy } from '../policy/types.js';

/**
 * Policy "Phase 1: Schedule deployment window — outside business hours if possible".
 * Returns the warnings for a window; business hours are read in the window's time zone.
 */
export function businessHoursWarnings(
  policy: Policy,
  start: string,
  end: string,
  timezone: string,
): string[] {
  const { days, start: open, end: close } = policy.procedures.businessHours;
  const warnings: string[] = [];
  const step = 15 * 60_000;
  for (let t = Date.parse(start); t < Date.parse(end); t += step) {
    const { weekday, hhmm } = localParts(new Date(t), timezone);
    if (days.includes(weekday) && hhmm >= open && hhmm < close) {
      warnings.push(
        `the window ${start} - ${end} falls inside business hours (${open}-${close} ${timezone}); the policy asks for outside business hours if possible`,
      );
      break;
    }
  }
  return warnings;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function localParts(date: Date, timezone: string): { weekday: number; hhmm: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: weekdays.indexOf(get('weekday')), hhmm: `${get('hour')}:${get('minute')}` };
}
