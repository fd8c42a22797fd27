/**
 * Issue 19: the SQL of the write mark (write-mark.ts), pure. Read by the mark and the check with `--raw` output (one
 * table a line, tab-separated; a name with a tab or a line break is refused by the scripts):
 * - `meta`: every base table's name, AUTO_INCREMENT, UPDATE_TIME and engine, from information_schema (no row read);
 * - `exact`: per table, the statement that measures its rows exactly, one line `<name>\t<statement>`, each printing
 *   one line: CHECKSUM TABLE; for a table with Dolibarr's last-login columns (llx_user), its row count and a sum of
 *   row CRCs without those columns, because every login writes them (user.class.php update_last_login_date(), the
 *   same four columns in 19.0.4 l.2295-2300 and 20.0.2 l.2358-2363). Neither depends on the clock, unlike MAX(tms).
 * - `now`: the server's clock, to the second (UPDATE_TIME's resolution).
 */
const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/** What a Dolibarr login writes (and nothing else in the row). */
export const loginColumns = ['datelastlogin', 'datepreviouslogin', 'iplastlogin', 'ippreviouslogin'] as const;

export interface WriteMarkSql {
  meta: string;
  exact: string;
  now: string;
}

export function writeMarkSql(schema: string): WriteMarkSql {
  const s = sqlString(schema);
  // the schema as it appears inside a string literal the SQL builds (quotes doubled)
  const db = ident(schema).replace(/'/g, "''");
  const t = "REPLACE(table_name, '`', '``')";
  const base = `FROM information_schema.tables WHERE table_schema = ${s} AND table_type = 'BASE TABLE'`;
  const logins = `SELECT table_name FROM information_schema.columns WHERE table_schema = ${s} AND column_name = '${loginColumns[0]}'`;
  const others = loginColumns.map((c) => `'${c}'`).join(', ');
  const column = "CONCAT('IFNULL(`', REPLACE(column_name, '`', '``'), '`, 0x00)')";
  return {
    meta: `SELECT table_name, IFNULL(auto_increment, '-'), IFNULL(DATE_FORMAT(update_time, '%Y-%m-%d %H:%i:%s'), '-'), IFNULL(engine, '-') ${base} ORDER BY table_name`,
    exact:
      `SELECT table_name, CONCAT('SELECT COUNT(*), IFNULL(SUM(CRC32(CONCAT_WS(0x1f, ', GROUP_CONCAT(${column} ORDER BY ordinal_position SEPARATOR ', '), '))), ''-'') FROM ${db}.\`', ${t}, '\`;') ` +
      `FROM information_schema.columns WHERE table_schema = ${s} AND table_name IN (${logins}) AND column_name NOT IN (${others}) GROUP BY table_name ` +
      `UNION ALL SELECT table_name, CONCAT('CHECKSUM TABLE ${db}.\`', ${t}, '\`;') ${base} AND table_name NOT IN (${logins}) ` +
      'ORDER BY 1',
    now: "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s')",
  };
}
