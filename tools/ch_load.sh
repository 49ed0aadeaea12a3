#!/usr/bin/env bash
# ch_load.sh - copy the raw tables of a demo warehouse (bin/demo_gen's
# SQLite file) into a ClickHouse database, a full copy on each server.
#
#   tools/ch_load.sh DB_FILE DATABASE URL...
#
# Each URL is a server's HTTP address (http://host:port). DATABASE is
# created if missing; each raw table is dropped and created from the
# SQLite column types (TEXT -> String, INTEGER -> Int64, REAL -> Float64,
# game_date -> Date), partitioned by month, then loaded as CSV over HTTP.
# The credentials, if any, come from CH_USER and CH_PASSWORD_FILE.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 DB_FILE DATABASE URL..." >&2; exit 2; }
db=$1 database=$2
shift 2
[ -r "$db" ] || { echo "ch_load: $db: not readable" >&2; exit 2; }
[[ $database =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "ch_load: bad database name '$database'" >&2; exit 2; }
auth=()
if [ -n "${CH_PASSWORD_FILE:-}" ]; then
    auth=(-u "${CH_USER:-default}:$(head -n 1 "$CH_PASSWORD_FILE")")
fi
TABLES="schedule player_boxscores team_boxscores player_props"

# post URL QUERY [DATA]: one statement, POSTed (DATA, if given, is the
# INSERT's rows on stdin); the server's error on stderr when it fails.
post() {
    local url=$1 q=$2 out
    if [ $# -gt 2 ]; then
        out=$(curl -sS --fail-with-body "${auth[@]}" --data-binary @- \
            "$url/?query=$(jq -rn --arg q "$q" '$q|@uri')") || { echo "ch_load: $out" >&2; return 1; }
    else
        out=$(curl -sS --fail-with-body "${auth[@]}" --data-binary "$q" "$url/") ||
            { echo "ch_load: $out" >&2; return 1; }
    fi
}

ddl() { # TABLE: the ClickHouse CREATE TABLE of a SQLite table
    local cols
    cols=$(sqlite3 -separator ' ' "$db" "SELECT name, CASE WHEN name = 'game_date' THEN 'Date'
        WHEN upper(type) = 'INTEGER' THEN 'Int64' WHEN upper(type) = 'REAL' THEN 'Float64'
        ELSE 'String' END FROM pragma_table_info('$1') ORDER BY cid" | paste -sd, | sed 's/,/, /g')
    echo "CREATE TABLE $database.$1 ($cols) ENGINE = MergeTree"
    echo " PARTITION BY toYYYYMM(game_date) ORDER BY game_date"
}

for url in "$@"; do
    post "$url" "CREATE DATABASE IF NOT EXISTS $database"
    for t in $TABLES; do
        post "$url" "DROP TABLE IF EXISTS $database.$t"
        post "$url" "$(ddl "$t")"
        sqlite3 -csv "$db" "SELECT * FROM $t" |
            post "$url" "INSERT INTO $database.$t FORMAT CSV" rows
    done
done
