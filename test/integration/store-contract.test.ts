import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { readAnchorFile, writeAnchorForward } from '../../src/audit/anchor.js';
import { verifyRecords } from '../../src/audit/record-binding.js';
import { signedHeadOf, verifyHead } from '../../src/audit/head.js';
import { checkTrail } from '../../src/audit/check-trail.js';
import { MokoError } from '../../src/core/errors.js';
import { entryHash, hashRecordDoc } from '../../src/audit/entry.js';
import { act, newRecord, t0 } from '../helpers/records.js';
import { storeBackends, type StoreBackend } from '../helpers/store-backends.js';
import { openStore } from '../../src/store/open.js';

/**
 * The store contract (issue 20): every test here runs against the SQLite store and a real PostgreSQL started
 * by the test helper. Records, revisions, the record bound to the signed chain, time order, the anchor.
 */
const { backends, start, stop } = storeBackends();
beforeAll(start, 120_000);
afterAll(stop);

const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000).toISOString();
const draft = (minutes: number, action: string) => ({
  at: at(minutes),
  actor: 'tina',
  role: 'technical-lead',
  action,
  deploymentId: 'acme-2026-12',
  summary: action,
  before: null,
  after: null,
});

const refusalOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof MokoError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

async function storeWithRecord(backend: StoreBackend) {
  const dir = mkdtempSync(join(tmpdir(), 'moko-contract-'));
  const signer = readOrCreateAuditSigner(join(dir, 'key', 'audit.pem'));
  const anchorFile = join(dir, 'key', 'anchors', 'store.json');
  const where = await backend.fresh();
  const store = await backend.open(where, { signer, anchorFile });
  const record = newRecord();
  await store.create({ record, audit: draft(0, 'plan-submit') });
  await store.mutate(record.id, (r) => ({
    record: act(r, 'approve', {}, 'dave'),
    audit: draft(1, 'approve'),
  }));
  return { dir, where, store, signer, anchorFile, record };
}

describe.each(backends)('store contract: records and revisions ($name)', (backend) => {
  it('creates, reads, lists and changes a record; a second create of the id is refused', async () => {
    const { store, record } = await storeWithRecord(backend);
    const got = await store.get(record.id);
    expect(got?.revision).toBe(2);
    expect(got?.record.state).toBe('approved');
    expect(await store.get('nobody')).toBeUndefined();
    expect((await store.list()).map((s) => [s.id, s.state, s.updatedAt])).toEqual([
      [record.id, 'approved', at(1)],
    ]);
    expect((await store.all()).map((r) => r.id)).toEqual([record.id]);
    const dup = await refusalOf(store.create({ record, audit: draft(2, 'plan-submit') }));
    expect([dup.kind, dup.message]).toEqual(['conflict', 'a deployment acme-2026-12 already exists']);
    const missing = await refusalOf(store.mutate('nobody', (r) => ({ record: r, audit: draft(2, 'x') })));
    expect(missing.kind).toBe('not-found');
    expect((await store.auditEntries()).length).toBe(2);
    await store.close();
  });

  it('a change made on a revision that moved on is refused (two store instances, optimistic revision)', async () => {
    const { store, where, signer, anchorFile, record } = await storeWithRecord(backend);
    const other = await backend.open(where, { signer, anchorFile });
    const seen = (await other.get(record.id))!.revision;
    await store.mutate(record.id, (r) => ({ record: r, audit: draft(2, 'tick') }), {
      expectedRevision: seen,
    });
    const late = await refusalOf(
      other.mutate(record.id, (r) => ({ record: r, audit: draft(3, 'tick') }), { expectedRevision: seen }),
    );
    expect(late.kind).toBe('conflict');
    expect(late.message).toBe(
      'acme-2026-12 was changed by someone else while this command ran (revision 3, expected 2)',
    );
    expect((await other.get(record.id))!.revision).toBe(3);
    expect((await store.auditEntries()).map((e) => e.revision)).toEqual([1, 2, 3]);
    await other.close();
    await store.close();
  });

  it('a change function that throws leaves neither the record nor an entry', async () => {
    const { store, record } = await storeWithRecord(backend);
    await expect(
      store.mutate(record.id, () => {
        throw new Error('refused inside');
      }),
    ).rejects.toThrow('refused inside');
    expect((await store.get(record.id))!.revision).toBe(2);
    expect((await store.auditEntries()).length).toBe(2);
    await store.close();
  });
});

