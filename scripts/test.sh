#!/usr/bin/env bash
# The whole test suite: build the executable, run every test, print the plain closing line.
set -uo pipefail
cd "$(dirname "$0")/.."
npm run --silent build || exit 1
npm run --silent typecheck || exit 1
npm run --silent lint || exit 1
mkdir -p .test-output
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-output/vitest.json "$@"
rc=$?
node scripts/test-summary.mjs .test-output/vitest.json || rc=1
exit $rc
