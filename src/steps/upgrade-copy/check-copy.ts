import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import { liveDatabase } from '../../backup/live-database.js';
import type { Step } from '../step.js';

const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * What a copy cannot carry, counted in one query: views, triggers and routines stay in their schema when tables
 * are renamed across schemas (a trigger even makes RENAME TABLE fail), events likewise, and INSERT … SELECT *
 * cannot fill a generated column; table names outside [A-Za-z0-9_$] are refused so no name needs quoting in a
 * shell. Dolibarr creates none of these (its install/mysql/ has no view, trigger or routine for MariaDB); a module
 * might. Plus the size of the live schema, for the free space check.
 */
export function copyObstaclesSql(live: string): string {
  const s = sqlString(live);
  return [
    'SELECT',
    `(SELECT COUNT(*) FROM information_schema.views WHERE table_schema = ${s}),`,
    `(SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = ${s}),`,
    `(SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = ${s}),`,
    `(SELECT COUNT(*) FROM information_schema.events WHERE event_schema = ${s}),`,
    `(SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = ${s} AND extra LIKE '%GENERATED%'),`,
    `(SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ${s} AND table_name NOT REGEXP '^[A-Za-z0-9_$]+$'),`,
    `(SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables WHERE table_schema = ${s}),`,
    '@@datadir',
  ].join(' ');
}

/**
 * Constant: $1 the query, the rest the client. Free space is read with df on the data directory when the server
 * runs on this host (socket or localhost); the copy needs the live schema's size plus a fifth for the migration.
 */
export const checkCopyScript = [
  'read -r views triggers routines events generated names size datadir < <("${@:2}" --batch --skip-column-names -e "$1")',
  'problems=""',
  '[ "$views" = 0 ] || problems="$problems $views view(s);"',
  '[ "$triggers" = 0 ] || problems="$problems $triggers trigger(s);"',
  '[ "$routines" = 0 ] || problems="$problems $routines routine(s);"',
  '[ "$events" = 0 ] || problems="$problems $events event(s);"',
  '[ "$generated" = 0 ] || problems="$problems $generated generated column(s);"',
  '[ "$names" = 0 ] || problems="$problems $names table name(s) outside [A-Za-z0-9_\\$];"',
  '[ -z "$problems" ] || { printf "the database cannot be copied:%s upgrade in place instead (--in-place)\\n" "$problems" >&2; exit 1; }',
  'need=$((size + size / 5))',
  'if [ -d "$datadir" ]; then',
  '  free="$(df --output=avail -B1 "$datadir" | tail -n 1 | tr -d " ")"',
  '  [ "$free" -ge "$need" ] || { printf "the copy needs %s bytes free in %s, %s are: free space, or upgrade in place (--in-place)\\n" "$need" "$datadir" "$free" >&2; exit 1; }',
  '  printf "copy needs %s bytes, %s free in %s\\n" "$need" "$free" "$datadir"',
  'else',
  '  printf "copy needs %s bytes on the database server (free space not measured from here)\\n" "$need"',
  'fi',
].join('\n');

export const checkCopy: Step = {
  id: 'upgrade:check-copy',
  title: 'The database can be copied (no view, trigger, routine; free space for a second copy)',
  policyRef: 'deploy.phase2.configure-database',
  plan(ctx) {
    const conn = dbConnection(ctx);
    return [
      ...conn.before,
      {
        kind: 'run',
        description: `${liveDatabase(ctx)}: nothing a copy would lose, room for it`,
        command: bashCommand(checkCopyScript, 120_000, [
          copyObstaclesSql(liveDatabase(ctx)),
          ...conn.argv('mariadb'),
        ]),
      },
      ...conn.after,
    ];
  },
};
