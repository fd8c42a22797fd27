import { bashCommand } from '../../backup/bash.js';
import { backupOf } from '../../backup/context.js';
import { dbConnection } from '../../backup/connection.js';
import type { Step, StepContext } from '../step.js';

/**
 * Issue 19: has anyone written the database since the switch? A mark is taken on the migrated copy just before
 * `current` moves (nobody can write it then: the old release serves the old database, read-only), and a rollback
 * before writes takes the same measure with the new release read-only again: equal, nothing is lost by going back;
 * different, the verified restore applies. Cheaper than row counts plus CHECKSUM TABLE of every table (which reads
 * every row twice) and still exact for what Dolibarr writes:
 * - AUTO_INCREMENT of every table (information_schema; persistent in InnoDB since MariaDB 10.2.4): any INSERT moves
 *   it, even one rolled back;
 * - for a table with an `ON UPDATE CURRENT_TIMESTAMP` column (Dolibarr's `tms`, 222 of 373 tables in 20.0.2): its row
 *   count (DELETE) and the column's MAX (an UPDATE that changes a value stamps it with the statement's time; the
 *   mark waits until the server's clock has left the mark's second, so any later UPDATE stamps a greater value);
 * - every other table (dictionaries, link and line tables): CHECKSUM TABLE.
 * A login writes llx_user's last-login columns with `tms = tms` (user.class.php update_last_login_date(), l.2358-2364
 * in 20.0.2): the health check's login (and any user's) leaves the mark equal; anything else a user does writes.
 * information_schema's UPDATE_TIME is not used: InnoDB keeps it in memory only (lost on restart or eviction).
 */
const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (s: string) => `\`${s.replace(/`/g, '``')}\``;

export function writeMarkQueries(schema: string) {
  const s = sqlString(schema);
  const db = ident(schema).replace(/'/g, "''");
  const onUpdate = `SELECT table_name FROM information_schema.columns WHERE table_schema = ${s} AND extra LIKE '%on update%'`;
  const t = "REPLACE(table_name, '`', '``')";
  return {
    autoIncrement: `SELECT 'ai', table_name, IFNULL(auto_increment, '-') FROM information_schema.tables WHERE table_schema = ${s} AND table_type = 'BASE TABLE' ORDER BY table_name`,
    // one statement per table with an on-update column: its name, rows, MAX(column)
    stamped: `SELECT CONCAT('SELECT ''rows'', ', QUOTE(table_name), ', COUNT(*), IFNULL(MAX(\`', REPLACE(MIN(column_name), '\`', '\`\`'), '\`), ''-'') FROM ${db}.\`', ${t}, '\`;') FROM information_schema.columns WHERE table_schema = ${s} AND extra LIKE '%on update%' GROUP BY table_name ORDER BY table_name`,
    checksummed: `SELECT CONCAT('${db}.\`', ${t}, '\`') FROM information_schema.tables WHERE table_schema = ${s} AND table_type = 'BASE TABLE' AND table_name NOT IN (${onUpdate}) ORDER BY table_name`,
  };
}

/**
 * Constant: $1 the mark, $2 the measure's SQL (written here, run again by the check: one client, no generation
 * then), $3-$5 the queries (writeMarkQueries), $6 wait (1: until the server's clock is past the mark's second, so that
 * any later UPDATE stamps a greater `tms` than the mark's MAX), the rest the client's argv.
 */
export const writeMarkScript = [
  'out="$1"; sql="$2"; ai="$3"; stamped="$4"; summed="$5"; wait="$6"; shift 6',
  'q() { "$@" --batch --skip-column-names; }',
  '{',
  '  printf "%s;\\n" "$ai"',
  '  q "$@" -e "$stamped"',
  '  list="$(q "$@" -e "$summed" | paste -sd, -)"',
  '  [ -z "$list" ] || printf "CHECKSUM TABLE %s;\\n" "$list"',
  '} > "$sql.partial" && mv -f "$sql.partial" "$sql"',
  'q "$@" < "$sql" > "$out.partial" && mv -f "$out.partial" "$out"',
  '[ "$wait" != 1 ] || q "$@" -e "SELECT SLEEP(1.02 - MICROSECOND(NOW(6)) / 1000000)" > /dev/null',
].join('\n');

/** Where the mark (at the switch) and the measure of a rollback go: beside the upgrade's backup inventories. */
export const writeMarkPath = (ctx: StepContext, what: 'switch' | 'rollback' | 'sql'): string =>
  `${backupOf(ctx).tablesDir}/write-mark-${what}.${what === 'sql' ? 'sql' : 'tsv'}`;

export function writeMarkAction(ctx: StepContext, schema: string, file: string, wait = false) {
  const conn = dbConnection(ctx);
  const q = writeMarkQueries(schema);
  return [
    ...conn.before,
    {
      kind: 'run' as const,
      description: `write mark of ${schema} -> ${file}`,
      command: bashCommand(writeMarkScript, 1_800_000, [
        file,
        writeMarkPath(ctx, 'sql'),
        q.autoIncrement,
        q.stamped,
        q.checksummed,
        wait ? '1' : '0',
        ...conn.argv('mariadb'),
      ]),
    },
    ...conn.after,
  ];
}

export function writeMarkStep(id: string, schema: (ctx: StepContext) => string): Step {
  return {
    id,
    title: 'Write mark of the migrated copy (AUTO_INCREMENT, rows and MAX(tms), CHECKSUM TABLE of the rest)',
    policyRef: 'rollback.process',
    plan: (ctx) => writeMarkAction(ctx, schema(ctx), writeMarkPath(ctx, 'switch'), true),
  };
}

/** Constant: $1 the mark, $2 the measure's SQL, $3 now, the rest the client's argv; fails naming what changed. */

const compareScript = [
  'mark="$1"; sql="$2"; now="$3"; shift 3',
  'if ! [ -s "$mark" ] || ! [ -s "$sql" ]; then echo "no write mark at $mark: cannot tell whether the new release took writes" >&2; exit 3; fi',
  '"$@" --batch --skip-column-names < "$sql" > "$now"',
  'd="$(diff "$mark" "$now" | grep "^[<>]" | head -n 20 || true)"',
  '[ -z "$d" ] || { printf "the database changed since the switch (< at the switch, > now):\\n%s\\n" "$d" >&2; exit 1; }',
  'echo "no write since the switch"',
].join('\n');

/**
 * The live database measured now, by the SQL the mark wrote (one client), and compared with the mark (exit 1: writes;
 * 3: no mark). A table created since shows in the AUTO_INCREMENT lines, which list every table.
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
          description: 'measure the live database as at the mark, compare',
          command: bashCommand(compareScript, 1_800_000, [
            writeMarkPath(ctx, 'switch'),
            writeMarkPath(ctx, 'sql'),
            writeMarkPath(ctx, 'rollback'),
            ...conn.argv('mariadb'),
          ]),
        },
        ...conn.after,
      ];
    },
  };
}
