import { dbConnection } from '../../backup/connection.js';
import { liveDatabase } from '../../backup/live-database.js';
import { bashCommand } from '../../backup/bash.js';
import type { Step, StepContext } from '../step.js';

/**
 * The version Dolibarr records for the database after the migration (step5.php l.394-412 writes
 * MAIN_VERSION_LAST_UPGRADE at entity 0) must be the release's DOL_VERSION: otherwise main.inc.php l.575-600
 * sends every page to install/index.php.
 */
/** Constant: $1 is the version wanted, the rest the client's argv that prints the database's version. */
const versionCheckScript =
  'v="$("${@:2}")"; test "$v" = "$1" || { printf "database version is %s, expected %s\\n" "$v" "$1" >&2; exit 1; }';

export function dbVersionCheck(
  ctx: StepContext,
  expected: (ctx: StepContext) => string,
): ReturnType<Step['plan']> {
  const conn = dbConnection(ctx);
  const want = expected(ctx);
  const sql =
    "SELECT value FROM llx_const WHERE entity = 0 AND name = IF(EXISTS(SELECT 1 FROM llx_const WHERE entity = 0 AND name = 'MAIN_VERSION_LAST_UPGRADE'), 'MAIN_VERSION_LAST_UPGRADE', 'MAIN_VERSION_LAST_INSTALL')";
  const query = [
    ...conn.argv('mariadb'),
    '--batch',
    '--skip-column-names',
    liveDatabase(ctx),
    '-e',
    sql,
  ];
  return [
    ...conn.before,
    {
      kind: 'run',
      description: `database version is ${want}`,
      command: bashCommand(versionCheckScript, undefined, [want, ...query]),
    },
    ...conn.after,
  ];
}

export const verifyDbVersion: Step = {
  id: 'upgrade:verify-db-version',
  title: 'The database is recorded at the new version (llx_const MAIN_VERSION_LAST_UPGRADE)',
  policyRef: 'deploy.phase3.health-check',
  plan: (ctx) => dbVersionCheck(ctx, (c) => c.plan.dolibarr.version),
};
