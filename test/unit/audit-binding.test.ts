import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { verifyRecords } from '../../src/audit/record-binding.js';
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

// The binding, time-order and anchor tests run on both stores: test/integration/store-contract.test.ts.
// Here what only the SQLite file has: stores from before the binding, file modes.

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
