#!/usr/bin/env bash
# Interrupts, the per-processor lock and the store lock (the lock table)
# on a two-shard ClickHouse cluster. The copy plugin pauses on a chosen
# date and hands control to the test through two FIFOs, as in
# test_interrupt_and_lock.sh: no sleep anywhere.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse signal tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 28
ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
ch_seed bft 2024-01-01 10
ch_config cluster <<CONF
processors = { copy = { handshake_date = "2024-01-06"; handshake_dir = "$TMP"; }; };
CONF
mkfifo "$TMP/ready" "$TMP/go"
rows() { ch_sql 1 "SELECT count() FROM bft.copy WHERE $1"; }
stages() { # staging tables left on both shards
    echo "$(ch_sql 1 "SELECT count() FROM system.tables WHERE name LIKE 'bf_stage_%'")" \
        "$(ch_sql 2 "SELECT count() FROM system.tables WHERE name LIKE 'bf_stage_%'")"
}
LOCK=bft.backfill_lock_copy
STORE="http://127.0.0.1:$CH_HTTP1 database bft cluster bf"
lock_exists() { ch_sql 1 "EXISTS TABLE $LOCK"; }

# First SIGINT: the in-flight date finishes and is published on its shard,
# nothing new starts, exit 130.
start_with_stderr_pipe run copy --start-date 2024-01-01 --end-date 2024-01-10 --workers 1
run_bf ps --json
check "ps sees the paused run on ClickHouse" "copy running 2024-01-01 2024-01-10 $BG" \
    "$(jq -r '.runs[] | "\(.processor) \(.state) \(.first) \(.last) \(.pid)"' <<<"$OUT")"
kill -INT "$BG"
await_interrupt_taken
release
finish_stderr_pipe
check "SIGINT: exit 130" 130 "$BG_RC"
run_bf ps --json
check "ps: the interrupted run is gone" "0" "$(jq '.runs | length' <<<"$OUT")"
check "SIGINT: the in-flight date was finished and published" 2 "$(rows "game_date = '2024-01-06'")"
check "SIGINT: nothing after it started" 0 "$(rows "game_date > '2024-01-06'")"
check "SIGINT: checkpoint with the finished dates" "2024-01-04 2024-01-05 2024-01-06" \
    "$(jq -r '[.dates | to_entries[] | select(.value.status == "complete") | .key] | join(" ")' "$TMP/state/copy.json")"
check "SIGINT: the staging tables dropped on both shards" "0 0" "$(stages)"

# While a run is paused: a second run of the same processor is refused.
sed -i 's/handshake_date = "2024-01-06"/handshake_date = "2024-01-08"/' "$TMP/backfill.conf"
start_paused_run run copy --start-date 2024-01-01 --end-date 2024-01-10 --workers 1
before=$(ch_fingerprint bft)
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "lock: second run exits 4" 4 "$RC"
check_contains "lock: names the holder" "another run of copy holds $TMP/state/copy.lock: pid $BG" "$ERR"
check "lock: the refused run wrote nothing" "$before" "$(ch_fingerprint bft)"
# From another state_dir, the store's lock table refuses it.
sed 's|state_dir = "state"|state_dir = "state2"|' "$TMP/backfill.conf" >"$TMP/other.conf"
run_bounded -c "$TMP/other.conf" run copy --start-date 2024-01-01 --end-date 2024-01-10
check "store lock: a run from another state_dir exits 4" 4 "$RC"
check_contains "store lock: names the lock table and its holder" \
    "backfill: another run of copy on store $STORE holds lock table $LOCK: pid $BG on $(hostname) since 20" "$ERR"
check "store lock: the refused run wrote nothing" "$before" "$(ch_fingerprint bft)"
release
wait_bg
check "resume: exit 0, every date once" "0 14" "$BG_RC $(rows 1)"
check "store lock: the lock table is dropped when its run ends" 0 "$(lock_exists)"
sed -i 's/handshake_date = "2024-01-08"/handshake_date = ""/' "$TMP/other.conf"
run_bounded -c "$TMP/other.conf" run copy --dates 2024-01-09,2024-01-10
check "store lock: then a run from another state_dir takes it" 0 "$RC"

# Second SIGTERM: exits at once; the in-flight date is not published and
# keeps its old rows on its shard.
for s in 1 2; do ch_sql $s "ALTER TABLE bft.copy_local DROP PARTITION '2024-01-08'"; done
for s in 1 2; do ch_sql $s "INSERT INTO bft.copy_local SELECT '2024-01-08', 50 FROM system.one WHERE $s = 1"; done
interrupt_twice --no-progress run copy --dates 2024-01-07,2024-01-08,2024-01-09 --no-resume --workers 1
check "second signal: exit 130" 130 "$BG_RC"
check_contains "second signal: says so" "second interrupt: exiting now" "$(cat "$TMP/bg.err")"
check "second signal: the in-flight date keeps its old rows" "[50]" \
    "$(ch_sql 1 "SELECT groupArray(v) FROM bft.copy WHERE game_date = '2024-01-08'")"
sed -i 's/handshake_date = "2024-01-08"/handshake_date = ""/' "$TMP/backfill.conf"
run_bf run copy --dates 2024-01-07,2024-01-08,2024-01-09 --no-resume
check "after a hard stop: re-runs to completion" 0 "$RC"
check "after a hard stop: fresh rows" "[1,2]" \
    "$(ch_sql 1 "SELECT arraySort(groupArray(v)) FROM bft.copy WHERE game_date = '2024-01-08'")"

# A run killed with -9 leaves its lock table; the next run on this host
# finds its holder's process gone, drops it and runs.
sed -i 's/handshake_date = ""/handshake_date = "2024-01-09"/' "$TMP/backfill.conf"
start_paused_run run copy --dates 2024-01-09 --no-resume
kill -9 "$BG"
wait_bg 2>/dev/null # no "Killed" notice
check_contains "stale lock: left by the killed run" "pid $BG on $(hostname) since 20" \
    "$(ch_sql 1 "SELECT holder FROM $LOCK")"
run_bounded -c "$TMP/other.conf" run copy --dates 2024-01-09 --no-resume
check "stale lock: the next run takes it over and completes" 0 "$RC"
check_contains "stale lock: says so" "store lock: dropped $LOCK, left by pid $BG on $(hostname)" "$ERR"

# A holder on another host cannot be judged from here: refused, with the
# statement that clears it once that run is known to be gone.
ch_sql 1 "CREATE VIEW $LOCK AS SELECT 'pid 4242 on elsewhere.example since 2024-01-01T00:00:00Z' AS holder"
before=$(ch_fingerprint bft)
run_bounded -c "$TMP/other.conf" run copy --dates 2024-01-09
check "lock on another host: exit 4" 4 "$RC"
check "lock on another host: names it and how to clear it" \
    "backfill: another run of copy on store $STORE holds lock table $LOCK: pid 4242 on elsewhere.example since 2024-01-01T00:00:00Z (if that run is gone, clear the lock with: DROP TABLE $LOCK)" "$ERR"
check "lock on another host: nothing written" "$before" "$(ch_fingerprint bft)"
ch_sql 1 "DROP TABLE $LOCK"
run_bounded -c "$TMP/other.conf" run copy --dates 2024-01-09
check "lock on another host: runs once it is dropped" "0 0" "$RC $(lock_exists)"
