#!/usr/bin/env bash
# Write-audit-publish: incomplete writes never published, old rows kept,
# retries, replace-not-append, stop-on-failure versus --keep-going.
. "$(dirname "$0")/lib.sh"
plan 31
write_config <<'CONF'
processors = {
  copy = { fail_dates = "2024-01-06"; };
  partial_save = { always_partial = 0; };
};
CONF
seed_calendar 2024-01-01 10

# Partial save on the first attempt: detected, rolled back, retried, committed.
run_bf run partial_save --start-date 2024-01-01 --end-date 2024-01-10
check "partial first attempt: run succeeds" 0 "$RC"
check "partial first attempt: every date complete with 2 rows" 14 "$(sql "SELECT count(*) FROM partial_save")"
check "partial first attempt: logged" 7 "$(grep -c 'attempt 1 failed: incomplete: 1 of 2 expected rows; retrying' <<<"$ERR")"
check_contains "summary names the slowest dates" "  slowest: 2024-01-" "$OUT"
check "checkpoint: 2 attempts" 2 "$(jq '.dates["2024-01-05"].attempts' "$TMP/state/partial_save.json")"
check "checkpoint: expected, actual, completeness" "2 2 1 true" \
    "$(jq -r '.dates["2024-01-05"] | "\(.expected) \(.actual) \(.completeness) \(.validation_passed)"' "$TMP/state/partial_save.json")"

# Persistent partial save: rolled back every time, the old rows survive.
sql "UPDATE partial_save SET v = v + 100"
before=$(sql "SELECT game_date, v FROM partial_save ORDER BY 1, 2")
sed -i 's/always_partial = 0/always_partial = 1/' "$TMP/backfill.conf"
run_bf run partial_save --dates 2024-01-05,2024-01-06 --no-resume --retries 3 --keep-going
check "persistent partial: exit 1" 1 "$RC"
check "persistent partial: old rows intact" "$before" "$(sql "SELECT game_date, v FROM partial_save ORDER BY 1, 2")"
check_contains "persistent partial: reported partial" "2024-01-05 partial      incomplete: 1 of 2 expected rows" "$OUT"
check "persistent partial: 4 attempts" 4 "$(jq '.dates["2024-01-05"].attempts' "$TMP/state/partial_save.json")"
check "persistent partial: figures kept" "2 1 0.5 false" \
    "$(jq -r '.dates["2024-01-05"] | "\(.expected) \(.actual) \(.completeness) \(.validation_passed)"' "$TMP/state/partial_save.json")"
check_contains "persistent partial: re-run command" "run partial_save --dates 2024-01-05,2024-01-06" "$OUT"

# An error after writing: nothing of the failed attempt is visible.
run_bf run always_fails --dates 2024-01-05 --retries 1
check "always fails: exit 1" 1 "$RC"
check "always fails: no rows published" 0 "$(sql "SELECT count(*) FROM always_fails")"
check "always fails: 2 attempts" 2 "$(jq '.dates["2024-01-05"].attempts' "$TMP/state/always_fails.json")"
check "always fails: error recorded" "process_date returned BF_ERROR" "$(jq -r '.dates["2024-01-05"].error' "$TMP/state/always_fails.json")"

# Stop on failure (default): after 2024-01-06 fails, nothing new starts.
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --workers 1
check "stop on failure: exit 1" 1 "$RC"
check "stop on failure: dates before the failure written" "2024-01-04 2024-01-05" \
    "$(sql "SELECT DISTINCT game_date FROM copy ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
check_contains "stop on failure: says why" "stopped: the --max-failures limit was reached" "$OUT"
check_contains "stop on failure: later dates pending" "pending           4" "$OUT"
check_contains "stop on failure: re-run lists failed and pending" "--dates 2024-01-06,2024-01-07,2024-01-08,2024-01-09,2024-01-10" "$OUT"

# --keep-going: every other date still runs.
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --workers 1 --keep-going
check "keep going: exit 1" 1 "$RC"
check "keep going: all but the failed date" 12 "$(sql "SELECT count(*) FROM copy")"
check_contains "keep going: re-run lists only the failure" "--dates 2024-01-06" "$OUT"
check_contains "keep going: resumed the earlier dates" "(2 already complete in the checkpoint)" "$OUT"

# Re-running a date replaces it: no duplicates, same rows.
snapshot=$(sql "SELECT * FROM copy ORDER BY 1, 2")
run_bf run copy --dates 2024-01-04,2024-01-05 --no-resume
check "replace: exit 0" 0 "$RC"
check "replace: rows identical, none duplicated" "$snapshot" "$(sql "SELECT * FROM copy ORDER BY 1, 2")"

# --reverse dispatches newest first: the failure then stops before older dates.
sql "DELETE FROM copy"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --workers 1 --reverse --no-resume
check "reverse: newer dates done first" "2024-01-07 2024-01-08 2024-01-09 2024-01-10" \
    "$(sql "SELECT DISTINCT game_date FROM copy ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"

# A row written for another date fails the attempt; nothing is published.
sql "DELETE FROM copy"
sed -i 's/fail_dates = "2024-01-06";/fail_dates = ""; stray_date = "2024-01-09";/' "$TMP/backfill.conf"
run_bf run copy --dates 2024-01-05 --no-resume --retries 0
check "stray row: exit 1" 1 "$RC"
check_contains "stray row: named" "process_date wrote rows for other dates than 2024-01-05 into copy" "$OUT"
check "stray row: nothing published" 0 "$(sql "SELECT count(*) FROM copy")"
