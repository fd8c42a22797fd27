/**
 * A VTIMEZONE for an IANA zone, from the platform's own tz data (Intl): one observance per offset change in the
 * years around the event, so a calendar places the window right across a daylight-saving change.
 */
export function offsetMinutes(timezone: string, t: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(t / 1000) * 1000) / 60_000);
}

const hour = 3_600_000;

/** Offset changes between from and to: [utc instant, offset before, offset after]. */
function transitions(timezone: string, from: number, to: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  let prev = offsetMinutes(timezone, from);
  for (let t = from + hour; t <= to; t += hour) {
    const now = offsetMinutes(timezone, t);
    if (now === prev) continue;
    let at = t - hour;
    while (offsetMinutes(timezone, at) === prev) at += 60_000;
    out.push([at, prev, now]);
    prev = now;
  }
  return out;
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
const offsetText = (m: number) => `${m < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(m) / 60))}${pad(Math.abs(m) % 60)}`;
const localStamp = (utc: number, offset: number) =>
  new Date(utc + offset * 60_000).toISOString().replace(/[-:]/g, '').slice(0, 15);

export function vtimezone(timezone: string, around: number): string {
  const year = 366 * 24 * hour;
  const from = around - year;
  const changes = transitions(timezone, from, around + year);
  const initial = offsetMinutes(timezone, from);
  const standard = Math.min(initial, ...changes.map((c) => c[2]));
  const observance = (start: string, fromOff: number, toOff: number) => {
    const kind = toOff > standard ? 'DAYLIGHT' : 'STANDARD';
    return [
      `BEGIN:${kind}`,
      `DTSTART:${start}`,
      `TZOFFSETFROM:${offsetText(fromOff)}`,
      `TZOFFSETTO:${offsetText(toOff)}`,
      `END:${kind}`,
    ];
  };
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${timezone}`,
    ...observance('19700101T000000', initial, initial),
    ...changes.flatMap(([at, before, after]) => observance(localStamp(at, before), before, after)),
    'END:VTIMEZONE',
  ].join('\r\n');
}
