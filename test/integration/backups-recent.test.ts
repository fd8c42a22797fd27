import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupsCheck } from '../../src/checks/backups.js';
import { runValidation } from '../../src/checks/run-validation.js';
import { LocalHost } from '../../src/hosts/local.js';
import { loadPolicy } from '../../src/policy/load.js';
import { plan as planOf } from '../helpers/records.js';

/**
 * Issue 23: backups.recent counts only backups a backup run completed, by the manifest's own record (SHA256SUMS,
 * written last: src/backup/layout.ts), not any recent file. Seen on real 20.0.2: a failed `mokodeploy backup` left
 * custom.tar.gz.partial, and validate/verify passed on it.
 */
const policy = loadPolicy();
const dir = mkdtempSync(join(tmpdir(), 'moko-backups-recent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function recent(files: Record<string, string>) {
  const backupRoot = mkdtempSync(join(dir, 'root-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(backupRoot, name, '..'), { recursive: true });
    writeFileSync(join(backupRoot, name), text);
  }
  const cron = mkdtempSync(join(dir, 'cron-'));
  const base = planOf();
  const r = await runValidation(
    {
      plan: { ...base, target: { ...base.target, backupRoot } },
      options: { cronPaths: [cron] },
      host: new LocalHost(),
    },
    { policy, checks: [backupsCheck] },
  );
  return r.findings.find((f) => f.checkId === 'backups.recent')!;
}

const written = {
  'database.sql': 'dump',
  'documents.tar.gz': 'x',
  'custom.tar.gz': 'x',
  'backup.json': '{}',
};
/** A stamp as `mokodeploy backup` names its directory, hours ago (UTC yyyymmddHHMMSS). */
const stampOf = (hoursAgo: number) =>
  new Date(Date.now() - hoursAgo * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
const now = stampOf(0);
const inStamp = (files: Record<string, string>, stamp = now) =>
  Object.fromEntries(Object.entries(files).map(([n, t]) => [`${stamp}/${n}`, t]));

describe('backups.recent counts only completed backups', () => {
  it('fails on the half-written archive a failed backup left', async () => {
    const f = await recent(inStamp({ 'database.sql': 'dump', 'custom.tar.gz.partial': 'half' }));
    expect(f.status).toBe('fail');
    expect(f.observed).toMatch(/no complete backup in /);
    expect(f.detail).toMatch(/no <stamp>\/SHA256SUMS/);
    expect(f.remediation).toContain('mokodeploy backup acme-2026-12');
    expect((await recent(inStamp({ 'custom.tar.gz.partial': 'half' }))).status).toBe('fail');
  });

  it('fails on every file of a backup but its manifest, or an empty manifest, or one outside a stamp directory', async () => {
    expect((await recent(inStamp(written))).status).toBe('fail');
    expect((await recent(inStamp({ ...written, SHA256SUMS: '' }))).status).toBe('fail');
    expect((await recent({ SHA256SUMS: 'x', 'old/SHA256SUMS': 'x' })).status).toBe('fail');
  });

  it('passes once the run wrote its manifest, naming it', async () => {
    const f = await recent(inStamp({ ...written, SHA256SUMS: `${'0'.repeat(64)}  database.sql\n` }));
    expect(f.status).toBe('pass');
    expect(f.observed).toMatch(new RegExp(`/${now}/SHA256SUMS, 0\\.\\d h old$`));
  });

  it('a backup written just now but taken days ago (shipped to a new server by a recovery) is as old as its stamp', async () => {
    const old = stampOf(72);
    const f = await recent(inStamp({ ...written, SHA256SUMS: `${'0'.repeat(64)}  database.sql\n` }, old));
    expect(f.status).toBe('fail');
    expect(f.observed).toMatch(new RegExp(`/${old}/SHA256SUMS, 72\\.\\d h old$`));
  });
});
