import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { createNotifier } from '../../../src/notify/compose.js';
import { loadTemplates, renderHtml, renderText } from '../../../src/notify/template-files.js';
import { windowInvitation } from '../../../src/notify/ics.js';
import { retryDelayMs } from '../../../src/store/sqlite-outbox.js';
import type { Notifier } from '../../../src/notify/message.js';
import type { DeploymentRecord } from '../../../src/core/record.js';
import { readyRecord } from '../../helpers/notify/seed.js';
import { act, policy } from '../../helpers/records.js';

const at = new Date('2026-12-04T09:00:00Z');

async function storeWith(notify: Notifier) {
  const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'moko-outbox-')), 'store.sqlite'), { notify });
  const ready = readyRecord(new Date('2026-12-04T08:00:00Z'));
  await store.create({ record: ready, audit: { at: '2026-12-04T08:00:00Z', actor: 'tina', role: 'technical-lead', action: 'seed', deploymentId: ready.id, summary: 'seed', before: null, after: null } });
  return { store, ready };
}

const schedule = (store: SqliteStore, id: string, fail?: boolean) =>
  store.mutate(id, (r: DeploymentRecord) => {
    if (fail) throw new Error('refused');
    return {
      record: act(r, 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave', at),
      audit: { at: at.toISOString(), actor: 'dave', role: 'deployment-manager', action: 'schedule', deploymentId: id, summary: 's', before: null, after: null },
    };
  });

describe('the outbox in the store', () => {
  it('writes the messages in the entry\'s transaction: a notifier that throws leaves neither entry nor message', async () => {
    let broken = true;
    const inner = createNotifier({ team: () => undefined, policy: () => policy });
    const { store, ready } = await storeWith((c) => {
      if (broken && c.entry.action === 'schedule') throw new Error('template broken');
      return inner(c);
    });
    const entries = (await store.auditEntries()).length;
    await expect(schedule(store, ready.id)).rejects.toThrow('template broken');
    expect((await store.auditEntries()).length).toBe(entries);
    expect((await store.outbox())).toEqual([]);
    expect((await store.get(ready.id))!.record.state).toBe('ready');
    broken = false;
    await schedule(store, ready.id);
    const seq = (await store.auditEntries()).at(-1)!.seq;
    expect((await store.outbox()).map((m) => [m.recipient, m.auditSeq, m.status])).toEqual([['jane@acme.test', seq, 'queued']]);
  });

  it('two senders never claim the same message; failures back off, a permanent one fails', async () => {
    const { store, ready } = await storeWith(createNotifier({ team: () => undefined, policy: () => policy }));
    await schedule(store, ready.id);
    const other = new SqliteStore(store.location);
    const now = '2026-12-04T09:01:00Z';
    const first = await store.claimOutbox({ claimer: 'a', now, limit: 10 });
    expect(first).toHaveLength(1);
    expect(await other.claimOutbox({ claimer: 'b', now, limit: 10 })).toEqual([]);
    // a claim is taken back only when it is older than the sender asks for (the first sender may have sent it)
    expect(await other.claimOutbox({ claimer: 'b', now, limit: 10, staleBefore: '2026-12-04T09:01:00Z' })).toEqual([]);
    const stale = await other.claimOutbox({ claimer: 'b', now: '2026-12-04T10:00:00Z', limit: 10, staleBefore: '2026-12-04T09:30:00Z' });
    expect(stale.map((m) => m.claimedBy)).toEqual(['b']);
    expect(await store.claimOutbox({ claimer: 'a', now, limit: 10, staleBefore: now })).toEqual([]);
    await store.settleOutbox(first[0]!.id, { claimer: 'a', now, delivery: { ok: true, reply: '250 late' }, maxAttempts: 3 });
    expect((await store.outbox())[0]!.status).toBe('sending'); // the claim is b's now: a's late answer is not recorded
    await other.settleOutbox(first[0]!.id, { claimer: 'b', now, delivery: { ok: false, reply: 'down', permanent: false }, maxAttempts: 3 });
    await store.claimOutbox({ claimer: 'a', now: '2026-12-04T09:01:00Z', limit: 10 }); // not due yet: back-off
    const retried = await store.claimOutbox({ claimer: 'a', now: '2026-12-04T10:02:00Z', limit: 10 });
    expect(retried).toHaveLength(1);
    await store.settleOutbox(retried[0]!.id, { claimer: 'a', now: '2026-12-04T10:02:00Z', delivery: { ok: false, reply: '421 try later', permanent: false }, maxAttempts: 3 });
    expect((await store.outbox())[0]).toMatchObject({ status: 'queued', attempts: 2, reply: '421 try later', nextAttemptAt: '2026-12-04T10:04:00.000Z' });
    expect(await store.claimOutbox({ claimer: 'a', now: '2026-12-04T10:03:59Z', limit: 10 })).toEqual([]);
    const again = await store.claimOutbox({ claimer: 'a', now: '2026-12-04T10:04:00Z', limit: 10 });
    await store.settleOutbox(again[0]!.id, { claimer: 'a', now, delivery: { ok: false, reply: '550 no such user', permanent: true }, maxAttempts: 5 });
    expect((await store.outbox())[0]).toMatchObject({ status: 'failed', attempts: 3, reply: '550 no such user' });
    expect([1, 2, 3, 9, 30].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 256 * 60_000, 6 * 3_600_000]);
    await other.close();
    await store.close();
  });
});

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