describe.each(backends)('store contract: records bound to the chain ($name)', (backend) => {
  it('each write carries the record hash and revision; the whole trail verifies', async () => {
    const { store, signer } = await storeWithRecord(backend);
    const entries = await store.auditEntries();
    expect(entries.map((e) => e.revision)).toEqual([1, 2]);
    expect(entries.every((e) => /^[a-f0-9]{64}$/.test(e.recordHash ?? ''))).toBe(true);
    expect(verifyRecords(await store.storedRows(), entries)).toEqual([]);
    expect(await checkTrail(store, signer.publicKey)).toMatchObject({
      ok: true,
      entries: 2,
      signaturesChecked: true,
    });
    await store.close();
  });

  it('get and mutate refuse a row edited in the database, naming what differs; nothing is written', async () => {
    const { store, where, record } = await storeWithRecord(backend);
    const [row] = await backend.sql(where, 'SELECT doc FROM deployments WHERE id = ?', [record.id]);
    const doc = JSON.parse(row!.doc as string);
    doc.plan.target.root = '/evil';
    await backend.sql(where, 'UPDATE deployments SET doc = ? WHERE id = ?', [JSON.stringify(doc), record.id]);
    const e = await refusalOf(store.get(record.id));
    expect(e.kind).toBe('refused');
    expect(e.message).toBe('deployment acme-2026-12 does not match its audit trail; nothing was done');
    expect(e.details.join('\n')).toMatch(/its record differs from the one audit entry 2 \(approve\) wrote/);
    expect(e.details.join('\n')).toMatch(/its plan hashes to/);
    await refusalOf(store.mutate(record.id, (r) => ({ record: r, audit: draft(2, 'tick') })));
    expect((await store.auditEntries()).length).toBe(2);
    expect((await checkTrail(store)).problems.map((p) => p.kind)).not.toEqual([]);
    await store.close();
  });

  it('a forger who edits the row, rehashes the last entry and strips its signature is still refused', async () => {
    const { store, where, record } = await storeWithRecord(backend);
    const last = (await store.auditEntries()).at(-1)!;
    const [row] = await backend.sql(where, 'SELECT doc FROM deployments WHERE id = ?', [record.id]);
    const doc = JSON.parse(row!.doc as string);
    doc.plan.target.root = '/evil';
    const text = JSON.stringify(doc);
    await backend.sql(where, 'UPDATE deployments SET doc = ? WHERE id = ?', [text, record.id]);
    const forged = { ...last, recordHash: hashRecordDoc(text) };
    await backend.sql(where, 'UPDATE audit SET record_hash = ?, hash = ?, signature = NULL WHERE seq = ?', [
      forged.recordHash,
      entryHash(last.prevHash, forged),
      last.seq,
    ]);
    const e = await refusalOf(store.get(record.id));
    expect(e.details).toEqual(
      expect.arrayContaining([
        'its last audit entry 2 is not signed by the audit key',
        'its last audit entry 2 is not the one the anchor holds: it was rewritten',
      ]),
    );
    await store.close();
  });

  it('refuses an entry dated before the last one (time in the trail never goes back)', async () => {
    const { store } = await storeWithRecord(backend);
    const e = await refusalOf(store.appendAudit(draft(-5, 'lock-release')));
    expect(e.message).toMatch(/this change is dated .* before the last audit entry/);
    expect((await store.auditEntries()).length).toBe(2);
    await store.appendAudit(draft(1, 'same-minute')); // equal times are fine
    expect((await store.auditEntries()).map((e) => e.seq)).toEqual([1, 2, 3]);
    await store.close();
  });
});

