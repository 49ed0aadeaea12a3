#!/usr/bin/env bash
# Estimates: run --dry-run and pipeline --dry-run say how long the dates to
# run should take, from what the processor's dates took across its recent
# runs (the date_committed events of its last 10 publishing runs' event
# logs): median and p90, scaled by the workers, with how many dates and runs
# they rest on; from the checkpoint's latest duration per date when no log
# is left; "no history" when there is none.
. "$(dirname "$0")/lib.sh"
plan 16
write_config </dev/null
seed_calendar 2024-01-01 20
run_bf run copy --start-date 2024-01-04 --end-date 2024-01-10
check "history: 7 dates built" 0 "$RC"
RUNS="$TMP/state/runs"
# The seeded history. This run: 100, 200, ..., 700 ms (by date). An earlier
# run: 800, 900, 1000 ms, and a rolled-back attempt, which is no published
# date. Ten durations: median (5th) 500 ms, p90 (9th) 900 ms.
log=$(ls "$RUNS"/copy-*.jsonl)
jq -c 'if .event == "date_committed" then .duration_ms = (((.date[8:10] | tonumber) - 3) * 100) else . end' \
    "$log" >"$TMP/log" && mv "$TMP/log" "$log"
for ms in 800 900 1000; do
    echo "{\"ts\":\"2020-01-01T00:00:00.000Z\",\"event\":\"date_committed\",\"date\":\"2024-01-0$((ms / 100 - 7))\",\"duration_ms\":$ms}"
done >"$RUNS/copy-20200101T000000Z-1.jsonl"
echo '{"ts":"2020-01-01T00:00:00.000Z","event":"date_rolled_back","date":"2024-01-02","duration_ms":99999}' \
    >>"$RUNS/copy-20200101T000000Z-1.jsonl"
printf '{"ts":"2020-01-01T00:00:01.000Z","event":"date_comm' >>"$RUNS/copy-20200101T000000Z-1.jsonl" # cut short

run_bf run copy --start-date 2024-01-11 --end-date 2024-01-20 --dry-run
check "dry run: exit 0" 0 "$RC"
check_contains "10 dates at 500 ms (p90 900 ms) on 1 worker, from two runs" \
    "estimate: about 0:00:05 (p90 0:00:09) for 10 dates: median 500 ms, p90 900 ms per date over 10 dates published in 2 runs, 1 worker" "$OUT"
run_bf run copy --start-date 2024-01-11 --end-date 2024-01-20 --dry-run --workers 4
check_contains "scaled by the workers" \
    "estimate: about 0:00:02 (p90 0:00:03) for 10 dates: median 500 ms, p90 900 ms per date over 10 dates published in 2 runs, 4 workers" "$OUT"
run_bf run copy --start-date 2024-01-04 --end-date 2024-01-12 --dry-run
check_contains "only the dates to run count: 2 left" "estimate: about 0:00:01 (p90 0:00:02) for 2 dates" "$OUT"
run_bf run follow --start-date 2024-01-04 --end-date 2024-01-10 --dry-run
check_contains "never run: no history" "estimate: no history" "$OUT"
run_bf pipeline --start-date 2024-01-11 --end-date 2024-01-20 --targets copy --dry-run
check "pipeline dry run: exit 0" 0 "$RC"
check_contains "pipeline dry run: per processor" "estimate: about 0:00:05 (p90 0:00:09)" "$(grep '^  copy ' <<<"$OUT")"

