import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import { sqlIdent } from '../../backup/sql.js';
import { accountHost } from '../install/create-database.js';
import type { Step, StepContext } from '../step.js';
import { liveDatabase } from '../../backup/live-database.js';
import { copyOf } from './names.js';

/**
 * Issue 19 step 2: the live database copied into a new schema on the same server, while the served release is
 * read-only. Chosen for speed and exactness (measured in bench/upgrade.ts): the schema by mariadb-dump --no-data
 * (CREATE TABLE as SHOW CREATE TABLE prints it: keys, foreign keys, AUTO_INCREMENT, charset), then the rows by
 * `INSERT INTO copy.t SELECT * FROM live.t` run by the server itself (no rows through a client), the largest
 * tables first, spread over parallel connections, foreign key checks off. Every table's rows are counted on both
 * sides afterwards (verify-copy.ts). Views, triggers and routines would not follow a RENAME TABLE: check-copy.ts
 * refuses them before anything changes.
 */
export const copyParallelism = 3;

const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Statements run by the server, one per line: INSERT … SELECT for every base table, largest first. */
export function copyRowsStatementsSql(live: string, copy: string): string {
  const t = "REPLACE(table_name, '`', '``')";
  return `SELECT CONCAT('INSERT INTO ${sqlIdent(copy).replace(/'/g, "''")}.\`', ${t}, '\` SELECT * FROM ${sqlIdent(live).replace(/'/g, "''")}.\`', ${t}, '\`;') FROM information_schema.tables WHERE table_schema = ${sqlString(live)} AND table_type = 'BASE TABLE' ORDER BY data_length + index_length DESC, table_name`;
}

/** CREATE DATABASE `name` with the charset and collation of `like` (EXECUTE IMMEDIATE takes no subquery). */
export function createLikeSql(like: string, name: string): string {
  return [
    `SELECT CONCAT('CREATE DATABASE ${sqlIdent(name)} CHARACTER SET ', default_character_set_name, ' COLLATE ', default_collation_name) INTO @mokodeploy_create FROM information_schema.schemata WHERE schema_name = ${sqlString(like)};`,
    'EXECUTE IMMEDIATE @mokodeploy_create;',
  ].join('\n');
}

export function prepareCopySql(ctx: StepContext, live: string, copy: string): string {
  const db = ctx.plan.database;
  const account = `${sqlString(db.user)}@${sqlString(accountHost(db.host))}`;
  return [
    `DROP DATABASE IF EXISTS ${sqlIdent(copy)};`,
    createLikeSql(live, copy),
    // the new release migrates the copy as the site's own account (its conf.php), as Dolibarr's upgrade does, and
    // serves it after the switch; `_` in a GRANT's schema name is a wildcard, so it is escaped (exactly this schema)
    `GRANT ALL PRIVILEGES ON ${sqlIdent(copy.replace(/_/g, '\\_'))}.* TO ${account};`,
  ].join('\n');
}

/**
 * Constant: $1 live, $2 copy, $3 parallel connections, $4 the statements' generator, then `--` the mariadb-dump argv
 * and `--` the mariadb argv. Statements are dealt round-robin to $3 files, run by as many clients at once.
 */
export const copyScript = [
  'live="$1"; copy="$2"; n="$3"; gen="$4"; shift 4',
  'dump=(); while [ "$1" != -- ]; do dump+=("$1"); shift; done; shift',
  'client=("$@")',
  'dir="$(mktemp -d)"; trap \'rm -rf "$dir"\' EXIT',
  '"${dump[@]}" --no-data --skip-triggers --skip-comments --single-transaction "$live" | "${client[@]}" "$copy"',
  'i=0; while IFS= read -r s; do printf "%s\\n" "$s" >> "$dir/part$((i % n))"; i=$((i + 1)); done < <("${client[@]}" --batch --skip-column-names -e "$gen")',
  'pids=(); for f in "$dir"/part*; do { printf "SET SESSION foreign_key_checks = 0, unique_checks = 0;\\n"; cat "$f"; } | "${client[@]}" "$copy" & pids+=($!); done',
  'for p in "${pids[@]}"; do wait "$p"; done',
].join('\n');

export const copyDatabase: Step = {
  id: 'upgrade:copy-database',
  title: 'Copy the database into a new schema (schema, then rows by INSERT … SELECT in parallel)',
  policyRef: 'deploy.phase2.configure-database',
  plan(ctx) {
    const conn = dbConnection(ctx);
    const live = liveDatabase(ctx);
    const copy = copyOf(ctx);
    return [
      ...conn.before,
      {
        kind: 'run',
        description: `create ${copy} (charset of ${live}) for the site's account`,
        command: {
          sudo: true,
          argv: [...conn.argv('mariadb'), '--batch'],
          stdin: prepareCopySql(ctx, live, copy),
        },
      },
      {
        kind: 'run',
        description: `copy ${live} into ${copy} (${copyParallelism} connections)`,
        command: bashCommand(copyScript, 3_600_000, [
          live,
          copy,
          String(copyParallelism),
          copyRowsStatementsSql(live, copy),
          ...conn.argv('mariadb-dump'),
          '--',
          ...conn.argv('mariadb'),
        ]),
      },
      ...conn.after,
    ];
  },
};

/** The copy dropped (an upgrade that stopped before the swap, or the schema left empty by it). */
export function dropCopyStep(id: string): Step {
  return {
    id,
    title: 'Drop the copy schema',
    policyRef: 'deploy.phase2.configure-database',
    plan(ctx) {
      const conn = dbConnection(ctx);
      const copy = copyOf(ctx);
      return [
        ...conn.before,
        {
          kind: 'run',
          description: `drop ${copy}`,
          command: {
            sudo: true,
            argv: [...conn.argv('mariadb'), '--batch', '-e', `DROP DATABASE IF EXISTS ${sqlIdent(copy)};`],
          },
        },
        ...conn.after,
      ];
    },
  };
}

/** The archives of earlier upgrades by copy of this plan's database (a rehearsal's copy leaves none behind). */
export function dropArchiveStep(id: string): Step {
  return {
    id,
    title: 'Drop the archive schemas of the upgrade by copy',
    policyRef: 'deploy.phase1.backup-production',
    plan(ctx) {
      const conn = dbConnection(ctx);
      const prefix = `${ctx.plan.database.name}_mk`;
      if (!ctx.plan.database.name.endsWith('_rehearsal'))
        throw new Error('bug: dropArchiveStep planned for a database that is not a rehearsal copy');
      // constant: $1 the prefix (letters, digits, _ only: the plan's name), the rest the client's argv. A name read
      // from SHOW DATABASES is the target's, not ours: only `<prefix><digits>` (copyDatabaseName's stamp) is dropped,
      // so a schema named with a backtick or a quote never reaches the SQL (trust audit, session 6)
      const script =
        '"${@:2}" --batch --skip-column-names -e "SHOW DATABASES" | while IFS= read -r d; do case "$d" in "$1"*) if [[ "${d#"$1"}" =~ ^[0-9]{1,20}$ ]]; then "${@:2}" -e "DROP DATABASE IF EXISTS \\`$d\\`" </dev/null; fi;; esac; done';
      return [
        ...conn.before,
        {
          kind: 'run',
          description: `drop ${prefix}* schemas`,
          command: bashCommand(script, 600_000, [prefix, ...conn.argv('mariadb')]),
        },
        ...conn.after,
      ];
    },
  };
}
