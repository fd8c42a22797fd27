import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import { backupOf } from '../../backup/context.js';
import { quote, toShell } from '../../hosts/shell.js';
import type { Action, Step, StepContext } from '../step.js';

/**
 * Policy "Execute Rollback: restore database" (`mysql mokocrm_client < backup.sql`), made exact: every table and
 * view of the database is dropped first, because an upgrade creates tables the dump does not know (schema drift,
 * DOLIBARR.md §4) and a plain load would leave them behind; then the dump is loaded.
 */
const dropAllSql =
  "SELECT CONCAT(IF(table_type = 'VIEW', 'DROP VIEW IF EXISTS `', 'DROP TABLE IF EXISTS `'), REPLACE(table_name, '`', '``'), '`;') FROM information_schema.tables WHERE table_schema = DATABASE()";

export function restoreDatabaseActions(ctx: StepContext, database = ctx.plan.database.name): Action[] {
  const b = backupOf(ctx);
  const conn = dbConnection(ctx);
  const client = [...conn.argv('mariadb'), '--batch', '--skip-column-names', database];
  const drop = `{ echo 'SET FOREIGN_KEY_CHECKS=0;'; ${toShell([...client, '-e', dropAllSql])}; } | ${toShell(client)}`;
  return [
    ...conn.before,
    { kind: 'run', description: `drop every table of ${database}`, command: bashCommand(drop) },
    {
      kind: 'run',
      description: `load ${b.database} into ${database}`,
      command: bashCommand(`${toShell(client)} < ${quote(b.database)}`),
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
