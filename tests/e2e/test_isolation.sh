#!/usr/bin/env bash
# A plugin writes only its staging area, one statement at a time, and the
# core checks its count: each broken rule fails the date with a message
# naming the statement and the rule, is not retried, and leaves the store
# exactly as it was, one date at a time or in a block. Errors carry a
# class: permanent ones are not retried.
. "$(dirname "$0")/lib.sh"
plan 114
write_config <<'CONF'
processors = { rogue = { mode = "none"; }; };
CONF
seed_calendar 2024-01-01 10
sql "CREATE TABLE hidden (game_date TEXT, v INTEGER); INSERT INTO hidden VALUES ('2024-01-05', 1)"
set_mode() { sed -i "s/mode = \"[a-z_]*\"/mode = \"$1\"/" "$TMP/backfill.conf"; }

run_bf run rogue --start-date 2024-01-01 --end-date 2024-01-10
check "clean run: exit 0" 0 "$RC"
check "clean run: 14 rows" 14 "$(sql "SELECT count(*) FROM rogue")"
before=$(dump | sha256sum)

# mode, what the message says
while IFS='|' read -r mode says; do
    set_mode "$mode"
    run_bf run rogue --dates 2024-01-05 --no-resume --retries 2
    check "$mode: exit 1" 1 "$RC"
    check_contains "$mode: named" "$says" "$OUT"
    check "$mode: one attempt, not retried" 1 "$(jq '.dates["2024-01-05"].attempts' "$TMP/state/rogue.json")"
    check "$mode: store byte-identical" "$before" "$(dump | sha256sum)"
