import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import type { Action, StepContext } from '../step.js';

/**
 * Issue 19: read-only mode is a state file tested when a request includes conf.php (release-conf.ts), so a request
 * that included it just before the file appeared may still write. The PHP-FPM reload this replaces waited for the
 * old workers to finish their requests; here the database says it: a Dolibarr request holds one connection of the
 * site's account from bootstrap (master.inc.php getDoliDBInstance(), right after conf.php) to its end (no
 * persistent connections), and MariaDB numbers connections in increasing order. So, after a margin covering
 * conf.php -> connect: our own connection's id, then wait until no connection of the site's account with a smaller
 * id is left (at most `timeout` s: a client of the same account holding a connection fails the step, which leaves
 * the release read-only for the caller's way back). $1 margin (s), $2 timeout (s), $3 the count query's prefix
 * (our id is appended, digits only), the rest the client's argv.
 */
export const drainScript = [
  'margin="$1"; timeout="$2"; count="$3"; shift 3',
  'sleep "$margin"',
  'me="$("$@" --batch --skip-column-names -e "SELECT CONNECTION_ID()")"',
  'case "$me" in ""|*[!0-9]*) echo "no connection id from the server: $me" >&2; exit 1;; esac',
  'end=$(( $(date +%s) + timeout ))',
  'while :; do',
  '  n="$("$@" --batch --skip-column-names -e "$count $me")"',
  '  [ "$n" = 0 ] && exit 0',
  '  if [ "$(date +%s)" -ge "$end" ]; then',
  '    echo "$n connection(s) of the site opened before read-only mode still open after ${timeout} s (information_schema.processlist)" >&2',
  '    exit 1',
  '  fi',
  '  sleep 0.05',
  'done',
].join('\n');

/** conf.php -> database connection in Dolibarr's bootstrap: milliseconds; this covers a loaded machine. */
export const drainDefaults = { marginSeconds: 0.25, timeoutSeconds: 60 };

export function drainActions(ctx: StepContext): Action[] {
  const conn = dbConnection(ctx);
  // plan.database.user is [A-Za-z0-9_] (core/plan.ts)
  const count = `SELECT COUNT(*) FROM information_schema.processlist WHERE user = '${ctx.plan.database.user}' AND id <`;
  return [
    ...conn.before,
    {
      kind: 'run',
      description: `wait until requests that started before read-only mode have ended (connections of ${ctx.plan.database.user})`,
      command: bashCommand(drainScript, (drainDefaults.timeoutSeconds + 30) * 1000, [
        String(drainDefaults.marginSeconds),
        String(drainDefaults.timeoutSeconds),
        count,
        ...conn.argv('mariadb'),
      ]),
    },
    ...conn.after,
  ];
}
