#!/usr/bin/env bash
# The code a date records is the code that built it: a processor file is
# read, hashed and loaded through one descriptor, and once loaded its path
# must still name that file. A file replaced while it loads (its own
# constructor swaps the next build in, as a deploy landing at that moment
# would) is loaded again, and the run records and runs the new build; one
# replaced twice is refused, in one line. So is one whose old object stays
# loaded (nodelete): dlopen would hand the old code back under the path.
. "$(dirname "$0")/lib.sh"
plan 13
PLUGINS="$TMP/plugins"
mkdir -m 755 "$PLUGINS"
# build OUT [CC FLAGS...] : copy.so from tests/plugins/provenance, at OUT.
build() {
    local out=$1
    shift
    cc -std=c11 -O2 -fPIC -shared -I"$ROOT/include" -I"$ROOT/tests/plugins" \
        -DTEST_NAME='"copy"' "$@" -o "$out" "$ROOT/tests/plugins/provenance/versioned.c"
}
code() { "$BF" list -v copy | sed -n 's/^ *code: //p'; }
write_config "$PLUGINS" </dev/null
seed_calendar 2024-01-01 10
RANGE=(--start-date 2024-01-01 --end-date 2024-01-10)

build "$PLUGINS/copy.so" -DFACTOR=2
NEW=$(code)
build "$PLUGINS/copy.so" -DFACTOR=3 -DSWAP_ON_LOAD
OLD=$(code)
check "two builds, two codes" 1 "$([ -n "$OLD" ] && [ -n "$NEW" ] && [ "$OLD" != "$NEW" ] && echo 1)"

# The build with factor 2 lands while the run loads the one with factor 3.
build "$PLUGINS/copy.so.next" -DFACTOR=2
run_bf --no-progress run copy "${RANGE[@]}"
check "replaced while loading: exit 0" 0 "$RC"
check "the new build is in place" "$NEW" "$(code)"
check "every date records the new build's code" "$NEW" \
    "$(jq -r '[.dates[].code | select(.)] | unique | join(" ")' "$TMP/state/copy.json")"
check "and the new build's rows (v times 2)" "2 4" \
    "$(sql "SELECT group_concat(v, ' ') FROM (SELECT v FROM copy WHERE game_date = '2024-01-10' ORDER BY v)")"

# Replaced twice while loading: refused in one line, nothing loaded.
build "$PLUGINS/copy.so" -DFACTOR=3 -DSWAP_ON_LOAD
build "$PLUGINS/copy.so.next" -DFACTOR=4 -DSWAP_ON_LOAD
build "$PLUGINS/copy.so.later" -DFACTOR=2
run_bf list -v copy
check "replaced twice: exit 2" 2 "$RC"
check "replaced twice: one line naming the file" \
    "backfill: $PLUGINS/copy.so: replaced while it was being loaded, twice; run again once it is in place" \
    "$ERR"
run_bf list -v copy
check "once it is in place: loaded (exit 0)" 0 "$RC"
check "the build in place is the last one" "$NEW" "$(code)"

# The old object cannot be unloaded (nodelete): dlopen would hand it back
# under its path with the new file's hash; refused, nothing written.
build "$PLUGINS/copy.so" -DFACTOR=3 -DSWAP_ON_LOAD -Wl,-z,nodelete
build "$PLUGINS/copy.so.next" -DFACTOR=2
before=$(dump)
rm -rf "$TMP/state"
run_bf --no-progress run copy "${RANGE[@]}"
check "old object stays loaded: exit 2" 2 "$RC"
check "old object stays loaded: one line naming the file" \
    "backfill: $PLUGINS/copy.so: replaced since this process loaded it; run again once it is in place" \
    "$ERR"
check "old object stays loaded: store untouched, no checkpoint" "1 0" \
    "$([ "$before" == "$(dump)" ] && echo 1) $(ls "$TMP/state"/copy.json 2>/dev/null | wc -l)"
run_bf --no-progress run copy "${RANGE[@]}"
check "run again: exit 0" 0 "$RC"
