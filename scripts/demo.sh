#!/usr/bin/env bash
# The main job on the embedded default: a deployment of this machine (the local target), recorded in
# the SQLite store of a scratch folder. Nothing on the machine is changed: the install is a dry run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${DEMO_DIR:-$root/demo}
rm -rf "$work" && mkdir -p "$work" && cd "$work"
export MOKODEPLOY_HOME="$work/.mokodeploy" MOKODEPLOY_SECRET_KEY_FILE="$work/secret.key" NO_COLOR=1
moko() { node "$root/bin/mokodeploy.js" "$@"; }
step() { printf '\n\033[1m$ mokodeploy %s\033[0m\n' "$*"; }

step init demo;                    moko init demo
# The plan points at a release tarball: DEMO_RELEASE=/path/dolibarr-X.Y.Z.tgz, else the test fixture release
# (a stand-in following Dolibarr's layout and install contract; Dolibarr itself is not shipped here).
if [ -n "${DEMO_RELEASE:-}" ]; then release=$DEMO_RELEASE; version=$(basename "$release" | sed -E 's/^dolibarr-([0-9.]+)\.tgz$/\1/')
else read -r release _ < <(cd "$root" && npx --no-install tsx scripts/fixture-release.ts "$work/release"); version=20.0.2; fi
sed -i -e "s#^  release: .*#  release: $release#" -e "s#^  version: .*#  version: $version#" plans/demo.yaml
echo "(plan release: $release)"
id=$(moko --json plan submit plans/demo.yaml --as tina | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).id))')
printf '\n$ mokodeploy plan submit plans/demo.yaml --as tina\n%s: submitted\n' "$id"
step approve "$id" --as tina;      moko approve "$id" --as tina || echo "(refused, as the policy says: the author never approves)"
step approve "$id" --as dave;      moko approve "$id" --as dave
step validate "$id" --as tina;     moko validate "$id" --as tina || echo "(this machine does not meet every requirement: the findings are recorded as evidence)"
step checklist "$id";              moko checklist "$id"
step tick "$id" rollback-plan --as tina --evidence ...; moko tick "$id" rollback-plan --as tina --evidence "rollback plan v1 in the SOW, section 7"
step status "$id";                 moko status "$id"
step deploy "$id" --dry-run;       moko deploy "$id" --dry-run | head -60 || true
step audit verify;                 moko audit verify
printf '\nThe store is %s; try: node %s/bin/mokodeploy.js --home %s show %s\n' "$MOKODEPLOY_HOME" "$root" "$MOKODEPLOY_HOME" "$id"