done <<'CASES'
insert_published|refused INSERT into rogue: process_date may write only its staging table bf_output_table(ctx) (in: INSERT INTO rogue SELECT
delete_published|refused DELETE from rogue: process_date may write only its staging table bf_output_table(ctx)
update_calendar|refused UPDATE of schedule: process_date may write only its staging table
begin|refused transaction control: process_date may only write rows into bf_output_table(ctx) (in: BEGIN)
savepoint|refused SAVEPOINT: process_date may only write rows into bf_output_table(ctx) (in: SAVEPOINT s1)
attach|refused ATTACH other.db
pragma|refused PRAGMA journal_mode: plugins may not change pragmas
create|refused a schema change: process_date may write only its staging table
drop|refused a schema change: process_date may write only its staging table bf_output_table(ctx) (in: DROP TABLE upstream)
multi|more than one statement in one call (in: INSERT INTO temp.bf_stage_rogue
miscount|validate_date reported 2 rows but the staging area holds 0: count bf_output_table(ctx)
validate_writes|refused DELETE from bf_stage_rogue: only process_date and prepare may write (worker_init, validate_date, worker_fini and audits are read-only)
syntax|process_date returned BF_ERROR_STORE: incomplete input (in: INSERT INTO nowhere VALUES (?)
permanent|process_date returned BF_ERROR: the input for 2024-01-05 can never be read
text_count|validate_date returned BF_ERROR_STORE: query_int read TEXT that is not an integer (in: SELECT 'abc')
real_fraction|validate_date returned BF_ERROR_STORE: query_int read a REAL that is not an integer
read_undeclared|refused read of hidden: process_date may read only the tables its processor declares (declare it in dependencies())
validate_reads|validate_date returned BF_ERROR: refused read of hidden: a processor may read only the tables it declares (declare it in dependencies())
CASES
check "no file attached by the refused ATTACH" 0 "$(ls "$TMP" | grep -c other.db)"

# worker_init reads an undeclared table: refused as in validate_date, and
# the call named is the one that read.
set_mode init_reads
run_bf run rogue --dates 2024-01-05 --no-resume
check "init_reads: exit 2" 2 "$RC"
check_contains "init_reads: names worker_init and the table" "rogue.so: worker_init failed: refused read of hidden: a processor may read only the tables it declares" "$ERR"
check "init_reads: store byte-identical" "$before" "$(dump | sha256sum)"

# In a block of dates (process_dates) the guard holds as for one date: the
# block fails, named by its own call, and each date then fails alone.
failed3() { jq -r '[.dates["2024-01-04","2024-01-05","2024-01-06"].status] | join(" ")' \
    "$TMP/state/rogue.json"; }
while IFS='|' read -r mode says; do
    set_mode "$mode"
    run_bf run rogue --dates 2024-01-04,2024-01-05,2024-01-06 --batch 3 --no-resume --retries 2
    check "$mode in a block: exit 1, all 3 failed, store byte-identical" \
        "1 failed failed failed $before" "$RC $(failed3) $(dump | sha256sum)"
    check_contains "$mode in a block: named" "$says" "$ERR"
done <<'CASES'
insert_published|block 2024-01-04..2024-01-06: process_dates returned BF_ERROR_STORE: refused INSERT into rogue: process_dates may write only its staging table bf_output_table(ctx)
update_calendar|refused UPDATE of schedule: process_dates may write only its staging table
core_sql|refused INSERT into bf_ready_rogue: process_dates may write only its staging table bf_output_table(ctx) (in: INSERT INTO temp.bf_ready_rogue
begin|refused transaction control: process_dates may only write rows into bf_output_table(ctx) (in: BEGIN)
attach|refused ATTACH other.db: process_dates may only write rows
pragma|refused PRAGMA journal_mode: plugins may not change pragmas
drop|refused a schema change: process_dates may write only its staging table bf_output_table(ctx) (in: DROP TABLE upstream); its 3 dates run alone
multi|more than one statement in one call (in: INSERT INTO temp.bf_block_rogue
read_undeclared|refused read of hidden: process_dates may read only the tables its processor declares
ignore_refusal|refused DELETE from upstream: process_dates may write only its staging table bf_output_table(ctx) (in: DELETE FROM upstream) (the plugin ignored the error)
miscount|rogue 2024-01-04: in its block: validate_date reported 2 rows but the staging area holds 0
CASES

# A transient error is retried with backoff, then fails the date.
set_mode transient
run_bf run rogue --dates 2024-01-05 --no-resume --retries 2
check "transient: exit 1" 1 "$RC"
check "transient: three attempts" 3 "$(jq '.dates["2024-01-05"].attempts' "$TMP/state/rogue.json")"
check_contains "transient: message" "the feed for 2024-01-05 is not there yet" "$OUT"

# An integer-valued REAL is read exactly, not as its first digit.
set_mode real_count
run_bf run rogue --dates 2024-01-05 --no-resume --retries 0
check_contains "query_int reads 1.2e16 exactly" "12000000000000000 rows, expected 0" "$OUT"

# Reading an undeclared key is a config error: exit 2 after the first date.
set_mode undeclared
run_bf run rogue --start-date 2024-01-04 --end-date 2024-01-10 --no-resume --keep-going
check "undeclared key: exit 2" 2 "$RC"
check_contains "undeclared key: named" "rogue.so: reads config key 'limitz' as an integer, but does not declare it" "$ERR"
check_contains "undeclared key: stops the run" "stopped: a processor config error" "$OUT"
check "undeclared key: store byte-identical" "$before" "$(dump | sha256sum)"

# Long SQL in a message is cut with an ellipsis.
set_mode long_sql
run_bf run rogue --dates 2024-01-05 --no-resume --retries 0
check_contains "long SQL: cut with an ellipsis" "/* padding padding" "$OUT"
check "long SQL: ends in an ellipsis" 1 "$(grep -c $'pad\xe2\x80\xa6)$' <<<"$OUT")"

# prepare may create the output table and indexes on it, nothing else.
run_bf run greedy --dates 2024-01-05
check "prepare creating another table: exit 2" 2 "$RC"
check_contains "prepare creating another table: named" "prepare() failed: refused CREATE TABLE greedy_side: prepare may only create the output table and indexes on it" "$ERR"
check "prepare: its own table and index were made" "greedy greedy_date" "$(sql "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE name LIKE 'greedy%' ORDER BY name)")"

# The calendar is declared by the config: reading it is allowed.
set_mode read_calendar
run_bf run rogue --dates 2024-01-05 --no-resume
check "a read of the calendar is declared: exit 0" 0 "$RC"
