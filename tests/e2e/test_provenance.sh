#!/usr/bin/env bash
# Provenance of code and config: every published date records what built
# it (the declared version, else a hash of the plugin file; and a hash of
# the processor's own config keys). A date built by other code or config
# is outdated: every command says so with the reason, run and pipeline
# redo it by default (its readers then turn stale and are redone), and
# --keep-outdated keeps it, on the record. A byte-identical rebuild redoes
# nothing; a changed formula without a version redoes everything.
. "$(dirname "$0")/lib.sh"
plan 47
PLUGINS="$TMP/plugins"
mkdir -m 755 "$PLUGINS"
cp "$ROOT/tests/plugins/follow.so" "$PLUGINS/"
# build [CC FLAGS...] : (re)build copy.so from tests/plugins/provenance.
build() {
    cc -std=c11 -O2 -fPIC -shared -I"$ROOT/include" -I"$ROOT/tests/plugins" \
        -DTEST_NAME='"copy"' "$@" -o "$PLUGINS/copy.so" "$ROOT/tests/plugins/provenance/versioned.c"
}
config() {
    write_config "$PLUGINS" <<CONF
processors = { copy = { factor = $1; label = "$2"; }; };
CONF
}
seed_calendar 2024-01-01 20
config 1 first
build
RANGE=(--start-date 2024-01-01 --end-date 2024-01-20)
committed() { cat "$TMP"/state/runs/"$1"-*.jsonl 2>/dev/null | jq -r 'select(.event == "date_committed") | .date' | wc -l; }
run_fresh() { rm -f "$TMP"/state/runs/"$1"-*.jsonl; run_bf --no-progress run "$@" "${RANGE[@]}"; }
total() { sql "SELECT sum(v) FROM $1"; }
rec() { jq -r ".dates[\"2024-01-10\"].$2" "$TMP/state/$1.json"; }

run_fresh copy
check "first run: exit 0" 0 "$RC"
run_fresh follow
check "reader: exit 0" 0 "$RC"
FILE_FP=$(rec copy code)
check "a date records the file's hash when no version is declared" 1 "$(grep -cE '^file [0-9a-f]{16}$' <<<"$FILE_FP")"
check "a date records its config's hash" 1 "$(grep -cE '^config [0-9a-f]{16}$' <<<"$(rec copy config)")"

# A rebuild with identical bytes redoes nothing.
cp "$PLUGINS/copy.so" "$TMP/copy.before"
build
check "the rebuild is byte-identical" 0 "$(cmp -s "$TMP/copy.before" "$PLUGINS/copy.so"; echo $?)"
run_fresh copy
check "identical rebuild: exit 0" 0 "$RC"
check "identical rebuild: 0 dates redone" 0 "$(committed copy)"
check "identical rebuild: nothing outdated" 0 "$(grep -c outdated <<<"$OUT")"

# A run-only key changes nothing.
config 1 second
run_fresh copy
check "run-only key changed: 0 dates redone" 0 "$(committed copy)"

# A changed formula with no version: every date is outdated, everywhere.
build -DFACTOR=2
NEW_FP=$("$BF" list -v copy | sed -n 's/^ *code: //p')
check "list -v shows the code fingerprint" 1 "$(grep -cE '^file [0-9a-f]{16}$' <<<"$NEW_FP")"
run_bf gaps "${RANGE[@]}" --csv
check "gaps: 17 dates of copy outdated" 17 "$(grep -c ',copy,.*,outdated,' <<<"$OUT")"
run_bf gaps "${RANGE[@]}" --json
check "gaps --json: each outdated cell says why" "outdated: code changed ($FILE_FP -> $NEW_FP)" \
    "$(jq -r '[.cells[] | select(.table == "copy" and .state == "outdated") | .why] | unique | join("|")' <<<"$OUT")"
run_bf gaps "${RANGE[@]}" --html "$TMP/gaps.html"
check_contains "gaps --html: the reason in the cell's hover" \
    "outdated: code changed ($FILE_FP -&gt; $NEW_FP)" "$(cat "$TMP/gaps.html")"
run_bf status copy
check_contains "status: counts them" "outdated 17" "$OUT"
run_bf verify --outputs copy "${RANGE[@]}"
check "verify --outputs: an outdated table is not complete" 1 "$RC"
run_bf pipeline "${RANGE[@]}" --dry-run
check "pipeline --dry-run: 17 dates of copy to redo" "copy 17 0 0 17" \
    "$(awk '$1 == "copy" {print $1, $2, $3, $4, $5}' <<<"$OUT")"
