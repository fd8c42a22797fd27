import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';

describe('two processes changing the same deployment at once', () => {
  it('both approve: one wins, the other is refused clearly, one audit entry', async () => {
    const ws = workspace();
    ws.writePlan('plan.yaml', planInput());
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
    const [a, b] = await Promise.all([
      ws.runAsync(['approve', 'acme-2026-12', '--as', 'dave']),
      ws.runAsync(['approve', 'acme-2026-12', '--as', 'dora']),
    ]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 4]);
    const loser = a.code === 4 ? a : b;
    expect(loser.stderr).toContain('acme-2026-12 is approved; it cannot move to approved');
    const entries = ws
      .run(['audit', 'export'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.filter((e) => e.action === 'approve')).toHaveLength(1);
    expect(ws.run(['audit', 'verify']).code).toBe(0);
  });

  it('many ticks at once: all land, none lost, chain intact', async () => {
    const ws = workspace();
    ws.writePlan('plan.yaml', planInput());
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
    const items = ['requirements-documented', 'backup-verified', 'rollback-plan'];
    const results = await Promise.all(
      items.map((item) => ws.runAsync(['tick', 'acme-2026-12', item, '--as', 'tina', '--evidence', item])),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const record = JSON.parse(ws.run(['--json', 'show', 'acme-2026-12']).stdout);
    for (const item of items) expect(record.checklist[item].ticked).toBe(true);
    expect(record.revision).toBe(4);
    expect(ws.run(['audit', 'verify']).stdout).toContain('intact: 4 entries');
  });

  it('a store held by another process past the busy timeout: conflict, nothing changed', async () => {
    const ws = workspace();
    ws.writePlan('plan.yaml', planInput());
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
    const before = ws.dumpStore();
    // another process takes the write lock and keeps it for 8 s (the store waits 5 s)
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(ws.storePath)});
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, 8000);
    `,
      ],
      { cwd: process.cwd() },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const r = await ws.runAsync(['approve', 'acme-2026-12', '--as', 'dave']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('another mokodeploy process is changing the store right now');
    await new Promise((resolve) => holder.on('close', resolve));
    expect(ws.dumpStore()).toBe(before);
  });
});
