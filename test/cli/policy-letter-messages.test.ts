import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startHookSink, startMailSink, type Received } from '../helpers/notify/mail-sink.js';
import { notifyTeamYaml, readyRecord, seededWorkspace } from '../helpers/notify/seed.js';
import { allVerificationResults, policy } from '../helpers/records.js';

/**
 * Issue 16 "Communication", done when: a walk of production deployments through the CLI sends, to a loopback
 * SMTP server, every message the policy implies, and the test reads them. Deployment A is rolled back (the two
 * "Notify stakeholders" of "Rollback Procedures"); deployment B goes live and through the first week of
 * hypercare. A check-in summary carrying a header (CR LF Bcc:) adds no header and no recipient.
 */
const A = 'acme-2026-12';
const B = 'acme-2026-12-crm';
const team = ['tina@moko.test', 'dave@moko.test', 'carla@moko.test', 'quinn@moko.test'];
const jane = 'jane@acme.test';
const kim = 'kim@acme.test';
const ivan = 'ivan@acme.test';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

describe('every message the policy implies, through the CLI to a loopback SMTP server', () => {
  it('window, exception, start, finish, sign-off request, rollback decided and completed, go-live, check-ins, handoff', async () => {
    const sink = await startMailSink();
    const hook = await startHookSink();
    stops.push(sink.stop, hook.stop);
    const prepared = new Date('2026-12-04T08:00:00Z');
    const ws = await seededWorkspace([readyRecord(prepared), readyRecord(prepared, { id: B })], notifyTeamYaml(sink.port, hook.url), prepared.toISOString());
    let clock = '';
    const ok = (at: string, args: string[]) => {
      clock = at;
      const r = ws.run(args, { MOKODEPLOY_CLOCK: clock });
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    };
    writeFileSync(join(ws.dir, 'results.yaml'), stringify(allVerificationResults()));
    writeFileSync(join(ws.dir, 'handoff.pdf'), '%PDF-1.4\n% the handoff pack of B\n');

    for (const id of [A, B]) ok('2026-12-04T09:00:00Z', ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client']);
    ok('2026-12-04T10:00:00Z', ['window-exception', A, '--as', 'dave', '--reason', "the client's IT needs the evening", '--start', '2026-12-05T19:00:00Z', '--end', '2026-12-05T23:30:00Z']);
    for (const id of [A, B])
      ok('2026-12-05T21:00:00Z', ['run-record', id, '--as', 'tina', '--started', '2026-12-05T20:05:00Z', '--finished', '2026-12-05T20:45:00Z', '--evidence', 'console log']);
    for (const id of [A, B]) ok('2026-12-05T21:10:00Z', ['verification-record', id, join(ws.dir, 'results.yaml'), '--as', 'quinn']);
    for (const id of [A, B]) ok('2026-12-05T21:20:00Z', ['signoff', id, 'technical', '--as', 'tina']);
    ok('2026-12-05T21:30:00Z', ['rollback-decide', A, '--as', 'dave', '--trigger', 'performance', '--reason', 'exports time out after the upgrade']);
    ok('2026-12-05T22:30:00Z', ['rollback-record', A, '--as', 'dave', '--trigger', 'performance', '--reason', 'exports time out after the upgrade']);

    ok('2026-12-05T22:40:00Z', ['signoff', B, 'go-live', '--as', 'dave']);
    ok('2026-12-05T22:45:00Z', ['handoff-deliver', B, '--as', 'carla', '--file', join(ws.dir, 'handoff.pdf')]);
    ok('2026-12-06T12:00:00Z', ['training', 'plan', B, 'admin', '--as', 'carla', '--at', '2026-12-06T09:00:00Z']);
    ok('2026-12-06T12:00:00Z', ['training', 'held', B, '1', '--as', 'carla', '--at', '2026-12-06T09:00:00Z', '--hours', '3', '--attendees', 'Jane,Joe']);
    ok('2026-12-06T12:00:00Z', ['training', 'plan', B, 'user', '--as', 'carla', '--at', '2026-12-06T10:00:00Z']);
    ok('2026-12-06T12:00:00Z', ['training', 'held', B, '2', '--as', 'carla', '--at', '2026-12-06T10:00:00Z', '--hours', '1.5', '--attendees', 'Joe']);
    const confirm = policy.signoffs.kinds.find((k) => k.id === 'client')!.items!.flatMap((i) => ['--confirm', i.id]);
    ok('2026-12-06T12:10:00Z', ['signoff', B, 'client', '--as', 'carla', '--signatory', 'Jane Client, CEO', ...confirm]);
    ok('2026-12-06T12:20:00Z', ['golive', B, '--as', 'dave']);
    for (let d = 1; d <= 7; d++) {
      const summary = d === 1 ? 'all good\r\nBcc: evil@attacker.test' : `day ${d}: all good`;
      ok(new Date(Date.UTC(2026, 11, 6 + d, 12)).toISOString(), ['support', 'checkin', B, '--as', 'carla', '--summary', summary]);
    }

    const queued = JSON.parse(ws.run(['--json', 'outbox']).stdout) as { status: string }[];
    expect(queued.every((m) => m.status === 'queued')).toBe(true);
    const sent = await ws.runAsync(['outbox', 'send'], { MOKODEPLOY_CLOCK: '2026-12-14T09:00:00Z' });
    expect(sent.code, sent.stderr).toBe(0);

    const got = (id: string, event: string) =>
      sink.received.filter((r) => header(r, 'x-mokodeploy-deployment') === id && header(r, 'x-mokodeploy-event') === event);
    const to = (id: string, event: string) => got(id, event).flatMap((r) => r.rcptTo).sort();
    const everyone = [jane, kim, ivan, ...team].sort();
    const expected: [string, string, string[]][] = [
      [A, 'window-scheduled', [jane, ...team]],
      [B, 'window-scheduled', [jane, ...team]],
      [A, 'window-exception', [jane, ivan, ...team]],
      [A, 'deployment-started', [jane, ivan, ...team]],
      [B, 'deployment-started', [jane, ivan, ...team]],
      [A, 'deployment-finished', [jane, ivan, ...team]],
      [B, 'deployment-finished', [jane, ivan, ...team]],
      [A, 'signoff-requested', [jane]],
      [B, 'signoff-requested', [jane]],
      [A, 'rollback-decided', everyone],
      [A, 'rollback-completed', everyone],
      [B, 'handoff-delivered', [jane, kim, ivan]],
      [B, 'go-live', everyone],
    ];
    for (const [id, event, who] of expected) expect(to(id, event), `${id} ${event}`).toEqual([...who].sort());
    expect(to(B, 'hypercare-checkin')).toEqual(Array.from({ length: 7 }, () => [jane, kim]).flat().sort());
    const total = expected.reduce((n, [, , who]) => n + who.length, 0) + 14;
    expect(sink.received).toHaveLength(total);
    expect(hook.posts).toHaveLength(expected.length + 7); // one chat post per event

    // what each says
    const one = (id: string, event: string, address: string) => got(id, event).find((r) => r.rcptTo.includes(address))!;
    const finished = one(A, 'deployment-finished', jane);
    expect(finished.mail.subject).toBe('ACME SARL: deployment acme-2026-12 finished (deployed)');
    expect(finished.mail.text).toMatch(/Verification:\npassed: \d+ pass, 0 warn, 0 fail/);
    const decided = one(A, 'rollback-decided', kim);
    expect(decided.mail.text).toContain('Trigger: performance\nReason: exports time out after the upgrade');
    expect(one(A, 'rollback-completed', ivan).mail.subject).toBe('ACME SARL: rollback of acme-2026-12 completed');
    expect(decided.mail.messageId! < one(A, 'rollback-completed', kim).mail.messageId!).toBe(true);
    const exception = one(A, 'window-exception', ivan);
    expect(exception.mail.text).toContain("Reason: the client's IT needs the evening");
    // the calendar entry moves to the new window: same UID, a higher SEQUENCE, in the client's zone
    expect(exception.raw).toContain('UID:acme-2026-12.window@mokodeploy');
    expect(exception.raw).toContain('SEQUENCE:1');
    expect(exception.raw).toContain('DTSTART;TZID=Europe/Paris:20261205T200000');
    expect(exception.raw).toContain('DTEND;TZID=Europe/Paris:20261206T003000');
    expect(one(B, 'signoff-requested', jane).mail.text).toContain('- Functionality approved');
    const handoff = one(B, 'handoff-delivered', kim);
    expect(handoff.mail.attachments.map((x) => [x.filename, x.contentType, x.content.toString()])).toEqual([
      ['handoff.pdf', 'application/pdf', '%PDF-1.4\n% the handoff pack of B\n'],
    ]);
    expect(one(B, 'go-live', kim).mail.subject).toBe('ACME SARL: https://crm.acme.test is live');

    // the hostile check-in summary: one subject line, no Bcc header, nobody else received it
    const hostile = got(B, 'hypercare-checkin').find((r) => /day 1 of/.test(r.mail.subject ?? ''))!;
    expect(hostile.mail.subject).toBe('ACME SARL: hypercare day 1 of 7: all good Bcc: evil@attacker.test');
    expect(headerBlock(hostile.raw)).not.toMatch(/^bcc:/im);
    expect(sink.received.flatMap((r) => r.rcptTo)).not.toContain('evil@attacker.test');
    expect(hostile.mail.html).toContain('all good<br>');

    const after = JSON.parse(ws.run(['--json', 'outbox', '--deployment', B]).stdout) as { status: string; deploymentId: string }[];
    expect(after.every((m) => m.status === 'sent' && m.deploymentId === B)).toBe(true);
    // the decision entry and the sends leave the signed trail intact
    const verified = ws.run(['audit', 'verify']);
    expect(verified.stdout + verified.stderr).toMatch(/audit trail intact/);
  }, 360_000); // some 35 runs of the CLI: minutes on a loaded 2-core machine
});

function header(r: Received, name: string): string | undefined {
  const v = r.mail.headers.get(name);
  return typeof v === 'string' ? v : undefined;
}

function headerBlock(raw: string): string {
  return raw.split(/\r?\n\r?\n/)[0]!;
}
