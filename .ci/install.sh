#!/usr/bin/env bash
# Installs every Debian package the test suite needs (real MariaDB, PHP-FPM, nginx, Apache, sshd,
# Chromium, ...). Idempotent: packages already installed are skipped; nothing runs when all are there.
# Called once by .ci/run; needs root (or sudo) and network access to the Debian mirrors.
set -euo pipefail

packages=(
  mariadb-server mariadb-client mariadb-backup
  php8.2-fpm php-cli php-mysql php-gd php-curl php-intl php-mbstring php-xml php-zip
  php-soap php-bcmath php-apcu
  nginx apache2 libapache2-mod-fcgid
  openssh-server openssh-client
  chromium poppler-utils sudo nftables iptables cron openssl
  curl procps passwd iproute2 systemd
  dovecot-imapd dovecot-core
  postgresql-15 postgresql-client-15
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo -n)

echo "install.sh: installing ${missing[*]}"
# Services must not start on install: tests start their own instances on free ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${as_root[@]}" chmod 755 /usr/sbin/policy-rc.d
  trap '"${as_root[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
