import { bashCommand } from '../../backup/bash.js';
import { liveDatabase } from '../../backup/live-database.js';
import { dbConnection } from '../../backup/connection.js';
import { backupOf } from '../../backup/context.js';
import type { Action, Step, StepContext } from '../step.js';

/**
 * Policy "Execute Rollback: restore database" (`mysql mokocrm_client < backup.sql`), made exact: every table and
 * view of the database is dropped first, because an upgrade creates tables the dump does not know (schema drift,
 * DOLIBARR.md §4) and a plain load would leave them behind; then the dump is loaded.
 */
const dropAllSql =
  "SELECT CONCAT(IF(table_type = 'VIEW', 'DROP VIEW IF EXISTS `', 'DROP TABLE IF EXISTS `'), REPLACE(table_name, '`', '``'), '`;') FROM information_schema.tables WHERE table_schema = DATABASE()";

/** Constant scripts: $1 the SQL that lists the DROP statements (or the dump), the rest the client's argv. */
const dropAllScript = '{ echo "SET FOREIGN_KEY_CHECKS=0;"; "${@:2}" -e "$1"; } | "${@:2}"';
const loadScript = '"${@:2}" < "$1"';

export function restoreDatabaseActions(ctx: StepContext, database = liveDatabase(ctx)): Action[] {
  const b = backupOf(ctx);
  const conn = dbConnection(ctx);
  const client = [...conn.argv('mariadb'), '--batch', '--skip-column-names', database];
  return [
    ...conn.before,
    {
      kind: 'run',
      description: `drop every table of ${database}`,
      command: bashCommand(dropAllScript, undefined, [dropAllSql, ...client]),
    },
    {
      kind: 'run',
      description: `load ${b.database} into ${database}`,
      command: bashCommand(loadScript, undefined, [b.database, ...client]),
    },
    ...conn.after,
  ];
}

export const restoreDatabase: Step = {
  id: 'rollback:restore-database',
  title: 'Restore the database from the backup (drop all tables, load the dump)',
  policyRef: 'rollback.process',
  plan: (ctx) => restoreDatabaseActions(ctx),
};
