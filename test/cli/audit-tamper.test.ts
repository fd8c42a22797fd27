import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { entryHash, genesisHash } from '../../src/audit/entry.js';
import { verifyChain } from '../../src/audit/verify.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';

/** A store with a few audit entries, changed afterwards directly in the database file. */
function withHistory() {
  const ws = workspace();
  ws.writePlan('plan.yaml', planInput());
  for (const args of [
    ['plan', 'submit', 'plan.yaml', '--as', 'tina'],
    ['approve', 'acme-2026-12', '--as', 'dave'],
    ['tick', 'acme-2026-12', 'security-scan', '--as', 'quinn', '--evidence', 'scan report 1'],
    ['tick', 'acme-2026-12', 'rollback-plan', '--as', 'tina', '--evidence', 'rollback plan v1'],
    ['issue', 'open', 'acme-2026-12', 'cert expires soon', '--as', 'quinn'],
  ]) {
    expect(ws.run(args).code, args.join(' ')).toBe(0);
  }
  expect(ws.run(['audit', 'verify']).stdout).toContain('audit trail intact: 5 entries');
  const tamper = (sql: string) => {
    const db = new Database(ws.storePath);
    db.exec(sql);
    db.close();
  };
  return { ws, tamper };
}

describe('audit verify detects tampering with the database file', () => {
  it('an edited entry', () => {
    const { ws, tamper } = withHistory();
    tamper("UPDATE audit SET actor = 'dora' WHERE seq = 2");
    const r = ws.run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('entry 2 (approve by dora');
    expect(r.stdout).toContain('was edited');
  });

  it('a deleted entry', () => {
    const { ws, tamper } = withHistory();
    tamper('DELETE FROM audit WHERE seq = 3');
    const r = ws.run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('entries 3..3 are missing before entry 4');
  });

  it('a deleted tail (caught by the anchor)', () => {
    const { ws, tamper } = withHistory();
    tamper('DELETE FROM audit WHERE seq >= 4');
    const r = ws.run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('entries 4..5 were deleted');
  });

  it('an inserted entry', () => {
    const { ws, tamper } = withHistory();
    tamper(`UPDATE audit SET seq = seq + 100, pos = pos + 100 WHERE seq >= 3;
            INSERT INTO audit (pos, seq, at, actor, role, action, deployment_id, summary, before, after, prev_hash, hash)
              SELECT 3, 3, at, 'dave', role, 'approve', deployment_id, 'forged', before, after, hash, hash FROM audit WHERE seq = 2;
            UPDATE audit SET seq = seq - 99, pos = pos - 99 WHERE seq >= 103;`);
    const r = ws.run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/entry 3 \(approve by dave.*was edited|entry 4 does not chain/);
  });

  it('reordered entries', () => {
    const { ws, tamper } = withHistory();
    tamper(
      'UPDATE audit SET pos = 100 WHERE seq = 3; UPDATE audit SET pos = 3 WHERE seq = 4; UPDATE audit SET pos = 4 WHERE seq = 3;',
    );
    const r = ws.run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the entries were reordered');
  });

  it('a chain rewritten with recomputed hashes and anchor (which the bare chain cannot show): caught by the signatures', async () => {
    const { ws, tamper } = withHistory();
    tamper("UPDATE audit SET actor = 'dora' WHERE seq = 2");
    // the forger recomputes every hash after the edit and rewrites the anchor to match
    const reader = new SqliteStore(ws.storePath);
    const rows = await reader.auditEntries();
    await reader.close();
    const db = new Database(ws.storePath);
    let prevHash = genesisHash;
    for (const row of rows) {
      const hash = entryHash(prevHash, row);
      db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(prevHash, hash, row.seq);
      prevHash = hash;
    }
    db.close();
    const anchorPath = `${ws.storePath}.audit-anchor`;
    writeFileSync(anchorPath, JSON.stringify({ seq: 5, hash: prevHash }));
    const forged = new SqliteStore(ws.storePath);
    expect(verifyChain(await forged.auditEntries(), forged.readAnchor())).toEqual([]); // a perfect bare chain
    await forged.close();

    const r = ws.run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('entry 2 (approve by dora');
    expect(r.stdout).toContain('has a signature the audit key did not make');
    expect(r.stdout).toContain('the anchor (entry 5) is not signed by the audit key');
    expect(JSON.parse(readFileSync(anchorPath, 'utf8'))).toEqual({ seq: 5, hash: prevHash }); // verify changed nothing
  });

  it('stripped signatures', () => {
    const { ws, tamper } = withHistory();
    tamper('UPDATE audit SET signature = NULL WHERE seq >= 2 AND seq <= 4');
    const r = ws.run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('entries 2..4 carry no signature');
  });

  it("an auditor checks with the exported public key; another team's key rejects every entry", () => {
    const { ws } = withHistory();
    const exported = ws.run(['audit', 'public-key']);
    expect(exported.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    writeFileSync(join(ws.dir, 'audit.pub'), exported.stdout);
    const ok = ws.run(['audit', 'verify', '--public-key', 'audit.pub', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, entries: 5, signaturesChecked: true });

    const other = workspace();
    writeFileSync(join(ws.dir, 'other.pub'), other.run(['audit', 'public-key']).stdout);
    const bad = ws.run(['audit', 'verify', '--public-key', 'other.pub', '--json']);
    expect(bad.code).toBe(1);
    const forged = JSON.parse(bad.stdout).problems.filter((p: { kind: string }) => p.kind === 'forged');
    expect(forged.map((p: { message: string }) => p.message)).toEqual([
      expect.stringContaining('none of the 5 signatures was made by this key: the audit key was replaced'),
      expect.stringContaining('the anchor (entry 5) is not signed by the audit key'),
    ]);
  });

  it('a public key file that is not one: a clear error naming the file', () => {
    const { ws } = withHistory();
    writeFileSync(join(ws.dir, 'bad.pub'), 'not a key');
    const r = ws.run(['audit', 'verify', '--public-key', 'bad.pub']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.pub');
    expect(r.stderr).toContain('cannot read the audit key');
  });

  it('export writes JSON lines with actor, role, action, before and after', () => {
    const { ws } = withHistory();
    const lines = ws
      .run(['audit', 'export', '--deployment', 'acme-2026-12'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatchObject({ seq: 2, actor: 'dave', role: 'deployment-manager', action: 'approve' });
    expect(lines[1].before.state).toBe('submitted');
    expect(lines[1].after.state).toBe('approved');
  });
});
