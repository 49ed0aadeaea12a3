#!/usr/bin/env bash
# Staleness is decided from what a date actually read. A run of follow
# overlaps a run republishing its upstream (copy): the dates follow
# computes after the republish read the new rows, so none of them is
# stale, and the next pipeline redoes nothing. A real republish after the
# run still makes exactly the dates that read it stale, and the pipeline
# redoes exactly those.
. "$(dirname "$0")/lib.sh"
plan 12
mkdir -p "$TMP/plugins"
cp "$ROOT/tests/plugins/copy.so" "$ROOT/tests/plugins/follow.so" "$TMP/plugins/"
write_config "$TMP/plugins" <<CONF
processors = { follow = { handshake_date = "2024-01-04"; handshake_dir = "$TMP"; }; };
CONF
seed_calendar 2024-01-01 10
mkfifo "$TMP/ready" "$TMP/go"
RANGE=(--start-date 2024-01-01 --end-date 2024-01-10)
# states : "STATE COUNT" per state of follow over the range, one line.
states() {
    run_bf gaps "${RANGE[@]}" --targets follow --json
    jq -r '[.tables[0].states | to_entries[] | select(.value > 0) | "\(.key) \(.value)"] | join(", ")' <<<"$OUT"
}
run_bf run copy "${RANGE[@]}" --no-progress
check "copy published" 0 "$RC"
# follow over its 7 dates, one worker, paused at the start of the first
# (2024-01-04, before it reads anything) while copy republishes the six
# dates after it; the six are computed after the republish.
start_paused_run --no-progress run follow "${RANGE[@]}" --no-resume
run_bf --no-progress run copy --start-date 2024-01-05 --end-date 2024-01-10 --no-resume
check "copy republished meanwhile" 0 "$RC"
release
wait_bg
check "the overlapping run: exit 0" 0 "$BG_RC"
check "it read the republished rows" "$(sql "SELECT group_concat(v) FROM (SELECT v FROM copy ORDER BY game_date, v)")" \
    "$(sql "SELECT group_concat(v) FROM (SELECT v FROM follow ORDER BY game_date, v)")"
check "no stale date after the overlapping run" "complete 7, skipped 3" "$(states)"
# started : how many dates of follow any run has started so far.
started() { cat "$TMP"/state/runs/follow-*.jsonl | jq -r 'select(.event == "date_started") | .date' | wc -l; }
before=$(started)
run_bf --no-progress pipeline "${RANGE[@]}"
check "the next pipeline: exit 0" 0 "$RC"
check "the next pipeline redoes nothing" 0 "$(grep -c 'stale\|redoing' <<<"$OUT$ERR")"
check "the next pipeline computed no date" "$before" "$(started)"

# A real republish after the run: exactly its one reader (no lookback) is
# stale, and the pipeline redoes exactly it.
run_bf --no-progress run copy --dates 2024-01-07 --no-resume
check "a real republish" 0 "$RC"
check "exactly its reader is stale" "complete 6, skipped 3, stale 1" "$(states)"
run_bf --no-progress pipeline "${RANGE[@]}"
check_contains "the pipeline redoes exactly it" "1 date is stale" "$OUT"
check "complete again" "complete 7, skipped 3" "$(states)"
