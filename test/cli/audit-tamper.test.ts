import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { entryHash, genesisHash } from '../../src/audit/entry.js';
import { verifyChain } from '../../src/audit/verify.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { anchorFileFor } from '../../src/audit/anchor.js';
import { bin, workspace, type Workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';

/** Where the CLI keeps this workspace's anchor: beside its audit key, outside the store. */
const anchorOf = (ws: Workspace) => anchorFileFor(ws.storePath, join(ws.dir, 'audit-signing.pem'));

/** Builds the history every tampering test starts from: a plan submitted, approved, two ticks, an issue. */
function buildHistory(): Workspace {
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
  return ws;
}

/**
 * The history is built once (11 tests, 6 CLI runs each otherwise); each test gets its own copy of the whole
 * workspace, so no test sees another's tampering. The anchor is named by the store's absolute path, so the copy's
 * anchor is renamed to the copy's store path: the copy is the same untouched history, just elsewhere.
 */
let history: Workspace;
beforeAll(() => {
  history = buildHistory();
});

/** A fresh copy of the untouched history, and a way to change its database file directly. */
function withHistory() {
  const ws = workspace();
  cpSync(history.dir, ws.dir, { recursive: true });
  renameSync(join(dirname(anchorOf(ws)), basename(anchorOf(history))), anchorOf(ws));
  expect(ws.dumpStore()).toBe(history.dumpStore());
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
    const reader = new SqliteStore(ws.storePath, { anchorFile: anchorOf(ws) });
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
    const anchorPath = anchorOf(ws);
    writeFileSync(anchorPath, JSON.stringify({ seq: 5, hash: prevHash }));
    const forged = new SqliteStore(ws.storePath, { anchorFile: anchorPath });
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

/** Run SQL on the store, then put the deployments table back exactly as it was. */
function editAndRestore(ws: Workspace, sql: string, check: () => void) {
  const db = new Database(ws.storePath);
  const rows = db.prepare('SELECT * FROM deployments').all() as Record<string, unknown>[];
  db.exec(sql);
  db.close();
  try {
    check();
  } finally {
    const back = new Database(ws.storePath);
    back.exec('DELETE FROM deployments');
    for (const row of rows)
      back
        .prepare(
          `INSERT INTO deployments (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
            .map(() => '?')
            .join(', ')})`,
        )
        .run(...Object.values(row));
    back.close();
  }
}

describe('the record is bound to the audit chain (issue 12)', () => {
  it('names every column of the deployments table edited in SQLite, and a deleted row', () => {
    const { ws } = withHistory();
    const id = 'acme-2026-12';
    const cases: [string, RegExp[]][] = [
      [
        `UPDATE deployments SET doc = json_set(doc, '$.state', 'scheduled', '$.plan.target.root', '/evil')`,
        [
          new RegExp(
            `deployment ${id} was changed outside mokodeploy: its record differs from the one audit entry 5`,
          ),
          /column state is "approved" but the record says "scheduled"/,
          new RegExp(`deployment ${id}: its plan hashes to \\w+, not to the planHash`),
        ],
      ],
      [
        `UPDATE deployments SET id = 'acme-evil'`,
        [
          /no audit entry wrote deployment acme-evil/,
          new RegExp(`deployment ${id} was deleted from the store`),
        ],
      ],
      [`UPDATE deployments SET client = 'evil'`, [/column client is "evil" but the record says "acme"/]],
      [
        `UPDATE deployments SET state = 'scheduled'`,
        [/column state is "scheduled" but the record says "approved"/],
      ],
      [`UPDATE deployments SET kind = 'upgrade'`, [/column kind is "upgrade" but the record says "new"/]],
      [
        `UPDATE deployments SET environment = 'staging'`,
        [/column environment is "staging" but the record says "production"/],
      ],
      [`UPDATE deployments SET revision = 99`, [/revision is 99 but audit entry 5 wrote revision 5/]],
      [
        `UPDATE deployments SET created_at = '2020-01-01T00:00:00.000Z'`,
        [/created_at is 2020-01-01T00:00:00.000Z but it was created \(entry 1\)/],
      ],
      [
        `UPDATE deployments SET updated_at = '2020-01-01T00:00:00.000Z'`,
        [/updated_at is 2020-01-01T00:00:00.000Z but its last change \(entry 5\)/],
      ],
      [
        `DELETE FROM deployments`,
        [new RegExp(`deployment ${id} was deleted from the store outside mokodeploy`)],
      ],
    ];
    for (const [sql, expected] of cases) {
      editAndRestore(ws, sql, () => {
        const r = ws.run(['audit', 'verify']);
        expect({ sql, code: r.code }).toEqual({ sql, code: 1 });
        for (const e of expected) expect(r.stdout, sql).toMatch(e);
      });
    }
    expect(ws.run(['audit', 'verify']).stdout).toContain('audit trail intact'); // restored: intact again
  });

  it('status, show and deploy --dry-run refuse a record the chain did not write; nothing is recorded', () => {
    const { ws, tamper } = withHistory();
    tamper(
      `UPDATE deployments SET doc = json_set(doc, '$.state', 'scheduled', '$.plan.target.root', '/evil')`,
    );
    const before = ws.dumpStore();
    for (const args of [
      ['status', 'acme-2026-12'],
      ['deploy', 'acme-2026-12', '--dry-run'],
      ['deploy', 'acme-2026-12', '--as', 'tina'],
      ['tick', 'acme-2026-12', 'backup-verified', '--as', 'tina', '--evidence', 'x'],
    ]) {
      const r = ws.run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 4 });
      expect(r.stderr).toContain('deployment acme-2026-12 does not match its audit trail; nothing was done');
      expect(r.stderr).not.toContain('/evil');
    }
    expect(ws.dumpStore()).toBe(before);
  });

  it('an older anchor restored beside the store after deleting the tail is named; an exported head names a rollback of both', () => {
    const ws = workspace();
    ws.writePlan('plan.yaml', planInput());
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
    expect(ws.run(['approve', 'acme-2026-12', '--as', 'dave']).code).toBe(0);
    const oldAnchor = readFileSync(anchorOf(ws), 'utf8'); // the head at entry 2, signed
    const oldDb = readFileSync(ws.storePath);
    expect(
      ws.run(['tick', 'acme-2026-12', 'security-scan', '--as', 'quinn', '--evidence', 'scan']).code,
    ).toBe(0);
    expect(ws.run(['audit', 'export', '--head', '--out', 'head.json']).code).toBe(0); // the auditor's copy
    // the store's directory restored to its state at entry 2: an old database and an old anchor beside it
    const db = new Database(ws.storePath);
    db.exec('DELETE FROM audit WHERE seq >= 3');
    db.close();
    writeFileSync(`${ws.storePath}.audit-anchor`, oldAnchor);
    const r = ws.run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'the trail ends at entry 2 but entry 3 was written: entries 3..3 were deleted',
    );
    const acting = ws.run(['issue', 'open', 'acme-2026-12', 'x', '--as', 'quinn']);
    expect(acting.code).toBe(4);
    expect(acting.stderr).toContain('its tail was deleted or an older store restored');

    // the anchor beside the key restored too (all a local check has): the exported head still names it
    writeFileSync(anchorOf(ws), oldAnchor);
    const restored = new Database(ws.storePath);
    restored.exec('DELETE FROM deployments; DELETE FROM audit;');
    restored.close();
    writeFileSync(ws.storePath, oldDb);
    const withHead = ws.run(['audit', 'verify', '--head', 'head.json']);
    expect(withHead.code).toBe(1);
    expect(withHead.stdout).toMatch(
      /the trail ends at entry 2, but the head exported on \S+ had entry 3: the trail was rolled back/,
    );
  });
});

