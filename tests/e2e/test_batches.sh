#!/usr/bin/env bash
# Blocks of dates: a processor with process_dates computes up to --batch N
# dates (next to each other in the plan) in one call, and the core still
# counts, judges, publishes and records each date on its own. Blocked and
# skipped dates never enter a block; one bad date is retried alone while
# the others of its block publish; a block that fails, or writes a date
# outside itself, runs date by date; a kill after a block was computed
# leaves no partial date; --batch 1 is one date at a time, rows identical.
. "$(dirname "$0")/lib.sh"
plan 31
write_config <<CONF
processors = { batched = { bad_date = ""; outside_date = ""; block_fails = 0;
                           crash_after_block = ""; log_file = "$TMP/calls";
                           pause_date = ""; handshake_dir = "$TMP"; }; };
CONF
# Held dates are committed at the end of a run, not at a checkpoint
# interval, however slow the machine.
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; checkpoint_interval_ms = 3600000;/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 30
# 2024-01-12 is on the calendar but its upstream is empty: blocked.
sql "DELETE FROM upstream WHERE game_date = '2024-01-12'"
RANGE=(--start-date 2024-01-01 --end-date 2024-01-30)
setkey() { sed -i "s|$1 = [^;]*;|$1 = $2;|" "$TMP/backfill.conf"; }
blocks() { grep -c '^block ' "$TMP/calls"; }
alone() { grep -c '^date ' "$TMP/calls"; }
rows_hash() { sql "SELECT game_date, v FROM batched ORDER BY 1, 2" | sha256sum; }
complete() { jq '[.dates[] | select(.status == "complete")] | length' "$TMP/state/batched.json"; }
last_log() { ls -t "$TMP"/state/runs/*.jsonl | head -1; }

# 27 expected dates (01-01..03 bootstrap), 01-12 blocked: 26 to run, in
# blocks of at most 8 that never cross 01-12: 04-11 (8), 13-20, 21-28, 29-30.
: >"$TMP/calls"
run_bf run batched "${RANGE[@]}" --batch 8
check "blocks: exit 1 (01-12 blocked)" 1 "$RC"
check "blocks: the blocks, none holding the blocked or a skipped date" \
    "block 2024-01-04 2024-01-11 8|block 2024-01-13 2024-01-20 8|block 2024-01-21 2024-01-28 8|block 2024-01-29 2024-01-30 2|" \
    "$(tr '\n' '|' <"$TMP/calls")"
check "blocks: every date complete, 2 rows each" "26 52" "$(complete) $(sql "SELECT count(*) FROM batched")"
check "blocks: one date_committed per date" 26 \
    "$(jq -r 'select(.event == "date_committed") | .date' "$(last_log)" | sort -u | wc -l)"
check "blocks: each date recorded with 1 attempt and its own figures" 26 \
    "$(jq '[.dates[] | select(.status == "complete" and .attempts == 1 and .expected == 2 and .actual == 2)] | length' "$TMP/state/batched.json")"
check "blocks: the checkpoint records the block size" 8 "$(jq '.run.batch_dates' "$TMP/state/batched.json")"
batched_rows=$(rows_hash)

# --batch 1: one date at a time, the same rows.
: >"$TMP/calls"
run_bf run batched "${RANGE[@]}" --batch 1 --no-resume
check "--batch 1: exit 1 (01-12 blocked), no block, 26 dates alone" "1 0 26" "$RC $(blocks) $(alone)"
check "--batch 1: rows identical to the blocks'" "$batched_rows" "$(rows_hash)"

# One bad date: it fails in its block (3 rows, 2 expected) and is retried
# alone; the other 7 dates of its block publish.
setkey bad_date '"2024-01-09"'
: >"$TMP/calls"
run_bf --json run batched "${RANGE[@]}" --batch 8 --no-resume
check "bad date: exit 1 (01-12 blocked), every date complete" "1 26" "$RC $(complete)"
check "bad date: 4 blocks, only it ran again alone" "4 date 2024-01-09" "$(blocks) $(grep '^date' "$TMP/calls")"
check "bad date: 2 attempts (block, alone), its neighbours 1" "2 1 1" \
    "$(jq -r '[.dates["2024-01-09"].attempts, .dates["2024-01-08"].attempts, .dates["2024-01-10"].attempts] | join(" ")' "$TMP/state/batched.json")"
check_contains "bad date: the block's failure is logged" "more than upstream allows" \
    "$(jq -r 'select(.event == "date_rolled_back" and .block) | .error' "$(last_log)")"
check "bad date: rows identical to per date" "$batched_rows" "$(rows_hash)"

# retries 0: the bad date still gets its attempt alone.
run_bf run batched "${RANGE[@]}" --batch 8 --no-resume --retries 0
check "bad date, --retries 0: exit 1, every date complete" "1 26" "$RC $(complete)"
setkey bad_date '""'

# A block that fails: its dates run alone.
setkey block_fails 1
: >"$TMP/calls"
run_bf run batched "${RANGE[@]}" --batch 8 --no-resume
check "failed blocks: exit 1, every date complete, all 26 alone" "1 26 26" "$RC $(complete) $(alone)"
check "failed blocks: logged once each" 4 "$(jq -r 'select(.event == "block_failed") | .first' "$(last_log)" | wc -l)"
check_contains "failed blocks: named" "configured to fail its blocks" "$ERR"
setkey block_fails 0

# A row outside the block fails it: nothing of that date is published.
setkey outside_date '"2023-12-01"'
: >"$TMP/calls"
run_bf run batched "${RANGE[@]}" --batch 8 --no-resume
check "outside row: every date complete, alone" "26 26" "$(complete) $(alone)"
check "outside row: the stray date holds nothing" 0 "$(sql "SELECT count(*) FROM batched WHERE game_date = '2023-12-01'")"
check_contains "outside row: named" "process_dates wrote rows for 2023-12-01, outside its block 2024-01-04..2024-01-11" "$ERR"
setkey outside_date '""'

# --dates with a hole: the plan's neighbours 01-05 and 01-07 form a block,
# which BETWEEN fills with 01-06: the block fails, both run alone.
: >"$TMP/calls"
run_bf run batched --dates 2024-01-05,2024-01-07 --batch 8 --no-resume
check "hole: exit 0, 2 dates alone after their block" "0 1 2" "$RC $(blocks) $(alone)"

# A kill once a block is computed (the first block's dates are held for the
# group commit): no date is partial, and resume completes every date.
sql "DELETE FROM batched"
rm -f "$TMP/state/batched.json"
setkey crash_after_block '"2024-01-15"'
run_bf run batched "${RANGE[@]}" --batch 8
check "kill: killed" 137 "$RC"
check "kill: nothing published, no partial date" "0 0" \
    "$(sql "SELECT count(*) FROM batched") $(sql "SELECT count(*) FROM (SELECT game_date FROM batched GROUP BY 1 HAVING count(*) <> 2)")"
setkey crash_after_block '""'
run_bf run batched "${RANGE[@]}" --batch 8
check "kill, resume: every date complete, rows identical" "26 $batched_rows" "$(complete) $(rows_hash)"

# An interrupt while a block is computed: the block is in flight and
# finishes, each of its dates published and recorded; nothing new starts.
# One worker, so no other block can be dispatched before the signal: the
# first block and the paused second one complete (16 dates).
rm -f "$TMP/state/batched.json"
sql "DELETE FROM batched"
setkey pause_date '"2024-01-13"'
mkfifo "$TMP/ready" "$TMP/go"
interrupt_paused INT -c "$TMP/backfill.conf" --no-progress run batched "${RANGE[@]}" --batch 8 --workers 1
check "interrupt in a block: exit 130, its 16 dates (2 blocks) complete, the rest pending" "130 16 32" \
    "$BG_RC $(complete) $(sql "SELECT count(*) FROM batched")"
setkey pause_date '""'
run_bf run batched "${RANGE[@]}" --batch 8
check "interrupt in a block, resume: every date complete, rows identical" "26 $batched_rows" "$(complete) $(rows_hash)"

# Two workers take blocks side by side.
run_bf run batched "${RANGE[@]}" --batch 4 --workers 2 --no-resume
check "2 workers: every date complete, rows identical" "26 $batched_rows" "$(complete) $(rows_hash)"

# The defaults and the key, not the environment's override.
unset BACKFILL_BATCH_DATES
run_bf run batched --start-date 2024-01-04 --end-date 2024-01-09 --no-resume
check "SQLite's default: one date at a time (no --batch, no run.batch_dates)" "0 1" \
    "$RC $(jq '.run.batch_dates' "$TMP/state/batched.json")"
# run.batch_dates from the config, and bad values refused.
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; batch_dates = 3;/' "$TMP/backfill.conf"
: >"$TMP/calls"
run_bf run batched --start-date 2024-01-04 --end-date 2024-01-09 --no-resume
check "run.batch_dates: blocks of 3" "0 2" "$RC $(blocks)"
run_bf run batched "${RANGE[@]}" --batch 0
check "--batch 0: usage error" 2 "$RC"
sed -i 's/batch_dates = 3;/batch_dates = 0;/' "$TMP/backfill.conf"
run_bf run batched "${RANGE[@]}"
check "run.batch_dates = 0: config error" 2 "$RC"
