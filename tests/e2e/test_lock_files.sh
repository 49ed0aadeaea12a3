#!/usr/bin/env bash
# The store lock cannot be bypassed by deleting files: with both lock files
# of a running processor removed (state_dir/P.lock and DB.P.lock), a second
# run of it is still refused (exit 4), because the lock that counts lives
# inside the database file and only the holder's exit frees it. And a
# checkpoint save that fails once, followed by one that succeeds, says
# "saved on retry", not "error:": nothing was lost.
. "$(dirname "$0")/lib.sh"
plan 9
write_config <<CONF
processors = { copy = { handshake_date = "2024-01-05"; handshake_dir = "$TMP"; }; };
CONF
seed_calendar 2024-01-01 10
mkfifo "$TMP/ready" "$TMP/go"
start_paused_run --no-progress run copy --dates 2024-01-05
rm "$TMP/state/copy.lock" "$DB.copy.lock"
run_bounded --no-progress run copy --dates 2024-01-06
check "both lock files removed: a second run is still refused, exit 4" 4 "$RC"
check "refused with the reason" \
    "backfill: another run of copy on store $DB holds it: holder unknown: $DB.copy.lock was removed while it ran" "$ERR"
check "the refused run wrote nothing" 0 "$(sql "SELECT count(*) FROM copy WHERE game_date = '2024-01-06'")"
release
wait_bg
check "the holder finishes, exit 0" 0 "$BG_RC"
run_bounded --no-progress run copy --dates 2024-01-06
check "once the holder has exited, the next run gets the lock" 0 "$RC"

# The first checkpoint save of a run fails (the shim fails its rename);
# the next one succeeds. A sanitizer build cannot take the fault shim (it
# brings its own malloc).
if ldd "$BF" | grep -qE 'lib[at]san'; then
    for t in "a failed save, then a good one" "the fault fired" "no line says error" \
        "it says saved on retry"; do ok "$t # skip: sanitizer build"; done
else
    sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; checkpoint_interval_ms = 0;/' "$TMP/backfill.conf"
    BF_FAULT=rename:1 BF_FAULT_LOG="$TMP/fired" LD_PRELOAD="$ROOT/tests/faults/shim.so" \
        run_bf --no-progress run copy --start-date 2024-01-07 --end-date 2024-01-10
    check "a failed save, then a good one: exit 0" 0 "$RC"
    check "the fault fired" "rename 1" "$(cat "$TMP/fired" 2>/dev/null)"
    check "no line says error" 0 "$(grep -c '^backfill: error:' <<<"$ERR")"
    check_contains "it says saved on retry" \
        "backfill: info: copy: $TMP/state/copy.json: saved on retry (1 earlier save failed; nothing was lost)" "$ERR"
fi
