import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { createNotifier } from '../../src/notify/compose.js';
import { retryDelayMs } from '../../src/store/outbox-rows.js';
import type { Notifier } from '../../src/notify/message.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import type { Store } from '../../src/store/store.js';
import { readyRecord } from '../helpers/notify/seed.js';
import { act, policy } from '../helpers/records.js';
import { storeBackends, type StoreBackend } from '../helpers/store-backends.js';

/** The outbox part of the store contract (issue 16 part C, issue 20): run on SQLite and on PostgreSQL. */
const { backends, start, stop } = storeBackends();
beforeAll(start, 120_000);
afterAll(stop);

const at = new Date('2026-12-04T09:00:00Z');

async function storeWith(backend: StoreBackend, notify: Notifier, signed = false) {
  const where = await backend.fresh();
  const signer = signed
    ? readOrCreateAuditSigner(join(mkdtempSync(join(tmpdir(), 'moko-outbox-key-')), 'audit.pem'))
    : undefined;
  const store = await backend.open(where, { notify, ...(signer ? { signer } : {}) });
  const ready = readyRecord(new Date('2026-12-04T08:00:00Z'));
  await store.create({
    record: ready,
    audit: {
      at: '2026-12-04T08:00:00Z',
      actor: 'tina',
      role: 'technical-lead',
      action: 'seed',
      deploymentId: ready.id,
      summary: 'seed',
      before: null,
      after: null,
    },
  });
  return { store, ready, where };
}

