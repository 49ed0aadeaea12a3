#!/usr/bin/env bash
# Benchmarks of the judge and the pipeline on the full demo warehouse (918
# dates, ten processors). Every figure is the median of several runs,
# interleaved with its baseline in the same invocation.
#   1. verify of ml_feature_store (five upstream processors, completeness
#      and staleness judged) over the full range. Target: < 1 s.
#   2. pipeline over the full range from an empty state, against the ten
#      `run` commands one after another in graph order. Target: ratio <= 1.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BF="$ROOT/bin/backfill"
TMP=$(mktemp -d /tmp/bf-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
RUNS=${BENCH_RUNS:-5}
PIPE_RUNS=${BENCH_PIPELINE_RUNS:-3}
RANGE=(--start-date 2021-10-19 --end-date 2026-01-03)

sed -e "s|path = \"../var/demo.db\"|path = \"$TMP/run.db\"|" \
    -e "s|plugin_dir = \"../plugins\"|plugin_dir = \"$ROOT/plugins\"|" \
    -e "s|state_dir = \"../var/state\"|state_dir = \"$TMP/state\"|" \
    "$ROOT/conf/backfill.conf" >"$TMP/bench.conf"
export BACKFILL_CONFIG="$TMP/bench.conf"
"$ROOT/bin/demo_gen" --db "$TMP/raw.db" >/dev/null

. "$(dirname "$0")/lib.sh"
fresh() { rm -rf "$TMP/state" "$TMP"/run.db*; cp "$TMP/raw.db" "$TMP/run.db"; }
mapfile -t ORDER < <("$BF" list --graph | sed -n 's/^ *[0-9]* \([a-z_]*\)$/\1/p')
ten_runs() { for p in "${ORDER[@]}"; do "$BF" -q --no-progress run "$p" "${RANGE[@]}" || return 1; done; }

# 2 first: it leaves a complete warehouse for 1.
: >"$TMP/pipe" && : >"$TMP/runs"
for _ in $(seq "$PIPE_RUNS"); do
    fresh
    seconds ten_runs >>"$TMP/runs"
    fresh
    seconds "$BF" -q --no-progress pipeline "${RANGE[@]}" >>"$TMP/pipe"
done
runs=$(median <"$TMP/runs")
pipe=$(median <"$TMP/pipe")
ratio=$(echo "$pipe / $runs" | bc -l)
printf 'pipeline: full demo %.2f s, ten runs one after another %.2f s -> %.2fx (target <= 1) %s\n' \
    "$pipe" "$runs" "$ratio" "$(echo "$ratio <= 1" | bc -l | sed 's/1/PASS/;s/0/MISS/')"

verify=$(for _ in $(seq "$RUNS"); do seconds "$BF" verify ml_feature_store "${RANGE[@]}"; done | median)
startup=$(for _ in $(seq "$RUNS"); do seconds "$BF" list; done | median)
printf 'judge: verify ml_feature_store over 918 dates %.3f s (loading the ten plugins alone %.3f s) (target < 1 s) %s\n' \
    "$verify" "$startup" "$(echo "$verify < 1" | bc -l | sed 's/1/PASS/;s/0/MISS/')"
