#!/usr/bin/env bash
# A run killed mid-date resumes: the killed date holds its old rows or the
# new set, never a mix, and the same command finishes the job.
. "$(dirname "$0")/lib.sh"
plan 31
write_config <<'CONF'
processors = { copy = { crash_date = "2024-01-08"; }; };
CONF
# Every finished date is checkpointed at once, so the figures below are exact.
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; checkpoint_interval_ms = 0;/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 12
sqlite3 "$DB" "CREATE TABLE copy (game_date TEXT, v INTEGER); INSERT INTO copy VALUES ('2024-01-08', 42);"

run_bf run copy --start-date 2024-01-01 --end-date 2024-01-12
check "killed run dies by SIGKILL" 137 "$RC"
check "killed date keeps its old rows" "42" "$(sql "SELECT group_concat(v) FROM copy WHERE game_date='2024-01-08'")"
check "dates before it are complete" 8 "$(sql "SELECT count(*) FROM copy WHERE game_date < '2024-01-08'")"
check "checkpoint holds the dates finished before the kill" "2024-01-04 2024-01-05 2024-01-06 2024-01-07" \
    "$(jq -r '[.dates | to_entries[] | select(.value.status == "complete") | .key] | join(" ")' "$TMP/state/copy.json")"

# Same command, crash switched off: resumes, finishes, no duplicates.
sed -i 's/crash_date = "2024-01-08"/crash_date = ""/' "$TMP/backfill.conf"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-12
check "resumed run exits 0" 0 "$RC"
check_contains "resumed run skips what was done" "(4 already complete in the checkpoint)" "$OUT"
check "every expected date has exactly its 2 rows" "18" "$(sql "SELECT count(*) FROM copy")"
check "killed date replaced, not appended" "1,2" "$(sql "SELECT group_concat(v) FROM (SELECT v FROM copy WHERE game_date='2024-01-08' ORDER BY v)")"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-12
check_contains "third run: all resumed" "(9 already complete in the checkpoint)" "$OUT"
check "third run wrote nothing new" "18" "$(sql "SELECT count(*) FROM copy")"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-12 --no-resume
check "--no-resume redoes: attempts recorded anew" 0 "$(grep -c 'already complete' <<<"$OUT")"

run_bf status copy
check "status exit 0" 0 "$RC"
check_contains "status counts" "complete          9" "$OUT"
check_contains "status counts skipped" "skipped           3" "$OUT"
check_contains "status names the last command" "run copy --start-date 2024-01-01 --end-date 2024-01-12 --no-resume" "$OUT"

# A corrupt checkpoint is refused, not overwritten.
echo '{broken' >"$TMP/state/copy.json"
run_bf run copy --dates 2024-01-05
check "corrupt checkpoint: exit 2" 2 "$RC"
check_contains "corrupt checkpoint: named" "$TMP/state/copy.json:1: corrupt checkpoint" "$ERR"
check "corrupt checkpoint left as it was" "{broken" "$(cat "$TMP/state/copy.json")"
run_bf run copy --dates 2024-01-05 --dry-run
check "corrupt checkpoint, dry run: exit 2" 2 "$RC"
check_contains "corrupt checkpoint, dry run: named" "$TMP/state/copy.json:1: corrupt checkpoint" "$ERR"

# A checkpoint without a part the writer always writes ("run") is refused
# with the part, the file and the fix; it is never half-read (every save
# would then fail on the missing object) and never overwritten.
rm "$TMP/state/copy.json"
run_bf run copy --dates 2024-01-05 --no-resume
check "a good checkpoint again" 0 "$RC"
jq -c 'del(.run)' "$TMP/state/copy.json" >"$TMP/norun.json" && cp "$TMP/norun.json" "$TMP/state/copy.json"
run_bf run copy --dates 2024-01-05
check "checkpoint without run: exit 2" 2 "$RC"
check "checkpoint without run: names the part, the file and the fix" \
    "backfill: $TMP/state/copy.json:1: corrupt checkpoint: no \"run\" object (move it aside and run with --no-resume)" "$ERR"
check "checkpoint without run: left as it was" "$(cat "$TMP/norun.json")" "$(cat "$TMP/state/copy.json")"
run_bf run copy --dates 2024-01-05 --dry-run
check "checkpoint without run, dry run: exit 2" 2 "$RC"
check_contains "checkpoint without run, dry run: names the part, the file and the fix" \
    "$TMP/state/copy.json:1: corrupt checkpoint: no \"run\" object (move it aside and run with --no-resume)" "$ERR"
mv "$TMP/state/copy.json" "$TMP/state/copy.json.aside"
run_bf run copy --dates 2024-01-05 --no-resume
check "the fix works: moved aside, --no-resume runs, exit 0" 0 "$RC"
check "the fix works: a whole checkpoint again" "true" "$(jq '(.run | type) == "object"' "$TMP/state/copy.json")"

# A dry run scans the checkpoint's records instead of reading it whole; one
# the scan does not read (a \u escape) is read whole, to the same plan.
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-12 --dry-run
check "dry run on a whole checkpoint: exit 0" 0 "$RC"
scanned=$OUT
sed -i '0,/{/s//{"note": "\\u0041",/' "$TMP/state/copy.json"
check "the checkpoint has a \\u escape" "A" "$(jq -r .note "$TMP/state/copy.json")"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-12 --dry-run
check "read whole: the same plan" "$scanned" "$OUT"
