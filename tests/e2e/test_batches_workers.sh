#!/usr/bin/env bash
# Block size and workers: unless --batch gives the size exactly, a block
# holds at most ceil(dates to run / workers) dates, so that every worker
# gets a block (27 dates with run.batch_dates = 32: one block of 27 at 1
# worker, four of at most 7 at 4 workers). --batch is kept exactly, and a
# run.batch_dates smaller than the share stays the size. The block log of
# the batched test processor shows the blocks; every date is complete with
# the same rows whatever the blocks.
. "$(dirname "$0")/lib.sh"
plan 10
unset BACKFILL_BATCH_DATES # the size under test comes from the config
write_config <<CONF
processors = { batched = { bad_date = ""; outside_date = ""; block_fails = 0;
                           crash_after_block = ""; log_file = "$TMP/calls";
                           pause_date = ""; handshake_dir = "$TMP"; }; };
CONF
setsize() { sed -i -E "s/retry_backoff_ms = 0;( batch_dates = [0-9]+;)?/retry_backoff_ms = 0; batch_dates = $1;/" \
    "$TMP/backfill.conf"; }
seed_calendar 2024-01-01 30 # 01-01..03 bootstrap: 27 dates to run, 01-04..01-30
RANGE=(--start-date 2024-01-01 --end-date 2024-01-30)
rows_hash() { sql "SELECT game_date, v FROM batched ORDER BY 1, 2" | sha256sum; }
blocks() { sort "$TMP/calls" | tr '\n' '|'; } # workers append in any order
complete() { jq '[.dates[] | select(.status == "complete")] | length' "$TMP/state/batched.json"; }
one() { # ARGS...: a fresh run of batched, its block log in $TMP/calls
    : >"$TMP/calls"
    run_bf -v run batched "${RANGE[@]}" --no-resume "$@"
}

setsize 32
one --workers 1
check "1 worker, run.batch_dates 32: one block of the 27 dates" \
    "0 block 2024-01-04 2024-01-30 27|" "$RC $(blocks)"
rows=$(rows_hash)

one --workers 4
check "4 workers, run.batch_dates 32: four blocks of at most ceil(27 / 4) = 7" \
    "0 block 2024-01-04 2024-01-10 7|block 2024-01-11 2024-01-17 7|block 2024-01-18 2024-01-24 7|block 2024-01-25 2024-01-30 6|" \
    "$RC $(blocks)"
check "4 workers: every date complete, rows identical to 1 worker's" "27 $rows" "$(complete) $(rows_hash)"
check_contains "4 workers: the smaller blocks are logged (-v)" \
    "blocks of at most 7 dates, not 32: 27 dates on 4 workers" "$ERR"
check "4 workers: the checkpoint records the size asked for" 32 "$(jq '.run.batch_dates' "$TMP/state/batched.json")"

# --batch is the user's size, kept exactly at any number of workers.
one --workers 4 --batch 32
check "4 workers, --batch 32: kept, one block of 27" "0 block 2024-01-04 2024-01-30 27|" "$RC $(blocks)"
one --workers 4 --batch 10
check "4 workers, --batch 10: kept, blocks of 10" \
    "0 block 2024-01-04 2024-01-13 10|block 2024-01-14 2024-01-23 10|block 2024-01-24 2024-01-30 7|" \
    "$RC $(blocks)"
check "--batch: every date complete, rows identical" "27 $rows" "$(complete) $(rows_hash)"

# A run.batch_dates below the share stays the size: 5 < 7.
setsize 5
one --workers 4
check "4 workers, run.batch_dates 5: blocks of 5" \
    "0 block 2024-01-04 2024-01-08 5|block 2024-01-09 2024-01-13 5|block 2024-01-14 2024-01-18 5|block 2024-01-19 2024-01-23 5|block 2024-01-24 2024-01-28 5|block 2024-01-29 2024-01-30 2|" \
    "$RC $(blocks)"
check "run.batch_dates 5: every date complete, rows identical" "27 $rows" "$(complete) $(rows_hash)"
