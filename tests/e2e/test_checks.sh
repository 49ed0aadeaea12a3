#!/usr/bin/env bash
# Declared quality checks, evaluated by the core: each kind fails the date
# it is meant to catch (rolled back, retried, named with what it measured)
# and passes the clean ones; the config overrides a threshold or adds a
# check; a bad declaration or override is refused with exit 2 before any
# date; verify --quality measures the published rows.
. "$(dirname "$0")/lib.sh"
plan 71
SPOILED='null_dates = "2024-01-05"; dup_dates = "2024-01-06"; big_dates = "2024-01-07";
  short_dates = "2024-01-08"; odd_dates = "2024-01-09";'
conf() { write_config <<<"processors = { checked = { $SPOILED $1 }; };"; }
conf ""
seed_calendar 2024-01-01 10
RANGE=(--start-date 2024-01-01 --end-date 2024-01-10)

run_bf --no-progress run checked "${RANGE[@]}" --keep-going
check "a failed check fails the run" 1 "$RC"
check_contains "clean dates published" "  complete          5" "$OUT"
check_contains "spoiled dates check-failed" "  check-failed      5" "$OUT"
check "each kind names its check and what it measured" \
"2024-01-05 check-failed check v_present: not_null(v | id > 0): 50.0 % NULL, limit 25 %
2024-01-06 check-failed check one_row_per_id: unique(game_date, id): 1 row repeating a key, limit 0
2024-01-07 check-failed check v_small: range(v): 1 row outside the range, limit [0, 100]
2024-01-08 check-failed check whole_day: row_count: 1 row, 0.5 of the 2 expected, limit 0.9-1.1 of expected
2024-01-09 check-failed check no_thirteen: sql(no_thirteen): 2 failing rows, limit 0" \
    "$(grep -E '^  2024' <<<"$OUT" | sed 's/^  //')"
check "nothing published on a failed date" "2024-01-01 2024-01-02 2024-01-03 2024-01-04 2024-01-10" \
    "$(sql "SELECT group_concat(game_date, ' ') FROM (SELECT DISTINCT game_date FROM checked ORDER BY 1)")"
run_bf gaps "${RANGE[@]}" --targets checked --json
check "gaps: the dates that failed a check have their own state" \
    "2024-01-05 2024-01-06 2024-01-07 2024-01-08 2024-01-09" \
    "$(jq -r '[.cells[] | select(.state == "check-failed") | .date] | join(" ")' <<<"$OUT")"
check "a failed check is retried (2 retries)" 3 "$(jq '.dates["2024-01-05"].attempts' "$TMP/state/checked.json")"
check "checkpoint: measured values of a failed date" \
    '{"no_thirteen":0,"one_row_per_id":0,"v_present":0.5,"v_small":0,"whole_day":1}' \
    "$(jq -cS '.dates["2024-01-05"].checks' "$TMP/state/checked.json")"
check "checkpoint: measured values of a clean date" \
    '{"no_thirteen":0,"one_row_per_id":0,"v_present":0,"v_small":0,"whole_day":1}' \
    "$(jq -cS '.dates["2024-01-01"].checks' "$TMP/state/checked.json")"
check "checkpoint: the row count's ratio" 0.5 "$(jq '.dates["2024-01-08"].checks.whole_day' "$TMP/state/checked.json")"
log=$(ls "$TMP"/state/runs/checked-*.jsonl)
check "event log: each rolled-back attempt carries the values" "3 2" \
    "$(jq -r 'select(.event == "date_rolled_back" and .date == "2024-01-09") | .checks.no_thirteen' "$log" | sort | uniq -c | awk '{print $1, $2}')"
check "event log: a committed date carries them too" 0 \
    "$(jq -r 'select(.event == "date_committed" and .date == "2024-01-01") | .checks.v_small' "$log")"

# Thresholds from the config, without rebuilding the processor.
conf 'checks = { v_present = { max_null_share = 0.5; }; whole_day = { min = 0.5; }; };'
run_bf --no-progress run checked --dates 2024-01-05,2024-01-08
check "override: a raised threshold lets the dates through" 0 "$RC"
check "override: the NULL is published" 1 "$(sql "SELECT count(*) FROM checked WHERE v IS NULL")"
conf 'checks = { v_present = { max_null_share = 0.4; }; };'
run_bf --no-progress run checked --dates 2024-01-05 --no-resume --retries 0
check "override: a lower one refuses again" 1 "$RC"
check_contains "override: the message shows the configured limit" \
    "check v_present: not_null(v | id > 0): 50.0 % NULL, limit 40 %" "$OUT"
