#!/usr/bin/env bash
# pipeline hands the plugins its processor graph loaded to every processor
# it runs: each plugin is loaded once per command, not once for the graph
# and again (with the whole graph) for each processor. A run on its own
# takes its processor from the graph it loads.
. "$(dirname "$0")/lib.sh"
plan 4
mkdir "$TMP/plugins"
for p in copy follow partial_save; do cp "$ROOT/tests/plugins/$p.so" "$TMP/plugins/"; done
write_config "$TMP/plugins" </dev/null
seed_calendar 2024-01-01 6
RANGE=(--start-date 2024-01-01 --end-date 2024-01-06)

loads() { grep -c "plugin $1 loaded from" <<<"$ERR"; }
run_bf -v pipeline "${RANGE[@]}"
check "pipeline: exit 0" 0 "$RC"
check "pipeline: each plugin loaded once" "1 1 1" "$(loads copy) $(loads follow) $(loads partial_save)"
run_bf -v pipeline "${RANGE[@]}" --dry-run
check "pipeline --dry-run: each plugin loaded once" "1 1 1" "$(loads copy) $(loads follow) $(loads partial_save)"
# A run on its own loads its graph (every plugin) once, and nothing more:
# its own processor is the graph's.
run_bf -v run follow "${RANGE[@]}"
check "run: each plugin loaded once, its own too" "1 1 1" \
    "$(loads copy) $(loads follow) $(loads partial_save)"
