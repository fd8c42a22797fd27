#!/usr/bin/env bash
# The whole test suite: build the executable, run every test on this machine's Node, then the tests whose result
# can depend on the Node line (unit tests and one test per line-dependent part: the rule and the list are in
# scripts/test-node-lines.sh) on the other Node.js LTS lines, and print the plain closing line.
# MOKODEPLOY_NODE_LINES="22 24" (the default) picks those lines; "none" runs this Node only.
# The steps overlap where they can on a 2-core machine: build, typecheck and lint run side by side; the other Node
# lines are prepared and tested (one vitest worker) while the main suite runs, whose integration tests mostly
# wait on daemons, and their output is printed after it (.test-output/node-lines.log).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .test-output
rm -f .test-output/vitest-node-*.json .test-output/built
lines=${MOKODEPLOY_NODE_LINES:-22 24}

lines_pid=
if [ "$lines" != none ] && [ $# -eq 0 ]; then
  # its own process group, so a failed step below stops it and everything it started
  # shellcheck disable=SC2086 # the list is words on purpose
  MOKODEPLOY_NODE_LINES_WORKERS=${MOKODEPLOY_NODE_LINES_WORKERS:-1} MOKODEPLOY_NODE_LINES_AFTER=.test-output/built \
    setsid bash scripts/test-node-lines.sh $lines >.test-output/node-lines.log 2>&1 &
  lines_pid=$!
  trap '[ -z "$lines_pid" ] || kill -- -"$lines_pid" 2>/dev/null' EXIT
fi

# build, typecheck and lint side by side; the first to fail stops the run
{ npm run --silent build && touch .test-output/built; } &
build=$!
npm run --silent typecheck &
typecheck=$!
npm run --silent lint &
lint=$!
for step in "$build" "$typecheck" "$lint"; do wait "$step" || exit 1; done

npx vitest run --reporter=default --reporter=json --outputFile.json=.test-output/vitest.json "$@"
rc=$?
if [ -n "$lines_pid" ]; then
  echo "node-lines: waiting for the other Node.js lines (.test-output/node-lines.log)"
  wait "$lines_pid" || rc=1
  lines_pid=
  cat .test-output/node-lines.log
fi
shopt -s nullglob
node scripts/test-summary.mjs .test-output/vitest.json .test-output/vitest-node-*.json || rc=1
exit $rc