check "override: the date keeps what was published" 1 "$(sql "SELECT count(*) FROM checked WHERE v IS NULL")"
conf 'checks = { id_is_one = { kind = "range"; column = "id"; min = 1; max = 1; }; };'
run_bf --no-progress run checked --dates 2024-01-02 --no-resume --retries 0
check "added check: fails a date the declared ones pass" 1 "$RC"
check_contains "added check: named" "check id_is_one: range(id): 1 row outside the range, limit [1, 1]" "$OUT"
run_bf list -v checked
check_contains "list -v: declared checks" "v_present            not_null(v | id > 0), limit 40 %" \
    "$(conf 'checks = { v_present = { max_null_share = 0.4; }; };'; "$BF" list -v checked)"
check_contains "list -v: every kind" "whole_day            row_count, limit 0.9-1.1 of expected" "$OUT"

# Refused before any date: exit 2, one line, the store as it was.
refused() { # NAME CHECKS-CONFIG MESSAGE
    conf "$2"
    before=$(dump)
    run_bf --no-progress run checked "${RANGE[@]}" --no-resume
    check "$1: exit 2" 2 "$RC"
    check_contains "$1: message" "$3" "$ERR"
    check "$1: one line" 1 "$(grep -c . <<<"$ERR")"
    check "$1: store untouched" "$before" "$(dump)"
}
refused "override of a non-threshold" 'checks = { v_present = { column = "id"; }; };' \
    "backfill.conf:10: processors.checked.checks.v_present.column: v_present is declared by the processor: only its threshold may be set here (max_null_share)"
refused "unknown kind" 'checks = { median = { kind = "median"; column = "v"; }; };' \
    "processors.checked.checks.median.kind: unknown kind 'median' (not_null, unique, range, row_count, sql or sql_by_date)"
refused "a new check without a kind" 'checks = { extra = { column = "v"; }; };' \
    "processors.checked.checks.extra: a new check needs a kind"
refused "share out of range" 'checks = { v_present = { max_null_share = 1.5; }; };' \
    "processors.checked.checks.v_present: max_null_share must be within 0-1"
refused "unknown key" 'checks = { v_present = { maximum = 1; }; };' \
    "processors.checked.checks.v_present.maximum: unknown key"
refused "not a group" 'checks = 5;' "processors.checked.checks: expected a group of checks"
refused "a column the table lacks" 'checks = { w_present = { kind = "not_null"; column = "w"; }; };' \
    "checked: check w_present: not_null(w): no such column: w"
refused "a filter that does not parse" 'checks = { v_present2 = { kind = "not_null"; column = "v"; filter = "id >"; }; };' \
    "checked: check v_present2: not_null(v | id >):"
refused "a sql check without %s" 'checks = { s = { kind = "sql"; sql = "SELECT 0"; }; };' \
    "processors.checked.checks.s: sql must count the failing rows of the table given as %s"
refused "unique keys that are not names" 'checks = { u = { kind = "unique"; column = "id;"; }; };' \
    "processors.checked.checks.u: column must list the key columns"

# verify --quality: the published rows, per date and in total.
conf ""
sql "UPDATE checked SET v = NULL WHERE game_date IN ('2024-01-02', '2024-01-03')"
before=$(dump)
run_bf verify --quality checked "${RANGE[@]}"
check "verify --quality: a failing date exits 1" 1 "$RC"
check_contains "verify --quality: NULL share in total" \
    "total: 38.5 % NULL (5 of 13 rows), limit 25 %; 3 of 10 dates fail" "$OUT"
check_contains "verify --quality: the failing dates" "2024-01-02 FAIL 100.0 % NULL (2 of 2 rows), limit 25 %" "$OUT"
check_contains "verify --quality: a missing date fails the row count" \
    "2024-01-06 FAIL 0 rows, 0 of the 2 expected, limit 0.9-1.1 of expected" "$OUT"
check "verify --quality: the store is not written" "$before" "$(dump)"
run_bf --json verify --quality checked "${RANGE[@]}"
check "verify --quality --json: failing dates per check" '["2024-01-02","2024-01-03","2024-01-05"]' \
    "$(jq -c '.checks[] | select(.name == "v_present") | .failing_dates' <<<"$OUT")"
check "verify --quality --json: a value per date" 1 \
    "$(jq '.checks[] | select(.name == "v_present") | .dates["2024-01-02"]' <<<"$OUT")"
run_bf verify --quality checked --dates 2024-01-01,2024-01-04,2024-01-10
check "verify --quality: clean dates exit 0" 0 "$RC"
check_contains "verify --quality: every check counted" "quality: 0 of 5 checks fail on some date" "$OUT"
run_bf verify --quality --audit checked "${RANGE[@]}"
check "verify --quality excludes --audit" 2 "$RC"
