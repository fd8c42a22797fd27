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
    expect(store.outbox().every((m) => m.status === 'queued' && m.attempts === 1)).toBe(true);

    const trusted = smtpTransport({ ...smtp, ca: cert.caPath }, secrets.get('moko/smtp'));
    const later = () => new Date('2026-12-04T09:10:00Z');
    const sent = await deliverOutbox({ store, settings, smtp: trusted, home: dir, now: later });
    expect(sent.every((r) => r.ok)).toBe(true);
    expect(sink.received.map((r) => r.rcptTo[0]).sort()).toEqual(['carla@moko.test', 'dave@moko.test', 'jane@acme.test', 'quinn@moko.test', 'tina@moko.test']);
    expect(sink.logins.every((l) => l === 'mokomail')).toBe(true);
    expect(sink.logins.length).toBeGreaterThan(0);
    expect(JSON.stringify(store.outbox())).not.toContain(pass);
    await store.close();
  });

  it('a login without its secret is refused before anything is sent', () => {
    expect(() => smtpTransport({ host: 'localhost', port: 465, tls: 'implicit', user: 'mokomail' }, undefined)).toThrow(
      'the SMTP relay has a user but no password secret',
    );
  });
});
