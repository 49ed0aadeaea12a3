#!/usr/bin/env bash
# Install the Debian packages backfill needs that this machine lacks.
#   tools/install-deps.sh          build + demo
#   tools/install-deps.sh --test   also what make check needs
#   tools/install-deps.sh --ci     also the sanitizer and analysis tools, and the
#                                  ClickHouse server and chromium, whose tests
#                                  make check otherwise skips
set -eu
packages="gcc make libc6-dev libconfig-dev libjansson-dev libcurl4-openssl-dev libsqlite3-dev libelf-dev sqlite3 jq bc"
case "${1:-}" in
--test | --ci) packages="$packages clang pkg-config mandoc python3 curl time" ;;
esac
if [ "${1:-}" = "--ci" ]; then
    packages="$packages clang-format valgrind cppcheck clickhouse-server clickhouse-client chromium"
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
