#!/usr/bin/env bash
# Group commit on SQLite: validated dates are published a group at a time,
# in one transaction, and recorded complete only after it commits. A crash
# before the commit takes back the whole group, which resume redoes; a
# commit that fails fails every date of the group, whose published rows stay
# as they were. A statement the core prepared for itself is never reused for
# a plugin's identical text: the guard it was authorized under differs.
. "$(dirname "$0")/lib.sh"
plan 17
write_config <<'CONF'
processors = { copy = { crash_date = ""; }; rogue = { mode = "none"; }; };
CONF
# A group is committed at 256 dates, at the checkpoint interval, or at the
# end: an hour keeps the interval out of these runs however slow they are.
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; checkpoint_interval_ms = 3600000;/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 12
RANGE=(--start-date 2024-01-01 --end-date 2024-01-12)

# 2024-01-04 .. 01-07 are validated and held when 01-08 kills the process.
sed -i 's/crash_date = ""/crash_date = "2024-01-08"/' "$TMP/backfill.conf"
run_bf run copy "${RANGE[@]}"
check "crash: killed" 137 "$RC"
check "crash: none of the four held dates was published" 0 "$(sql "SELECT count(*) FROM copy")"
check "crash: the checkpoint records none of them complete" 0 \
    "$(jq '[.dates[]? | select(.status == "complete")] | length' "$TMP/state/copy.json" 2>/dev/null || echo 0)"
sed -i 's/crash_date = "2024-01-08"/crash_date = ""/' "$TMP/backfill.conf"
run_bf run copy "${RANGE[@]}"
check "resume: exit 0" 0 "$RC"
check "resume: every date complete, each with its 2 rows" "9 18" \
    "$(jq '[.dates[] | select(.status == "complete")] | length' "$TMP/state/copy.json") $(sql "SELECT count(*) FROM copy")"
check "resume: one date_committed per date" 9 \
    "$(jq -r 'select(.event == "date_committed") | .date' "$(ls -t "$TMP"/state/runs/*.jsonl | head -1)" | sort -u | wc -l)"

# Another process holds the write lock (BEGIN IMMEDIATE through a FIFO) for
# the whole run: every date validates, and the group's commit fails after
# timeout_s.
sed -i 's/path = "store.db";/path = "store.db"; timeout_s = 1;/' "$TMP/backfill.conf"
before=$(dump | sha256sum)
mkfifo "$TMP/holder.in" "$TMP/holder.out"
sqlite3 "$DB" <"$TMP/holder.in" >"$TMP/holder.out" &
HOLDER=$!
exec 4>"$TMP/holder.in"
echo "BEGIN IMMEDIATE; SELECT 'holding';" >&4
read -r held <"$TMP/holder.out"
check "holder: has the write lock" holding "$held"
run_bf --json run copy "${RANGE[@]}" --no-resume
check "commit fails: exit 1" 1 "$RC"
check "commit fails: every date of the group failed" "9 0" "$(jq -r '"\(.dates.failed) \(.dates.complete)"' <<<"$OUT")"
check_contains "commit fails: the reason is the commit's" "publishing: database is locked" "$ERR"
check "commit fails: recorded failed with it" 9 \
    "$(jq '[.dates[] | select(.status == "failed" and (.error | startswith("publishing: ")))] | length' "$TMP/state/copy.json")"
echo "ROLLBACK;" >&4
exec 4>&-
wait "$HOLDER"
check "commit fails: the store is byte-identical" "$before" "$(dump | sha256sum)"
run_bf run copy "${RANGE[@]}"
check "commit fails, then resume: exit 0, all published" "0 9" \
    "$RC $(jq '[.dates[] | select(.status == "complete")] | length' "$TMP/state/copy.json")"

# rogue's core_sql mode runs, from its second date on, the exact text of
# the core's own statement that moves a validated date into the group; one
# date at a time (in a block: test_isolation.sh).
sed -i 's/mode = "none"/mode = "core_sql"/' "$TMP/backfill.conf"
run_bf --json run rogue --dates 2024-01-05,2024-01-06 --retries 0 --batch 1
check "core's own text: the first date is published" complete "$(jq -r '.dates["2024-01-05"].status' "$TMP/state/rogue.json")"
check "core's own text: refused to the plugin" failed "$(jq -r '.dates["2024-01-06"].status' "$TMP/state/rogue.json")"
check_contains "core's own text: named" "refused INSERT into bf_ready_rogue: process_date may write only its staging table" "$ERR"
check "core's own text: the second date holds nothing" 0 "$(sql "SELECT count(*) FROM rogue WHERE game_date = '2024-01-06'")"
