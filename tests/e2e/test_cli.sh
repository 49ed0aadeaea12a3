#!/usr/bin/env bash
# Bad input: one clear line, exit 2, and the store untouched.
. "$(dirname "$0")/lib.sh"
plan 96
write_config </dev/null
seed_calendar 2024-01-01 10
before=$(sha256sum "$DB")

expect_usage() { # NAME EXPECTED-MESSAGE ARGS...
    local name=$1 msg=$2
    shift 2
    run_bf "$@"
    check "$name: exit 2" 2 "$RC"
    check_contains "$name: message" "$msg" "$ERR"
    check "$name: one line" 1 "$(grep -c . <<<"$ERR")"
}

expect_usage "nonexistent day" "--start-date: invalid date '2026-02-30': 2026-02 has 28 days" \
    run copy --start-date 2026-02-30 --end-date 2026-03-03
expect_usage "unpadded date" "--dates: invalid date '2026-1-3': expected YYYY-MM-DD" \
    run copy --dates 2026-1-3
expect_usage "reversed range" "--start-date 2026-01-05 is after --end-date 2026-01-03" \
    run copy --start-date 2026-01-05 --end-date 2026-01-03
expect_usage "empty list" "--dates: empty date list" run copy --dates ""
expect_usage "duplicate" "--dates: 2024-01-05 appears twice" \
    run copy --dates 2024-01-04,2024-01-05,2024-01-05
expect_usage "no dates" "no dates: give --start-date and --end-date, --dates or --dates-file" run copy
expect_usage "two date forms" "give only one of --start-date/--end-date, --dates, --dates-file" \
    run copy --dates 2024-01-05 --start-date 2024-01-04 --end-date 2024-01-05
expect_usage "half range" "--start-date needs --end-date too" run copy --start-date 2024-01-04
printf '2024-01-04\n# a comment\n\n2024-13-01\n' >"$TMP/dates.txt"
expect_usage "dates file" "$TMP/dates.txt:4: invalid date '2024-13-01': month 13 does not exist" \
    run copy --dates-file "$TMP/dates.txt"
expect_usage "bad workers" "--workers: 'many' is not a number in 1-256" \
    run copy --dates 2024-01-05 --workers many
expect_usage "unknown option" "unknown option '--fast'" run copy --dates 2024-01-05 --fast
expect_usage "unknown command" "unknown command 'launch'" launch copy
expect_usage "option of another command" "option '--workers' does not apply here" \
    verify copy --dates 2024-01-05 --workers 2
expect_usage "missing processor" "which processor?" run
expect_usage "unknown processor" "no processor 'nope'" run nope --dates 2024-01-05
expect_usage "processor name with a path" "'../copy' is not a processor name" \
    run ../copy --dates 2024-01-05

# Config errors name FILE:LINE and the key.
printf 'store = { driver = "sqlite"; path = "store.db"; };\ncalendar = { table = "schedule"; date_column = "game_date"; };\npreflight = { min_coverage = 1.5; };\n' >"$TMP/bad.conf"
expect_usage "config range" "$TMP/bad.conf:3: preflight.min_coverage: 1.5 is out of range 0-1" \
    -c "$TMP/bad.conf" run copy --dates 2024-01-05
printf 'store = { driver = "sqlite"; path = "store.db"; };\ncalendar = { table = "schedule"; date_column = "game_date"; };\npreflite = { min_coverage = 0.5; };\n' >"$TMP/typo.conf"
expect_usage "config typo" "$TMP/typo.conf:3: preflite: unknown key" \
    -c "$TMP/typo.conf" run copy --dates 2024-01-05
printf 'store = { driver = ; };\n' >"$TMP/syntax.conf"
expect_usage "config syntax" "$TMP/syntax.conf:1: syntax error" -c "$TMP/syntax.conf" list
BACKFILL_CONFIG="$TMP/typo.conf" run_bf list
check "BACKFILL_CONFIG is read" 2 "$RC"
check_contains "BACKFILL_CONFIG names the file" "$TMP/typo.conf:3" "$ERR"
expect_usage "missing config" "$TMP/none.conf: cannot read config" -c "$TMP/none.conf" list

# A store path that does not exist is refused, not created.
sed 's|path = "store.db"|path = "nowhere.db"|' "$TMP/backfill.conf" >"$TMP/nostore.conf"
expect_usage "missing store" "cannot open store $TMP/nowhere.db" \
    -c "$TMP/nostore.conf" run copy --dates 2024-01-05
check "missing store not created" "absent" "$([ -e "$TMP/nowhere.db" ] && echo present || echo absent)"

check "store untouched by every bad input" "$before" "$(sha256sum "$DB")"
check "no state written" "absent" "$([ -e "$TMP/state" ] && echo present || echo absent)"

# --help on every command exits 0 and describes it.
for cmd in list run verify status; do
    run_bf "$cmd" --help
    check "$cmd --help exit" 0 "$RC"
    check_contains "$cmd --help text" "usage: backfill $cmd" "$OUT"
done
run_bf --help
check "global --help" 0 "$RC"
check_contains "global --help lists exit codes" "3 pre-flight refused" "$OUT"

# --version, help COMMAND, and the nearest name for a misspelt one.
run_bf --version
check "--version" "0 backfill 0.1.0" "$RC $OUT"
run_bf help run
check "help run is run --help" "0 $("$BF" run --help)" "$RC $OUT"
expect_usage "misspelt command" "unknown command 'lsit'; did you mean 'list'?" lsit
expect_usage "misspelt option" "unknown option '--worker'; did you mean --workers?" \
    run copy --dates 2024-01-05 --worker 2
expect_usage "misspelt processor" "did you mean 'copy'?" run cpy --dates 2024-01-05
expect_usage "no near name" "unknown command 'zzzzzz' (try" zzzzzz
# -q: the run's narration (pre-flight table, summary) is not printed; the
# exit code and the store say how it went.
run_bf -q run copy --dates 2024-01-05,2024-01-08
check "-q run: exit 0" 0 "$RC"
check "-q run: prints nothing" "" "$OUT$ERR"
run_bf run copy --dates 2024-01-05,2024-01-08 -q --no-resume
check "-q after the command: prints nothing" "0 " "$RC $OUT$ERR"
run_bf run copy --dates 2024-01-05,2024-01-08 --no-resume
check_contains "without -q: the summary" "summary for copy" "$OUT"
