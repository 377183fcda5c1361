#!/usr/bin/env bash
# Installs every Debian and npm package yiwang needs. Idempotent: a second run
# installs nothing and takes a second. Run as root (or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PKGS=(
  build-essential cmake pkg-config clang libclang-rt-14-dev
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev nettle-dev
  libqrencode-dev libxlsxwriter-dev libcmocka-dev
  sqlite3 postgresql libpq-dev chromium fonts-noto-cjk wrk nginx-light curl ca-certificates
)

missing=()
for p in "${DEB_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v npm >/dev/null || { echo "setup: npm missing"; apt-get install -y -qq nodejs npm; }

# npm packages: the UI's libraries (served as files, no bundler) and the test tools.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.stamp ] || [ package.json -nt node_modules/.stamp ]; then
  echo "setup: npm ci"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
  touch node_modules/.stamp
fi
