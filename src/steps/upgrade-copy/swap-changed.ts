/**
 * Issue 19: the swap moves only the tables the migration changed. RENAME TABLE costs about 10 ms a table on the
 * test machine whatever its rows, and holds the metadata locks of every table it names for the whole statement:
 * readers of those tables wait. A Dolibarr database has about 300 tables; a migration changes part of them. A table
 * whose definition (columns, indexes, foreign keys, engine, collation, row format) and CHECKSUM TABLE are the same
 * in both schemas holds the same rows (the served release is read-only meanwhile): it stays where it is.
 *
 * The script is constant: $1 live, $2 out, $3 incoming, $4 the list file, $5 list|read, $6 and $7 the definition
 * queries of live and incoming (signatureSql), then the client's argv. `list` writes the tables to move into $4 and
 * stops (compare-copy, while the served release is read-only); `read` takes them from $4 (the swap, and the swap back,
 * which names the same tables without comparing again; it compares first when there is no list). One
 * RENAME TABLE moves live.T -> out.T and incoming.T -> live.T for every listed T; a second one (no reader) moves the
 * incoming schema's other, identical tables into `out`, so `out` holds a whole database; `incoming` is dropped.
 */
export function signatureSql(schema: string): string {
  const s = `'${schema.replace(/[^A-Za-z0-9_]/g, '')}'`;
  // flat queries, one pass each over information_schema (correlated subqueries took minutes on ~300 tables); the
  // script joins them per table. AUTO_INCREMENT is left out: with the same rows, a different counter is harmless.
  const per = (table: string, what: string, order: string, extra = '') =>
    `SELECT table_name, MD5(GROUP_CONCAT(CONCAT_WS('|', ${what}) ORDER BY ${order} SEPARATOR ';')) FROM information_schema.${table} WHERE table_schema = ${s}${extra} GROUP BY table_name;`;
  return [
    'SET SESSION group_concat_max_len = 16777216;',
    `SELECT table_name, MD5(CONCAT_WS('|', engine, table_collation, row_format)) FROM information_schema.tables WHERE table_schema = ${s} AND table_type = 'BASE TABLE';`,
    per(
      'columns',
      "column_name, column_type, is_nullable, IFNULL(column_default, '~'), extra, IFNULL(collation_name, '')",
      'ordinal_position',
    ),
    per(
      'statistics',
      "index_name, seq_in_index, column_name, non_unique, IFNULL(sub_part, '')",
      'index_name, seq_in_index',
    ),
    per(
      'key_column_usage',
      'constraint_name, column_name, referenced_table_name, referenced_column_name',
      'constraint_name, ordinal_position',
      ' AND referenced_table_name IS NOT NULL',
    ),
  ].join('\n');
}

