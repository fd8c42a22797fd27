/**
 * Issue 19: the SQL of the write mark (write-mark.ts), pure. Two queries read by the mark and the check, with
 * `--raw` output (one table a line, tab-separated; a name with a tab or a line break is refused by the scripts):
 * - `meta`: every base table's name, AUTO_INCREMENT, UPDATE_TIME and engine, from information_schema (no row read);
 * - `exact`: per table, the statement that measures its rows exactly, one line `<name>\t<statement>`: COUNT(*) and
 *   MAX of the `ON UPDATE CURRENT_TIMESTAMP` column (Dolibarr's `tms`) where there is one, CHECKSUM TABLE otherwise.
 *   Each statement prints exactly one line, so a file of them run by one client lines up with the names.
 */
const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (s: string) => `\`${s.replace(/`/g, '``')}\``;

export interface WriteMarkSql {
  meta: string;
  exact: string;
}

export function writeMarkSql(schema: string): WriteMarkSql {
  const s = sqlString(schema);
  // the schema as it appears inside a string literal the SQL builds (quotes doubled)
  const db = ident(schema).replace(/'/g, "''");
  const t = "REPLACE(table_name, '`', '``')";
  const base = `FROM information_schema.tables WHERE table_schema = ${s} AND table_type = 'BASE TABLE'`;
  const onUpdate = `SELECT table_name FROM information_schema.columns WHERE table_schema = ${s} AND extra LIKE '%on update%'`;
  return {
    meta: `SELECT table_name, IFNULL(auto_increment, '-'), IFNULL(DATE_FORMAT(update_time, '%Y-%m-%d %H:%i:%s'), '-'), IFNULL(engine, '-') ${base} ORDER BY table_name`,
    exact:
      `SELECT table_name, CONCAT('SELECT COUNT(*), IFNULL(MAX(\`', REPLACE(MIN(column_name), '\`', '\`\`'), '\`), ''-'') FROM ${db}.\`', ${t}, '\`;') ` +
      `FROM information_schema.columns WHERE table_schema = ${s} AND extra LIKE '%on update%' GROUP BY table_name ` +
      `UNION ALL SELECT table_name, CONCAT('CHECKSUM TABLE ${db}.\`', ${t}, '\`;') ${base} AND table_name NOT IN (${onUpdate}) ` +
      'ORDER BY 1',
  };
}
