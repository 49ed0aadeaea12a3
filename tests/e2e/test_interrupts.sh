#!/usr/bin/env bash
# Interrupts against retries and other stop reasons, and per-worker plugin
# state. The copy plugin pauses on a chosen date and hands control to the
# test through two FIFOs; no sleep anywhere.
. "$(dirname "$0")/lib.sh"
plan 9
write_config <<CONF
processors = { copy = { handshake_date = "2024-01-06"; fail_dates = "2024-01-06"; handshake_dir = "$TMP"; }; };
CONF
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 600000; checkpoint_interval_ms = 0;/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 10
mkfifo "$TMP/ready" "$TMP/go" "$TMP/errpipe"

# Ctrl-C while a failed date waits ten minutes to retry: the wait ends at
# once and no further attempt runs (a second attempt would pause on the
# handshake forever, and timeout would end the test with 124). --foreground:
# timeout then passes the signal to backfill once, not also to its group.
timeout --foreground 120 "$BF" run copy --dates 2024-01-06 --retries 3 >"$TMP/bg.out" 2>"$TMP/bg.err" &
BG=$!
read -r _ <"$TMP/ready"
: >"$TMP/go"
kill -INT "$BG"
wait "$BG"
check "interrupt during backoff: exit 130" 130 "$?"
check "interrupt during backoff: one attempt" 1 "$(jq '.dates["2024-01-06"].attempts' "$TMP/state/copy.json")"

# An interrupt outranks a failure that stopped dispatch first: 2024-01-04
# is held in flight, 2024-01-05 fails and stops the run, then SIGINT.
sed -i 's/handshake_date = "2024-01-06"; fail_dates = "2024-01-06"/handshake_date = "2024-01-04"; fail_dates = "2024-01-05"/' "$TMP/backfill.conf"
"$BF" run copy --start-date 2024-01-01 --end-date 2024-01-10 --workers 2 --retries 0 \
    >"$TMP/bg.out" 2>"$TMP/errpipe" &
BG=$!
exec 3<"$TMP/errpipe"
read -r _ <"$TMP/ready"
while read -r line <&3; do [[ "$line" == *"2024-01-05: failed after 1 attempt"* ]] && break; done
kill -INT "$BG"
: >"$TMP/go"
cat <&3 >"$TMP/bg.err"
exec 3<&-
wait "$BG"
check "interrupt after a failure: exit 130" 130 "$?"
check "interrupt after a failure: recorded as interrupted" "interrupted 130" \
    "$(jq -r '"\(.run.stopped_by) \(.run.exit_code)"' "$TMP/state/copy.json")"

# worker_init and worker_fini run once per worker; bf_user_data carries
# each worker's state; bf_query hands typed rows.
run_bf run hooks --start-date 2024-01-01 --end-date 2024-01-10 --workers 3
check "hooks: exit 0" 0 "$RC"
check "hooks: worker_init once per worker (and once for prepare)" 4 "$(grep -c 'worker_init$' <<<"$ERR")"
check "hooks: worker_fini as often" 4 "$(grep -c 'worker_fini: ' <<<"$ERR")"
check "hooks: the workers' tallies add up to every date" 7 \
    "$(grep -o 'worker_fini: [0-9]* dates' <<<"$ERR" | awk '{s += $2} END {print s}')"
check "hooks: typed rows summed (1 + 2 per date)" 21 \
    "$(grep -o 'sum [0-9]*' <<<"$ERR" | awk '{s += $2} END {print s}')"