export const swapChangedScript = [
  'live="$1"; out="$2"; incoming="$3"; list="$4"; mode="$5"; sig_live="$6"; sig_incoming="$7"; shift 7',
  'q() { "$@" --batch --skip-column-names; }',
  'tab="$(printf \'\\t\')"',
  'dir="$(mktemp -d)"; trap \'rm -rf "$dir"\' EXIT',
  'q "$@" -e "SELECT table_name FROM information_schema.tables WHERE table_schema = \'$live\'" | sort > "$dir/in-live"',
  'q "$@" -e "SELECT table_name FROM information_schema.tables WHERE table_schema = \'$incoming\'" | sort > "$dir/in-incoming"',
  'if grep -qvE \'^[A-Za-z0-9_$]+$\' "$dir/in-live" "$dir/in-incoming"; then echo "a table name outside [A-Za-z0-9_$]" >&2; exit 1; fi',
  'if [ "$mode" != read ] || [ ! -s "$list" ]; then',
  // several lines per table (definition, columns, indexes, foreign keys): one line each, folded in a fixed order
  '  fold_sig() { sort | awk -F"\\t" \'$1 != n { if (n != "") print n "\\t" h; n = $1; h = "" } { h = h ":" $2 } END { if (n != "") print n "\\t" h }\'; }',
  '  printf "%s" "$sig_live" | q "$@" | fold_sig > "$dir/live"',
  '  printf "%s" "$sig_incoming" | q "$@" | fold_sig > "$dir/incoming"',
  // in one schema only, or defined differently
  '  { join -t "$tab" -v1 -v2 "$dir/live" "$dir/incoming" | cut -f1',
  '    join -t "$tab" "$dir/live" "$dir/incoming" | awk -F"\\t" \'$2 != $3 { print $1 }\'; } > "$dir/changed"',
  '  join -t "$tab" "$dir/live" "$dir/incoming" | awk -F"\\t" \'$2 == $3 { print $1 }\' > "$dir/same"',
  // the same definition: the same rows? (CHECKSUM TABLE of each side in one statement)
  '  if [ -s "$dir/same" ]; then',
  '    a="$(sed "s/.*/\\`$live\\`.\\`&\\`/" "$dir/same" | paste -sd, -)"',
  '    b="$(sed "s/.*/\\`$incoming\\`.\\`&\\`/" "$dir/same" | paste -sd, -)"',
  '    q "$@" -e "CHECKSUM TABLE $a" | sed "s/^[^.]*\\.//" | sort > "$dir/sum-live"',
  '    q "$@" -e "CHECKSUM TABLE $b" | sed "s/^[^.]*\\.//" | sort > "$dir/sum-incoming"',
  '    join -t "$tab" "$dir/sum-live" "$dir/sum-incoming" | awk -F"\\t" \'$2 != $3 { print $1 }\' >> "$dir/changed"',
  '  fi',
  // closed under foreign keys: InnoDB points a child's foreign key at its parent's new name when the parent is
  // renamed, so a parent and its children (either way) must move together or an unchanged child would reference the
  // archive; every table linked by a foreign key (in either schema) to a moved one moves too
  '  for db in "$live" "$incoming"; do q "$@" -e "SELECT table_name, referenced_table_name FROM information_schema.referential_constraints WHERE constraint_schema = \'$db\'"; done > "$dir/edges"',
  '  awk -F"\\t" \'FILENAME == ARGV[1] { e[$1] = e[$1] " " $2; e[$2] = e[$2] " " $1; next } { m[$1] = 1 } END { do { more = 0; for (t in m) { n = split(e[t], a, " "); for (i = 1; i <= n; i++) if (!(a[i] in m)) { m[a[i]] = 1; more = 1 } } } while (more); for (t in m) print t }\' "$dir/edges" "$dir/changed" | sort -u > "$list"',
  'fi',
  '[ "$mode" != list ] || { echo "$(grep -c . "$list" || true) tables changed"; exit 0; }',
  'renames=""; incoming_renames=""',
  // every listed table leaves the live schema before any comes in: a foreign key constraint name is unique per
  // schema, and a migration may move one from a table to another
  'while read -r t; do',
  '  [ -n "$t" ] || continue',
  '  if grep -qxF "$t" "$dir/in-live"; then renames="$renames, \\`$live\\`.\\`$t\\` TO \\`$out\\`.\\`$t\\`"; fi',
  '  if grep -qxF "$t" "$dir/in-incoming"; then incoming_renames="$incoming_renames, \\`$incoming\\`.\\`$t\\` TO \\`$live\\`.\\`$t\\`"; fi',
  'done < "$list"',
  'renames="$renames$incoming_renames"',
  'rest=""',
  'while read -r t; do grep -qxF "$t" "$list" || rest="$rest, \\`$incoming\\`.\\`$t\\` TO \\`$out\\`.\\`$t\\`"; done < "$dir/in-incoming"',
  'echo "swapping $(grep -c . "$list" || true) changed tables"',
  '[ -z "$renames" ] || "$@" -e "RENAME TABLE ${renames#, }"',
  '[ -z "$rest" ] || "$@" -e "RENAME TABLE ${rest#, }"',
  '"$@" -e "DROP DATABASE \\`$incoming\\`"',
].join('\n');
