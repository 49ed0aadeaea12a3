#!/usr/bin/env bash
# A block's transaction rolled back after some of its dates were validated
# (SQLite): the dates of a block share one transaction, in which each
# validated date's rows join the table the group commit publishes from.
# When SQLite rolls that transaction back (here: a statement in it is
# interrupted, tests/faults/shim.so's BF_SQL_INTERRUPT), the rows of the
# dates validated before it are gone: their group must not publish, no date
# is recorded complete without its rows, and the next run redoes them.
. "$(dirname "$0")/lib.sh"
plan 10
if shim_unusable; then
    for i in 1 2 3 4 5 6 7 8 9 10; do ok "rollback check $i # skip: a sanitizer build cannot take the shim"; done
    exit 0
fi
SHIM="$ROOT/tests/faults/shim.so"
write_config <<CONF
processors = { batched = { bad_date = ""; outside_date = ""; block_fails = 0;
                           crash_after_block = ""; log_file = ""; pause_date = "";
                           handshake_dir = "$TMP"; }; };
CONF
# Every date's group committed as soon as it is finished: the block's
# dates make one group, the other blocks' their own.
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; checkpoint_interval_ms = 0;/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 30
RANGE=(--start-date 2024-01-01 --end-date 2024-01-30)
# Old rows on every date (v 7): a date keeps them until its new rows publish.
sql "CREATE TABLE batched (game_date TEXT, v INTEGER);
     INSERT INTO batched SELECT game_date, 7 FROM schedule WHERE game_date >= '2024-01-04'"
rows_hash() { sql "SELECT game_date, v FROM batched ORDER BY 1, 2" | sha256sum; }
status_of() { jq -r "[.dates | to_entries[] | select(.value.status == \"$1\") | .key] | join(\" \")" \
    "$TMP/state/batched.json"; }
last_log() { ls -t "$TMP"/state/runs/*.jsonl | head -1; }

# Blocks of 8 on one worker: 01-04..11, 12..19, 20..27, 28..30. The last
# block's second date (01-29) has its rows moved to the ready table by the
# 26th such statement of the run: interrupted there, SQLite rolls back the
# block's transaction, and 01-28's validated rows with it. The block's
# other dates then run alone, and are held for the same group commit.
BF_SQL_INTERRUPT="26:INSERT INTO temp.bf_ready_batched" BF_FAULT_LOG="$TMP/fired" \
    LD_PRELOAD="$SHIM" run_bf --no-progress run batched "${RANGE[@]}" --batch 8
check "the interrupt fired once" "sql 0" "$(cat "$TMP/fired" 2>/dev/null)"
check "the run fails (exit 1)" 1 "$RC"
check "the lost block's 3 dates failed, none recorded complete" \
    "2024-01-28 2024-01-29 2024-01-30" "$(status_of failed)"
check "the other blocks' 24 dates complete" 24 "$(status_of complete | wc -w)"
check_contains "the loss is named" "the validated rows of a block were lost before the commit" \
    "$(jq -r '.dates["2024-01-29"].error' "$TMP/state/batched.json")"
# Every date holds its old rows or its new ones; a complete date its new.
check "the failed dates keep their old rows, the complete dates hold their new" "3|24|27" \
    "$(sql "SELECT sum(n = 1 AND v = 7 AND game_date >= '2024-01-28'),
                   sum(n = 2 AND v = 3 AND game_date < '2024-01-28'), count(*)
            FROM (SELECT game_date, count(*) AS n, sum(v) AS v FROM batched GROUP BY 1)")"
check "no date recorded complete without its new rows" 0 \
    "$(status_of complete | tr ' ' '\n' | while read -r d; do
        sql "SELECT count(*) <> 2 OR sum(v) <> 3 FROM batched WHERE game_date = '$d'"
    done | grep -c 1)"
check "no date_committed event for a lost date" 0 \
    "$(jq -r 'select(.event == "date_committed" and .date >= "2024-01-28") | .date' "$(last_log)" | wc -l)"

# Resume, no fault: the 3 failed dates are redone, and the store equals a
# clean run's.
run_bf --no-progress run batched "${RANGE[@]}" --batch 8
check "resume: exit 0, every date complete" "0 27" "$RC $(status_of complete | wc -w)"
got=$(rows_hash)
sql "DELETE FROM batched"
rm -rf "$TMP/state"
run_bf --no-progress run batched "${RANGE[@]}" --batch 8
check "resume: rows identical to a clean run's" "0 $(rows_hash)" "$RC $got"
