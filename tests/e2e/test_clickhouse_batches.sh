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
plan 31
OUTPUTS="team_offense_game_summary team_defense_game_summary upcoming_team_game_context
         upcoming_player_game_context player_game_summary team_defense_zone_analysis
         player_shot_zone_analysis player_daily_cache player_composite_factors ml_feature_store"
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)

"$ROOT/bin/demo_gen" --db "$TMP/league.db" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
CH_QUERY_LOG=1 ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
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
# each floating-point value rounded to 9 decimals (ch_rounded_cols).
sums() {
    local t cols
    for t in $OUTPUTS; do
        cols=$(ch_rounded_cols "$1" "$t")
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
    check "$t: rows identical date by date (to 9 decimals)" "$(grep -c "^$t	" "$TMP/one.sums") $(grep "^$t	" "$TMP/one.sums" | md5sum)" \
        "$(grep -c "^$t	" "$TMP/blk.sums") $(grep "^$t	" "$TMP/blk.sums" | md5sum)"
done
check "all ten tables identical" "$(md5sum <"$TMP/one.sums")" "$(md5sum <"$TMP/blk.sums")"
check "every date complete, recorded on its own" "$(completes state-one)" "$(completes state-blk)"
check "blocks ran: date_committed events say so" true \
    "$(cat "$TMP"/state-blk/runs/*.jsonl | jq -s '[.[] | select(.event == "date_committed" and .block)] | length > 100')"
check "every processor committed dates of blocks" 10 \
    "$(for f in "$TMP"/state-blk/runs/*.jsonl; do
           jq -s -e 'any(.[]; .event == "date_committed" and .block)' "$f" >/dev/null &&
               basename "$f" | sed 's/-[^-]*-[0-9]*\.jsonl$//'
       done | sort -u | wc -l)"
# Each processor's own block statement ran (not its per-date insert once
# per date of a block): an INSERT naming the block's list of dates.
check "every processor computed blocks in one statement" 10 \
    "$(ch_sql 1 "SYSTEM FLUSH LOGS" && for t in $OUTPUTS; do
           ch_sql 1 "SELECT count() FROM system.query_log WHERE type = 2 AND user = 'backfill'
                     AND query LIKE 'INSERT INTO %' AND match(query, 'INSERT INTO [^ ]*$t')
                     AND position(query, 'position(') > 0"
       done | grep -vc '^0$')"
check "no block failed" 0 "$(cat "$TMP"/state-blk/runs/*.jsonl | grep -c '"event":"block_failed"')"
# The per-date staging tables are made only for a date that runs alone:
# a run whose every date was computed in a block neither makes nor drops them.
check "blocks: no per-date staging table made (nor dropped)" "0 0" \
    "$(for s in 1 2; do
           ch_sql $s "SYSTEM FLUSH LOGS" && ch_sql $s "SELECT count() FROM system.query_log WHERE type = 2 AND user = 'backfill'
                      AND (query LIKE 'CREATE TABLE%blk.bf\\_stage\\_%'
                           OR query LIKE 'DROP TABLE%blk.bf\\_stage\\_%')"
       done | tr '\n' ' ' | sed 's/ $//')"
check "no staging table left behind" 0 \
    "$(ch_sql 1 "SELECT count() FROM system.tables WHERE name LIKE 'bf\\_%'")$(ch_sql 2 "SELECT count() FROM system.tables WHERE name LIKE 'bf\\_%'" | sed 's/^0$//')"

# The batched test processor: one bad date fails in its block and is
# retried alone while the others of its block publish; a kill inside a
# block leaves no date partial. 2024-01-04..20 (01-01..03 bootstrap):
# blocks 04-11, 12-19, 20.
ch_seed bft 2024-01-01 20
ch_config cluster <<CONF
processors = { batched = { bad_date = ""; outside_date = ""; block_fails = 0;
                           crash_after_block = ""; log_file = "$TMP/calls";
                           pause_date = ""; handshake_dir = "$TMP"; }; };
