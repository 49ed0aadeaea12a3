#!/usr/bin/env bash
# The loader refuses bad plugins with one line naming the file and fault.
. "$(dirname "$0")/lib.sh"
plan 24
BROKEN="$TMP/plugins"
mkdir -p "$BROKEN"
cp "$ROOT"/tests/plugins/broken/{missing_symbol,wrong_abi,bad_check,not_elf}.so "$BROKEN/"
cp "$ROOT/tests/plugins/copy.so" "$BROKEN/renamed.so"
mkdir "$BROKEN/directory.so"
write_config "$BROKEN" </dev/null
seed_calendar 2024-01-01 10
before=$(sha256sum "$DB")

expect_refused() { # NAME PLUGIN MESSAGE
    run_bf run "$2" --dates 2024-01-05
    check "$1: exit 2" 2 "$RC"
    check_contains "$1: message" "$3" "$ERR"
    check "$1: one line" 1 "$(grep -c . <<<"$ERR")"
}
expect_refused "missing symbol" missing_symbol \
    "$BROKEN/missing_symbol.so: missing export 'validate_date'"
expect_refused "wrong ABI" wrong_abi \
    "$BROKEN/wrong_abi.so: ABI version mismatch: backfill has 1, plugin has 2"
expect_refused "not an ELF" not_elf "$BROKEN/not_elf.so: not a shared object (no ELF header)"
expect_refused "name mismatch" renamed \
    "$BROKEN/renamed.so: descriptor name 'copy' does not match file name 'renamed'"
expect_refused "not a regular file" directory "$BROKEN/directory.so: not a regular file"
expect_refused "a quality check of no known kind" bad_check \
    "$BROKEN/bad_check.so: check 'median_ok': unknown kind (not_null, unique, range, row_count, sql or sql_by_date)"

run_bf list
check "list with broken plugins exits 2" 2 "$RC"
check "list reports each broken plugin" 6 "$(grep -c "$BROKEN" <<<"$ERR")"
check "store untouched" "$before" "$(sha256sum "$DB")"

write_config </dev/null
run_bf list
check "list of good plugins" 0 "$RC"
check_contains "list shows dependencies" "requires upstream.game_date" "$OUT"
check_contains "list shows output table" "copy                             -> copy" "$OUT"
