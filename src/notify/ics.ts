import ical, { ICalCalendarMethod, ICalAttendeeRole } from 'ical-generator';
import type { DeploymentRecord } from '../core/record.js';
import type { Recipient } from './recipients.js';
import type { Attachment } from './message.js';
import { offsetMinutes, vtimezone } from './vtimezone.js';

/** The wall-clock time in the zone, without an offset: ical-generator writes it as is after TZID=. */
const wallClock = (iso: string, tz: string) =>
  new Date(Date.parse(iso) + offsetMinutes(tz, Date.parse(iso)) * 60_000).toISOString().slice(0, 19);

/**
 * The invitation for the approved window (policy "Phase 1: Schedule deployment window"), in the client's time
 * zone (the plan's window.timezone), one UID per deployment so a re-schedule updates the same calendar entry.
 */
export function windowInvitation(
  record: DeploymentRecord,
  opts: { organizer: Recipient; attendees: Recipient[]; sequence: number; now: Date },
): Attachment | undefined {
  const w = record.schedule;
  if (!w) return undefined;
  const timezone = record.plan.window?.timezone ?? 'UTC';
  const cal = ical({ prodId: { company: 'mokodeploy', product: 'mokodeploy' }, method: ICalCalendarMethod.REQUEST });
  cal.createEvent({
    id: `${record.id}.window@mokodeploy`,
    sequence: opts.sequence,
    stamp: opts.now,
    ...(timezone === 'UTC'
      ? { start: new Date(w.start), end: new Date(w.end) }
      : { start: wallClock(w.start, timezone), end: wallClock(w.end, timezone), timezone }),
    summary: `${record.plan.clientName}: Dolibarr deployment window (${record.id})`,
    description: `Deployment ${record.id} (${record.kind}, Dolibarr ${record.plan.dolibarr.version}) on ${record.plan.site.url}. Client approval: ${w.clientApprovedBy}.`,
    location: record.plan.site.url,
    organizer: { name: opts.organizer.name, email: opts.organizer.address },
    attendees: opts.attendees.map((a) => ({ name: a.name, email: a.address, rsvp: true, role: ICalAttendeeRole.REQ })),
  });
  // the zone's definition goes in by hand: ical-generator's own calendar time zone also writes DTSTAMP in the
  // machine's local time, where RFC 5545 wants UTC
  const text = cal.toString();
  const content =
    timezone === 'UTC'
      ? text
      : text.replace('BEGIN:VEVENT', `${vtimezone(timezone, Date.parse(w.start))}\r\nBEGIN:VEVENT`);
  return { filename: 'deployment-window.ics', contentType: 'text/calendar; method=REQUEST; charset=utf-8', content };
}
