#!/usr/bin/env bash
# Interrupts and the per-processor lock. The copy plugin pauses on a chosen
# date and hands control to the test through two FIFOs: the test acts while
# that date is in flight, with no sleep anywhere.
. "$(dirname "$0")/lib.sh"
plan 19
write_config <<CONF
processors = { copy = { handshake_date = "2024-01-06"; handshake_dir = "$TMP"; }; };
CONF
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; checkpoint_interval_ms = 0;/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 10
mkfifo "$TMP/ready" "$TMP/go"

# First SIGINT: the in-flight date finishes, nothing new starts, exit 130.
interrupt_paused INT run copy --start-date 2024-01-01 --end-date 2024-01-10 --workers 1
check "SIGINT: exit 130" 130 "$BG_RC"
check "SIGINT: the in-flight date was finished and published" 2 "$(sql "SELECT count(*) FROM copy WHERE game_date = '2024-01-06'")"
check "SIGINT: nothing after it started" 0 "$(sql "SELECT count(*) FROM copy WHERE game_date > '2024-01-06'")"
check "SIGINT: checkpoint valid with the finished dates" "2024-01-04 2024-01-05 2024-01-06" \
    "$(jq -r '[.dates | to_entries[] | select(.value.status == "complete") | .key] | join(" ")' "$TMP/state/copy.json")"
check "SIGINT: recorded" "interrupted 130" "$(jq -r '"\(.run.stopped_by) \(.run.exit_code)"' "$TMP/state/copy.json")"
check_contains "SIGINT: says so" "stopped: interrupted" "$(cat "$TMP/bg.out")"

# Resume after the interrupt: the rest, and only the rest.
sed -i 's/handshake_date = "2024-01-06"/handshake_date = "2024-01-08"/' "$TMP/backfill.conf"
start_paused_run run copy --start-date 2024-01-01 --end-date 2024-01-10 --workers 1
# While it is paused: a second run of the same processor is refused.
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "lock: second run exits 4" 4 "$RC"
check_contains "lock: names the holder's PID and host" "another run of copy holds $TMP/state/copy.lock: pid $BG on $(hostname) since 20" "$ERR"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --dry-run
check "lock: a dry run needs no lock" 0 "$RC"
release
wait_bg
check "resume: exit 0" 0 "$BG_RC"
check_contains "resume: skipped the 3 finished dates" "(3 already complete in the checkpoint)" "$(cat "$TMP/bg.out")"
check "resume: every date once" 14 "$(sql "SELECT count(*) FROM copy")"

# A lock file left by a dead process never blocks.
echo "pid 999999 on elsewhere since 2020-01-01T00:00:00Z" >"$TMP/state/copy.lock"
run_bf run copy --dates 2024-01-09 --no-resume
check "stale lock: run proceeds" 0 "$RC"

# Second SIGTERM: exits at once; the in-flight date is not published and
# keeps its old rows; the checkpoint is still valid JSON.
sql "UPDATE copy SET v = 50 WHERE game_date = '2024-01-08'"
interrupt_twice -q --no-progress run copy --dates 2024-01-07,2024-01-08,2024-01-09 --no-resume --workers 1
check "second signal: exit 130" 130 "$BG_RC"
check_contains "second signal: says so" "second interrupt: exiting now" "$(cat "$TMP/bg.err")"
check "second signal: in-flight date keeps its old rows" "50,50" "$(sql "SELECT group_concat(v) FROM copy WHERE game_date = '2024-01-08'")"
check "second signal: checkpoint still valid" "object" "$(jq -r 'type' "$TMP/state/copy.json")"
sed -i 's/handshake_date = "2024-01-08"/handshake_date = ""/' "$TMP/backfill.conf"
run_bf run copy --dates 2024-01-07,2024-01-08,2024-01-09 --no-resume
check "after a hard stop: re-runs to completion" 0 "$RC"
check "after a hard stop: fresh rows" "1,2" "$(sql "SELECT group_concat(v) FROM (SELECT v FROM copy WHERE game_date = '2024-01-08' ORDER BY v)")"
