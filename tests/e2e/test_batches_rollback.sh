#!/usr/bin/env bash
# A block's transaction rolled back after some of its dates were validated
# (SQLite): the dates of a block share one transaction, in which each
# validated date's rows join the table the group commit publishes from,
# and the block's own rows are read from. When SQLite rolls that
# transaction back (here: a statement in it is interrupted,
# tests/faults/shim.so's BF_SQL_INTERRUPT), the rows of the dates validated
# before it are gone, and so are the block's: their group must not
# publish, no date is recorded complete without its rows, the block's
# other dates are not judged on rows that are gone, and the next run
# redoes them. Two statements are interrupted in turn: a validated date's
# move to the ready table, and the next date's copy out of the block.
. "$(dirname "$0")/lib.sh"
plan 18
if shim_unusable; then
    for i in $(seq 18); do ok "rollback check $i # skip: a sanitizer build cannot take the shim"; done
    exit 0
fi
SHIM="$ROOT/tests/faults/shim.so"
write_config <<CONF
processors = { batched = { bad_date = ""; outside_date = ""; block_fails = 0;
                           crash_after_block = ""; log_file = ""; pause_date = "";
                           handshake_dir = "$TMP"; }; };
CONF
# A group is committed as soon as its dates are finished: each block's
# dates make one group.
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; checkpoint_interval_ms = 0;/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 30
RANGE=(--start-date 2024-01-01 --end-date 2024-01-30)
sql "CREATE TABLE batched (game_date TEXT, v INTEGER)"
rows_hash() { sql "SELECT game_date, v FROM batched ORDER BY 1, 2" | sha256sum; }
status_of() { jq -r "[.dates | to_entries[] | select(.value.status == \"$1\") | .key] | join(\" \")" \
    "$TMP/state/batched.json"; }
last_log() { ls -t "$TMP"/state/runs/*.jsonl | head -1; }
run_bf --no-progress run batched "${RANGE[@]}" --batch 8
clean=$(rows_hash)

# lose NAME STATEMENT N : from old rows on every date (v 7), a run in blocks
# of 8 on one worker (01-04..11, 12..19, 20..27, 28..30) whose Nth
# statement holding STATEMENT is interrupted; then the checks.
lose() {
    local name=$1
    rm -rf "$TMP/state" "$TMP/fired"
    sql "DELETE FROM batched; INSERT INTO batched SELECT game_date, 7 FROM schedule WHERE game_date >= '2024-01-04'"
    BF_SQL_INTERRUPT="$3:$2" BF_FAULT_LOG="$TMP/fired" \
        LD_PRELOAD="$SHIM" run_bf --no-progress run batched "${RANGE[@]}" --batch 8
    FAULT_ERR=$ERR
    check "$name: the interrupt fired once, the run fails (exit 1)" "sql 0 1" "$(cat "$TMP/fired" 2>/dev/null) $RC"
    check "$name: the lost block's 3 dates failed, none recorded complete" \
        "2024-01-28 2024-01-29 2024-01-30" "$(status_of failed)"
    check "$name: the other blocks' 24 dates complete" 24 "$(status_of complete | wc -w)"
    check_contains "$name: the loss is named" "the validated rows of a block were lost before the commit" \
        "$(jq -r '.dates["2024-01-28"].error' "$TMP/state/batched.json")"
    # Every date holds its old rows or its new ones; a complete date its new.
    check "$name: the failed dates keep their old rows, the complete dates hold their new" "3|24|27" \
        "$(sql "SELECT sum(n = 1 AND v = 7 AND game_date >= '2024-01-28'),
                       sum(n = 2 AND v = 3 AND game_date < '2024-01-28'), count(*)
                FROM (SELECT game_date, count(*) AS n, sum(v) AS v FROM batched GROUP BY 1)")"
    check "$name: no date recorded complete without its new rows" 0 \
        "$(status_of complete | tr ' ' '\n' | while read -r d; do
            sql "SELECT count(*) <> 2 OR sum(v) <> 3 FROM batched WHERE game_date = '$d'"
        done | grep -c 1)"
    check "$name: no date_committed event for a lost date" 0 \
        "$(jq -r 'select(.event == "date_committed" and .date >= "2024-01-28") | .date' "$(last_log)" | wc -l)"
    # Resume, no fault: the 3 failed dates are redone, the rows a clean run's.
    run_bf --no-progress run batched "${RANGE[@]}" --batch 8
    check "$name, resume: exit 0, every date complete, rows identical to a clean run's" \
        "0 27 $clean" "$RC $(status_of complete | wc -w) $(rows_hash)"
}

# 01-29's validated rows moved to the ready table (the 26th such move):
# 01-28's move and the block's rows are rolled back with it.
lose "ready move" "INSERT INTO temp.bf_ready_batched" 26
check_contains "ready move: the next date of the block is not judged on the lost block" \
    "the block's rows were lost: its transaction was rolled back" "$FAULT_ERR"
# 01-29's rows copied out of the block (the 26th such copy), once 01-28's
# were moved to the ready table: the move is rolled back with it.
lose "block copy" "INSERT INTO temp.bf_stage_batched SELECT * FROM temp.bf_block_batched" 26
check_contains "block copy: named" "interrupted" "$FAULT_ERR"
