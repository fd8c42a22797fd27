/**
 * Issue 19, the write fence: one MariaDB session holding `LOCK TABLES <every base table of a schema> READ`. The
 * lock is MDL_SHARED_READ_ONLY on each table: compatible with readers (a slow SELECT in flight goes on, new ones
 * start), incompatible with every writer of any other session (MDL_SHARED_WRITE: INSERT, UPDATE, DELETE, SELECT ...
 * FOR UPDATE wait in "Waiting for table metadata lock"), and it waits for a transaction that already wrote a table
 * (bounded by lock_wait_timeout). Checked on MariaDB 10.11 (docs/DOLIBARR-NOTES.md "Write fence").
 * Pure SQL builders; fence.ts runs them. Table names come from information_schema inside the session (backticks
 * doubled in SQL, through a prepared statement): never through the shell.
 */

/** A schema name as mokodeploy makes them (the plan's name, or <name>_mk<stamp>): anything else is a bug. */
function checkedSchema(schema: string): string {
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(schema)) throw new Error(`bug: not a database name: ${schema}`);
  return schema;
}

function checkedUser(user: string): string {
  if (!/^[A-Za-z0-9_]{1,32}$/.test(user)) throw new Error(`bug: not a database account: ${user}`);
  return user;
}

/** A single-quoted SQL string (NO_BACKSLASH_ESCAPES off, MariaDB's default). */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The fence session's last statement names its schema: how later sessions find it (with our account's name). */
export const fenceMarker = (schema: string): string => `mokodeploy-fence:${checkedSchema(schema)}`;

/** processlist rows of the fence sessions on `schema`: our account, in the marked sleep, not the asking session. */
export function fenceSessionsWhere(schema: string): string {
  const tail = sqlString(`, ${sqlString(fenceMarker(schema))}`);
  return [
    "user = SUBSTRING_INDEX(USER(), '@', 1)",
    'id <> CONNECTION_ID()',
    "info LIKE 'DO SLEEP(%'",
    `RIGHT(info, CHAR_LENGTH(${tail})) = ${tail}`,
  ].join(' AND ');
}

export interface FenceTimes {
  /** lock_wait_timeout: how long the LOCK may wait for a transaction that already wrote. */
  waitSeconds: number;
  /** The fence ends by itself after this (mokodeploy killed: never a site blocked for ever). */
  lifetimeSeconds: number;
}

/**
 * The fence session: lock every base table of `schema` for reading, print `fence-held <connection id> <highest
 * connection id>` once held, then sleep (the marker in the statement) until KILLed or `lifetimeSeconds` passed.
 * No table to lock is an error (SIGNAL), as is a lock wait longer than `waitSeconds` (error 1205).
 */
export function fenceSql(schema: string, t: FenceTimes): string {
  const s = sqlString(checkedSchema(schema));
  const quoted =
    "CONCAT('`', REPLACE(table_schema, '`', '``'), '`.`', REPLACE(table_name, '`', '``'), '` READ')";
  const none = sqlString(
    `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${sqlString(`no table to fence in ${schema}`)}`,
  );
  return [
    `SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(t.waitSeconds))};`,
    // a server-wide max_statement_time would end the sleep, and the fence with it
    'SET SESSION max_statement_time = 0;',
    'SET SESSION group_concat_max_len = 4294967295;',
    `SET @mokodeploy_fence = (SELECT CONCAT('LOCK TABLES ', GROUP_CONCAT(${quoted} SEPARATOR ', ')) FROM information_schema.tables WHERE table_schema = ${s} AND table_type = 'BASE TABLE');`,
    `SET @mokodeploy_fence = COALESCE(@mokodeploy_fence, ${none});`,
    'PREPARE mokodeploy_fence FROM @mokodeploy_fence;',
    'EXECUTE mokodeploy_fence;',
    // one statement from the print to the sleep: no moment between them without the marker in processlist
    'DELIMITER //',
    'BEGIN NOT ATOMIC',
    "  SELECT CONCAT('fence-held ', CONNECTION_ID(), ' ', (SELECT MAX(id) FROM information_schema.processlist));",
    `  DO SLEEP(${Math.max(1, Math.ceil(t.lifetimeSeconds))}), ${sqlString(fenceMarker(schema))};`,
    'END//',
    '',
  ].join('\n');
}

