#!/usr/bin/env bash
# Isolation denies by default: every plugin call but process_date and
# prepare is read-only (worker_init and worker_fini included), and a
# statement the store refused fails the date, or the run, even when the
# plugin ignored the error: in the message, the checkpoint, the event log
# and the exit code. The store is left exactly as it was.
. "$(dirname "$0")/lib.sh"
plan 37
write_config <<'CONF'
processors = { rogue = { mode = "none"; }; };
CONF
seed_calendar 2024-01-01 10
set_mode() { sed -i "s/mode = \"[a-z_]*\"/mode = \"$1\"/" "$TMP/backfill.conf"; }
events_of_run() { ls -t "$TMP"/state/runs/rogue-*.jsonl | head -1; }

run_bf run rogue --start-date 2024-01-01 --end-date 2024-01-10
check "clean run: exit 0" 0 "$RC"
before=$(dump | sha256sum)

# worker_init and worker_fini write or drop; the plugin ignores the
# refusal. The run fails before any date (prepare's own worker_init and
# worker_fini run first), with one line naming the plugin and statement.
while IFS='|' read -r mode says; do
    set_mode "$mode"
    run_bf run rogue --dates 2024-01-05 --no-resume
    check "$mode: exit 2" 2 "$RC"
    check_contains "$mode: one line naming plugin and statement" "$says" "$ERR"
    check "$mode: store byte-identical" "$before" "$(dump | sha256sum)"
done <<'CASES'
init_write|rogue.so: worker_init failed: refused DELETE from upstream: only process_date and prepare may write (worker_init, validate_date, worker_fini and audits are read-only) (in: DELETE FROM upstream) (the plugin ignored the error)
init_drop|rogue.so: worker_init failed: refused a schema change: only process_date and prepare may write (worker_init, validate_date, worker_fini and audits are read-only) (in: DROP TABLE upstream) (the plugin ignored the error)
fini_write|rogue.so: worker_fini failed: refused DELETE from upstream: only process_date and prepare may write
fini_drop|rogue.so: worker_fini failed: refused a schema change: only process_date and prepare may write (worker_init, validate_date, worker_fini and audits are read-only) (in: DROP TABLE upstream)
CASES
check "the table the plugins tried to drop is still there: 20 rows" 20 "$(sql "SELECT count(*) FROM upstream")"

# prepare may create its output table; a refused CREATE it ignores fails
# the run all the same, before any date.
run_bf run sly --dates 2024-01-05
check "prepare ignoring a refusal: exit 2" 2 "$RC"
check_contains "prepare ignoring a refusal: named" "sly.so: prepare() failed: refused CREATE TABLE sly_side: prepare may only create the output table and indexes on it (in: CREATE TABLE IF NOT EXISTS sly_side (x INTEGER)) (the plugin ignored the error)" "$ERR"
check "prepare ignoring a refusal: no side table, no date written" "0 0" \
    "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'sly_side'") $(sql "SELECT count(*) FROM sly")"

# worker_fini of a run's worker (after it wrote a date): the date is
# published, then the run fails on the refusal; upstream is untouched.
upstream=$(sqlite3 "$DB" ".dump upstream" | sha256sum)
rows=$(sql "SELECT game_date, v FROM rogue ORDER BY 1, 2")
set_mode fini_write_late
run_bf run rogue --dates 2024-01-05 --no-resume
check "worker's worker_fini: exit 2" 2 "$RC"
check_contains "worker's worker_fini: named" "rogue.so: worker_fini failed: refused DELETE from upstream" "$ERR"
check "worker's worker_fini: upstream byte-identical" "$upstream" "$(sqlite3 "$DB" ".dump upstream" | sha256sum)"
check "worker's worker_fini: the output holds the same rows" "$rows" "$(sql "SELECT game_date, v FROM rogue ORDER BY 1, 2")"

# process_date and validate_date that go on as if the refused statement
# had run: the date fails (exit 1), not retried, nothing published; the
# refusal is in stderr, the checkpoint's last error and the date_failed
# event.
while IFS='|' read -r mode says; do
    set_mode "$mode"
    before=$(dump | sha256sum)
    run_bf run rogue --dates 2024-01-05 --no-resume --retries 2
    check "$mode: exit 1" 1 "$RC"
    check_contains "$mode: stderr" "$says" "$ERR"
    check_contains "$mode: checkpoint's last error" "$says" "$(jq -r '.dates["2024-01-05"].error' "$TMP/state/rogue.json")"
    check "$mode: checkpoint says failed, one attempt" "failed 1" "$(jq -r '.dates["2024-01-05"] | "\(.status) \(.attempts)"' "$TMP/state/rogue.json")"
    check_contains "$mode: date_failed event" "$says" "$(jq -r 'select(.event == "date_failed") | .error' "$(events_of_run)")"
    check "$mode: no date_committed event" 0 "$(jq -r 'select(.event == "date_committed") | .date' "$(events_of_run)" | wc -l)"
    check "$mode: store byte-identical" "$before" "$(dump | sha256sum)"
done <<'CASES'
ignore_refusal|refused DELETE from upstream: process_date may write only its staging table bf_output_table(ctx) (in: DELETE FROM upstream) (the plugin ignored the error)
validate_ignores|refused DELETE from upstream: only process_date and prepare may write (worker_init, validate_date, worker_fini and audits are read-only) (in: DELETE FROM upstream) (the plugin ignored the error)
CASES

# The plugin's guard is read-only between calls, and the core's own
# statements never need it switched off: a clean run after all this.
set_mode none
run_bf run rogue --start-date 2024-01-01 --end-date 2024-01-10 --no-resume
check "clean run afterwards: exit 0" 0 "$RC"
check "clean run afterwards: 14 rows" 14 "$(sql "SELECT count(*) FROM rogue")"
