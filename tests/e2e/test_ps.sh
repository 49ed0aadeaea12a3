#!/usr/bin/env bash
# backfill ps: the runs in progress in this store's state_dir, from their
# locks and event logs. It sees a run paused on a date (FIFO handshake) and
# one waiting for upstream, and not a finished one; it takes no lock.
. "$(dirname "$0")/lib.sh"
plan 21
write_config <<CONF
processors = { copy = { handshake_date = "2024-01-06"; handshake_dir = "$TMP"; }; };
CONF
sed -i 's/retry_backoff_ms = 0; };/retry_backoff_ms = 0; checkpoint_interval_ms = 0; };/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 10 # 2024-01-04..10 expected
mkfifo "$TMP/ready" "$TMP/go"

run_bf ps
check "nothing running: exit 0" 0 "$RC"
check "nothing running: one line" "no runs in progress (state_dir $TMP/state)" "$OUT"

start_paused_run run copy --start-date 2024-01-04 --end-date 2024-01-10
run_bf ps
check "paused run: exit 0" 0 "$RC"
row=$(grep '^copy ' <<<"$OUT" | tr -s ' ')
check "paused run: processor, state, range, done of to run, failed" "copy running 2024-01-04..2024-01-10 2/7 0" \
    "$(cut -d' ' -f1-5 <<<"$row")"
check "paused run: its pid and host" "$BG@$(hostname)" "$(awk '{print $NF}' <<<"$row")"
check_contains "paused run: its event log" "log: $TMP/state/runs/copy-" "$OUT"
run_bf ps --json
check "json: one run, its figures" "copy running 2 7 0 $BG" \
    "$(jq -r '.runs[] | "\(.processor) \(.state) \(.done) \(.to_run) \(.failed) \(.pid)"' <<<"$OUT")"
check "json: the range" "2024-01-04 2024-01-10" "$(jq -r '.runs[0] | "\(.first) \(.last)"' <<<"$OUT")"
run_bf status
check "status overview while paused: copy is RUNNING" "copy 2024-01-04..2024-01-05 2/2 RUNNING" \
    "$(grep '^copy ' <<<"$OUT" | tr -s ' ' | awk '{print $1, $2, $3, $6}')"
release
wait_bg
check "the paused run finished" 0 "$BG_RC"
run_bf status
check "status overview: exit 0" 0 "$RC"
check "status overview: copy judged over its range, last exit, not running" \
    "copy 2024-01-04..2024-01-10 7/7 0 -" "$(grep '^copy ' <<<"$OUT" | tr -s ' ' | awk '{print $1, $2, $3, $5, $6}')"
check "status overview: a processor never run" "follow (never run) 0/0" \
    "$(grep '^follow ' <<<"$OUT" | tr -s ' ' | awk '{print $1, $2, $3, $4}')"
sql "DELETE FROM copy WHERE game_date = '2024-01-08'"
run_bf status --json
check "status overview --json: the judge's counts now (a deleted date is missing)" "6 7 1 0 false" \
    "$(jq -r '.[] | select(.processor == "copy") | "\(.complete) \(.expected) \(.states.missing) \(.last_exit) \(.running)"' <<<"$OUT")"
run_bf ps
check "a finished run is not listed" "no runs in progress (state_dir $TMP/state)" "$OUT"
check "though its lock file is still there" "yes" "$([ -f "$TMP/state/copy.lock" ] && echo yes)"
run_bf ps --json
check "json: no runs" "0" "$(jq '.runs | length' <<<"$OUT")"

# A run waiting for upstream shows as waiting, with what it waits for.
sed -i 's/handshake_date = "2024-01-06"/handshake_date = ""/' "$TMP/backfill.conf"
sql "DELETE FROM upstream WHERE game_date = '2024-01-09'; DELETE FROM copy"
rm -f "$TMP/state/copy.json"
mkfifo "$TMP/errpipe"
"${WRAP[@]}" "$BF" run copy --start-date 2024-01-04 --end-date 2024-01-10 --wait-for-upstream 1h --poll 1 \
    >"$TMP/bg.out" 2>"$TMP/errpipe" &
BG=$!
exec 3<"$TMP/errpipe"
while read -r line <&3; do [[ "$line" == *"waiting for upstream:"* ]] && break; done
run_bf ps
check "waiting run: listed as waiting" "copy waiting" "$(grep '^copy ' <<<"$OUT" | tr -s ' ' | cut -d' ' -f1-2)"
check_contains "waiting run: what it waits for" "waiting for upstream: upstream 6/7, needs 7" "$OUT"
kill -INT "$BG"
cat <&3 >/dev/null
exec 3<&-
wait_bg
check "the waiting run ends on an interrupt" 130 "$BG_RC"
run_bf ps
check "then nothing is listed" "no runs in progress (state_dir $TMP/state)" "$OUT"
