/**
 * Issue 19: the write mark's and the write check's bash scripts (constant; values are positional parameters, see
 * write-mark.ts). Both read the same two queries (write-mark-sql.ts) with `--raw`: a table name with a tab or a line
 * break would break the lines, so the mark refuses it (and the check then finds the table list changed).
 */
const lib = [
  'q() { "$@" --batch --skip-column-names; }',
  'tmp="$(mktemp -d)"; trap \'rm -rf "$tmp"\' EXIT',
  // fields 5.. of a mark line: the exact measure as the client printed it
  'measure() { awk -F "\\t" \'{ v = $0; for (i = 1; i <= 4; i++) v = substr(v, index(v, "\\t") + 1); print $1 "\\t" v }\' "$1"; }',
  // run the statements of "$1" (name TAB statement) with one client, every CHECKSUM TABLE folded into one statement
  // (one line a table, in the list's order: hundreds of empty tables cost one statement); "$2": name TAB what it printed
  'run_exact() {',
  '  local file="$1" out="$2"; shift 2',
  '  awk -F "\\t" -v names="$tmp/names" \'',
  '    index($2, "CHECKSUM TABLE ") == 1 { t = substr($2, 16); sub(/;$/, "", t); list = list (n++ ? ", " : "") t; sums[n] = $1; next }',
  '    { print $2; print $1 > names }',
  '    END { if (n) { print "CHECKSUM TABLE " list ";"; for (i = 1; i <= n; i++) print sums[i] > names } }\' "$file" > "$tmp/statements"',
  // snapshot=1: every statement in one consistent read (InnoDB's snapshot, which CHECKSUM TABLE reads too)
  '  if [ -n "${snapshot:-}" ]; then',
  '    { echo "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION WITH CONSISTENT SNAPSHOT;"; cat "$tmp/statements"; echo "COMMIT;"; } > "$tmp/wrapped"',
  '    mv -f "$tmp/wrapped" "$tmp/statements"',
  '  fi',
  '  touch "$tmp/names"; q "$@" < "$tmp/statements" > "$tmp/res"',
  '  [ "$(wc -l < "$tmp/res")" = "$(wc -l < "$tmp/names")" ] || { echo "the exact measure printed $(wc -l < "$tmp/res") lines for $(wc -l < "$tmp/names") tables" >&2; exit 2; }',
  '  paste "$tmp/names" "$tmp/res" > "$out"',
  '}',
];

/**
 * The mark, inside the write-unavailable window. $1 the mark, $2 the SQL kept for the check, $3 the exact part's file
 * (removed: it belongs to an older mark), $4 the meta query, $5 the exact query, $6 the small tables' query, $7 the
 * clock query, the rest the client's argv. A mark line: name, AUTO_INCREMENT, UPDATE_TIME, engine, then the exact
 * measure's output, or `deferred` for a table measured after writes are back (writeMarkExactScript). Measured here:
 * the small tables and llx_user (`small`), and every table whose metadata cannot prove it untouched at the check
 * (UPDATE_TIME unknown, in or after the second the mark started in, not InnoDB): the check always measures those, and
 * the exact part, read later, can only be kept for a table whose metadata proves nobody wrote it in between. The SQL
 * file: the meta query, the second the mark started in, then `name TAB statement` lines.
 */
export const writeMarkScript = [
  'out="$1"; sql="$2"; late="$3"; meta="$4"; exact="$5"; small="$6"; clock="$7"; shift 7',
  ...lib,
  'rm -f "$late"',
  'start="$(q "$@" -e "$clock")"',
  '[[ "$start" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}[[:blank:]][0-9]{2}:[0-9]{2}:[0-9]{2}$ ]] || { echo "the server\'s clock read as: $start" >&2; exit 2; }',
  'q "$@" --raw -e "$meta" > "$tmp/meta"',
  'q "$@" --raw -e "$exact" > "$tmp/exact"',
  'q "$@" --raw -e "$small" > "$tmp/small"',
  'if ! awk -F "\\t" \'NF != 4 { exit 1 }\' "$tmp/meta" || ! awk -F "\\t" \'NF != 2 { exit 1 }\' "$tmp/exact"; then',
  '  echo "a table name holds a tab or a line break: no write mark (a rollback will need the verified restore)" >&2; exit 2',
  'fi',
  'awk -F "\\t" -v start="$start" \'FILENAME == ARGV[1] { s[$1] = 1; next }',
  '  FILENAME == ARGV[2] { if (($1 in s) || $3 == "-" || $3 >= start || $4 != "InnoDB") now[$1] = 1; next }',
  '  ($1 in now)\' "$tmp/small" "$tmp/meta" "$tmp/exact" > "$tmp/now"',
  'run_exact "$tmp/now" "$tmp/measured" "$@"',
  'awk -F "\\t" \'FILENAME == ARGV[1] { m[$1] = substr($0, length($1) + 2); next } FILENAME == ARGV[2] { d[$1] = 1; next }',
  '  { print $0 "\\t" (($1 in m) ? m[$1] : ($1 in d) ? "deferred" : "-") }\' "$tmp/measured" "$tmp/exact" "$tmp/meta" > "$out.partial"',
  '{ printf "%s\\n%s\\n" "$meta" "$start"; cat "$tmp/exact"; } > "$sql.partial" && mv -f "$sql.partial" "$sql" && mv -f "$out.partial" "$out"',
  'echo "write mark: $(wc -l < "$tmp/now") of $(wc -l < "$tmp/meta") tables measured exactly in the window, the rest after writes are back"',
].join('\n');