# The log lines are read without a JSON tree; a line written otherwise than
# backfill writes it counts as jansson reads it. The earlier run again, its
# 800, 900 and 1000 ms after a \u escape (read by jansson), with keys
# spaced and reordered, and as a real number after a repeated key; lines
# that are no published date: a string duration, "date_committed" inside
# another event's text, a number too large to read.
cat >"$RUNS/copy-20200101T000000Z-1.jsonl" <<'LOG'
{"ts":"2020-01-01T00:00:00.000Z","event":"date_committed","date":"2024-01-0\u0031","duration_ms":800}
 { "duration_ms" : 900 , "date" : "2024-01-02" , "event" : "date_committed" }
{"event":"date_committed","duration_ms":"7","duration_ms":1.0e3,"checks":[{"k":"\"date_committed\""}]}
{"event":"date_committed","date":"2024-01-04","duration_ms":"5"}
{"event":"date_rolled_back","error":"\"date_committed\"","duration_ms":99999}
{"event":"date_committed","duration_ms":99999999999999999999999}
LOG
run_bf run copy --start-date 2024-01-11 --end-date 2024-01-20 --dry-run
check_contains "lines written otherwise: the same figures" \
    "estimate: about 0:00:05 (p90 0:00:09) for 10 dates: median 500 ms, p90 900 ms per date over 10 dates published in 2 runs, 1 worker" "$OUT"

# Bounded: only the 10 newest runs that published a date are read. Ten
# newer runs of one 2000 ms date each leave the older ones out.
for i in 01 02 03 04 05 06 07 08 09 10; do
    echo "{\"ts\":\"2099-01-01T00:00:$i.000Z\",\"event\":\"date_committed\",\"date\":\"2024-01-04\",\"duration_ms\":2000}" \
        >"$RUNS/copy-20990101T0000${i}Z-1.jsonl"
done
: >"$RUNS/copy-20990101T000011Z-1.jsonl" # a run that published nothing is no run
run_bf run copy --start-date 2024-01-11 --end-date 2024-01-20 --dry-run
check_contains "the last 10 publishing runs only" \
    "estimate: about 0:00:20 (p90 0:00:20) for 10 dates: median 2000 ms, p90 2000 ms per date over 10 dates published in 10 runs, 1 worker" "$OUT"

# No log left: each date's latest duration in the checkpoint (seeded: 100 ..
# 700 ms; median the 4th of 7, 400 ms; p90 the 7th, 700 ms).
rm -r "$RUNS"
jq '.dates |= with_entries(if .value.status == "complete"
        then .value.duration_ms = ((.key | .[8:10] | tonumber) - 3) * 100 else . end)' \
    "$TMP/state/copy.json" >"$TMP/cp.json" && mv "$TMP/cp.json" "$TMP/state/copy.json"
run_bf run copy --start-date 2024-01-11 --end-date 2024-01-20 --dry-run
check "no logs: exit 0" 0 "$RC"
check_contains "no logs: from the checkpoint, said" \
    "estimate: about 0:00:04 (p90 0:00:07) for 10 dates: median 400 ms, p90 700 ms per date over 7 recorded dates (each date's latest run), 1 worker" "$OUT"
run_bf run copy --start-date 2024-01-11 --end-date 2024-01-20 --dry-run --workers 4
check_contains "no logs: scaled by the workers" "estimate: about 0:00:01 (p90 0:00:02)" "$OUT"

# A pipeline's dry run counts the dates it foresees stale: follow's dates
# are complete now, but copy will redo 2024-01-08 (a corrected upstream
# row), so follow's 2024-01-08 runs too, and its estimate counts it (one
# date at follow's recorded 1000 ms), not "0 dates".
run_bf run follow --start-date 2024-01-04 --end-date 2024-01-10
check "follow built" 0 "$RC"
rm -rf "$RUNS"
jq '.dates |= with_entries(.value.duration_ms = 1000)' "$TMP/state/follow.json" >"$TMP/cp.json" &&
    mv "$TMP/cp.json" "$TMP/state/follow.json"
sqlite3 "$DB" "UPDATE upstream SET v = 3 WHERE game_date = '2024-01-08' AND v = 1"
run_bf pipeline --start-date 2024-01-04 --end-date 2024-01-10 --dry-run
check_contains "the foreseen stale date runs" "1 will be stale after copy is redone (its 2024-01-08" \
    "$(grep '^  follow ' <<<"$OUT")"
check_contains "and the estimate counts it" \
    "estimate: about 0:00:01 (p90 0:00:01) for 1 date: median 1000 ms, p90 1000 ms per date over 7 recorded dates" \
    "$(grep '^  follow ' <<<"$OUT")"
