#!/usr/bin/env bash
# A sql_by_date check: the processor's own query returns (date, failing
# rows) for every failing date of ?1 to ?2. A block of dates is checked in
# one statement and a date alone in one; the failing date is named with
# what it counted, rolled back and retried alone while the rest of its
# block publishes; verify --quality measures a whole range in one
# statement; a row for a date the range does not hold fails the date,
# never passes it; a declaration that cannot work is refused before any date
# (exit 2, the store as it was); a model file declares one with {{first}}
# and {{last}}.
. "$(dirname "$0")/lib.sh"
plan 28
CHECK='checks = { no_thirteen = { kind = "sql_by_date";
  sql = "SELECT game_date, count(*) FROM %s WHERE game_date BETWEEN ?1 AND ?2 AND v = 13 GROUP BY game_date"; }; };'
conf() {
    write_config <<CONF
processors = { batched = { bad_date = ""; outside_date = ""; block_fails = 0;
                           crash_after_block = ""; log_file = "$TMP/calls";
                           pause_date = ""; handshake_dir = "$TMP"; $1 }; };
CONF
}
conf "$CHECK"
seed_calendar 2024-01-01 13
# 2024-01-06 copies a 13: its row count is right, the check fails it.
sql "UPDATE upstream SET v = 13 WHERE game_date = '2024-01-06' AND v = 2"
RANGE=(--start-date 2024-01-01 --end-date 2024-01-13)
# statements : how many statements of the check ran (BACKFILL_SQL_TRACE),
# the probe before any date (an empty range: names resolved) among them.
statements() { grep -c 'v = 13' "$TMP/trace" || :; }
published() { sql "SELECT group_concat(game_date, ' ') FROM (SELECT DISTINCT game_date FROM batched ORDER BY 1)"; }
CLEAN="2024-01-04 2024-01-05 2024-01-07 2024-01-08 2024-01-09 2024-01-10 2024-01-11 2024-01-12 2024-01-13"

# 10 dates (01-01..03 bootstrap) in blocks of 5: 04-08 and 09-13.
: >"$TMP/calls" && : >"$TMP/trace"
BACKFILL_SQL_TRACE="$TMP/trace" run_bf --no-progress run batched "${RANGE[@]}" --batch 5 --retries 0 --keep-going
check "blocks: the failing date fails the run" 1 "$RC"
check "blocks: two blocks computed" 2 "$(grep -c '^block ' "$TMP/calls")"
check_contains "blocks: the date named with what it counted" \
    "2024-01-06 check-failed check no_thirteen: sql_by_date(no_thirteen): 1 failing row, limit 0" "$OUT"
check "blocks: the rest of its block published, the date not" "$CLEAN" "$(published)"
check "blocks: one statement per block, one for the date retried alone" 4 "$(statements)"
check "blocks: the measured value in the checkpoint" "1 0" \
    "$(jq -r '[.dates["2024-01-06"].checks.no_thirteen, .dates["2024-01-07"].checks.no_thirteen] | join(" ")' "$TMP/state/batched.json")"
check "blocks: the failing date was retried alone" 1 "$(grep -c '^date 2024-01-06' "$TMP/calls")"

# One date at a time: the same verdicts, one statement a date.
rm -rf "$TMP/state" && sql "DELETE FROM batched" && : >"$TMP/trace"
BACKFILL_SQL_TRACE="$TMP/trace" run_bf --no-progress run batched "${RANGE[@]}" --batch 1 --retries 0 --keep-going
check "date by date: the failing date fails the run" 1 "$RC"
check_contains "date by date: named the same way" \
    "2024-01-06 check-failed check no_thirteen: sql_by_date(no_thirteen): 1 failing row, limit 0" "$OUT"
check "date by date: the same dates published" "$CLEAN" "$(published)"
check "date by date: one statement a date" 11 "$(statements)"

# verify --quality: the published rows of the whole range, one statement.
sql "INSERT INTO batched VALUES ('2024-01-09', 13), ('2024-01-09', 13)"
: >"$TMP/trace"
BACKFILL_SQL_TRACE="$TMP/trace" run_bf --json verify --quality batched "${RANGE[@]}"
check "verify --quality: a failing date exits 1" 1 "$RC"
check "verify --quality: the failing dates and what each counted" '["2024-01-09"] 2' \
    "$(jq -c '.checks[] | select(.name == "no_thirteen") | .failing_dates, .dates["2024-01-09"]' <<<"$OUT" | paste -sd' ')"
