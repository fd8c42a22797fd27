import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { freePort } from '../helpers/services/process.js';
import { startHookSink, startMailSink, type HookSink, type MailSink } from '../helpers/notify/mail-sink.js';
import { notifyTeamYaml, readyRecord, seededWorkspace } from '../helpers/notify/seed.js';

/**
 * Issue 16 "Communication": scheduling the window queues the approver's and the team's messages in the same
 * transaction (with the .ics invitation in the client's time zone, and the chat post); a relay that is down
 * leaves them queued; two senders at once deliver each exactly once.
 */
const id = 'acme-2026-12';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

describe('the outbox through the CLI', () => {
  it('queues on schedule, keeps the messages while SMTP is down, then two senders deliver each once', async () => {
    const port = await freePort(); // nothing listens there yet: the relay is down
    const hook: HookSink = await startHookSink();
    stops.push(hook.stop);
    // the consultancy's own HTML for this event (notify.templates, relative to the team file); the text is shipped
    const ws = await seededWorkspace(readyRecord(new Date('2026-12-03T08:00:00Z')), notifyTeamYaml(port, hook.url, '  templates: our-messages\n'), '2026-12-03T08:00:00Z');
    mkdirSync(join(ws.dir, 'our-messages'));
    writeFileSync(join(ws.dir, 'our-messages', 'window-scheduled.html'), '<p class="ours">Dear {{recipientName}}: {{id}} on {{windowStart}}</p>');
    const at = '2026-12-03T09:00:00Z';
    const sched = ws.run(['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'], { MOKODEPLOY_CLOCK: at });
    expect(sched.code, sched.stderr).toBe(0);

    const queued = JSON.parse(ws.run(['--json', 'outbox', '--deployment', id]).stdout) as { recipient: string; status: string; event: string; channel: string; auditSeq: number }[];
    expect(queued.map((m) => m.recipient).sort()).toEqual(
      ['carla@moko.test', 'chat', 'dave@moko.test', 'jane@acme.test', 'quinn@moko.test', 'tina@moko.test'],
    );
    expect(new Set(queued.map((m) => `${m.event} ${m.status}`))).toEqual(new Set(['window-scheduled queued']));
    // in the schedule entry's transaction: the messages carry its sequence number
    const audit = ws.dumpStore();
    const seq = queued[0]!.auditSeq;
    expect(audit).toMatch(new RegExp(`"seq":${seq},"at":"${at.replace('Z', '.000Z')}","actor":"dave","role":"deployment-manager","action":"schedule"`));

    // runAsync: the loopback servers live in this process and must answer while the CLI runs
    const down = await ws.runAsync(['outbox', 'send'], { MOKODEPLOY_CLOCK: '2026-12-03T09:01:00Z' });
    expect(down.code).toBe(6);
    expect(down.stdout).toContain('5 not sent');
    const after = JSON.parse(ws.run(['--json', 'outbox']).stdout) as { status: string; attempts: number; reply?: string; nextAttemptAt: string; channel: string }[];
    const mails = after.filter((m) => m.channel === 'email');
    expect(mails.every((m) => m.status === 'queued' && m.attempts === 1 && /ECONNREFUSED/.test(m.reply ?? ''))).toBe(true);
    expect(mails[0]!.nextAttemptAt).toBe('2026-12-03T09:02:00.000Z'); // back-off: 1 minute after the first try
    expect(hook.posts).toHaveLength(1); // the chat webhook was up: posted once, sent
    expect((await ws.runAsync(['outbox', 'send'], { MOKODEPLOY_CLOCK: '2026-12-03T09:01:30Z' })).stdout).toContain('0 sent, 0 not sent, 5 queued');

    const sink: MailSink = await startMailSink({ port });
    stops.push(sink.stop);
    const later = { MOKODEPLOY_CLOCK: '2026-12-03T09:05:00Z' };
    const [a, b] = await Promise.all([ws.runAsync(['outbox', 'send'], later), ws.runAsync(['outbox', 'send'], later)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(sink.received).toHaveLength(5);
    expect(new Set(sink.received.map((r) => r.mail.messageId)).size).toBe(5);
    expect(sink.received.map((r) => r.rcptTo).flat().sort()).toEqual(['carla@moko.test', 'dave@moko.test', 'jane@acme.test', 'quinn@moko.test', 'tina@moko.test']);
    expect((await ws.runAsync(['outbox', 'send'], later)).stdout).toContain('0 sent, 0 not sent, 0 queued');
    expect(sink.received).toHaveLength(5);
    expect(hook.posts).toHaveLength(1);
    const sent = JSON.parse(ws.run(['--json', 'outbox']).stdout) as { status: string; reply?: string }[];
    expect(sent.every((m) => m.status === 'sent' && /^250/.test(m.reply ?? '') || m.reply === '200 ok')).toBe(true);

    // the approver's invitation: the window in the client's time zone (plan: Europe/Paris, 20:00-23:00Z)
    const jane = sink.received.find((r) => r.rcptTo.includes('jane@acme.test'))!;
    expect(jane.mail.subject).toBe('ACME SARL: deployment window scheduled, Sat 2026-12-05 21:00 (Europe/Paris)');
    expect(jane.mail.text).toContain('Hello Jane Client');
    expect(jane.mail.html).toContain('<p class="ours">Dear Jane Client: acme-2026-12 on Sat 2026-12-05 21:00 (Europe/Paris)</p>');
    const ics = icsOf(jane.raw);
    const cal = new ICAL.Component(ICAL.parse(ics));
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const event = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(cal.getFirstSubcomponent('vevent')!.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Paris');
    expect(event.startDate.zone?.tzid).toBe('Europe/Paris');
    expect(event.startDate.toString()).toBe('2026-12-05T21:00:00');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-05T20:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-05T23:00:00.000Z');
    expect(event.uid).toBe('acme-2026-12.window@mokodeploy');
    expect(event.attendees.map((p) => p.getFirstValue())).toContain('MAILTO:jane@acme.test');

    const post = hook.posts[0]!;
    expect(post.contentType).toBe('application/json');
    expect((post.body as { text: string }).text).toMatch(/^\*ACME SARL: deployment window scheduled/);
  });
});

/** The text/calendar part of a raw message (nodemailer's icalEvent). */
function icsOf(raw: string): string {
  const m = /Content-Type: text\/calendar[^\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n--/i.exec(raw);
  if (!m) throw new Error('no text/calendar part');
  const body = m[1]!;
  return /^[A-Za-z0-9+/=\r\n]+$/.test(body) ? Buffer.from(body, 'base64').toString() : body;
}

