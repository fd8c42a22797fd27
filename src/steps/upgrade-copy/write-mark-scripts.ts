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
  '  touch "$tmp/names"; q "$@" < "$tmp/statements" > "$tmp/res"',
  '  [ "$(wc -l < "$tmp/res")" = "$(wc -l < "$tmp/names")" ] || { echo "the exact measure printed $(wc -l < "$tmp/res") lines for $(wc -l < "$tmp/names") tables" >&2; exit 2; }',
  '  paste "$tmp/names" "$tmp/res" > "$out"',
  '}',
];

/**
 * $1 the mark, $2 the SQL kept for the check, $3 the meta query, $4 the exact query, $5 the clock query, the rest the
 * client's argv. A mark line: name, AUTO_INCREMENT, UPDATE_TIME, engine, then the exact measure's output. The SQL
 * file: the meta query, the second the mark started in, then `name TAB statement` lines.
 */
export const writeMarkScript = [
  'out="$1"; sql="$2"; meta="$3"; exact="$4"; clock="$5"; shift 5',
  ...lib,
  'start="$(q "$@" -e "$clock")"',
  '[[ "$start" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}[[:blank:]][0-9]{2}:[0-9]{2}:[0-9]{2}$ ]] || { echo "the server\'s clock read as: $start" >&2; exit 2; }',
  'q "$@" --raw -e "$meta" > "$tmp/meta"',
  'q "$@" --raw -e "$exact" > "$tmp/exact"',
  'if ! awk -F "\\t" \'NF != 4 { exit 1 }\' "$tmp/meta" || ! awk -F "\\t" \'NF != 2 { exit 1 }\' "$tmp/exact"; then',
  '  echo "a table name holds a tab or a line break: no write mark (a rollback will need the verified restore)" >&2; exit 2',
  'fi',
  'run_exact "$tmp/exact" "$tmp/measured" "$@"',
  'awk -F "\\t" \'FILENAME == ARGV[1] { m[$1] = substr($0, length($1) + 2); next } { print $0 "\\t" (($1 in m) ? m[$1] : "-") }\' "$tmp/measured" "$tmp/meta" > "$out.partial"',
  '{ printf "%s\\n%s\\n" "$meta" "$start"; cat "$tmp/exact"; } > "$sql.partial" && mv -f "$sql.partial" "$sql" && mv -f "$out.partial" "$out"',
].join('\n');

/**
 * $1 the mark, $2 the SQL the mark wrote, $3 where the measure of now goes, the rest the client's argv. Exit 1
 * naming what changed, 3 without a mark. A mark of an older mokodeploy (lines `ai …`, a plain SQL file) is compared
 * whole, as it was then.
 */
export const checkWritesScript = [
  'mark="$1"; sql="$2"; now="$3"; shift 3',
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
  '  awk -F "\\t" \'FILENAME == ARGV[1] { p[$1] = 1; next } ($1 in p)\' "$tmp/pick" <(tail -n +3 "$sql") > "$tmp/sel"',
  '  run_exact "$tmp/sel" "$tmp/measured" "$@"',
  '  measure "$mark" > "$tmp/then"',
  '  awk -F "\\t" -v diffs="$tmp/diffs" \'FILENAME == ARGV[1] { m[$1] = substr($0, length($1) + 2); next }',
  '    { v = substr($0, length($1) + 2); if (m[$1] != v) print $1 ": " m[$1] " -> " v > diffs }\' "$tmp/then" "$tmp/measured"',
  'fi',
  'cat "$tmp/meta" "$tmp/measured" > "$now"',
  'if [ -s "$tmp/diffs" ]; then',
  '  { echo "the database changed since the switch (at the switch -> now):"; sort "$tmp/diffs" | head -n 20; } >&2; exit 1',
  'fi',
  'echo "no write since the switch ($(wc -l < "$tmp/pick") of $(wc -l < "$tmp/meta") tables measured exactly: $(head -n 8 "$tmp/pick" | paste -sd " " -))"',
].join('\n');