check "verify --quality: one statement for the range" 2 "$(statements)"
run_bf list -v batched
check_contains "list -v: the check and its kind" "no_thirteen          sql_by_date(no_thirteen), limit 0" "$OUT"

# A query whose dates are not the range's own text ('2024-01-06 00:00:00')
# would match no date of a block and pass it: the block's figures are not
# taken, each date is measured alone, and a row outside the date fails it.
conf 'checks = { no_thirteen = { kind = "sql_by_date";
  sql = "SELECT game_date || '"' 00:00:00'"', count(*) FROM %s WHERE game_date BETWEEN ?1 AND ?2 AND v = 13 GROUP BY game_date"; }; };'
rm -rf "$TMP/state" && sql "DELETE FROM batched"
run_bf --no-progress run batched "${RANGE[@]}" --batch 5 --retries 0 --keep-going
check "dates written otherwise: the date with a 13 is not published" "1 $CLEAN" "$RC $(published)"
check_contains "dates written otherwise: named with the row that does not fit" \
    "check no_thirteen: a row for '2024-01-06 00:00:00', not a date of 2024-01-06 to 2024-01-06" "$OUT"

# A row of no failing rows fails nothing, whatever its date (an aggregate
# without GROUP BY gives a NULL date and 0 where nothing fails).
conf 'checks = { no_thirteen = { kind = "sql_by_date";
  sql = "SELECT max(game_date), count(*) FROM %s WHERE game_date BETWEEN ?1 AND ?2 AND v = 14"; }; };'
rm -rf "$TMP/state" && sql "DELETE FROM batched"
run_bf --no-progress run batched "${RANGE[@]}" --batch 5 --retries 0
check "a row of none: every date published" "0 10" "$RC $(sql "SELECT count(DISTINCT game_date) FROM batched")"

# Refused before any date: exit 2, one line, the store as it was.
refused() { # NAME CHECKS-CONFIG MESSAGE
    conf "$2"
    before=$(dump)
    run_bf --no-progress run batched "${RANGE[@]}" --no-resume
    check "$1: exit 2, one line, store untouched" "2 1 $before" "$RC $(grep -c . <<<"$ERR") $(dump)"
    check_contains "$1: message" "$3" "$ERR"
}
refused "a range without its last date" \
    'checks = { s = { kind = "sql_by_date"; sql = "SELECT game_date, 0 FROM %s WHERE game_date = ?1"; }; };' \
    "processors.batched.checks.s: sql must take the range's first date as ?1 and its last as ?2"
refused "a column" \
    'checks = { s = { kind = "sql_by_date"; column = "v"; sql = "SELECT game_date, 0 FROM %s WHERE game_date BETWEEN ?1 AND ?2"; }; };' \
    "processors.batched.checks.s: takes no column"
refused "a table that does not exist" \
    'checks = { s = { kind = "sql_by_date"; sql = "SELECT game_date, 0 FROM %s, nowhere WHERE game_date BETWEEN ?1 AND ?2"; }; };' \
    "batched: check s: sql_by_date(s): no such table: nowhere"

# A model file: {{first}} and {{last}} bound the range; {{date}} is refused.
mkdir -p "$TMP/models"
cat >"$TMP/models/thirteen.sql" <<'SQL'
-- thirteen - upstream's rows, none of them 13
-- description: upstream's rows
-- date_column: game_date
-- depends: upstream required
-- columns: game_date TEXT, v INTEGER
-- check: no_thirteen sql_by_date sql="SELECT game_date, count(*) FROM {{table}} WHERE game_date BETWEEN {{first}} AND {{last}} AND v = 13 GROUP BY game_date"
-- @process
INSERT INTO {{table}} SELECT game_date, v FROM upstream WHERE game_date = {{date}}
-- @expected
SELECT count(*) FROM upstream WHERE game_date = {{date}}
SQL
chmod 644 "$TMP/models/thirteen.sql"
write_config "$TMP/models"
run_bf --no-progress run thirteen "${RANGE[@]}" --retries 0
check "model: the failing date fails the run" 1 "$RC"
check_contains "model: named by its check" \
    "2024-01-06 check-failed check no_thirteen: sql_by_date(no_thirteen): 1 failing row, limit 0" "$OUT"
sed -i 's/{{first}}/{{date}}/' "$TMP/models/thirteen.sql"
run_bf --no-progress run thirteen "${RANGE[@]}"
check "model: {{date}} in a sql_by_date check is refused" 2 "$RC"
check_contains "model: the line named" "thirteen.sql:6: check sql: unknown placeholder at '{{date}}" "$ERR"