/** How many fence sessions hold `schema` (0: none). */
export function fenceCountSql(schema: string): string {
  return `SELECT COUNT(*) FROM information_schema.processlist WHERE ${fenceSessionsWhere(schema)};`;
}

/** End every fence on `schema` (KILL of its session: the locks go with it). Prints how many were ended. */
export function fenceEndSql(schema: string): string {
  return [
    'DELIMITER //',
    'BEGIN NOT ATOMIC',
    '  DECLARE ended INT DEFAULT 0;',
    '  DECLARE CONTINUE HANDLER FOR 1094 BEGIN END; -- gone meanwhile',
    `  FOR f IN (SELECT id FROM information_schema.processlist WHERE ${fenceSessionsWhere(schema)}) DO`,
    '    KILL f.id;',
    '    SET ended = ended + 1;',
    '  END FOR;',
    '  SELECT ended;',
    'END//',
    '',
  ].join('\n');
}

/**
 * After `current` went back: the site's connections still on the abandoned `schema` are requests of the new release
 * in flight. A writer among them waits on the fence: its write would land in a database nobody serves, so its
 * connection is KILLed (the request fails, as a write refused). The others are waited for (polls of 50 ms, at most
 * `timeoutSeconds`: nginx's fastcgi_read_timeout is 60 s by default, a request still running after that has already
 * been answered 504), then KILLed, and the fence ended. Prints `<writers killed> <killed at the bound> <fences
 * ended>`.
 */
export function fenceReleaseSql(schema: string, siteUser: string, timeoutSeconds: number): string {
  const ours = `user = ${sqlString(checkedUser(siteUser))} AND db = ${sqlString(checkedSchema(schema))} AND id <> CONNECTION_ID()`;
  const polls = Math.ceil(timeoutSeconds * 20);
  return [
    'DELIMITER //',
    'BEGIN NOT ATOMIC',
    '  DECLARE writers INT DEFAULT 0;',
    '  DECLARE stragglers INT DEFAULT 0;',
    '  DECLARE ended INT DEFAULT 0;',
    '  DECLARE n INT DEFAULT 1;',
    '  DECLARE polls INT DEFAULT 0;',
    '  DECLARE CONTINUE HANDLER FOR 1094 BEGIN END; -- gone meanwhile',
    `  WHILE n > 0 AND polls <= ${polls} DO`,
    `    FOR w IN (SELECT id FROM information_schema.processlist WHERE ${ours} AND command <> 'Killed' AND state = 'Waiting for table metadata lock') DO`,
    '      KILL w.id;',
    '      SET writers = writers + 1;',
    '    END FOR;',
    `    SELECT COUNT(*) INTO n FROM information_schema.processlist WHERE ${ours} AND command <> 'Killed';`,
    '    IF n > 0 THEN DO SLEEP(0.05); SET polls = polls + 1; END IF;',
    '  END WHILE;',
    `  FOR s IN (SELECT id FROM information_schema.processlist WHERE ${ours} AND command <> 'Killed') DO`,
    '    KILL s.id;',
    '    SET stragglers = stragglers + 1;',
    '  END FOR;',
    `  FOR f IN (SELECT id FROM information_schema.processlist WHERE ${fenceSessionsWhere(schema)}) DO`,
    '    KILL f.id;',
    '    SET ended = ended + 1;',
    '  END FOR;',
    "  SELECT CONCAT(writers, ' ', stragglers, ' ', ended);",
    'END//',
    '',
  ].join('\n');
}
