#!/usr/bin/env bash
# Install the Debian packages backfill needs that this machine lacks.
#   tools/install-deps.sh          build + demo + tests
#   tools/install-deps.sh --ci     also the sanitizer and analysis tools
set -eu
packages="gcc make libc6-dev libconfig-dev libjansson-dev libcurl4-openssl-dev libsqlite3-dev libelf-dev sqlite3 jq bc"
if [ "${1:-}" = "--ci" ]; then
    packages="$packages clang clang-format valgrind cppcheck curl clickhouse-server clickhouse-client mandoc chromium time python3"
fi
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
