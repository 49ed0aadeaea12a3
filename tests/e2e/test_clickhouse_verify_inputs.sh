#!/usr/bin/env bash
# verify --inputs on ClickHouse: each sampled date is built twice in
# staging, never published: once with every dependency seen only inside its
# declared window (a scratch database of views named like the declared
# tables, the default database of the plugin's statements alone), once
# with the whole tables. A processor averaging each team's last 5 games
# without declaring a window is caught, with the smallest lookback_days
# that makes the builds equal; declared, it passes. The store's tables are
# unchanged and no scratch database is left behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse verify --inputs tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 16
ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
PLUGINS="$TMP/plugins"
mkdir -m 755 "$PLUGINS"
build() { # LOOKBACK
    cc -std=c11 -O2 -fPIC -shared -I"$ROOT/include" -DLOOKBACK="$1" -o "$PLUGINS/last_games.so" \
        "$ROOT/tests/plugins/provenance/last_games.c"
}
ch_config single
sed -i "s|^plugin_dir = .*|plugin_dir = \"$PLUGINS\";|" "$TMP/backfill.conf"
# 40 days; team A plays every day, team B every other day: B's last 5
# games reach 10 days back. seed SHARD DB: the raw tables, a full copy.
seed() {
    ch_sql "$1" "CREATE DATABASE $2"
    ch_sql "$1" "CREATE TABLE $2.schedule (game_id String, game_date Date) ENGINE = MergeTree ORDER BY game_date"
    ch_sql "$1" "CREATE TABLE $2.games (game_date Date, team String, pts Int64) ENGINE = MergeTree ORDER BY game_date"
    ch_sql "$1" "INSERT INTO $2.schedule SELECT concat('g', toString(number)), toDate('2024-01-01') + number FROM system.numbers LIMIT 40"
    ch_sql "$1" "INSERT INTO $2.games SELECT game_date, 'A', (toDayOfMonth(game_date) * 7) % 13 + 90 FROM $2.schedule"
    ch_sql "$1" "INSERT INTO $2.games SELECT game_date, 'B', (toDayOfMonth(game_date) * 5) % 11 + 80 FROM $2.schedule WHERE toDayOfMonth(game_date) % 2 = 0"
}
seed 1 single
RANGE=(--start-date 2024-01-01 --end-date 2024-02-09)
scopes() { ch_sql 1 "SELECT count() FROM system.databases WHERE name LIKE 'bf_scope_%'"; }
build 0
run_bf --no-progress run last_games "${RANGE[@]}"
check "the undeclared window publishes with exit 0" 0 "$RC"
before=$(ch_fingerprint single)

run_bf verify --inputs last_games "${RANGE[@]}"
check "no window declared: exit 1" 1 "$RC"
check_contains "20 of the 37 expected dates sampled" "20 of 37 expected dates sampled" "$OUT"
check_contains "the table and the dates are named" \
    "games: lookback_days = 0 is too narrow on 20 of 20 sampled dates (2024-01-04, 2024-01-05," "$OUT"
check_contains "the smallest lookback that makes the builds equal" \
    "the smallest that makes the builds equal is lookback_days = 10" "$OUT"
check_contains "the first differing row" "first difference, 2024-01-04: the whole-table build has" "$OUT"
check "the store's tables are unchanged" "$before" "$(ch_fingerprint single)"
check "no scratch database is left" 0 "$(scopes)"

# One day short: the dates of B's games are caught.
build 9
run_bf verify --inputs last_games "${RANGE[@]}"
check_contains "lookback_days = 9: B's dates differ, 10 named" \
    "games: lookback_days = 9 is too narrow on 10 of 20 sampled dates (2024-01-12, 2024-01-14," "$OUT"

# Declared: every sampled date builds the same.
build 10
run_bf verify --inputs last_games "${RANGE[@]}"
check "lookback_days = 10: exit 0" 0 "$RC"
check_contains "lookback_days = 10: wide enough" \
    "windows wide enough: 20 of 20 sampled dates build the same; nothing was published" "$OUT"
check "still unchanged" "$before" "$(ch_fingerprint single)"
check "still no scratch database" 0 "$(scopes)"

# A two-shard cluster: the output is Distributed over both shards, the raw
# tables a full copy on each; the views live on the entry server.
seed 1 bft
seed 2 bft
ch_config cluster
sed -i "s|^plugin_dir = .*|plugin_dir = \"$PLUGINS\";|" "$TMP/backfill.conf"
build 0
run_bf --no-progress run last_games "${RANGE[@]}"
check "cluster: published" 0 "$RC"
before=$(ch_fingerprint bft)
run_bf verify --inputs last_games "${RANGE[@]}" --sample 5
# Of these five dates, 2024-01-08 reaches furthest: B's three earlier
# games, back to 2024-01-02.
check_contains "cluster: the narrow window caught, the fix named" \
    "games: lookback_days = 0 is too narrow on 5 of 5 sampled dates (2024-01-04, 2024-01-08, 2024-01-17, 2024-01-27, 2024-02-05): the smallest that makes the builds equal is lookback_days = 6" "$OUT"
check "cluster: the tables unchanged, no scratch database left" "$before 0" "$(ch_fingerprint bft) $(scopes)"
