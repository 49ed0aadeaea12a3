#!/usr/bin/env bash
# Benchmark: blocks of dates on a two-shard ClickHouse cluster of user
# processes on loopback. A subset of the demo, BENCH_CHB_DATES dates
# (default 60) of three processors (team_offense_game_summary: cheap;
# player_game_summary: a join; player_daily_cache: a 30-day window), run
# one date at a time (--batch 1, 1 worker), in blocks of at most
# BENCH_CHB_BATCH dates (default 32, the store's run.batch_dates; given as
# run.batch_dates, not --batch, so that the core sizes the blocks for the
# workers: ceil(dates / workers)) at 1 and at 4 workers, and the per-date
# FLOOR: the processors' own INSERT statements of the --batch 1 run (taken
# from its BACKFILL_CH_TRACE, each aimed at the output table instead of a
# staging table), one INSERT per processor-date, sent in order by one curl
# over one kept-alive connection. Interleaved, BENCH_CHB_RUNS runs each
# (default 3). Prints the median wall time of each, the HTTP requests the
# driver sent per processor-date (lines of BACKFILL_CH_TRACE), the queries
# the servers ran (system.events 'Query' on both shards: the requests and
# the shards' parts of distributed reads), the row check (every variant
# against --batch 1, every table, date by date, floating point to 9
# decimals), the CPU seconds the two servers (/proc) and backfill spent
# against the wall time, and one line per goal with PASS or the measured
# ratio. Skipped,
# saying so, when clickhouse-server is not installed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BF="$ROOT/bin/backfill"
TMP=$(mktemp -d /tmp/bf-bench-chb.XXXXXX)
. "$ROOT/tests/e2e/ch_lib.sh"
trap 'ch_stop; [ -n "${BENCH_CHB_KEEP:-}" ] || rm -rf "$TMP"' EXIT
if ! ch_available; then
    echo "clickhouse batches: skipped, clickhouse-server is not installed"
    exit 0
fi
RUNS=${BENCH_CHB_RUNS:-3} NDATES=${BENCH_CHB_DATES:-60} BATCH=${BENCH_CHB_BATCH:-32}
START=2024-10-22
END=$(date -d "$START + $((NDATES - 1)) days" +%F)
PROCS="team_offense_game_summary player_game_summary player_daily_cache"
RAW="schedule player_boxscores team_boxscores player_props"
fail() { echo "clickhouse batches benchmark: $*" >&2; exit 1; }

