#!/usr/bin/env bash
# The ten demo processors on a two-shard ClickHouse cluster produce what
# they produce on SQLite: on a small league, the same rows per date and
# table, and the same sums and NULL counts of every numeric column.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse demo tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 25
OUTPUTS="team_offense_game_summary team_defense_game_summary upcoming_team_game_context
         upcoming_player_game_context player_game_summary team_defense_zone_analysis
         player_shot_zone_analysis player_daily_cache player_composite_factors ml_feature_store"
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)

"$ROOT/bin/demo_gen" --db "$TMP/league.db" --teams 6 --start 2024-10-22 --end 2024-11-24 >/dev/null
cp "$TMP/league.db" "$TMP/sqlite.db"

# The demo configs, pointed at this test's files and ports.
sed -e "s#\.\./var/demo\.db#$TMP/sqlite.db#; s#\.\./plugins#$ROOT/plugins#" \
    -e "s#\.\./var/state#$TMP/state-sqlite#" "$ROOT/conf/backfill.conf" >"$TMP/sqlite.conf"
run_bf -c "$TMP/sqlite.conf" --no-progress pipeline "${RANGE[@]}"
check "sqlite: the pipeline exits 0" 0 "$RC"

ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
CH_USER=backfill CH_PASSWORD_FILE="$CH_DIR/password" "$ROOT/tools/ch_load.sh" "$TMP/league.db" nba \
    "http://127.0.0.1:$CH_HTTP1" "http://127.0.0.1:$CH_HTTP2"
check "the raw tables load on both shards" "1430 1430" \
    "$(ch_sql 1 "SELECT count() FROM nba.player_boxscores") $(ch_sql 2 "SELECT count() FROM nba.player_boxscores")"
sed -e "s#127.0.0.1:18123#127.0.0.1:$CH_HTTP1#g; s#127.0.0.1:18124#127.0.0.1:$CH_HTTP2#" \
    -e "s#\.\./var/clickhouse/password#$CH_DIR/password#; s#\.\./plugins#$ROOT/plugins#" \
    -e "s#\.\./var/state-clickhouse#$TMP/state-ch#" "$ROOT/conf/clickhouse.conf" >"$TMP/ch.conf"
run_bf -c "$TMP/ch.conf" --no-progress pipeline "${RANGE[@]}" --workers 4
check "clickhouse: the pipeline exits 0" 0 "$RC"

# numeric_columns TABLE: its INTEGER and REAL columns, from the SQLite side.
numeric_columns() {
    sqlite3 "$TMP/sqlite.db" "SELECT name FROM pragma_table_info('$1')
                              WHERE type IN ('INTEGER', 'REAL') ORDER BY cid"
}
# sums_sql TABLE [DB.]: the sum and the non-NULL count of each numeric
# column, in SQL both stores speak.
sums_sql() {
    local c list=""
    for c in $(numeric_columns "$1"); do list="$list, coalesce(sum($c), 0), count($c)"; done
    echo "SELECT ${list#, } FROM ${2:-}$1"
}
rounded() { tr -s '\t |' '\n' | awk 'NF { printf "%.4f\n", $1 }' | paste -sd' '; }

for t in $OUTPUTS; do
    check "$t: rows per date equal" \
        "$(sqlite3 "$TMP/sqlite.db" "SELECT game_date || ':' || count(*) FROM $t GROUP BY game_date ORDER BY game_date" | paste -sd' ')" \
        "$(ch_sql 1 "SELECT concat(toString(game_date), ':', toString(count())) FROM nba.$t GROUP BY game_date ORDER BY game_date" | paste -sd' ')"
    check "$t: sums and non-NULL counts of every numeric column equal" \
        "$(sqlite3 "$TMP/sqlite.db" "$(sums_sql "$t")" | rounded)" \
        "$(ch_sql 1 "$(sums_sql "$t" nba.)" | rounded)"
done

# An output partitioned by month cannot have one date swapped: refused,
# from the table's SHOW CREATE TABLE, before anything is written.
for s in 1 2; do
    ch_sql $s "DROP TABLE nba.ml_feature_store"
    ch_sql $s "RENAME TABLE nba.ml_feature_store_local TO nba.old_ml"
    ch_sql $s "CREATE TABLE nba.ml_feature_store_local AS nba.old_ml ENGINE = MergeTree PARTITION BY toYYYYMM(game_date) ORDER BY player_id"
done
run_bf -c "$TMP/ch.conf" --no-progress run ml_feature_store --dates 2024-11-20 --no-resume
check "an output partitioned by month: the date fails" 1 "$RC"
check_contains "an output partitioned by month: the reason" \
    "is PARTITION BY toYYYYMM(game_date), not by its date column game_date" "$OUT$ERR"
