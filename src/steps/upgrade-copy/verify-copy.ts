import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import { sqlIdent } from '../../backup/sql.js';
import type { Step } from '../step.js';
import { liveDatabase } from '../../backup/live-database.js';
import { copyOf } from './names.js';

const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** One statement per base table of the live schema: its name, its rows, the copy's rows. */
export function countBothSql(live: string, copy: string): string {
  const t = "REPLACE(table_name, '`', '``')";
  const q = (db: string) => sqlIdent(db).replace(/'/g, "''");
  return `SELECT CONCAT('SELECT ', QUOTE(table_name), ', (SELECT COUNT(*) FROM ${q(live)}.\`', ${t}, '\`), (SELECT COUNT(*) FROM ${q(copy)}.\`', ${t}, '\`);') FROM information_schema.tables WHERE table_schema = ${sqlString(live)} AND table_type = 'BASE TABLE' ORDER BY table_name`;
}

/** Constant: $1 the generator, the rest the client's argv; fails naming every table whose rows differ. */
const verifyScript = [
  'out="$("${@:2}" -e "$1" | "${@:2}")"',
  'bad="$(printf "%s\\n" "$out" | awk -F"\\t" \'NF == 3 && $2 != $3 { printf "%s: %s rows, copy %s\\n", $1, $2, $3 }\')"',
  'n="$(printf "%s\\n" "$out" | grep -c . || true)"',
  '[ -z "$bad" ] || { printf "the copy differs from the live database:\\n%s\\n" "$bad" >&2; exit 1; }',
  'printf "%s tables, same rows\\n" "$n"',
].join('\n');

/** Issue 19: the copy has every table with the live one's row count (the live one is read-only: they must be equal). */
export const verifyCopy: Step = {
  id: 'upgrade:verify-copy',
  title: 'The copy has every table with the same number of rows',
  policyRef: 'deploy.phase2.configure-database',
  checks: ['upgrade:copy-database'],
  plan(ctx) {
    const conn = dbConnection(ctx);
    const live = liveDatabase(ctx);
    const copy = copyOf(ctx);
    return [
      ...conn.before,
      {
        kind: 'run',
        description: `rows of every table: ${live} = ${copy}`,
        command: bashCommand(verifyScript, 1_800_000, [
          countBothSql(live, copy),
          ...conn.argv('mariadb'),
          '--batch',
          '--skip-column-names',
        ]),
      },
      ...conn.after,
    ];
  },
};