CONF
sed -i 's/checkpoint_interval_ms = 0;/checkpoint_interval_ms = 3600000;/' "$TMP/backfill.conf"
setkey() { sed -i "s|$1 = [^;]*;|$1 = $2;|" "$TMP/backfill.conf"; }
per_date() { ch_sql 1 "SELECT concat(toString(game_date), ':', toString(count())) FROM bft.batched
                       GROUP BY game_date ORDER BY game_date" | paste -sd' '; }
BRANGE=(--start-date 2024-01-01 --end-date 2024-01-20)
setkey bad_date '"2024-01-09"'
run_bf run batched "${BRANGE[@]}" --batch 8 --workers 1
check "bad date: exit 0, 17 dates complete, it alone took 2 attempts" "0 17 2 1" \
    "$RC $(jq '[.dates[] | select(.status == "complete")] | length' "$TMP/state/batched.json") $(jq -r '[.dates["2024-01-09"].attempts, .dates["2024-01-10"].attempts] | join(" ")' "$TMP/state/batched.json")"
whole=$(per_date)
check "bad date: 2 rows on every date" 17 "$(tr ' ' '\n' <<<"$whole" | grep -c ':2$')"
run_bf run batched "${BRANGE[@]}" --workers 1
check "ClickHouse's default block: 32 dates (no --batch, no run.batch_dates)" "0 32" \
    "$RC $(jq '.run.batch_dates' "$TMP/state/batched.json")"
setkey bad_date '""'
for s in 1 2; do ch_sql $s "TRUNCATE TABLE bft.batched_local"; done
rm -f "$TMP/state/batched.json"
setkey crash_after_block '"2024-01-15"'
run_bf run batched "${BRANGE[@]}" --batch 8 --workers 1
check "kill inside the second block: killed, nothing of it published" "137 0" \
    "$RC $(ch_sql 1 "SELECT count() FROM bft.batched WHERE game_date >= '2024-01-12'")"
check "kill: no partial date, none recorded complete unpublished" "0 0" \
    "$(ch_sql 1 "SELECT count() FROM (SELECT game_date FROM bft.batched GROUP BY game_date HAVING count() <> 2)") $(jq '[.dates[]? | select(.status == "complete")] | length' "$TMP/state/batched.json" 2>/dev/null || echo 0)"
setkey crash_after_block '""'
run_bf run batched "${BRANGE[@]}" --batch 8 --workers 1
check "kill, resume: exit 0, rows as a whole run's" "0 $whole" "$RC $(per_date)"

# A shard killed while a block is computed (paused inside it by the FIFO
# handshake): the run fails, no date is partial and none is recorded
# complete without its rows; once the shard is back, the same command
# finishes with a whole run's rows.
for s in 1 2; do ch_sql $s "TRUNCATE TABLE bft.batched_local"; done
rm -f "$TMP/state/batched.json"
setkey pause_date '"2024-01-15"'
mkfifo "$TMP/ready" "$TMP/go"
start_paused_run run batched "${BRANGE[@]}" --batch 8 --workers 1
ch_kill_shard 2
release
wait_bg
check "shard killed inside a block: exit 1" 1 "$BG_RC"
check_contains "shard killed inside a block: the lost shard named" "Connection refused" "$(cat "$TMP/bg.err")"
ch_start_shard 2
bad=""
for d in $(seq -f '2024-01-%02g' 4 20); do
    rows=$(ch_sql 1 "SELECT count() FROM bft.batched WHERE game_date = '$d'")
    st=$(jq -r ".dates[\"$d\"].status // \"none\"" "$TMP/state/batched.json")
    [ "$st" = complete ] && [ "$rows" != 2 ] && bad="$bad $d:$st:$rows"
    [ "$st" != complete ] && [ "$rows" != 2 ] && [ "$rows" != 0 ] && bad="$bad $d:$st:$rows"
done
check "shard killed inside a block: no date partial, none complete without its rows" "" "$bad"
setkey pause_date '""'
run_bf run batched "${BRANGE[@]}" --batch 8 --workers 1
check "shard back: the same command finishes, rows as a whole run's" "0 $whole" "$RC $(per_date)"
