#!/usr/bin/env bash
# The demo's model files on ClickHouse: the demo pipeline run once with the
# C processors and once with three of them as models (a Phase 3 one, a
# windowed Phase 4 one, one with an optional input and its fallback), on
# the same league in two databases of one cluster: every output table holds
# the same rows.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse model tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 25
OUTPUTS="team_offense_game_summary team_defense_game_summary upcoming_team_game_context
         upcoming_player_game_context player_game_summary team_defense_zone_analysis
         player_shot_zone_analysis player_daily_cache player_composite_factors ml_feature_store"
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)
"$ROOT/bin/demo_gen" --db "$TMP/league.db" --teams 6 --start 2024-10-22 --end 2024-11-24 >/dev/null

ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
for db in nba nbam; do
    CH_USER=backfill CH_PASSWORD_FILE="$CH_DIR/password" "$ROOT/tools/ch_load.sh" "$TMP/league.db" "$db" \
        "http://127.0.0.1:$CH_HTTP1" "http://127.0.0.1:$CH_HTTP2"
done
check "the raw tables load into both databases" "1430 1430" \
    "$(ch_sql 1 "SELECT count() FROM nba.player_boxscores") $(ch_sql 1 "SELECT count() FROM nbam.player_boxscores")"
conf() { # NAME DATABASE PLUGIN_DIR
    sed -e "s#127.0.0.1:18123#127.0.0.1:$CH_HTTP1#g; s#127.0.0.1:18124#127.0.0.1:$CH_HTTP2#" \
        -e "s#\.\./var/clickhouse/password#$CH_DIR/password#; s#plugin_dir = \"\.\./plugins\"#plugin_dir = $3#" \
        -e "s#database = \"nba\"#database = \"$2\"#" \
        -e "s#\.\./var/state-clickhouse#$TMP/state-$1#" "$ROOT/conf/clickhouse.conf" >"$TMP/$1.conf"
}
conf c nba "\"$ROOT/plugins\""
conf m nbam "[ \"$ROOT/plugins/models\", \"$ROOT/plugins\" ]"
run_bf -c "$TMP/c.conf" --no-progress pipeline "${RANGE[@]}" --workers 2
check "C processors: the pipeline exits 0" 0 "$RC"
run_bf -c "$TMP/m.conf" --no-progress pipeline "${RANGE[@]}" --workers 2
check "three models: the pipeline exits 0" 0 "$RC"
check "three models: every block's expected rows came from @expected_block, no block failed" "0" \
    "$(grep -c 'expected_dates failed\|process_dates returned\|running it alone' <<<"$ERR")"
check_contains "three models: the .so files they shadow are reported" \
    "player_game_summary.so: processor 'player_game_summary' is already provided by $ROOT/plugins/models/player_game_summary.sql" "$ERR"
# Each floating-point value rounded to 9 decimals (ch_rounded_cols): the C
# processors and the models both compute blocks of dates (ClickHouse's
# default), the models through their @process_block sections.
same_rows() { # TABLE WHAT
    a=$(ch_sql 1 "SELECT $(ch_rounded_cols nba "$1") FROM nba.$1 FORMAT TSV" | sort | sha256sum)
    b=$(ch_sql 1 "SELECT $(ch_rounded_cols nbam "$1") FROM nbam.$1 FORMAT TSV" | sort | sha256sum)
    n=$(ch_sql 1 "SELECT count() > 0 FROM nbam.$1")
    check "$1: the same rows from models and C$2 (to 9 decimals)" "1 $a" "$n $b"
}
for t in $OUTPUTS; do
    same_rows "$t" ""
done
MODELS="player_game_summary team_defense_game_summary team_defense_zone_analysis"
for t in $MODELS; do
    ev=$(cat "$TMP"/state-m/runs/$t-*.jsonl)
    check "the model $t computed its dates in blocks, none failed" "0 0" \
        "$(jq -r 'select(.event == "date_started" and .block_first == null) | .date' <<<"$ev" | grep -c .) $(grep -c '"block_failed"' <<<"$ev")"
done
# --batch 1: the models' per-date @process again, over every date: the same rows.
for t in $MODELS; do
    run_bf -c "$TMP/m.conf" --no-progress run "$t" "${RANGE[@]}" --workers 2 --batch 1 --no-resume
    check "the model $t, --batch 1 --no-resume: exit 0" 0 "$RC"
    same_rows "$t" ", --batch 1"
done
check "the models' tables are created as the C forms create them" \
    "$(ch_sql 1 "SHOW CREATE TABLE nba.team_defense_zone_analysis_local")" \
    "$(ch_sql 1 "SHOW CREATE TABLE nbam.team_defense_zone_analysis_local" | sed 's/\bnbam\b/nba/g')"