"$ROOT/bin/demo_gen" --db "$TMP/raw.db" --start 2024-10-22 --end "$END" >/dev/null || fail "demo_gen"
ch_start "$TMP/ch" || fail "the cluster did not start"
trap 'ch_stop; [ -n "${BENCH_CHB_KEEP:-}" ] || rm -rf "$TMP"' EXIT
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
ticks() { # CPU clock ticks: the two servers', then this shell's waited children's
    local p srv=0
    for p in $CH_PIDS; do srv=$((srv + $(cut -d' ' -f14,15 "/proc/$p/stat" | tr ' ' '+')))
    done
    echo "$srv $(($(cut -d' ' -f16,17 "/proc/$$/stat" | tr ' ' '+')))"
}
HZ=$(getconf CLK_TCK)
# one BATCH WORKERS: the three processors in order; seconds on stdout, the
# servers' query count in $TMP/q.BATCH.WORKERS, the driver's requests in
# $TMP/r.BATCH.WORKERS, the rows in $TMP/sums.BATCH.WORKERS, the trace in
# $TMP/trace.BATCH.WORKERS, the CPU seconds of the servers and of
# backfill in $TMP/cpu.BATCH.WORKERS. BATCH 1 is --batch 1; any other is
# run.batch_dates (BACKFILL_BATCH_DATES), a maximum the core may lower.
one() {
    local q0 t0 t1 p c0 c1 v="$1.$2" size=(--batch 1)
    [ "$1" = 1 ] || size=()
    fresh
    q0=$(queries)
    : >"$TMP/trace.$v"
    c0=$(ticks)
    t0=$(date +%s.%N)
    for p in $PROCS; do
        BACKFILL_BATCH_DATES=$1 BACKFILL_CH_TRACE="$TMP/trace.$v" "$BF" -c "$TMP/ch.conf" -q \
            --no-progress run "$p" --start-date "$START" --end-date "$END" --workers "$2" \
            "${size[@]}" >/dev/null 2>"$TMP/err" ||
            fail "run $p, blocks of $1, --workers $2: $(tail -n 3 "$TMP/err")"
    done
    t1=$(date +%s.%N)
    c1=$(ticks)
    echo "$(((${c1% *} - ${c0% *}))) $(((${c1#* } - ${c0#* })))" >>"$TMP/cpu.$v"
    echo $(($(queries) - q0)) >>"$TMP/q.$v"
    wc -l <"$TMP/trace.$v" >>"$TMP/r.$v"
    sums >"$TMP/sums.$v"
    echo "$t1 - $t0" | bc -l
}
# The floor's statements from a --batch 1 trace: the output tables made as
# the run made them (untimed), then every processor-date's INSERT, aimed
# at the output's Distributed table, as a curl config of one kept-alive
# connection.
floor_prepare() {
    local url pw n=0 sql
    pw=$(cat "$CH_DIR/password")
    # the settings the driver sends with every statement (ch_conn.c)
    url="http://127.0.0.1:$CH_HTTP1/?database=nba&wait_end_of_query=1&join_use_nulls=1"
    url="$url&distributed_product_mode=global&insert_distributed_sync=1"
    grep -P '\tCREATE TABLE IF NOT EXISTS nba\.(?!bf_)' "$TMP/trace.1.1" | cut -f1,3- >"$TMP/floor.ddl"
    : >"$TMP/floor.curl"
    mkdir -p "$TMP/floor"
    while IFS= read -r sql; do
        n=$((n + 1))
        printf '%s' "$sql" >"$TMP/floor/$n.sql"
        [ "$n" -gt 1 ] && echo next >>"$TMP/floor.curl"
        printf 'url = "%s"\nuser = "backfill:%s"\ndata-binary = "@%s"\nwrite-out = "%%{http_code}\\n"\noutput = "%s"\n' \
            "$url" "$pw" "$TMP/floor/$n.sql" "$TMP/floor/$n.out" >>"$TMP/floor.curl"
    done < <(grep -P '\tINSERT INTO nba\.bf_stage_' "$TMP/trace.1.1" | cut -f3- |
        sed -E 's/^INSERT INTO nba\.bf_stage_([a-z_]+)_[0-9a-f]+_[0-9]+_[0-9]+_all /INSERT INTO nba.bf_floor_\1 /')
    grep -q 'bf_stage_' "$TMP"/floor/*.sql && fail "floor: a staging table left in an INSERT"
    echo "$n" >"$TMP/floor.n"
}
floor() {
    local t0 t1 t url sql
    fresh
    while IFS=$'\t' read -r url sql; do # on the server the run sent it to
        curl -sS --fail-with-body "$url/" --data-binary "$sql" >/dev/null 2>"$TMP/err" ||
            fail "floor: $sql: $(cat "$TMP/err")"
    done <"$TMP/floor.ddl"
    for t in $PROCS; do # the output's shards, fed by date as the staging tables are
        ch_sql 1 "CREATE TABLE nba.bf_floor_$t AS nba.${t}_local
                  ENGINE = Distributed(bf, nba, ${t}_local, toUInt32(game_date))" ||
            fail "floor: the Distributed table over ${t}_local"
    done
    t0=$(date +%s.%N)
    curl -sS -K "$TMP/floor.curl" >"$TMP/floor.codes" || fail "floor: curl failed"
    t1=$(date +%s.%N)
    grep -qv '^200$' "$TMP/floor.codes" && fail "floor: an INSERT failed: $(cat "$TMP"/floor/*.out | head -c 600)"
    sums >"$TMP/sums.floor"
    echo "$t1 - $t0" | bc -l
}
ratio() { echo "$1 / $2" | bc -l; }
goal() { # LABEL VALUE LIMIT UNIT
    if [ "$(echo "$2 <= $3" | bc -l)" = 1 ]; then
        printf 'clickhouse batches: goal %s: PASS (%.2f%s)\n' "$1" "$2" "$4"
    else
        printf 'clickhouse batches: goal %s: %.2f%s\n' "$1" "$2" "$4"
    fi
}
W=${BENCH_CHB_WORKERS:-4}
V="1.1 $BATCH.1 $BATCH.$W"
for v in $V floor; do : >"$TMP/t.$v" && : >"$TMP/cpu.$v"; done
for i in $(seq "$RUNS"); do
    for v in $V; do
        one "${v%.*}" "${v#*.}" >>"$TMP/t.$v"
    done
    [ "$i" = 1 ] && floor_prepare
    floor >>"$TMP/t.floor"
done
pd=$(awk -F'\t' '{ n++ } END { print n }' "$TMP/sums.1.1") # processor-dates with rows
echo "clickhouse batches: $START..$END, $PROCS, median of $RUNS runs," \
    "load average $(cut -d' ' -f1 /proc/loadavg)"
same=1
for v in $V; do
    b=${v%.*} w=${v#*.}
    tv=$(median <"$TMP/t.$v") qv=$(median <"$TMP/q.$v") rv=$(median <"$TMP/r.$v")
    printf 'clickhouse batches: blocks <= %-3d --workers %d %7.2f s  %5.2f requests per date  %5.1f queries per date\n' \
        "$b" "$w" "$tv" "$(ratio "$rv" "$pd")" "$(ratio "$qv" "$pd")"
    cs=$(cut -d' ' -f1 "$TMP/cpu.$v" | median) cb=$(cut -d' ' -f2 "$TMP/cpu.$v" | median)
    printf 'clickhouse batches:   CPU: servers %.2f s, backfill %.2f s: %.2f of the %d cores busy\n' \
        "$(ratio "$cs" "$HZ")" "$(ratio "$cb" "$HZ")" "$(echo "($cs + $cb) / $HZ / $tv / $(nproc)" | bc -l)" "$(nproc)"
    cmp -s "$TMP/sums.1.1" "$TMP/sums.$v" || same=0
done
tf=$(median <"$TMP/t.floor")
printf 'clickhouse batches: floor (%d INSERTs, one connection) %7.2f s  1.00 requests per date\n' \
    "$(cat "$TMP/floor.n")" "$tf"
cmp -s "$TMP/sums.1.1" "$TMP/sums.floor" || same=0
if [ "$same" = 1 ]; then
    echo "clickhouse batches: rows identical in every variant and the floor ($pd processor-dates): PASS"
else
    echo "clickhouse batches: rows differ: FAIL"
fi
t1=$(median <"$TMP/t.1.1") tb=$(median <"$TMP/t.$BATCH.1") tw=$(median <"$TMP/t.$BATCH.$W")
goal "blocks <= $BATCH at 1 worker <= 0.6x the per-date floor" "$(ratio "$tb" "$tf")" 0.6 x
printf 'clickhouse batches:   run by run (interleaved): %s\n' \
    "$(paste "$TMP/t.$BATCH.1" "$TMP/t.floor" | awk '{ printf "%s%.2fx", (NR > 1 ? ", " : ""), $1 / $2 }')"
goal "blocks <= $BATCH <= 2.5 requests per date" "$(ratio "$(median <"$TMP/r.$BATCH.1")" "$pd")" 2.5 ""
goal "blocks <= $BATCH at $W workers <= 0.6x of 1 worker" "$(ratio "$tw" "$tb")" 0.6 x
# What more workers can gain on this machine at all: the CPU the servers
# and backfill spend at 1 worker, spread over every core, is the least
# wall time any number of workers can take.
c1=$(($(cut -d' ' -f1 "$TMP/cpu.$BATCH.1" | median) + $(cut -d' ' -f2 "$TMP/cpu.$BATCH.1" | median)))
printf 'clickhouse batches:   the CPU of 1 worker (%.2f s) on the %d cores takes at least %.2f s: %d workers >= %.2fx of 1 worker here\n' \
    "$(ratio "$c1" "$HZ")" "$(nproc)" "$(echo "$c1 / $HZ / $(nproc)" | bc -l)" "$W" \
    "$(echo "$c1 / $HZ / $(nproc) / $tb" | bc -l)"
goal "blocks <= $BATCH <= 0.6x --batch 1" "$(ratio "$tb" "$t1")" 0.6 x
# Where the time of --batch BATCH at 1 worker goes (its last run): the
# driver's requests by their first words, and the rest of the wall time
# (the process itself: starting, judging, checkpoints).
echo "clickhouse batches: blocks <= $BATCH at 1 worker, last run: requests by kind (ms, count)"
awk -F'\t' '{ split($3, w, " "); k = w[1] " " w[2] " " w[3]; ms[k] += $2; n[k]++; all += $2 }
    END { for (k in ms) printf "%8.0f ms %5d  %s\n", ms[k], n[k], k
          printf "%8.0f ms %5d  every request\n", all, NR }' "$TMP/trace.$BATCH.1" |
    sort -rn | head -n 12 | sed 's/^/clickhouse batches:   /'
printf 'clickhouse batches:   %8.0f ms of wall time in all (that run)\n' \
    "$(echo "$(tail -n 1 "$TMP/t.$BATCH.1") * 1000" | bc -l)"
