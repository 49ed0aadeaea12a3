#!/usr/bin/env bash
# Estimates: run --dry-run and pipeline --dry-run say how long the dates to
# run should take, from the per-date durations the checkpoint records
# (median and p90, scaled by the workers); "no history" when there is none.
. "$(dirname "$0")/lib.sh"
plan 8
write_config </dev/null
seed_calendar 2024-01-01 20
run_bf run copy --start-date 2024-01-04 --end-date 2024-01-10
check "history: 7 dates built" 0 "$RC"
# The seeded history: 100, 200, ..., 700 ms. Median (4th of 7) 400, p90 (7th) 700.
jq '.dates |= with_entries(if .value.status == "complete"
        then .value.duration_ms = ((.key | .[8:10] | tonumber) - 3) * 100 else . end)' \
    "$TMP/state/copy.json" >"$TMP/cp.json" && mv "$TMP/cp.json" "$TMP/state/copy.json"

run_bf run copy --start-date 2024-01-11 --end-date 2024-01-20 --dry-run
check "dry run: exit 0" 0 "$RC"
check_contains "10 dates at 400 ms (p90 700 ms) on 1 worker" \
    "estimate: about 0:00:04 (p90 0:00:07): median 400 ms, p90 700 ms per date over 7 recorded dates, 1 worker" "$OUT"
run_bf run copy --start-date 2024-01-11 --end-date 2024-01-20 --dry-run --workers 4
check_contains "scaled by the workers" \
    "estimate: about 0:00:01 (p90 0:00:02): median 400 ms, p90 700 ms per date over 7 recorded dates, 4 workers" "$OUT"
run_bf run copy --start-date 2024-01-04 --end-date 2024-01-12 --dry-run
check_contains "only the dates to run count: 2 left" "estimate: about 0:00:01 (p90 0:00:02)" "$OUT"
run_bf run follow --start-date 2024-01-04 --end-date 2024-01-10 --dry-run
check_contains "never run: no history" "estimate: no history" "$OUT"
run_bf pipeline --start-date 2024-01-11 --end-date 2024-01-20 --targets copy --dry-run
check "pipeline dry run: exit 0" 0 "$RC"
check_contains "pipeline dry run: per processor" "estimate: about 0:00:04 (p90 0:00:07)" "$(grep '^  copy ' <<<"$OUT")"
