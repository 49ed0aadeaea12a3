#!/usr/bin/env bash
# Benchmark: the demo pipeline (ten processors) on a two-shard ClickHouse
# cluster of user processes on loopback against SQLite, with --workers 1,
# 4 and 16, in ClickHouse's default blocks of dates (run.batch_dates); at
# 1 worker also ClickHouse one date at a time (--batch 1). Each figure is
# the median of BENCH_CH_RUNS runs from an empty state, the variants
# interleaved in the same invocation.
#   BENCH_CH_START, BENCH_CH_END  the range (default: the full demo range)
#   BENCH_CH_RUNS                 runs per figure (default 3)
#   BENCH_CH_WORKERS              the --workers figures (default "1 4 16")
# Skipped, saying so, when clickhouse-server is not installed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BF="$ROOT/bin/backfill"
TMP=$(mktemp -d /tmp/bf-bench-ch.XXXXXX)
. "$ROOT/tests/e2e/ch_lib.sh"
trap 'ch_stop; rm -rf "$TMP"' EXIT
if ! ch_available; then
    echo "clickhouse: skipped, clickhouse-server is not installed"
    exit 0
fi
RUNS=${BENCH_CH_RUNS:-3}
START=${BENCH_CH_START:-2021-10-19} END=${BENCH_CH_END:-2026-01-03}
RANGE=(--start-date "$START" --end-date "$END")
RAW="schedule player_boxscores team_boxscores player_props"
fail() { echo "clickhouse benchmark: $*" >&2; exit 1; }

"$ROOT/bin/demo_gen" --db "$TMP/raw.db" >/dev/null || fail "demo_gen"
ch_start "$TMP/ch" || fail "the cluster did not start"
trap 'ch_stop; rm -rf "$TMP"' EXIT
CH_USER=backfill CH_PASSWORD_FILE="$CH_DIR/password" "$ROOT/tools/ch_load.sh" "$TMP/raw.db" nba \
    "http://127.0.0.1:$CH_HTTP1" "http://127.0.0.1:$CH_HTTP2" || fail "loading the raw tables"
sed -e "s#\.\./var/demo\.db#$TMP/run.db#; s#\.\./plugins#$ROOT/plugins#" \
    -e "s#\.\./var/state#$TMP/state-sqlite#" "$ROOT/conf/backfill.conf" >"$TMP/sqlite.conf"
sed -e "s#127.0.0.1:18123#127.0.0.1:$CH_HTTP1#g; s#127.0.0.1:18124#127.0.0.1:$CH_HTTP2#" \
    -e "s#\.\./var/clickhouse/password#$CH_DIR/password#; s#\.\./plugins#$ROOT/plugins#" \
    -e "s#\.\./var/state-clickhouse#$TMP/state-ch#" "$ROOT/conf/clickhouse.conf" >"$TMP/ch.conf"

fresh_sqlite() { rm -rf "$TMP/state-sqlite" "$TMP"/run.db*; cp "$TMP/raw.db" "$TMP/run.db"; }
fresh_ch() { # every output table dropped on both shards
    local s t
    rm -rf "$TMP/state-ch"
    for s in 1 2; do
        for t in $(ch_sql $s "SELECT name FROM system.tables WHERE database = 'nba'
                     AND name NOT IN ('${RAW// /\',\'}')"); do
            ch_sql $s "DROP TABLE nba.$t" || fail "dropping $t"
        done
    done
}
. "$(dirname "$0")/lib.sh"
pipeline_seconds() { # CONFIG WORKERS [OPTION...]
    local conf=$1 workers=$2
    shift 2
    seconds "$BF" -c "$conf" -q --no-progress pipeline "${RANGE[@]}" --workers "$workers" "$@"
}

echo "clickhouse: pipeline $START..$END, median of $RUNS runs, two shards on loopback vs SQLite"
for w in ${BENCH_CH_WORKERS:-1 4 16}; do
    : >"$TMP/sq" && : >"$TMP/chr" && : >"$TMP/ch1"
    for _ in $(seq "$RUNS"); do
        fresh_sqlite
        pipeline_seconds "$TMP/sqlite.conf" "$w" >>"$TMP/sq"
        fresh_ch
        pipeline_seconds "$TMP/ch.conf" "$w" >>"$TMP/chr"
        if [ "$w" -eq 1 ]; then
            fresh_ch
            pipeline_seconds "$TMP/ch.conf" 1 --batch 1 >>"$TMP/ch1"
        fi
    done
    sq=$(median <"$TMP/sq") chm=$(median <"$TMP/chr")
    printf 'clickhouse: --workers %-2d  sqlite %7.2f s  clickhouse %7.2f s  (%.1fx)\n' \
        "$w" "$sq" "$chm" "$(echo "$chm / $sq" | bc -l)"
    if [ -s "$TMP/ch1" ]; then
        ch1=$(median <"$TMP/ch1")
        printf 'clickhouse: --workers 1   one date at a time (--batch 1) %7.2f s: blocks take %.2fx of it\n' \
            "$ch1" "$(echo "$chm / $ch1" | bc -l)"
    fi
done
