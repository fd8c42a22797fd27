import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { targetError } from '../core/errors.js';
import { tableName, writeDefaultsFile, type TargetDb } from './target.js';

export interface BackupFile {
  path: string;
  sha256: string;
  size: number;
}

export interface MigrationBackup {
  dump: BackupFile;
  sources: BackupFile[];
}

/**
 * Policy order ("Backup of source data created"; backup before changing production): copy the
 * source files and dump the target tables the migration writes, before the first INSERT.
 * The password reaches mariadb-dump through a 0600 options file, never argv.
 */
export async function backupBeforeLoad(target: TargetDb, tables: string[], sources: string[], dir: string): Promise<MigrationBackup> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const dumpPath = join(dir, `${target.database}-tables.sql`);
  await dumpTables(target, tables.map((t) => tableName(target, t)), dumpPath);
  const copies = sources.map((src, i) => {
    const to = join(dir, `source-${i + 1}-${basename(src)}`);
    copyFileSync(src, to);
    return fileFacts(to);
  });
  return { dump: fileFacts(dumpPath), sources: copies };
}

/** The argv of the dump: no secret in it (the options file carries user, password, host). */
export function dumpArgv(defaultsFile: string, database: string, tables: string[]): string[] {
  return [`--defaults-extra-file=${defaultsFile}`, '--single-transaction', '--no-tablespaces', '--skip-dump-date', database, ...tables];
}

async function dumpTables(target: TargetDb, tables: string[], to: string): Promise<void> {
  const defaults = writeDefaultsFile(target);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('mariadb-dump', dumpArgv(defaults.path, target.database, tables), { stdio: ['ignore', 'pipe', 'pipe'] });
      const out = createWriteStream(to, { mode: 0o600 });
      let stderr = '';
      child.stdout.pipe(out);
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        out.close();
        if (code === 0) resolve();
        else reject(targetError(`mariadb-dump failed (exit ${code}): ${stderr.trim().split('\n')[0]}`, { fix: 'nothing was imported; check the target database and the dump tool' }));
      });
    });
  } finally {
    defaults.remove();
  }
}

function fileFacts(path: string): BackupFile {
  const content = readFileSync(path);
  return { path, sha256: createHash('sha256').update(content).digest('hex'), size: content.length };
}
