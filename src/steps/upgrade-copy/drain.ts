import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import type { Action, StepContext } from '../step.js';

/**
 * Issue 19: read-only mode is a state file tested when a request includes conf.php (release-conf.ts), so a request
 * that included it just before the file appeared may still write. The PHP-FPM reload this replaces waited for the
 * old workers to finish their requests; here the database says it: a Dolibarr request holds one connection of the
 * site's account from bootstrap (master.inc.php getDoliDBInstance(), right after conf.php) to its end (no
 * persistent connections), and MariaDB numbers connections in increasing order. So, after a margin covering
 * conf.php -> connect, the highest connection id is noted and the step waits until no connection of the site's
 * account up to it is left (at most `timeout` s: a client of the same account holding a connection fails the step,
 * which leaves the release read-only for the caller's way back). One client, one compound statement (no process
 * per poll). It prints the connections left (0 when drained).
 */
export function drainSql(user: string, marginSeconds: number, timeoutSeconds: number): string {
  if (!/^[A-Za-z0-9_]{1,32}$/.test(user)) throw new Error(`bug: not a database account: ${user}`);
  const polls = Math.ceil(timeoutSeconds * 20);
  return [
    'DELIMITER //',
    'BEGIN NOT ATOMIC',
    '  DECLARE upto BIGINT UNSIGNED;',
    '  DECLARE n INT DEFAULT 1;',
    '  DECLARE polls INT DEFAULT 0;',
    `  DO SLEEP(${marginSeconds});`,
    '  SELECT MAX(id) INTO upto FROM information_schema.processlist;',
    `  WHILE n > 0 AND polls < ${polls} DO`,
    `    SELECT COUNT(*) INTO n FROM information_schema.processlist WHERE user = '${user}' AND id <= upto AND id <> CONNECTION_ID();`,
    '    IF n > 0 THEN DO SLEEP(0.05); SET polls = polls + 1; END IF;',
    '  END WHILE;',
    '  SELECT n;',
    'END//',
    '',
  ].join('\n');
}

/** $1 the timeout (for the message), $2 the SQL, the rest the client's argv. */
export const drainScript = [
  'timeout="$1"; sql="$2"; shift 2',
  'n="$(printf "%s" "$sql" | "$@" --batch --skip-column-names)"',
  '[ "$n" = 0 ] && exit 0',
  'echo "$n connection(s) of the site opened before read-only mode still open after ${timeout} s (information_schema.processlist)" >&2',
  'exit 1',
].join('\n');

/** conf.php -> database connection in Dolibarr's bootstrap: milliseconds; this covers a loaded machine. */
export const drainDefaults = { marginSeconds: 0.25, timeoutSeconds: 60 };

export function drainActions(ctx: StepContext): Action[] {
  const conn = dbConnection(ctx);
  const user = ctx.plan.database.user;
  return [
    ...conn.before,
    {
      kind: 'run',
      description: `wait until requests that started before read-only mode have ended (connections of ${user})`,
      command: bashCommand(drainScript, (drainDefaults.timeoutSeconds + 30) * 1000, [
        String(drainDefaults.timeoutSeconds),
        drainSql(user, drainDefaults.marginSeconds, drainDefaults.timeoutSeconds),
        ...conn.argv('mariadb'),
      ]),
    },
    ...conn.after,
  ];
}
