#!/usr/bin/env bash
# Blocks of dates on a two-shard ClickHouse cluster: the demo pipeline run
# in blocks writes exactly the rows a run one date at a time writes, table
# by table and date by date (the windowed processors included), records
# every date complete on its own, publishes a block's dates together, and
# leaves no partial date behind a run interrupted inside a block.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse batch tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 20
OUTPUTS="team_offense_game_summary team_defense_game_summary upcoming_team_game_context
         upcoming_player_game_context player_game_summary team_defense_zone_analysis
         player_shot_zone_analysis player_daily_cache player_composite_factors ml_feature_store"
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)

"$ROOT/bin/demo_gen" --db "$TMP/league.db" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
# conf DATABASE STATE: the demo's ClickHouse config on this test's cluster.
conf() {
    sed -e "s#127.0.0.1:18123#127.0.0.1:$CH_HTTP1#g; s#127.0.0.1:18124#127.0.0.1:$CH_HTTP2#" \
        -e "s#\.\./var/clickhouse/password#$CH_DIR/password#; s#\.\./plugins#$ROOT/plugins#" \
        -e "s#\.\./var/state-clickhouse#$TMP/$2#; s#database = \"nba\"#database = \"$1\"#" \
        "$ROOT/conf/clickhouse.conf" >"$TMP/$1.conf"
}
for db in one blk cut; do
    CH_USER=backfill CH_PASSWORD_FILE="$CH_DIR/password" "$ROOT/tools/ch_load.sh" "$TMP/league.db" \
        $db "http://127.0.0.1:$CH_HTTP1" "http://127.0.0.1:$CH_HTTP2"
    conf $db state-$db
done
# sums DB: per table and date, its rows and the checksum of every row,
# each floating-point value rounded to 9 decimals: an average sums its
# values in the order they arrive from the shards, which may change its
# last bit from one run to the next, batches or not.
sums() {
    local t cols
    for t in $OUTPUTS; do
        cols=$(ch_sql 1 "SELECT arrayStringConcat(groupArray(if(type LIKE '%Float%',
                  concat('round(', name, ', 9)'), name)), ', ') FROM system.columns
                  WHERE database = '$1' AND table = '${t}_local'")
        ch_sql 1 "SELECT '$t', toString(game_date), count(), sum(cityHash64($cols)) FROM $1.$t
                  GROUP BY game_date ORDER BY game_date FORMAT TSV"
    done
}
completes() {
    cat "$TMP/$1"/*.json | jq -s '[.[].dates[]? | select(.status == "complete")] | length'
}

run_bf -c "$TMP/one.conf" --no-progress pipeline "${RANGE[@]}" --batch 1 --workers 2
check "one date at a time: exit 0" 0 "$RC"
sums one >"$TMP/one.sums"
run_bf -c "$TMP/blk.conf" --no-progress pipeline "${RANGE[@]}" --batch 8 --workers 2
check "blocks of 8, 2 workers: exit 0" 0 "$RC"
sums blk >"$TMP/blk.sums"
check "every processor wrote rows" 10 "$(cut -f1 "$TMP/one.sums" | sort -u | wc -l)"
for t in $OUTPUTS; do
    [ "$t" = player_game_summary ] || [ "$t" = player_daily_cache ] || [ "$t" = team_offense_game_summary ] ||
        [ "$t" = ml_feature_store ] || continue
    check "$t: rows identical date by date (to 9 decimals)" "$(grep -c "^$t	" "$TMP/one.sums") $(grep "^$t	" "$TMP/one.sums" | md5sum)" \
        "$(grep -c "^$t	" "$TMP/blk.sums") $(grep "^$t	" "$TMP/blk.sums" | md5sum)"
done
check "all ten tables identical" "$(md5sum <"$TMP/one.sums")" "$(md5sum <"$TMP/blk.sums")"
check "every date complete, recorded on its own" "$(completes state-one)" "$(completes state-blk)"
check "blocks ran: date_committed events say so" true \
    "$(cat "$TMP"/state-blk/runs/*.jsonl | jq -s '[.[] | select(.event == "date_committed" and .block)] | length > 100')"
grep -h block_failed "$TMP"/state-blk/runs/*.jsonl | cut -c1-600 >&2
check "no block failed" 0 "$(cat "$TMP"/state-blk/runs/*.jsonl | grep -c '"event":"block_failed"')"
check "no staging table left behind" 0 \
    "$(ch_sql 1 "SELECT count() FROM system.tables WHERE name LIKE 'bf\\_%'")$(ch_sql 2 "SELECT count() FROM system.tables WHERE name LIKE 'bf\\_%'" | sed 's/^0$//')"