check_contains "pipeline --dry-run: names the reason" "17 outdated: code changed ($FILE_FP -> $NEW_FP)" "$OUT"
before=$(total copy)
run_fresh copy
check "changed formula: exit 0" 0 "$RC"
check_contains "changed formula: the reason, old -> new" \
    "17 dates are outdated: code changed ($FILE_FP -> $NEW_FP); redoing them (--keep-outdated keeps them)" "$OUT"
check "changed formula: every date redone" 17 "$(committed copy)"
check "changed formula: the new rows are in" "$((before * 2))" "$(total copy)"
check "changed formula: the new fingerprint recorded" "$NEW_FP" "$(rec copy code)"
run_fresh follow
check_contains "its reader: stale" "17 dates are stale" "$OUT"
check "its reader: every date redone" 17 "$(committed follow)"
run_fresh copy
check "then nothing is left to redo" 0 "$(committed copy)"

# A declared version: kept with --keep-outdated, on the record.
build -DFACTOR=2 '-DTEST_VERSION="1"'
run_fresh copy --keep-outdated
check "--keep-outdated: exit 0" 0 "$RC"
check_contains "--keep-outdated: says so" \
    "17 dates are outdated: code changed ($NEW_FP -> version 1); kept (--keep-outdated)" "$OUT"
check "--keep-outdated: 0 dates redone" 0 "$(committed copy)"
check "--keep-outdated: in the checkpoint" "true 17" \
    "$(jq -r '"\(.run.keep_outdated) \(.run.outdated_kept)"' "$TMP/state/copy.json")"
check "--keep-outdated: in the event log" "true 17" \
    "$(cat "$TMP"/state/runs/copy-*.jsonl | jq -r 'select(.event == "run_started") | "\(.keep_outdated) \(.outdated_kept)"')"
run_bf verify copy "${RANGE[@]}"
check_contains "verify: still outdated" "outdated 17" "$OUT"
run_fresh copy
check "without it: every date redone" 17 "$(committed copy)"
check "version 1 recorded" "version 1" "$(rec copy code)"

# With a version declared, the version decides: a rebuild under the same
# version redoes nothing, a bump redoes every date and then its readers.
build -DFACTOR=2 '-DTEST_VERSION="1"' -DUNUSED_FLAG=1 -g
run_fresh copy
check "same version, other bytes: 0 dates redone" 0 "$(committed copy)"
build -DFACTOR=3 '-DTEST_VERSION="2"'
before=$(total copy)
run_fresh copy
check_contains "version bump: the reason" "17 dates are outdated: code changed (version 1 -> version 2)" "$OUT"
check "version bump: every date redone" 17 "$(committed copy)"
check "version bump: the new rows are in" "$((before / 2 * 3))" "$(total copy)"
run_fresh follow
check "version bump: then its reader redone" 17 "$(committed follow)"

# The config section: a key that changes rows outdates every date.
config 5 second
run_bf status copy
check_contains "config changed: status counts it" "outdated 17" "$OUT"
run_fresh copy
check_contains "config changed: the reason" "17 dates are outdated: config of processors.copy changed" "$OUT"
check "config changed: every date redone" 17 "$(committed copy)"
check "config changed: the new rows are in" "$((before / 2 * 15))" "$(total copy)"

# A record from before versions were recorded is outdated too.
jq -c '.dates |= map_values(del(.code))' "$TMP/state/copy.json" >"$TMP/legacy.json"
mv "$TMP/legacy.json" "$TMP/state/copy.json"
run_fresh copy --dry-run
check_contains "an unrecorded version: outdated" \
    "17 dates are outdated: published before backfill recorded code versions" "$OUT"

# A bad declaration refuses the plugin before anything runs.
build '-DTEST_VERSION="1 2"'
run_fresh copy
check "a version with a space: exit 2" 2 "$RC"
check_contains "a version with a space: named" "copy.so: descriptor version must be 1-64 printable characters without spaces" "$ERR"
build '-DRUN_ONLY="label, lable"'
run_fresh copy
check "run_only_keys naming an undeclared key: exit 2" 2 "$RC"
check_contains "run_only_keys: named" "run_only_keys names 'lable', which is not a declared config key" "$ERR"