/**
 * The mark's exact part, after writes are back. $1 the mark, $2 its SQL, $3 the exact part's file, the rest the
 * client's argv. The tables the mark deferred, measured in one consistent read, then their metadata read again: a
 * measure is kept only for a table whose metadata still equals the mark's (its UPDATE_TIME known and before the
 * mark's start: any commit since would have moved it); a table written in between is kept as `moved` (counted as
 * written by the check: conservative, never a lost write). The file: `start TAB <the mark's start second>`, then
 * `name TAB measure` or `name TAB moved`. Any failure exits 4 without the file (the step accepts it: the upgrade
 * goes on, a rollback before writes then counts every deferred table that moved as written).
 */
export const writeMarkExactScript = [
  'mark="$1"; sql="$2"; out="$3"; shift 3',
  ...lib,
  'set +e',
  '(',
  '  set -e',
  '  if ! [ -s "$mark" ] || ! [ -s "$sql" ]; then echo "no write mark at $mark" >&2; exit 1; fi',
  '  awk -F "\\t" \'$5 == "deferred" { print $1 }\' "$mark" > "$tmp/deferred"',
  '  awk -F "\\t" \'FILENAME == ARGV[1] { d[$1] = 1; next } ($1 in d)\' "$tmp/deferred" <(tail -n +3 "$sql") > "$tmp/sel"',
  '  snapshot=1 run_exact "$tmp/sel" "$tmp/measured" "$@"',
  '  q "$@" --raw -e "$(head -n 1 "$sql")" > "$tmp/after"',
  '  awk -F "\\t" -v moved="$tmp/moved" \'FILENAME == ARGV[1] { m[$1] = $2 "\\t" $3 "\\t" $4; next }',
  '    FILENAME == ARGV[2] { a[$1] = $2 "\\t" $3 "\\t" $4; next }',
  '    { if (($1 in a) && a[$1] == m[$1]) print; else { print $1 "\\tmoved"; print $1 > moved } }\' "$mark" "$tmp/after" "$tmp/measured" > "$tmp/kept"',
  '  { printf "start\\t%s\\n" "$(sed -n 2p "$sql")"; cat "$tmp/kept"; } > "$out.partial" && mv -f "$out.partial" "$out"',
  '  touch "$tmp/moved"',
  '  echo "write mark, exact part: $(wc -l < "$tmp/kept") deferred tables measured in one consistent read, $(wc -l < "$tmp/moved") of them written since writes came back (counted as written): $(head -n 8 "$tmp/moved" | paste -sd " " -)"',
  ')',
  'rc=$?',
  'if [ "$rc" != 0 ]; then',
  '  msg="the write mark\'s exact part failed (exit $rc): a rollback before writes will count every deferred table whose metadata moved as written (the verified restore)"',
  '  echo "$msg"; echo "$msg" >&2',
  '  exit 4',
  'fi',
].join('\n');

/**
 * $1 the mark, $2 the SQL the mark wrote, $3 where the measure of now goes, $4 the mark's exact part, the rest the
 * client's argv. Exit 1 naming what changed, 3 without a mark. A mark of an older mokodeploy (lines `ai …`, a plain
 * SQL file) is compared whole, as it was then; a mark of session 6 (every table measured in the window, no
 * `deferred`) needs no exact part. A table that moved, marked `deferred`, without a kept measure in the exact part
 * (the file missing or of another mark, or the table `moved` before that read) counts as written, and says why.
 */
