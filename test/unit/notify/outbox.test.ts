import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { loadTemplates, renderHtml, renderText } from '../../../src/notify/template-files.js';
import { windowInvitation } from '../../../src/notify/ics.js';
import { readyRecord } from '../../helpers/notify/seed.js';

const at = new Date('2026-12-04T09:00:00Z');

// The outbox in the store (transaction, claims, back-off) runs on both stores: test/integration/store-contract-outbox.test.ts.

describe('templates', () => {
  it("a consultancy's own file replaces the shipped one; an unknown name is refused at file:line:column", () => {
    const dir = mkdtempSync(join(tmpdir(), 'moko-templates-'));
    writeFileSync(join(dir, 'go-live.txt'), 'Subject: Live: {{siteUrl}}\n\nBonjour {{recipientName}}\n');
    const t = loadTemplates(dir);
    expect(t.get('go-live')!.subject).toBe('Live: {{siteUrl}}');
    expect(t.get('go-live')!.files.html).toMatch(/policy\/messages\/go-live\.html$/);
    writeFileSync(join(dir, 'go-live.html'), '<p>\n  {{recipient}}</p>');
    expect(() => loadTemplates(dir)).toThrow(expect.objectContaining({ message: 'unknown name {{recipient}} in a message template', where: `${join(dir, 'go-live.html')}:2:3` }));
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'x', 'go-live.txt'), 'Live\n');
    expect(() => loadTemplates(join(dir, 'x'))).toThrow('a message template must start with its subject line');
  });

  it('escapes values for HTML and keeps them as they are in plain text', () => {
    const v = { reason: '<script>alert(1)</script> & "x"\nline 2' };
    expect(renderHtml('<p>{{reason}}</p>', v)).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;<br>\nline 2</p>');
    expect(renderText('{{ reason }}', v)).toBe(v.reason);
  });
});

describe('the window invitation', () => {
  it('places a window across a daylight-saving change right (Europe/Paris, 29 March 2026)', () => {
    const r = { ...readyRecord(at, { window: { start: '2026-03-29T00:30:00Z', end: '2026-03-29T03:00:00Z', timezone: 'Europe/Paris' } }) };
    r.schedule = { start: '2026-03-29T00:30:00Z', end: '2026-03-29T03:00:00Z', clientApprovedBy: 'Jane', stamp: { by: 'dave', role: 'deployment-manager', at: at.toISOString() }, warnings: [] };
    const ics = windowInvitation(r, { organizer: { name: 'Moko', address: 'd@moko.test' }, attendees: [], sequence: 2, now: at })!.content!;
    const cal = new ICAL.Component(ICAL.parse(ics));
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect([ev.startDate.toString(), ev.endDate.toString()]).toEqual(['2026-03-29T01:30:00', '2026-03-29T05:00:00']);
    expect([ev.startDate.toJSDate().toISOString(), ev.endDate.toJSDate().toISOString()]).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T03:00:00.000Z']);
    expect(ev.sequence).toBe(2);
    expect(ics).toMatch(/DTSTAMP:20261204T090000Z/);
  });
});
