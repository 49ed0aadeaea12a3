#!/usr/bin/env bash
# Benchmark: blocks of dates on a two-shard ClickHouse cluster of user
# processes on loopback. A subset of the demo, BENCH_CHB_DATES dates
# (default 60) of three processors (team_offense_game_summary: cheap;
# player_game_summary: a join; player_daily_cache: a 30-day window), run
# one date at a time (--batch 1) and in blocks (--batch BENCH_CHB_BATCH,
# default 30), 1 worker, interleaved, BENCH_CHB_RUNS runs each (default 3).
# Prints the median wall time of each, the queries the servers ran per
# processor-date (system.events 'Query' on both shards: the driver's
# requests and the shards' parts of distributed reads), the row check
# (every table, date by date, floating point to 9 decimals) and one line
# per goal with PASS or the measured ratio. Skipped, saying so, when
# clickhouse-server is not installed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BF="$ROOT/bin/backfill"
TMP=$(mktemp -d /tmp/bf-bench-chb.XXXXXX)
. "$ROOT/tests/e2e/ch_lib.sh"
trap 'ch_stop; rm -rf "$TMP"' EXIT
if ! ch_available; then
    echo "clickhouse batches: skipped, clickhouse-server is not installed"
    exit 0
fi
RUNS=${BENCH_CHB_RUNS:-3} NDATES=${BENCH_CHB_DATES:-60} BATCH=${BENCH_CHB_BATCH:-30}
START=2024-10-22
END=$(date -d "$START + $((NDATES - 1)) days" +%F)
PROCS="team_offense_game_summary player_game_summary player_daily_cache"
RAW="schedule player_boxscores team_boxscores player_props"
fail() { echo "clickhouse batches benchmark: $*" >&2; exit 1; }

"$ROOT/bin/demo_gen" --db "$TMP/raw.db" --start 2024-10-22 --end "$END" >/dev/null || fail "demo_gen"
ch_start "$TMP/ch" || fail "the cluster did not start"
trap 'ch_stop; rm -rf "$TMP"' EXIT
CH_USER=backfill CH_PASSWORD_FILE="$CH_DIR/password" "$ROOT/tools/ch_load.sh" "$TMP/raw.db" nba \
    "http://127.0.0.1:$CH_HTTP1" "http://127.0.0.1:$CH_HTTP2" || fail "loading the raw tables"
sed -e "s#127.0.0.1:18123#127.0.0.1:$CH_HTTP1#g; s#127.0.0.1:18124#127.0.0.1:$CH_HTTP2#" \
    -e "s#\.\./var/clickhouse/password#$CH_DIR/password#; s#\.\./plugins#$ROOT/plugins#" \
    -e "s#\.\./var/state-clickhouse#$TMP/state#" "$ROOT/conf/clickhouse.conf" >"$TMP/ch.conf"
fresh() { # every output table dropped on both shards, no state
    local s t
    rm -rf "$TMP/state"
    for s in 1 2; do
        for t in $(ch_sql $s "SELECT name FROM system.tables WHERE database = 'nba'
                     AND name NOT IN ('${RAW// /\',\'}')"); do
            ch_sql $s "DROP TABLE nba.$t" || fail "dropping $t"
        done
    done
}
queries() { echo $(($(ch_sql 1 "SELECT value FROM system.events WHERE event = 'Query'") + \
    $(ch_sql 2 "SELECT value FROM system.events WHERE event = 'Query'"))); }
sums() {
    local t cols
    for t in $PROCS; do
        cols=$(ch_sql 1 "SELECT arrayStringConcat(groupArray(if(type LIKE '%Float%',
                  concat('round(', name, ', 9)'), name)), ', ') FROM system.columns
                  WHERE database = 'nba' AND table = '${t}_local'")
        ch_sql 1 "SELECT '$t', toString(game_date), count(), sum(cityHash64($cols)) FROM nba.$t
                  GROUP BY game_date ORDER BY game_date FORMAT TSV"
    done
}
. "$(dirname "$0")/lib.sh"
# one BATCH: the three processors in order; seconds on stdout, the
# servers' query count in $TMP/q.BATCH, the rows in $TMP/sums.BATCH.
one() {
    local q0 t0 t1 p
    fresh
    q0=$(queries)
    t0=$(date +%s.%N)
    for p in $PROCS; do
        "$BF" -c "$TMP/ch.conf" -q --no-progress run "$p" --start-date "$START" \
            --end-date "$END" --workers 1 --batch "$1" >/dev/null 2>"$TMP/err" ||
            fail "run $p --batch $1: $(tail -n 3 "$TMP/err")"
    done
    t1=$(date +%s.%N)
    echo $(($(queries) - q0)) >>"$TMP/q.$1"
    sums >"$TMP/sums.$1"
    echo "$t1 - $t0" | bc -l
}
: >"$TMP/t.1" && : >"$TMP/t.$BATCH"
for _ in $(seq "$RUNS"); do
    one 1 >>"$TMP/t.1"
    one "$BATCH" >>"$TMP/t.$BATCH"
done
pd=$(awk -F'\t' '{ n++ } END { print n }' "$TMP/sums.1") # processor-dates with rows
t1=$(median <"$TMP/t.1") tb=$(median <"$TMP/t.$BATCH")
q1=$(median <"$TMP/q.1") qb=$(median <"$TMP/q.$BATCH")
echo "clickhouse batches: $START..$END, $PROCS, 1 worker, median of $RUNS runs," \
    "load average $(cut -d' ' -f1 /proc/loadavg)"
printf 'clickhouse batches: --batch 1   %7.2f s  %5.1f queries per processor-date\n' "$t1" \
    "$(echo "$q1 / $pd" | bc -l)"
printf 'clickhouse batches: --batch %-3d %7.2f s  %5.1f queries per processor-date\n' "$BATCH" \
    "$tb" "$(echo "$qb / $pd" | bc -l)"
if cmp -s "$TMP/sums.1" "$TMP/sums.$BATCH"; then
    echo "clickhouse batches: rows identical ($pd processor-dates): PASS"
else
    echo "clickhouse batches: rows differ: FAIL"
fi
r=$(echo "$tb / $t1" | bc -l)
printf 'clickhouse batches: goal blocks <= 0.6x one date at a time: %s\n' \
    "$(echo "$r <= 0.6" | bc -l | sed "s/1/PASS ($(printf %.2f "$r")x)/; s/^0$/$(printf %.2f "$r")x/")"
