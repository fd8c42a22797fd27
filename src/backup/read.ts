import { createHash } from 'node:crypto';
import type { Host } from '../hosts/host.js';
import { backupLayout, backupStampPattern } from './layout.js';
import { parseInventory, type TableInventory } from './inventory.js';

/** A complete backup as read back from the target: its manifest's sha256 is the evidence recorded for it. */
export interface BackupSummary {
  dir: string;
  stamp: string;
  /** sha256 of SHA256SUMS: one value that pins every file of the backup. */
  manifestSha256: string;
  meta: Record<string, unknown>;
  tables: TableInventory;
  files: { name: string; sha256: string }[];
}

export async function readBackup(host: Host, backupRoot: string, stamp: string): Promise<BackupSummary> {
  const b = backupLayout(backupRoot, stamp);
  const sums = await host.readFile(b.sums);
  const text = (path: string) => host.readFile(path).then((x) => x.toString('utf8'));
  return {
    dir: b.dir,
    stamp,
    manifestSha256: createHash('sha256').update(sums).digest('hex'),
    meta: JSON.parse(await text(b.meta)) as Record<string, unknown>,
    tables: parseInventory(await text(b.rows), await text(b.checksums)),
    files: sums
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => ({ sha256: l.slice(0, 64), name: l.slice(66) })),
  };
}

/** Stamp of the newest complete backup (one with a SHA256SUMS) under the backup root, if any. */
export async function latestBackup(host: Host, backupRoot: string): Promise<string | undefined> {
  const r = await host.run({
    sudo: true, // the backup root is root's, 0700
    argv: ['find', backupRoot, '-mindepth', '2', '-maxdepth', '2', '-name', 'SHA256SUMS', '-size', '+0'],
  });
  if (r.code !== 0) return undefined;
  const stamps = r.stdout
    .split('\n')
    .map((l) => l.split('/').at(-2) ?? '')
    .filter((s) => backupStampPattern.test(s))
    .sort();
  return stamps.at(-1);
}