describe('honest time (issue 12)', () => {
  it('the shipped CLI ignores MOKODEPLOY_CLOCK; an entry dated before the last is refused; a training held in the future too', () => {
    const ws = workspace();
    ws.writePlan('plan.yaml', planInput());
    const shipped = spawnSync(process.execPath, [bin, 'plan', 'submit', 'plan.yaml', '--as', 'tina'], {
      cwd: ws.dir,
      env: { ...ws.env, MOKODEPLOY_CLOCK: '2020-01-01T00:00:00Z' },
      encoding: 'utf8',
    });
    expect(shipped.status).toBe(0);
    const first = JSON.parse(ws.run(['audit', 'export']).stdout.trim().split('\n')[0]!);
    expect(Date.now() - Date.parse(first.at)).toBeLessThan(120_000); // real time, not 2020

    const before = ws.dumpStore();
    const back = ws.run(['approve', 'acme-2026-12', '--as', 'dave'], {
      MOKODEPLOY_CLOCK: '2020-01-01T00:00:00Z',
    });
    expect(back.code).toBe(4);
    expect(back.stderr).toMatch(/this change is dated 2020-01-01T00:00:00.000Z, before the last audit entry/);
    expect(ws.dumpStore()).toBe(before);

    const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect(ws.run(['training', 'plan', 'acme-2026-12', 'admin', '--at', future, '--as', 'carla']).code).toBe(
      0,
    );
    const held = ws.run([
      'training',
      'held',
      'acme-2026-12',
      '1',
      '--at',
      future,
      '--hours',
      '3',
      '--attendees',
      'Alice',
      '--as',
      'carla',
    ]);
    expect(held.code).toBe(4);
    expect(held.stderr).toContain('that is in the future');
  });
});
