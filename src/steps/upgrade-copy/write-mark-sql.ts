/**
 * Issue 19: the SQL of the write mark (write-mark.ts), pure. Read by the mark and the check with `--raw` output (one
 * table a line, tab-separated; a name with a tab or a line break is refused by the scripts):
 * - `meta`: every base table's name, AUTO_INCREMENT, UPDATE_TIME and engine, from information_schema (no row read);
 * - `exact`: per table, the statement that measures its rows exactly, one line `<name>\t<statement>`, each printing
 *   one line: CHECKSUM TABLE; for a table with Dolibarr's last-login columns (llx_user), its row count and a sum of
 *   row CRCs without those columns, because every login writes them (user.class.php update_last_login_date(), the
 *   same four columns in 19.0.4 l.2295-2300 and 20.0.2 l.2358-2363). Neither depends on the clock, unlike MAX(tms).
 * - `small`: the tables the mark measures exactly inside the write-unavailable window whatever their metadata: those
 *   with the last-login columns (every login moves them: the check always measures them) and those whose data is at
 *   most `smallTableBytes` (information_schema's DATA_LENGTH, InnoDB's statistics: the empty and dictionary tables).
 *   The mark adds every table whose metadata cannot prove it untouched (write-mark-scripts.ts); the rest is measured
 *   after writes are back (the mark's exact part).
 * - `now`: the server's clock, to the second (UPDATE_TIME's resolution).
 */
const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/** What a Dolibarr login writes (and nothing else in the row). */
export const loginColumns = ['datelastlogin', 'datepreviouslogin', 'iplastlogin', 'ippreviouslogin'] as const;

/**
 * Tables at most this big (DATA_LENGTH: 4 InnoDB pages of 16 KiB) are measured inside the window: reading them costs
 * at most the number of tables times 64 KiB (about 20 MB for Dolibarr 20's ~310 tables, in practice the empty and
 * dictionary tables: far less), whatever the number of third parties. A table that grows past it is measured after
 * writes are back; a stale statistic only moves a table between the two parts, never loses its measure.
 */
export const smallTableBytes = 65536;

export interface WriteMarkSql {
  meta: string;
  exact: string;
  small: string;
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
    small: `SELECT table_name ${base} AND (data_length <= ${smallTableBytes} OR table_name IN (${logins})) ORDER BY 1`,
    now: "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s')",
  };
}
