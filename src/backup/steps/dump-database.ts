import type { Step } from '../../steps/step.js';
import { liveDatabase } from '../live-database.js';
import { bashCommand } from '../bash.js';
import { dbConnection } from '../connection.js';
import { backupOf } from '../context.js';

/**
 * Policy Phase 1 "Full database backup": mariadb-dump in one consistent snapshot (--single-transaction, no lock
 * on InnoDB tables: the site stays up), routines and triggers, binary columns as hex, without CREATE DATABASE so it
 * restores under any name (scratch test restore, disaster recovery). Written to a temp name and renamed, so a
 * database.sql that exists is complete. The production table list is taken just after, for the restore test.
 */
export function dumpArgv(conn: ReturnType<typeof dbConnection>, database: string): string[] {
  return [
    ...conn.argv('mariadb-dump'),
    '--single-transaction',
    '--quick',
    '--routines',
    '--triggers',
    '--hex-blob',
    '--no-tablespaces',
    '--default-character-set=utf8mb4',
    database,
  ];
}

/** Constant: $1 the file written (through a .partial name for the dump), the rest the command's argv. */
const dumpScript = 'umask 077 && "${@:2}" > "$1.partial" && mv -f "$1.partial" "$1"';
const writeScript = 'umask 077 && "${@:2}" > "$1"';

export const productionTablesFile = (tablesDir: string) => `${tablesDir}/production-tables.txt`;

export const dumpDatabase: Step = {
  id: 'backup:database',
  title: 'Dump the database (mariadb-dump --single-transaction)',
  policyRef: 'deploy.phase1.backup-production',
  plan(ctx) {
    const b = backupOf(ctx);
    const conn = dbConnection(ctx);
    const db = liveDatabase(ctx);
    const tables = [
      ...conn.argv('mariadb'),
      '--batch',
      '--skip-column-names',
      db,
      '-e',
      "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
    ];
    return [
      ...conn.before,
      {
        kind: 'run',
        description: `mariadb-dump ${db} > ${b.database}`,
        command: bashCommand(dumpScript, undefined, [b.database, ...dumpArgv(conn, db)]),
      },
      {
        kind: 'run',
        description: 'list the production tables',
        command: bashCommand(writeScript, undefined, [productionTablesFile(b.tablesDir), ...tables]),
      },
      ...conn.after,
    ];
  },
};