const schedule = (store: Store, id: string) =>
  store.mutate(id, (r: DeploymentRecord) => ({
    record: act(r, 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave', at),
    audit: {
      at: at.toISOString(),
      actor: 'dave',
      role: 'deployment-manager',
      action: 'schedule',
      deploymentId: id,
      summary: 's',
      before: null,
      after: null,
    },
  }));

/** An entry that tells every stakeholder (a rollback decided): several messages at once. */
const rollbackDecided = (store: Store, id: string) =>
  store.appendAudit({
    at: at.toISOString(),
    actor: 'dave',
    role: 'deployment-manager',
    action: 'rollback-decided',
    deploymentId: id,
    summary: 'r',
    before: null,
    after: null,
  });

describe.each(backends)('store contract: the outbox ($name)', (backend) => {
  it("writes the messages in the entry's transaction: a notifier that throws leaves neither entry nor message", async () => {
    let broken = true;
    const inner = createNotifier({ team: () => undefined, policy: () => policy });
    const { store, ready } = await storeWith(backend, (c) => {
      if (broken && c.entry.action === 'schedule') throw new Error('template broken');
      return inner(c);
    });
    const entries = (await store.auditEntries()).length;
    await expect(schedule(store, ready.id)).rejects.toThrow('template broken');
    expect((await store.auditEntries()).length).toBe(entries);
    expect(await store.outbox()).toEqual([]);
    expect((await store.get(ready.id))!.record.state).toBe('ready');
    broken = false;
    await schedule(store, ready.id);
    const seq = (await store.auditEntries()).at(-1)!.seq;
    expect((await store.outbox()).map((m) => [m.recipient, m.auditSeq, m.status])).toEqual([
      ['jane@acme.test', seq, 'queued'],
    ]);
    expect(await store.outbox({ deploymentId: 'other' })).toEqual([]);
    await store.close();
  });

  it('two senders never claim the same message; failures back off, a permanent one fails', async () => {
    const { store, ready, where } = await storeWith(
      backend,
      createNotifier({ team: () => undefined, policy: () => policy }),
    );
    await schedule(store, ready.id);
    const other = await backend.open(where);
    const now = '2026-12-04T09:01:00Z';
    const first = await store.claimOutbox({ claimer: 'a', now, limit: 10 });
    expect(first).toHaveLength(1);
    expect(await other.claimOutbox({ claimer: 'b', now, limit: 10 })).toEqual([]);
    // a claim is taken back only when it is older than the sender asks for (the first sender may have sent it)
    expect(
      await other.claimOutbox({ claimer: 'b', now, limit: 10, staleBefore: '2026-12-04T09:01:00Z' }),
    ).toEqual([]);
    const stale = await other.claimOutbox({
      claimer: 'b',
      now: '2026-12-04T10:00:00Z',
      limit: 10,
      staleBefore: '2026-12-04T09:30:00Z',
    });
    expect(stale.map((m) => m.claimedBy)).toEqual(['b']);
    expect(await store.claimOutbox({ claimer: 'a', now, limit: 10, staleBefore: now })).toEqual([]);
    await store.settleOutbox(first[0]!.id, {
      claimer: 'a',
      now,
      delivery: { ok: true, reply: '250 late' },
      maxAttempts: 3,
    });
    expect((await store.outbox())[0]!.status).toBe('sending'); // the claim is b's now: a's late answer is not recorded
    await other.settleOutbox(first[0]!.id, {
      claimer: 'b',
      now,
      delivery: { ok: false, reply: 'down', permanent: false },
      maxAttempts: 3,
    });
    expect(await store.claimOutbox({ claimer: 'a', now: '2026-12-04T09:01:00Z', limit: 10 })).toEqual([]); // back-off
    const retried = await store.claimOutbox({ claimer: 'a', now: '2026-12-04T10:02:00Z', limit: 10 });
    expect(retried).toHaveLength(1);
    await store.settleOutbox(retried[0]!.id, {
      claimer: 'a',
      now: '2026-12-04T10:02:00Z',
      delivery: { ok: false, reply: '421 try later', permanent: false },
      maxAttempts: 3,
    });
    expect((await store.outbox())[0]).toMatchObject({
      status: 'queued',
      attempts: 2,
      reply: '421 try later',
      nextAttemptAt: '2026-12-04T10:04:00.000Z',
    });
    expect(await store.claimOutbox({ claimer: 'a', now: '2026-12-04T10:03:59Z', limit: 10 })).toEqual([]);
    const again = await store.claimOutbox({ claimer: 'a', now: '2026-12-04T10:04:00Z', limit: 10 });
    await store.settleOutbox(again[0]!.id, {
      claimer: 'a',
      now,
      delivery: { ok: false, reply: '550 no such user', permanent: true },
      maxAttempts: 5,
    });
    expect((await store.outbox())[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      reply: '550 no such user',
    });
    expect([1, 2, 3, 9, 30].map(retryDelayMs)).toEqual([
      60_000,
      120_000,
      240_000,
      256 * 60_000,
      6 * 3_600_000,
    ]);
    await other.close();
    await store.close();
  });

  it('many senders at once: every message claimed exactly once', async () => {
    const { store, ready, where } = await storeWith(
      backend,
      createNotifier({ team: () => undefined, policy: () => policy }),
    );
    await schedule(store, ready.id);
    for (let i = 0; i < 5; i++) await rollbackDecided(store, ready.id);
    const total = (await store.outbox()).length;
    expect(total).toBeGreaterThan(8);
    const senders = await Promise.all([1, 2, 3, 4].map(() => backend.open(where)));
    const claims = await Promise.all(
      senders.map((s, i) => s.claimOutbox({ claimer: `s${i}`, now: '2026-12-04T09:05:00Z', limit: 2 })),
    );
    const ids = claims.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(Math.min(total, 8));
    for (const s of senders) await s.close();
    await store.close();
  });

  it('a store that signs mails only the messages it signed: a row changed or inserted behind its back fails', async () => {
    const { store, ready, where } = await storeWith(
      backend,
      createNotifier({ team: () => undefined, policy: () => policy }),
      true,
    );
    await schedule(store, ready.id);
    await rollbackDecided(store, ready.id);
    const queued = await store.outbox();
    expect(queued.length).toBeGreaterThan(2);
    const [changed, copied] = [queued[0]!, queued[1]!];
    // a tamperer redirects one message, and inserts a copy of another (unsigned) to their own address
    await backend.sql(where, 'UPDATE outbox SET recipient = ? WHERE id = ?', ['mallory@evil.test', changed.id]);
    await backend.sql(
      where,
      `INSERT INTO outbox (deployment_id, audit_seq, event, template, channel, recipient, subject, body_text,
         attachments, status, attempts, next_attempt_at, created_at)
       SELECT deployment_id, audit_seq, event, template, channel, ?, subject, body_text, attachments, status,
         attempts, next_attempt_at, created_at FROM outbox WHERE id = ?`,
      ['mallory@evil.test', copied.id],
    );
    const claimed = await store.claimOutbox({ claimer: 'a', now: '2026-12-04T09:05:00Z', limit: 50 });
    expect(claimed.map((m) => m.recipient)).not.toContain('mallory@evil.test');
    expect(claimed.map((m) => m.id).sort((x, y) => x - y)).toEqual(
      queued.filter((m) => m.id !== changed.id).map((m) => m.id),
    );
    const after = await store.outbox();
    const byId = new Map(after.map((m) => [m.id, m]));
    expect(byId.get(changed.id)).toMatchObject({ status: 'failed' });
    expect(byId.get(changed.id)!.reply).toContain("does not match this store's signature");
    const inserted = after.find((m) => !queued.some((q) => q.id === m.id))!;
    expect(inserted).toMatchObject({ recipient: 'mallory@evil.test', status: 'failed' });
    expect(inserted.reply).toContain('carries no signature');
    await store.close();
  });

  it('a byte-identical copy of a signed message under a new row id is never mailed twice (refused at insert, and at claim without the index)', async () => {
    const { store, ready, where } = await storeWith(
      backend,
      createNotifier({ team: () => undefined, policy: () => policy }),
      true,
    );
    await schedule(store, ready.id);
    await rollbackDecided(store, ready.id);
    const queued = await store.outbox();
    expect(queued.length).toBeGreaterThan(2);
    const [original, idless] = [queued[0]!, queued[1]!];
    // every column but the row id, as stored: the copy carries the original's signature (whatever columns exist)
    const copy = async () => {
      const [row] = await backend.sql(where, 'SELECT * FROM outbox WHERE id = ?', [original.id]);
      const columns = Object.keys(row!).filter((c) => c !== 'id');
      await backend.sql(
        where,
        `INSERT INTO outbox (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        columns.map((c) => row![c]),
      );
    };
    await expect(copy()).rejects.toThrow(/unique|UNIQUE|duplicate/);
    // a tamperer who can drop the index: the claim still sends the message once
    await backend.sql(where, 'DROP INDEX outbox_message_id');
    await copy();
    // a signed row whose message id is taken away (as rows queued before the id existed) is not mailed either
    await backend.sql(where, 'UPDATE outbox SET message_id = NULL WHERE id = ?', [idless.id]);
    const claimed = await store.claimOutbox({ claimer: 'a', now: '2026-12-04T09:05:00Z', limit: 50 });
    const same = claimed.filter((m) => m.recipient === original.recipient && m.subject === original.subject && m.text === original.text);
    expect(same.map((m) => m.id)).toEqual([original.id]);
    const after = await store.outbox();
    const copied = after.find((m) => !queued.some((q) => q.id === m.id))!;
    expect(copied).toMatchObject({ recipient: original.recipient, status: 'failed' });
    expect(copied.reply).toContain(`is already message ${original.id}'s`);
    const noId = after.find((m) => m.id === idless.id)!;
    expect(noId).toMatchObject({ status: 'failed' });
    expect(noId.reply).toContain('carries no message id');
    // sent, the original's id still holds: a copy made afterwards is refused at its claim too
    await store.settleOutbox(original.id, { claimer: 'a', now: '2026-12-04T09:05:01Z', delivery: { ok: true, reply: '250 ok' }, maxAttempts: 8 });
    await copy();
    const again = await store.claimOutbox({ claimer: 'b', now: '2026-12-04T09:06:00Z', limit: 50 });
    expect(again.map((m) => m.id)).toEqual([]);
    await store.close();
  });
});
