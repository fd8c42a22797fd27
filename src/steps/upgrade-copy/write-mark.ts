import { bashCommand } from '../../backup/bash.js';
import { backupOf } from '../../backup/context.js';
import { dbConnection } from '../../backup/connection.js';
import type { Command } from '../../hosts/host.js';
import type { Step, StepContext } from '../step.js';
import { writeMarkSql } from './write-mark-sql.js';
import { checkWritesScript, writeMarkExactScript, writeMarkScript } from './write-mark-scripts.js';

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
 * - every other table is measured exactly, as the mark measured it (write-mark-sql.ts): CHECKSUM TABLE, or
 *   for llx_user its rows without the four last-login columns. No measure depends on the clock (MAX(tms) did, and
 *   made the mark wait for the next second inside the write-unavailable window).
 * A login writes only llx_user's last-login columns (user.class.php update_last_login_date(), l.2358-2364 in
 * 20.0.2): logins (the health check's, anyone's) are not writes; anything else a user does is.
 *
 * The mark is taken in two parts so that the write-unavailable window does not grow with the data: inside it, the
 * metadata of every table and the exact measure of the tables that are cheap or that the check always measures
 * (llx_user, the small ones, those whose UPDATE_TIME proves nothing: write-mark-scripts.ts writeMarkScript); after
 * writes are back (`upgrade:write-mark-exact`), the exact measure of the rest in one consistent read, kept only for
 * the tables whose metadata then still equals the mark's (writeMarkExactScript). Without that part (killed, failed),
 * a deferred table that moved counts as written: the rollback before writes is refused, the verified restore applies.
 */
export interface WriteMarkFiles {
  /** The mark (at the switch). */
  mark: string;
  /** The SQL the check runs (the mark's queries). */
  sql: string;
  /** The mark's exact part, taken after writes are back. */
  exact: string;
}

export function writeMarkCommand(schema: string, files: WriteMarkFiles, clientArgv: readonly string[]): Command {
  const q = writeMarkSql(schema);
  return bashCommand(writeMarkScript, 1_800_000, [
    files.mark,
    files.sql,
    files.exact,
    q.meta,
    q.exact,
    q.small,
    q.now,
    ...clientArgv,
  ]);
}

/** Exit 0 with the exact part written, 4 without it (the step accepts both: the upgrade is done either way). */
export const exactPartFailed = 4;

/** The mark's exact part (the tables it deferred), after writes are back. */
export function writeMarkExactCommand(files: WriteMarkFiles, clientArgv: readonly string[]): Command {
  return bashCommand(writeMarkExactScript, 1_800_000, [files.mark, files.sql, files.exact, ...clientArgv]);
}

/** The live database measured against the mark (exit 1 naming what changed, 3 without a mark). */
export function checkWritesCommand(
  files: WriteMarkFiles & { now: string },
  clientArgv: readonly string[],
): Command {
  return bashCommand(checkWritesScript, 1_800_000, [
    files.mark,
    files.sql,
    files.now,
    files.exact,
    ...clientArgv,
  ]);
}

/** Where the mark (at the switch), its parts and the measure of a rollback go: beside the backup's inventories. */
export const writeMarkPath = (ctx: StepContext, what: 'switch' | 'rollback' | 'sql' | 'exact'): string =>
  `${backupOf(ctx).tablesDir}/write-mark-${what}.${what === 'sql' ? 'sql' : 'tsv'}`;

const markFiles = (ctx: StepContext): WriteMarkFiles => ({
  mark: writeMarkPath(ctx, 'switch'),
  sql: writeMarkPath(ctx, 'sql'),
  exact: writeMarkPath(ctx, 'exact'),
});

export function writeMarkAction(ctx: StepContext, schema: string) {
  const conn = dbConnection(ctx);
  const files = markFiles(ctx);
  return [
    ...conn.before,
    {
      kind: 'run' as const,
      description: `write mark of ${schema} -> ${files.mark} (what is cheap; the rest after writes are back)`,
      command: writeMarkCommand(schema, files, conn.argv('mariadb')),
    },
    ...conn.after,
  ];
}

export function writeMarkStep(id: string, schema: (ctx: StepContext) => string): Step {
  return {
    id,
    title:
      'Write mark of the migrated copy (metadata of every table; llx_user and the small tables measured exactly)',
    policyRef: 'rollback.process',
    plan: (ctx) => writeMarkAction(ctx, schema(ctx)),
  };
}

/** The mark's exact part, after `upgrade:writable` (outside the write-unavailable window). */
export function writeMarkExactStep(id: string): Step {
  return {
    id,
    title: "The write mark's exact part (the other tables, one consistent read, after writes are back)",
    policyRef: 'rollback.process',
    plan(ctx) {
      const conn = dbConnection(ctx);
      const files = markFiles(ctx);
      return [
        ...conn.before,
        {
          kind: 'run',
          description: `exact part of the write mark -> ${files.exact} (kept for the tables nobody wrote meanwhile)`,
          command: writeMarkExactCommand(files, conn.argv('mariadb')),
          okCodes: [0, exactPartFailed],
        },
        ...conn.after,
      ];
    },
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
            { ...markFiles(ctx), now: writeMarkPath(ctx, 'rollback') },
            conn.argv('mariadb'),
          ),
        },
        ...conn.after,
      ];
    },
  };
}
