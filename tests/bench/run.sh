#!/usr/bin/env bash
# Benchmarks (make bench). Machines are shared and noisy: every figure is
# the median of several runs, compared with a baseline measured in the
# same invocation.
#   1. runner overhead per date: `run noop` over 10,000 daily dates minus a
#      dry run of the same plan (start-up, calendar, pre-flight), / 10,000.
#      Target: <= 0.1 ms per date.
#      BENCH_ONLY=overhead runs this one alone.
#   2. parallel speed-up: a plugin waiting 20 ms per date (a warehouse round
#      trip) over 400 dates, --workers 1 versus --workers 16. Target: >= 12x.
#   3. provenance: `verify` over the full demo (918 dates, after a pipeline
#      published it): every table read once, the raw ones and the calendar
#      with a checksum of every column of every row in the range and its
#      lookback. ml_feature_store (Phase 4, the calendar its raw input) and
#      player_game_summary (the player box scores, the largest raw table).
#      Target: < 1 s each. BENCH_ONLY=provenance runs this one alone.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BF="$ROOT/bin/backfill"
TMP=$(mktemp -d /tmp/bf-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
RUNS=${BENCH_RUNS:-5}

cat >"$TMP/bench.conf" <<CONF
store = { driver = "sqlite"; path = "bench.db"; };
plugin_dir = "$ROOT/tests/plugins";
state_dir = "state";
calendar = { table = "schedule"; date_column = "game_date"; };
bootstrap_days = 0;
run = { workers = 1; retries = 0; retry_backoff_ms = 0; };
processors = { sleepy = { sleep_ms = 20; }; };
CONF
sqlite3 "$TMP/bench.db" "
  CREATE TABLE schedule (game_date TEXT);
  WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < 10000)
  INSERT INTO schedule SELECT date('2000-01-01', '+' || i || ' days') FROM d;"
export BACKFILL_CONFIG="$TMP/bench.conf"

# seconds COMMAND... : wall time of one run, in seconds
. "$(dirname "$0")/lib.sh"

provenance() {
    mkdir "$TMP/demo"
    sed -e "s|path = \"../var/demo.db\"|path = \"$TMP/demo/demo.db\"|" \
        -e "s|plugin_dir = \"../plugins\"|plugin_dir = \"$ROOT/plugins\"|" \
        -e "s|state_dir = \"../var/state\"|state_dir = \"$TMP/demo/state\"|" \
        "$ROOT/conf/backfill.conf" >"$TMP/demo/demo.conf"
    "$ROOT/bin/demo_gen" --db "$TMP/demo/demo.db" >/dev/null
    local p t full=(--start-date 2021-10-19 --end-date 2026-01-03)
    BACKFILL_CONFIG="$TMP/demo/demo.conf" "$BF" -q --no-progress pipeline "${full[@]}" >/dev/null
    for p in ml_feature_store player_game_summary; do
        t=$(for _ in $(seq "$RUNS"); do
            seconds env BACKFILL_CONFIG="$TMP/demo/demo.conf" "$BF" -q verify "$p" "${full[@]}"
        done | median)
        printf 'provenance: verify %s over the full demo (918 dates): %.3f s (target < 1) %s\n' \
            "$p" "$t" "$(echo "$t < 1" | bc -l | sed 's/1/PASS/;s/0/MISS/')"
    done
}
if [ "${BENCH_ONLY:-}" = provenance ]; then
    provenance
    exit 0
fi


DATES10K=(--start-date 2000-01-01 --end-date 2027-05-18)
base=$(for _ in $(seq "$RUNS"); do seconds "$BF" -q run noop "${DATES10K[@]}" --dry-run; done | median)
full=$(for _ in $(seq "$RUNS"); do seconds "$BF" -q run noop "${DATES10K[@]}" --no-resume; done | median)
per_date=$(echo "($full - $base) * 1000 / 10000" | bc -l)
printf 'overhead: noop over 10000 dates: run %.3f s, dry-run baseline %.3f s -> %.4f ms per date (target <= 0.1) %s\n' \
    "$full" "$base" "$per_date" "$(echo "$per_date <= 0.1" | bc -l | sed 's/1/PASS/;s/0/MISS/')"

[ "${BENCH_ONLY:-}" = overhead ] && exit 0

DATES400=(--start-date 2000-01-01 --end-date 2001-02-03)
SPEED_RUNS=${BENCH_SPEED_RUNS:-3}
one=$(for _ in $(seq "$SPEED_RUNS"); do seconds "$BF" -q run sleepy "${DATES400[@]}" --no-resume --workers 1; done | median)
sixteen=$(for _ in $(seq "$SPEED_RUNS"); do seconds "$BF" -q run sleepy "${DATES400[@]}" --no-resume --workers 16; done | median)
ratio=$(echo "$one / $sixteen" | bc -l)
printf 'speed-up: 20 ms/date over 400 dates: --workers 1 %.2f s, --workers 16 %.2f s -> %.1fx (target >= 12) %s\n' \
    "$one" "$sixteen" "$ratio" "$(echo "$ratio >= 12" | bc -l | sed 's/1/PASS/;s/0/MISS/')"

provenance