export const checkWritesScript = [
  'mark="$1"; sql="$2"; now="$3"; late="$4"; shift 4',
  ...lib,
  'if ! [ -s "$mark" ] || ! [ -s "$sql" ]; then echo "no write mark at $mark: cannot tell whether the new release took writes" >&2; exit 3; fi',
  'if [ "$(head -c 3 "$mark")" = "$(printf "ai\\t")" ]; then',
  '  q "$@" < "$sql" > "$now"',
  '  d="$(diff "$mark" "$now" | grep "^[<>]" | head -n 20 || true)"',
  '  [ -z "$d" ] || { printf "the database changed since the switch (< at the switch, > now):\\n%s\\n" "$d" >&2; exit 1; }',
  '  echo "no write since the switch (every table measured)"; exit 0',
  'fi',
  'q "$@" --raw -e "$(head -n 1 "$sql")" > "$tmp/meta"',
  'start="$(sed -n 2p "$sql")"',
  ': > "$tmp/diffs"; : > "$tmp/pick"; : > "$tmp/measured"',
  // metadata first: a table added or dropped, an AUTO_INCREMENT grown, are writes; an InnoDB table whose UPDATE_TIME
  // is the mark's, known (not NULL after a restart or an eviction) and before the second the mark started in (a later
  // write in that same second would leave it equal), with AUTO_INCREMENT the same, was not written; every other is
  // measured exactly (AUTO_INCREMENT falls back to the highest id + 1 after a restart: values a multi-row INSERT
  // reserved are forgotten, so a smaller one is no proof either way)
  'awk -F "\\t" -v diffs="$tmp/diffs" -v pick="$tmp/pick" -v start="$start" \'',
  // integers of any length compared as digits (awk's numbers are doubles)
  '  function gt(a, b) { if (a !~ /^[0-9]+$/ || b !~ /^[0-9]+$/) return 0; return length(a) != length(b) ? length(a) > length(b) : (a "") > (b "") }',
  '  FILENAME == ARGV[1] { ai[$1] = $2; ut[$1] = $3; en[$1] = $4; next }',
  '  { seen[$1] = 1',
  '    if (!($1 in ai)) { print "table added: " $1 > diffs; next }',
  '    if ($2 != ai[$1] && gt($2, ai[$1])) { print $1 ": AUTO_INCREMENT " ai[$1] " -> " $2 > diffs; next }',
  '    if ($2 != ai[$1]) { print $1 > pick; next }',
  '    if ($3 != "-" && $3 == ut[$1] && ut[$1] < start && $4 == "InnoDB" && en[$1] == "InnoDB") next',
  '    print $1 > pick }',
  '  END { for (t in ai) if (!(t in seen)) print "table dropped: " t > diffs }\' "$mark" "$tmp/meta"',
  'if [ -s "$tmp/pick" ]; then',
  // the exact part, if it belongs to this mark (its first line: the mark's start second)
  '  : > "$tmp/late"; why="missing (the step after writes came back was killed, failed or has not run)"',
  '  if [ -s "$late" ]; then',
  '    if [ "$(head -n 1 "$late")" = "$(printf "start\\t%s" "$start")" ]; then tail -n +2 "$late" > "$tmp/late"; else why="of another mark"; fi',
  '  fi',
  '  measure "$mark" > "$tmp/marked"',
  '  awk -F "\\t" -v diffs="$tmp/diffs" -v why="$why" -v then="$tmp/then" \'',
  '    FILENAME == ARGV[1] { late[$1] = substr($0, length($1) + 2); next }',
  '    FILENAME == ARGV[2] { m[$1] = substr($0, length($1) + 2); next }',
  '    { v = m[$1]',
  '      if (v == "deferred") {',
  '        if (!($1 in late)) { print $1 ": moved since the switch, and the exact measure taken after writes came back is " why ": counted as written" > diffs; next }',
  '        if (late[$1] == "moved") { print $1 ": written after writes came back, before the exact part of the mark read it: counted as written" > diffs; next }',
  '        v = late[$1] }',
  '      print $1 "\\t" v > then }\' "$tmp/late" "$tmp/marked" "$tmp/pick"',
  '  touch "$tmp/then"',
  '  awk -F "\\t" \'FILENAME == ARGV[1] { p[$1] = 1; next } ($1 in p)\' "$tmp/then" <(tail -n +3 "$sql") > "$tmp/sel"',
  '  run_exact "$tmp/sel" "$tmp/measured" "$@"',
  '  awk -F "\\t" -v diffs="$tmp/diffs" \'FILENAME == ARGV[1] { m[$1] = substr($0, length($1) + 2); next }',
  '    { v = substr($0, length($1) + 2); if (m[$1] != v) print $1 ": " m[$1] " -> " v > diffs }\' "$tmp/then" "$tmp/measured"',
  'fi',
  'cat "$tmp/meta" "$tmp/measured" > "$now"',
  'if [ -s "$tmp/diffs" ]; then',
  '  { echo "the database changed since the switch (at the switch -> now):"; sort "$tmp/diffs" | head -n 20; } >&2; exit 1',
  'fi',
  'echo "no write since the switch ($(wc -l < "$tmp/pick") of $(wc -l < "$tmp/meta") tables measured exactly: $(head -n 8 "$tmp/pick" | paste -sd " " -))"',
].join('\n');
