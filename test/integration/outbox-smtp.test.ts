import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { SecretStore } from '../../src/store/secrets.js';
import { Secret } from '../../src/core/secret.js';
import { teamSchema, type Team } from '../../src/core/team.js';
import { createNotifier } from '../../src/notify/compose.js';
import { deliverOutbox } from '../../src/notify/deliver.js';
import { smtpTransport } from '../../src/notify/transport.js';
import { makeCertificate } from '../helpers/services/certificate.js';
import { startMailSink } from '../helpers/notify/mail-sink.js';
import { readyRecord } from '../helpers/notify/seed.js';
import { act, people, policy } from '../helpers/records.js';

/** Issue 16: the relay over implicit TLS with a login, the password from the encrypted secret store. */
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

const at = new Date('2026-12-04T09:00:00Z');

async function scheduledStore(team: Team) {
  const dir = mkdtempSync(join(tmpdir(), 'moko-outbox-'));
  const store = new SqliteStore(join(dir, 'store.sqlite'), { notify: createNotifier({ team: () => team, policy: () => policy }) });
  const ready = readyRecord(new Date('2026-12-04T08:00:00Z'));
  await store.create({ record: ready, audit: { at: '2026-12-04T08:00:00Z', actor: 'tina', role: 'technical-lead', action: 'seed', deploymentId: ready.id, summary: 'seed', before: null, after: null } });
  await store.mutate(ready.id, (r) => {
    const record = act(r, 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave', at);
    return { record, audit: { at: at.toISOString(), actor: 'dave', role: 'deployment-manager', action: 'schedule', deploymentId: r.id, summary: 'scheduled', before: null, after: null } };
  });
  return { dir, store };
}

describe('outbox delivery over TLS with a login', () => {
  it('delivers with the secret password over implicit TLS; an untrusted certificate leaves it queued', async () => {
    const cert = makeCertificate({ cn: 'localhost' });
    const pass = 'S3cret-relay-pass';
    const sink = await startMailSink({ tls: { key: cert.keyPath, cert: cert.fullchainPath }, auth: { user: 'mokomail', pass } });
    stops.push(sink.stop);
    const smtp = { host: 'localhost', port: sink.port, tls: 'implicit' as const, user: 'mokomail', password: { secret: 'moko/smtp' } };
    const team = teamSchema.parse({
      people: Object.values(people).map((p) => ({ login: p.login, name: p.name, email: `${p.login}@moko.test`, roles: p.roles })),
      notify: { from: 'deploy@moko.test', smtp },
    });
    const { dir, store } = await scheduledStore(team);
    const secrets = new SecretStore(dir, join(dir, 'secret.key'));
    secrets.set('moko/smtp', new Secret(pass));
    const now = () => new Date('2026-12-04T09:05:00Z');
    const settings = team.notify!;

    // the system CAs do not know the test CA: refused by certificate, nothing sent, still queued
    const untrusted = await deliverOutbox({ store, settings, smtp: smtpTransport(smtp, secrets.get('moko/smtp')), home: dir, now });
    expect(untrusted.length).toBeGreaterThan(0);
    expect(untrusted.every((r) => !r.ok && /certificate/i.test(r.reply))).toBe(true);
    expect(sink.received).toHaveLength(0);
    expect((await store.outbox()).every((m) => m.status === 'queued' && m.attempts === 1)).toBe(true);

    const trusted = smtpTransport({ ...smtp, ca: cert.caPath }, secrets.get('moko/smtp'));
    const later = () => new Date('2026-12-04T09:10:00Z');
    const sent = await deliverOutbox({ store, settings, smtp: trusted, home: dir, now: later });
    expect(sent.every((r) => r.ok)).toBe(true);
    expect(sink.received.map((r) => r.rcptTo[0]).sort()).toEqual(['carla@moko.test', 'dave@moko.test', 'jane@acme.test', 'quinn@moko.test', 'tina@moko.test']);
    expect(sink.logins.every((l) => l === 'mokomail')).toBe(true);
    expect(sink.logins.length).toBeGreaterThan(0);
    expect(JSON.stringify(await store.outbox())).not.toContain(pass);
    await store.close();
  });

  it('delivers over a required STARTTLS upgrade; a relay without STARTTLS gets nothing', async () => {
    const cert = makeCertificate({ cn: 'localhost' });
    const pass = 'An0ther-relay-pass';
    const starttls = await startMailSink({ tls: { key: cert.keyPath, cert: cert.fullchainPath }, starttls: true, auth: { user: 'mokomail', pass } });
    const plain = await startMailSink();
    stops.push(starttls.stop, plain.stop);
    const team = (port: number) =>
      teamSchema.parse({
        people: Object.values(people).map((p) => ({ login: p.login, name: p.name, roles: p.roles })),
        notify: { from: 'deploy@moko.test', smtp: { host: 'localhost', port, tls: 'starttls', user: 'mokomail', password: { secret: 'moko/smtp' }, ca: cert.caPath } },
      });
    for (const [sink, ok] of [[starttls, true], [plain, false]] as const) {
      const t = team(sink.port);
      const { dir, store } = await scheduledStore(t);
      const secrets = new SecretStore(dir, join(dir, 'secret.key'));
      secrets.set('moko/smtp', new Secret(pass));
      const results = await deliverOutbox({ store, settings: t.notify!, smtp: smtpTransport(t.notify!.smtp!, secrets.get('moko/smtp')), home: dir, now: () => new Date('2026-12-04T09:05:00Z') });
      expect(results.map((r) => r.ok)).toEqual([ok]); // the approver only: the team has no e-mails here
      if (!ok) expect(results[0]!.reply).toMatch(/STARTTLS|command not recognized/i); // nodemailer insists on the upgrade
      expect(sink.received).toHaveLength(ok ? 1 : 0);
      await store.close();
    }
  });

  it('a login over an unencrypted connection is refused in the team file, except to a relay on this machine', () => {
    const notify = (host: string) => ({ from: 'd@moko.test', smtp: { host, tls: 'none', user: 'u', password: { secret: 'x' } } });
    const parse = (host: string) => teamSchema.safeParse({ people: [{ login: 'dave', name: 'Dave', roles: ['deployment-manager'] }], notify: notify(host) });
    const refused = parse('smtp.example.com');
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({ path: ['notify', 'smtp', 'tls'], message: expect.stringContaining('a login over an unencrypted connection') });
    expect(parse('127.0.0.1').success).toBe(true);
  });

  it('a login without its secret is refused before anything is sent', () => {
    expect(() => smtpTransport({ host: 'localhost', port: 465, tls: 'implicit', user: 'mokomail' }, undefined)).toThrow(
      'the SMTP relay has a user but no password secret',
    );
  });
});
