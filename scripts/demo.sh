#!/usr/bin/env bash
# npm run demo [-- --no-serve] [-- --install]: the whole path, for real, in the scratch folder demo/
# (scripts/demo.ts). First the Debian packages it needs, the same list as .ci/install.sh: missing ones are
# named with the command that installs them, or installed here with --install when run as root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

install=no
args=()
for a in "$@"; do
  if [ "$a" = --install ]; then install=yes; else args+=("$a"); fi
done

# the package list of .ci/install.sh, read as data (one place for it)
mapfile -t packages < <(sed -n '/^packages=(/,/^)/p' "$root/.ci/install.sh" | sed -e '1d' -e '$d' | tr -s ' ' '\n' | sed '/^$/d')
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$install" = yes ] && [ "$(id -u)" -eq 0 ]; then
    bash "$root/.ci/install.sh"
  else
    echo "demo: these Debian packages are missing: ${missing[*]}" >&2
    echo "demo: install them (services are not started by the install) with one of:" >&2
    echo "        sudo bash .ci/install.sh" >&2
    echo "        sudo npm run demo -- --install" >&2
    exit 1
  fi
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: the private MariaDB, PHP-FPM and nginx run their workers as www-data and the deploy sets owners:" >&2
  echo "demo: run it as root (sudo npm run demo); nothing system-wide is changed, everything is under demo/" >&2
  exit 1
fi

cd "$root"
exec node --import tsx scripts/demo.ts "${args[@]}"
