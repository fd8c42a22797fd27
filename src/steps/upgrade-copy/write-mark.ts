import { bashCommand } from '../../backup/bash.js';
import { backupOf } from '../../backup/context.js';
import { dbConnection } from '../../backup/connection.js';
import type { Command } from '../../hosts/host.js';
import type { Step, StepContext } from '../step.js';
import { writeMarkSql } from './write-mark-sql.js';
import { checkWritesScript, writeMarkScript } from './write-mark-scripts.js';

/**
 * Issue 19: has anyone written the database since the switch? A mark is taken on the migrated copy just before
 * writes come back (nobody can write it then: the web is read-only, cron paused, our own steps done), and a rollback
 * before writes measures the live database against it: equal, nothing is lost by going back; different, the
 * verified restore applies. The check costs what changed, not what exists:
 * - metadata of every table (information_schema, no row read): a table added or dropped, or AUTO_INCREMENT grown
 *   (any INSERT, even one rolled back; persistent in InnoDB since MariaDB 10.2.4) is a write;
 * - InnoDB's UPDATE_TIME, the start of the last transaction that changed the table (kept in memory only: NULL after
 *   a server restart or when the table left the dictionary cache; TEAM-NOTES): equal to the mark's, and before the
 *   second the mark started in, the table was not written (every later write starts after the mark);
 * - every other table is measured exactly, as the mark measured all of them (write-mark-sql.ts): CHECKSUM TABLE, or
 *   for llx_user its rows without the four last-login columns. No measure depends on the clock (MAX(tms) did, and
 *   made the mark wait for the next second inside the write-unavailable window).
 * A login writes only llx_user's last-login columns (user.class.php update_last_login_date(), l.2358-2364 in
 * 20.0.2): logins (the health check's, anyone's) are not writes; anything else a user does is.
 */
export function writeMarkCommand(
  schema: string,
  files: { mark: string; sql: string },
  clientArgv: readonly string[],
): Command {
  const q = writeMarkSql(schema);
  return bashCommand(writeMarkScript, 1_800_000, [
    files.mark,
    files.sql,
    q.meta,
    q.exact,
    q.now,
    ...clientArgv,
  ]);
}

/** The live database measured against the mark (exit 1 naming what changed, 3 without a mark). */
export function checkWritesCommand(
  files: { mark: string; sql: string; now: string },
  clientArgv: readonly string[],
): Command {
  return bashCommand(checkWritesScript, 1_800_000, [files.mark, files.sql, files.now, ...clientArgv]);
}

/** Where the mark (at the switch) and the measure of a rollback go: beside the upgrade's backup inventories. */
export const writeMarkPath = (ctx: StepContext, what: 'switch' | 'rollback' | 'sql'): string =>
  `${backupOf(ctx).tablesDir}/write-mark-${what}.${what === 'sql' ? 'sql' : 'tsv'}`;

export function writeMarkAction(ctx: StepContext, schema: string, file: string) {
  const conn = dbConnection(ctx);
  return [
    ...conn.before,
    {
      kind: 'run' as const,
      description: `write mark of ${schema} -> ${file}`,
      command: writeMarkCommand(schema, { mark: file, sql: writeMarkPath(ctx, 'sql') }, conn.argv('mariadb')),
    },
    ...conn.after,
  ];
}

export function writeMarkStep(id: string, schema: (ctx: StepContext) => string): Step {
  return {
    id,
    title:
      'Write mark of the migrated copy (AUTO_INCREMENT, UPDATE_TIME, rows and MAX(tms), CHECKSUM TABLE of the rest)',
    policyRef: 'rollback.process',
    plan: (ctx) => writeMarkAction(ctx, schema(ctx), writeMarkPath(ctx, 'switch')),
  };
}

/**
 * The live database now against the mark, by the SQL the mark wrote (it names the schema marked: the copy the switch
 * went to; a rollback before writes is offered only while it is live).
 */
export function checkNoWritesStep(id: string): Step {
  return {
    id,
    title: 'No write since the switch (the live database against the write mark)',
    policyRef: 'rollback.process',
    plan(ctx) {
      const conn = dbConnection(ctx);
      return [
        ...conn.before,
        {
          kind: 'run',
          description: 'measure the live database against the mark (metadata, then what moved exactly)',
          command: checkWritesCommand(
            {
              mark: writeMarkPath(ctx, 'switch'),
              sql: writeMarkPath(ctx, 'sql'),
              now: writeMarkPath(ctx, 'rollback'),
            },
            conn.argv('mariadb'),
          ),
        },
        ...conn.after,
      ];
    },
  };
}