describe.each(backends)('store contract: the anchor only moves forward ($name)', (backend) => {
  it('a slower writer cannot move it back; a store behind its anchor refuses to append', async () => {
    const { store, anchorFile } = await storeWithRecord(backend);
    const head = readAnchorFile(anchorFile)!;
    expect(head.seq).toBe(2);
    expect(store.readAnchor()).toEqual(head);
    writeAnchorForward(anchorFile, { seq: 1, hash: 'x' });
    expect(readAnchorFile(anchorFile)).toEqual(head);
    writeFileSync(anchorFile, JSON.stringify({ ...head, seq: 7 })); // as if entries 3..7 had been deleted
    const e = await refusalOf(store.appendAudit(draft(3, 'x')));
    expect(e.message).toMatch(/the audit trail ends at entry 2 but entry 7 was written/);
    await store.close();
  });

  it('an exported head names a trail rolled back past it, and one rewritten at its position', async () => {
    const { store, signer, anchorFile } = await storeWithRecord(backend);
    const entries = await store.auditEntries();
    const head = signedHeadOf(readAnchorFile(anchorFile)!, entries)!;
    expect(verifyHead(entries, head, signer.publicKey)).toEqual([]);
    expect(verifyHead(entries.slice(0, 1), head, signer.publicKey)).toEqual([
      expect.objectContaining({ kind: 'rolled-back', seq: 2 }),
    ]);
    const rewritten = [entries[0]!, { ...entries[1]!, hash: 'f'.repeat(64) }];
    expect(verifyHead(rewritten, head, signer.publicKey)[0]!.message).toMatch(/rewritten since/);
    expect(verifyHead(entries, { ...head, seq: 1 }, signer.publicKey)[0]!.kind).toBe('forged');
    await store.close();
  });

  it('a deleted tail is named by audit verify (the anchor) and the store refuses to append', async () => {
    const { store, where, signer } = await storeWithRecord(backend);
    await store.appendAudit(draft(2, 'lock-release'));
    await backend.sql(where, 'DELETE FROM audit WHERE seq = ?', [3]);
    const status = await checkTrail(store, signer.publicKey);
    expect(status.problems.map((p) => p.kind)).toContain('truncated');
    expect((await refusalOf(store.appendAudit(draft(3, 'x')))).message).toMatch(
      /ends at entry 2 but entry 3/,
    );
    await store.close();
  });
});

describe.each(backends)('store contract: one store, one audit key ($name)', (backend) => {
  it('a machine with another key, or with none while the store has signed entries, is refused before writing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moko-contract-key-'));
    const where = await backend.fresh();
    const first = await openStore(where, { auditKeyFile: join(dir, 'a', 'audit.pem') });
    await first.create({ record: newRecord(), audit: draft(0, 'plan-submit') });
    await first.close();
    const other = await refusalOf(
      openStore(where, { auditKeyFile: join(dir, 'b', 'audit.pem') }).then((s) => s.close()),
    );
    expect(other.message).toMatch(
      /^no audit signing key at .*b\/audit\.pem, but the store .* already has 1 signed entries/,
    );
    readOrCreateAuditSigner(join(dir, 'c', 'audit.pem'));
    const wrong = await refusalOf(
      openStore(where, { auditKeyFile: join(dir, 'c', 'audit.pem') }).then((s) => s.close()),
    );
    expect(wrong.message).toMatch(/^the audit key .*c\/audit\.pem \(SHA256:.*\) is not the key of the store/);
    const again = await openStore(where, { auditKeyFile: join(dir, 'a', 'audit.pem') });
    expect((await again.auditEntries()).length).toBe(1);
    await again.close();
  });
});
