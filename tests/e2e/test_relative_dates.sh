#!/usr/bin/env bash
# Relative dates (today, yesterday, today-N, season) resolved once against
# BACKFILL_TODAY, said on stderr and recorded resolved; a selection with no
# calendar date is one line and exit 2, never "0/0 (100 %)".
. "$(dirname "$0")/lib.sh"
plan 19
write_config </dev/null
# Two seasons: "season" is the one holding today.
sed -i 's|^seasons = .*|seasons = ( { start = "2023-10-01"; end = "2023-12-31"; }, { start = "2024-01-01"; end = "2024-01-31"; } );|' "$TMP/backfill.conf"
seed_calendar 2024-01-01 10

export BACKFILL_TODAY=2024-01-08
run_bf run copy --start-date today-4 --end-date yesterday
check "run over today-4..yesterday exits 0" 0 "$RC"
check_contains "resolution said once" "dates: today = 2024-01-08 (from BACKFILL_TODAY): --start-date today-4 = 2024-01-04, --end-date yesterday = 2024-01-07" "$ERR"
check "exactly those 4 dates written" "2024-01-04 2024-01-07 8" "$(sql "SELECT min(game_date), max(game_date), count(*) FROM copy" | tr '|' ' ')"
check "checkpoint records the resolved dates" "--start-date 2024-01-04 --end-date 2024-01-07" \
    "$(jq -r '.run.command' "$TMP/state/copy.json" | grep -o -- '--start-date.*')"
check "event log records the resolved dates" "1" \
    "$(cat "$TMP"/state/runs/copy-*.jsonl | grep -c '"command":"[^"]*--start-date 2024-01-04 --end-date 2024-01-07"')"

run_bf verify copy --dates today,yesterday
check "verify --dates today,yesterday exits 0" 0 "$RC"
check_contains "list resolved" "--dates today,yesterday = 2024-01-07,2024-01-08" "$ERR"
check_contains "two calendar dates judged" "copy: 2 calendar dates, 0 skipped as bootstrap, 2 expected" "$OUT"

# season = the configured season containing today.
run_bf gaps --dates season --targets copy --compact
check_contains "season resolved to its bounds" "--start-date season = 2024-01-01, --end-date season = 2024-01-31" "$ERR"
check_contains "season judged from its first day" "2024-01-01 .. 2024-01-03  skip" "$OUT"

# A dates file may hold relative words too.
printf '# relative\nyesterday\n' >"$TMP/dates.txt"
run_bf verify copy --dates-file "$TMP/dates.txt"
check_contains "dates file: yesterday is 2024-01-07" "copy: 1 calendar dates, 0 skipped as bootstrap, 1 expected" "$OUT"

# A bad today refuses with one line naming the variable.
BACKFILL_TODAY=2024-13-01 run_bf run copy --start-date today-1 --end-date today
check "bad BACKFILL_TODAY: exit 2" 2 "$RC"
check "bad BACKFILL_TODAY: one line" "backfill: BACKFILL_TODAY: invalid date '2024-13-01': month 13 does not exist" "$ERR"
run_bf run copy --start-date today+1 --end-date today
check "today+1 is no date: exit 2" 2 "$RC"

# No calendar date in the selection: one line, exit 2, nothing ran.
before=$(dump)
run_bf run copy --start-date 2024-03-01 --end-date 2024-03-05
check "empty range: exit 2" 2 "$RC"
check "empty range: one line" "backfill: no date of calendar schedule.game_date in 2024-03-01..2024-03-05: nothing to do" "$ERR"
check "empty range: never 0/0 (100 %)" "" "$(grep -F '0/0' <<<"$OUT")"
BACKFILL_TODAY=2024-02-15 run_bf pipeline --start-date today-0 --end-date today --targets copy
check "pipeline over today (off the calendar) refused: exit 2" 2 "$RC"
check "empty range wrote nothing" "$before" "$(dump)"
