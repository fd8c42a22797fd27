import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTrail } from '../../src/audit/check-trail.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { openStore } from '../../src/store/open.js';
import { newRecord } from '../helpers/records.js';
import { storeBackends } from '../helpers/store-backends.js';

/**
 * Writers in several processes at once (issue 20): the audit chain stays one unbroken chain, and of two writers
 * changing the same record at the same revision one gets the conflict. On SQLite and on PostgreSQL.
 */
const { backends, start, stop } = storeBackends();
beforeAll(start, 120_000);
afterAll(stop);

const repo = resolve(import.meta.dirname, '../..');
const writer = join(repo, 'test/helpers/store-writer.ts');

function spawnWriter(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, ...args], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; lines: string[]; err: string }>((r) =>
    child.on('close', (code) => r({ code, lines: out.trim().split('\n'), err })),
  );
  const ready = new Promise<void>((r) => child.stdout.on('data', () => out.includes('ready') && r()));
  return { child, done, ready };
}

async function seeded(where: string, ids: string[]) {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'moko-conc-')), 'audit.pem');
  readOrCreateAuditSigner(keyFile);
  const store = await openStore(where, { auditKeyFile: keyFile });
  for (const id of ids)
    await store.create({
      record: newRecord({ id }),
      audit: {
        at: '2026-12-01T09:00:00.000Z',
        actor: 'tina',
        role: 'technical-lead',
        action: 'plan-submit',
        deploymentId: id,
        summary: 'seed',
        before: null,
        after: null,
      },
    });
  return { store, keyFile };
}

describe.each(backends)('store contract: writers in several processes ($name)', (backend) => {
  it('three processes appending and changing records at once: one unbroken, signed chain, nothing lost', async () => {
    const where = await backend.fresh();
    const ids = ['acme-a', 'acme-b', 'acme-c'];
    const { store, keyFile } = await seeded(where, ids);
    const n = 15;
    const runs = ids.map((id) => spawnWriter([where, keyFile, 'append', id, String(n)]));
    await Promise.all(runs.map((r) => r.ready));
    for (const r of runs) r.child.stdin.end('go\n');
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.err).toBe(0);
    const entries = await store.auditEntries();
    expect(entries.length).toBe(ids.length + ids.length * n * 2);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(new Set(entries.map((e) => e.prevHash)).size).toBe(entries.length); // no fork
    const status = await checkTrail(store, readOrCreateAuditSigner(keyFile).publicKey);
    expect(status.problems).toEqual([]);
    expect(status.ok).toBe(true);
    for (const id of ids) expect((await store.get(id))!.revision).toBe(1 + n);
    // the writers really overlapped: their entries interleave in the chain
    const owners = entries.slice(ids.length).map((e) => e.action.split('-')[1]);
    expect(owners.filter((o, i) => i > 0 && o !== owners[i - 1]).length).toBeGreaterThan(2);
    await store.close();
  }, 180_000);

  it('two processes change the same record at the same revision: one succeeds, the other gets the conflict', async () => {
    const where = await backend.fresh();
    const { store, keyFile } = await seeded(where, ['acme-2026-12']);
    const racers = [0, 1].map(() => spawnWriter([where, keyFile, 'race', 'acme-2026-12']));
    await Promise.all(racers.map((r) => r.ready));
    for (const r of racers) r.child.stdin.end('go\n');
    const results = await Promise.all(racers.map((r) => r.done));
    const outcomes = results.map((r) => JSON.parse(r.lines.at(-1)!));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toEqual([
      expect.objectContaining({
        kind: 'conflict',
        message: expect.stringMatching(/changed by someone else .*\(revision 2, expected 1\)/),
      }),
    ]);
    expect((await store.get('acme-2026-12'))!.revision).toBe(2);
    expect((await store.auditEntries()).length).toBe(2);
    await store.close();
  }, 120_000);
});
