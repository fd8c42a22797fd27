import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { readAnchorFile, writeAnchorForward } from '../../src/audit/anchor.js';
import { verifyRecords } from '../../src/audit/record-binding.js';
import { signedHeadOf, verifyHead } from '../../src/audit/head.js';
import { MokoError } from '../../src/core/errors.js';
import { entryHash, hashRecordDoc } from '../../src/audit/entry.js';
import { Journal, journalPath } from '../../src/runner/journal.js';
import { act, newRecord, t0 } from '../helpers/records.js';

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

async function storeWithRecord() {
  const dir = mkdtempSync(join(tmpdir(), 'moko-bind-'));
  const signer = readOrCreateAuditSigner(join(dir, 'key', 'audit.pem'));
  const anchorFile = join(dir, 'key', 'anchors', 'store.json');
  const path = join(dir, 'home', 'mokodeploy.sqlite');
  const store = new SqliteStore(path, { signer, anchorFile });
  const record = newRecord();
  await store.create({ record, audit: draft(0, 'plan-submit') });
  await store.mutate(record.id, (r) => ({
    record: act(r, 'approve', {}, 'dave'),
    audit: draft(1, 'approve'),
  }));
  return { dir, path, store, signer, anchorFile };
}

const refusalOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof MokoError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('records bound to the chain', () => {
  it('each write carries the record hash and revision; an intact store has no record problems', async () => {
    const { store } = await storeWithRecord();
    const entries = await store.auditEntries();
    expect(entries.map((e) => e.revision)).toEqual([1, 2]);
    expect(entries.every((e) => /^[a-f0-9]{64}$/.test(e.recordHash ?? ''))).toBe(true);
    expect(verifyRecords(await store.storedRows(), entries)).toEqual([]);
  });

  it('get and mutate refuse a row edited in SQLite, naming what differs; nothing is written', async () => {
    const { store, path } = await storeWithRecord();
    const db = new Database(path);
    db.exec(`UPDATE deployments SET doc = json_set(doc, '$.plan.target.root', '/evil')`);
    db.close();
    const e = await refusalOf(store.get('acme-2026-12'));
    expect(e.kind).toBe('refused');
    expect(e.message).toBe('deployment acme-2026-12 does not match its audit trail; nothing was done');
    expect(e.details.join('\n')).toMatch(/its record differs from the one audit entry 2 \(approve\) wrote/);
    expect(e.details.join('\n')).toMatch(/its plan hashes to/);
    const before = (await store.auditEntries()).length;
    await refusalOf(store.mutate('acme-2026-12', (r) => ({ record: r, audit: draft(2, 'tick') })));
    expect((await store.auditEntries()).length).toBe(before);
  });

  it('a forger who edits the row, rebinds and rehashes the last entry and strips its signature is still refused', async () => {
    const { store, path } = await storeWithRecord();
    const last = (await store.auditEntries()).at(-1)!;
    const db = new Database(path);
    db.exec(`UPDATE deployments SET doc = json_set(doc, '$.plan.target.root', '/evil')`);
    const doc = (db.prepare('SELECT doc FROM deployments').get() as { doc: string }).doc;
    const forged = { ...last, recordHash: hashRecordDoc(doc) };
    db.prepare('UPDATE audit SET record_hash = ?, hash = ?, signature = NULL WHERE seq = ?').run(
      forged.recordHash,
      entryHash(last.prevHash, forged),
      last.seq,
    );
    db.close();
    const e = await refusalOf(store.get('acme-2026-12'));
    expect(e.details).toEqual(
      expect.arrayContaining([
        'its last audit entry 2 is not signed by the audit key',
        'its last audit entry 2 is not the one the anchor holds: it was rewritten',
      ]),
    );
  });

  it('refuses an entry dated before the last one (time in the trail never goes back)', async () => {
    const { store } = await storeWithRecord();
    const e = await refusalOf(store.appendAudit(draft(-5, 'lock-release')));
    expect(e.message).toMatch(/this change is dated .* before the last audit entry/);
    expect((await store.auditEntries()).length).toBe(2);
    await store.appendAudit(draft(1, 'same-minute')); // equal times are fine
  });
});

describe('the anchor only moves forward', () => {
  it('a slower writer cannot move it back; a store behind its anchor refuses to append', async () => {
    const { store, anchorFile } = await storeWithRecord();
    const head = readAnchorFile(anchorFile)!;
    expect(head.seq).toBe(2);
    writeAnchorForward(anchorFile, { seq: 1, hash: 'x' });
    expect(readAnchorFile(anchorFile)).toEqual(head);
    writeFileSync(anchorFile, JSON.stringify({ ...head, seq: 7 })); // as if entries 3..7 had been deleted
    const e = await refusalOf(store.appendAudit(draft(3, 'x')));
    expect(e.message).toMatch(/the audit trail ends at entry 2 but entry 7 was written/);
  });

  it('an exported head names a trail rolled back past it, and one rewritten at its position', async () => {
    const { store, signer, anchorFile } = await storeWithRecord();
    const entries = await store.auditEntries();
    const head = signedHeadOf(readAnchorFile(anchorFile)!, entries)!;
    expect(verifyHead(entries, head, signer.publicKey)).toEqual([]);
    expect(verifyHead(entries.slice(0, 1), head, signer.publicKey)).toEqual([
      expect.objectContaining({ kind: 'rolled-back', seq: 2 }),
    ]);
    const rewritten = [entries[0]!, { ...entries[1]!, hash: 'f'.repeat(64) }];
    expect(verifyHead(rewritten, head, signer.publicKey)[0]!.message).toMatch(/rewritten since/);
    expect(verifyHead(entries, { ...head, seq: 1 }, signer.publicKey)[0]!.kind).toBe('forged');
  });
});

describe('a store written before records were bound', () => {
  it('binds each record once, as it is, on opening; then it is checked like any other', async () => {
    const { store, path, signer, anchorFile } = await storeWithRecord();
    await store.close();
    const db = new Database(path);
    db.exec(
      'UPDATE audit SET record_hash = NULL, revision = NULL; DELETE FROM schema_migrations WHERE version = 3; ALTER TABLE audit DROP COLUMN record_hash; ALTER TABLE audit DROP COLUMN revision;',
    );
    db.close();
    const reopened = new SqliteStore(path, { signer, anchorFile });
    const last = (await reopened.auditEntries()).at(-1)!;
    expect(last).toMatchObject({ action: 'record-bound', deploymentId: 'acme-2026-12', revision: 2 });
    expect((await reopened.get('acme-2026-12'))!.revision).toBe(2);
    expect(verifyRecords(await reopened.storedRows(), await reopened.auditEntries())).toEqual([]);
  });
});

describe('the store is private (issue 12)', () => {
  it('directory 0700; database, WAL, SHM and a run journal 0600, also for a store made with wider modes', async () => {
    const { dir, path, store } = await storeWithRecord();
    const home = join(dir, 'home');
    for (const f of [path, `${path}-wal`, `${path}-shm`])
      expect({ f, mode: statSync(f).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const journal = Journal.open({ storeDir: home, deploymentId: 'acme-2026-12', planHash: 'x' });
    journal.append({ type: 'run-started', at: at(3), runId: 'r1', planHash: 'x', person: 'tina' } as never);
    journal.close();
    expect(statSync(join(home, 'journals')).mode & 0o777).toBe(0o700);
    expect(statSync(journalPath(home, 'acme-2026-12')).mode & 0o777).toBe(0o600);
    await store.close();
    chmodSync(home, 0o755);
    chmodSync(path, 0o644);
    await new SqliteStore(path).close(); // an older store, opened again: narrowed
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
