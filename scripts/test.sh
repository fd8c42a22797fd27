#!/usr/bin/env bash
# The whole test suite: build the executable, run every test on this machine's Node, then the unit and
# CLI tests on the other Node.js LTS lines (scripts/test-node-lines.sh), and print the plain closing line.
# MOKODEPLOY_NODE_LINES="22 24" (the default) picks those lines; "none" runs this Node only.
set -uo pipefail
cd "$(dirname "$0")/.."
npm run --silent build || exit 1
npm run --silent typecheck || exit 1
npm run --silent lint || exit 1
mkdir -p .test-output
rm -f .test-output/vitest-node-*.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-output/vitest.json "$@"
rc=$?
lines=${MOKODEPLOY_NODE_LINES:-22 24}
if [ "$lines" != none ] && [ $# -eq 0 ]; then
  # shellcheck disable=SC2086 # the list is words on purpose
  bash scripts/test-node-lines.sh $lines || rc=1
fi
shopt -s nullglob
node scripts/test-summary.mjs .test-output/vitest.json .test-output/vitest-node-*.json || rc=1
exit $rc
