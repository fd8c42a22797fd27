#!/usr/bin/env bash
# The whole test suite: build the executable, run every test on this machine's Node, then the tests whose result
# can depend on the Node line (unit tests and one test per line-dependent part: the rule and the list are in
# scripts/test-node-lines.sh) on the other Node.js LTS lines, and print the plain closing line.
# MOKODEPLOY_NODE_LINES="22 24" (the default) picks those lines; "none" runs this Node only.
# The steps overlap where they can on a 2-core machine: build, typecheck and lint run side by side, and the suite
# starts when the build is done; the other Node lines are prepared (at the lowest priority) and tested (one vitest
# worker) while the main suite runs, whose integration tests mostly wait on daemons, and their output is printed
# after it (.test-output/node-lines.log).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-output
rm -f .test-output/vitest-node-*.json .test-output/built
lines=${MOKODEPLOY_NODE_LINES:-22 24}

lines_pid=
suite=
# a failed step, or Ctrl-C, stops what still runs: the lines' process group, the suite (vitest ends its workers)
trap '[ -z "$lines_pid" ] || kill -- -"$lines_pid" 2>/dev/null; [ -z "$suite" ] || kill "$suite" 2>/dev/null' EXIT
if [ "$lines" != none ] && [ $# -eq 0 ]; then
  # its own process group, so a failed step below stops it and everything it started
  # shellcheck disable=SC2086 # the list is words on purpose
  MOKODEPLOY_NODE_LINES_WORKERS=${MOKODEPLOY_NODE_LINES_WORKERS:-1} MOKODEPLOY_NODE_LINES_AFTER=.test-output/built \
    setsid bash scripts/test-node-lines.sh $lines >.test-output/node-lines.log 2>&1 &
  lines_pid=$!
fi

# build, typecheck and lint start side by side; the suite starts as soon as dist/ is built (the CLI tests run it),
# while typecheck and lint (~50 s of CPU) finish beside its first files, which mostly wait on daemons. The first
# step to fail stops the run, the suite included.
{ npm run --silent build && touch .test-output/built; } &
build=$!
npm run --silent typecheck &
typecheck=$!
npm run --silent lint &
lint=$!
wait "$build" || { kill "$typecheck" "$lint" 2>/dev/null; exit 1; }

node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=.test-output/vitest.json "$@" &
suite=$!
for step in "$typecheck" "$lint"; do
  wait "$step" || { echo "test.sh: typecheck or lint failed (above): the test suite is stopped" >&2; exit 1; }
done
wait "$suite"
rc=$?
suite=
if [ -n "$lines_pid" ]; then
  echo "node-lines: waiting for the other Node.js lines (.test-output/node-lines.log)"
  wait "$lines_pid" || rc=1
  lines_pid=
  cat .test-output/node-lines.log
fi
shopt -s nullglob
node scripts/test-summary.mjs .test-output/vitest.json .test-output/vitest-node-*.json || rc=1
exit $rc
