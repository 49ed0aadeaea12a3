#!/usr/bin/env bash
# A processor's config section holds only the keys it declares, of their
# type and within their bounds; anything else is refused with FILE:LINE
# before any date runs, and the store is untouched.
. "$(dirname "$0")/lib.sh"
plan 29
write_config </dev/null
seed_calendar 2024-01-01 10
before=$(dump | sha256sum)

expect_config_error() { # NAME MESSAGE CONFIG-LINES [PROCESSOR]
    write_config <<<"$3"
    run_bf run "${4:-rogue}" --start-date 2024-01-01 --end-date 2024-01-10
    check "$1: exit 2" 2 "$RC"
    check_contains "$1: message" "$2" "$ERR"
    check "$1: store untouched" "$before" "$(dump | sha256sum)"
}
conf="$TMP/backfill.conf"
expect_config_error "misspelt key" "$conf:9: processors.rogue.modez: unknown key (declared: mode, limit)" \
    'processors = { rogue = { modez = "none"; }; };'
expect_config_error "section of no processor" "$conf:9: processors.rouge: no processor 'rouge' in $ROOT/tests/plugins" \
    'processors = { rouge = { mode = "none"; }; };'
expect_config_error "wrong type" "$conf:9: processors.rogue.limit: expected an integer" \
    'processors = { rogue = { limit = "5"; }; };'
expect_config_error "out of range" "$conf:9: processors.rogue.limit: 11 is out of range 0-10" \
    'processors = { rogue = { limit = 11; }; };'
expect_config_error "huge" "$conf:9: processors.rogue.limit: 4294967298 is out of range 0-10" \
    'processors = { rogue = { limit = 4294967298L; }; };'
expect_config_error "negative" "$conf:9: processors.rogue.limit: -1 is out of range 0-10" \
    'processors = { rogue = { limit = -1; }; };'
expect_config_error "a key for a processor declaring none" "$conf:9: processors.noop.x: unknown key (the processor declares no keys)" \
    'processors = { noop = { x = 1; }; };' noop

# verify checks the same way.
write_config <<<'processors = { rogue = { modez = "none"; }; };'
run_bf verify rogue --start-date 2024-01-01 --end-date 2024-01-10
check "verify: misspelt key exit 2" 2 "$RC"

# Declared keys take their declared defaults.
write_config <<<'processors = { rogue = { limit = 10; }; };'
run_bf run rogue --start-date 2024-01-01 --end-date 2024-01-10
check "declared keys: default mode runs clean" 0 "$RC"

# list -v NAME shows the declarations.
run_bf list -v rogue
check "list -v: exit 0" 0 "$RC"
check_contains "list -v: a string key" 'mode                 string  default "none"     which rule to break' "$OUT"
check_contains "list -v: an int key with bounds" "limit                int     default 5          an integer with bounds" "$OUT"
check_contains "list -v: the bounds" "range 0-10" "$OUT"
run_bf list -v noop
check_contains "list -v: no keys" "config: (no keys)" "$OUT"
run_bf list -v
check "list -v without a name: exit 2" 2 "$RC"
