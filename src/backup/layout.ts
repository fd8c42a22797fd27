import { posix } from 'node:path';

/**
 * One backup on the target (DESIGN.md "On the target": /var/backups/mokocrm/<client>/<stamp>/), policy
 * Phase 1 "Backup production": the database dump, the file archives, and a manifest:
 *   database.sql        mariadb-dump --single-transaction of the Dolibarr database (no CREATE DATABASE: restorable under any name)
 *   documents.tar.gz    $dolibarr_main_data_root (documents, install.lock)
 *   custom.tar.gz       htdocs/custom of the release being served
 *   conf.php            the shared conf.php, byte for byte (its instance id is the encryption key)
 *   tables/rows.tsv, tables/checksums.tsv   row count and CHECKSUM TABLE of every table, read from the test restore
 *   backup.json         what was backed up (client, release, versions, stamp)
 *   SHA256SUMS          sha256 of every file above, `sha256sum --check` format; written last (its presence = complete)
 */
export interface BackupLayout {
  root: string;
  stamp: string;
  dir: string;
  database: string;
  documents: string;
  custom: string;
  confPhp: string;
  tablesDir: string;
  rows: string;
  checksums: string;
  meta: string;
  sums: string;
}

/** Files listed in SHA256SUMS, relative to the backup directory. */
export const manifestFiles = [
  'database.sql',
  'documents.tar.gz',
  'custom.tar.gz',
  'conf.php',
  'tables/rows.tsv',
  'tables/checksums.tsv',
  'backup.json',
] as const;

export function backupLayout(backupRoot: string, stamp: string): BackupLayout {
  const dir = posix.join(backupRoot, stamp);
  const at = (name: string) => posix.join(dir, name);
  return {
    root: backupRoot,
    stamp,
    dir,
    database: at('database.sql'),
    documents: at('documents.tar.gz'),
    custom: at('custom.tar.gz'),
    confPhp: at('conf.php'),
    tablesDir: at('tables'),
    rows: at('tables/rows.tsv'),
    checksums: at('tables/checksums.tsv'),
    meta: at('backup.json'),
    sums: at('SHA256SUMS'),
  };
}

/** Backup directories are named by a UTC stamp yyyymmddHHMMSS; anything else in the backup root is left alone. */
export const backupStampPattern = /^\d{14}$/;
