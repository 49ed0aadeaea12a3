#!/usr/bin/env bash
# Notifications: a run and a pipeline POST their summary to a webhook on
# loopback (tests/e2e/webhook.py); a webhook that is down, slow or failing
# changes neither the exit code nor, beyond its timeout, the duration.
. "$(dirname "$0")/lib.sh"
plan 45
mkdir -p "$TMP/plugins"
cp "$ROOT/tests/plugins/copy.so" "$ROOT/tests/plugins/follow.so" "$TMP/plugins/"
seed_calendar 2024-01-01 10
printf 'sekret-token-4711\n' >"$TMP/token"
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"' EXIT

# start_server MODE : a fresh receiver in $TMP/hook; its port in $PORT.
start_server() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$TMP/hook" && mkdir "$TMP/hook" && mkfifo "$TMP/hook/ready" "$TMP/hook/release"
    python3 "$ROOT/tests/e2e/webhook.py" "$TMP/hook" "$1" &
    SERVER_PID=$!
    read -r PORT <"$TMP/hook/ready"
}

# config URL [ON] [FAIL_DATES]
config() {
    write_config "$TMP/plugins" <<CONF
processors = { copy = { fail_dates = "${3:-}"; }; };
notify = { webhook_url = "$1"; on = [ ${2:-"failure", "preflight_refused", "complete", "stale"} ];
           timeout_ms = 1500; headers = [ "X-Team: data", "X-Token: @file:$TMP/token" ];
           token_file = "token"; };
CONF
}

# timed ARGS... : run_bf, and the seconds it took in $SECS.
timed() {
    local t0 t1
    t0=$(date +%s.%N)
    run_bf "$@"
    t1=$(date +%s.%N)
    SECS=$(echo "$t1 - $t0" | bc)
}

start_server ok
config "http://127.0.0.1:$PORT/hook/secret-path" '"failure", "preflight_refused", "complete", "stale"' 2024-01-06
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --keep-going
check "failing run exits 1" 1 "$RC"
check "one POST for the run" 1 "$(ls "$TMP/hook" | grep -c '\.json$')"
P="$TMP/hook/1.json"
check "payload: event" "failure" "$(jq -r .event "$P")"
check "payload: command and processor" "run copy" "$(jq -r '.command + " " + .processor' "$P")"
check "payload: range" "2024-01-01 2024-01-10" "$(jq -r '.range.first + " " + .range.last' "$P")"
check "payload: counts" "6 1 3" "$(jq -r '"\(.counts.complete) \(.counts.failed) \(.counts.skipped)"' "$P")"
check "payload: failed dates and total" '["2024-01-06"] 1' "$(jq -c .failed_dates "$P") $(jq .failed_total "$P")"
check "payload: exit code" 1 "$(jq .exit_code "$P")"
check "payload: host" "$(hostname)" "$(jq -r .host "$P")"
check "payload: duration" true "$(jq '.duration_s >= 0' "$P")"
check "payload: re-run command" "$BF run copy --dates 2024-01-06" "$(jq -r .rerun "$P")"
check "content type" "1" "$(grep -c '^Content-Type: application/json' "$TMP/hook/1.headers")"
check "configured header" "1" "$(grep -c '^X-Team: data' "$TMP/hook/1.headers")"
check "header value from a file" "1" "$(grep -c '^X-Token: sekret-token-4711$' "$TMP/hook/1.headers")"
check "token_file as a bearer token" "1" "$(grep -c '^Authorization: Bearer sekret-token-4711$' "$TMP/hook/1.headers")"
check "the token is never printed" 0 "$(grep -c sekret <<<"$OUT$ERR")"

# The same dates again, healthy: "complete".
sed -i 's/fail_dates = "2024-01-06"/fail_dates = ""/' "$TMP/backfill.conf"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "complete run exits 0" 0 "$RC"
check "complete: event" "complete null 0" "$(jq -r '"\(.event) \(.rerun) \(.failed_total)"' "$TMP/hook/2.json")"

# Pre-flight refused: follow reads copy, which is missing after day 10.
run_bf run follow --start-date 2024-01-01 --end-date 2024-01-10
run_bf run copy --dates 2024-01-05 --no-resume
run_bf run follow --start-date 2024-01-01 --end-date 2024-01-10
check "stale run exits 0" 0 "$RC"
check "stale dates: events" '["complete","stale"] 1' "$(jq -c .events "$TMP/hook/5.json") $(jq .stale "$TMP/hook/5.json")"
sqlite3 "$DB" "INSERT INTO schedule VALUES ('x', '2024-01-11'), ('y', '2024-01-12')"
run_bf run follow --start-date 2024-01-08 --end-date 2024-01-12
check "refused run exits 3" 3 "$RC"
check "refused: event" "preflight_refused" "$(jq -r .event "$TMP/hook/6.json")"
sqlite3 "$DB" "DELETE FROM schedule WHERE game_id IN ('x', 'y')"

# The pipeline: one summary for the whole command.
run_bf pipeline --start-date 2024-01-01 --end-date 2024-01-10
check "pipeline exits 0" 0 "$RC"
N=$(ls "$TMP/hook" | grep -c '\.json$')
check "pipeline: one POST" 7 "$N"
check "pipeline: command, processors, exit" "pipeline copy,follow 0" \
    "$(jq -r '"\(.command) \([.processors[].processor] | join(",")) \(.exit_code)"' "$TMP/hook/7.json")"
check "pipeline: counts summed" "14" "$(jq .counts.complete "$TMP/hook/7.json")"

# Only the subscribed events are posted.
config "http://127.0.0.1:$PORT/hook" '"failure"'
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "an event not subscribed to is not posted" 7 "$(ls "$TMP/hook" | grep -c '\.json$')"

# The same run without a delivery: what a webhook may add to it is measured
# against this (under make valgrind too).
timed run copy --start-date 2024-01-01 --end-date 2024-01-10
BASE=$SECS
# extra : 1 if the last timed run took less than 10 s more: the timeout
# (1.5 s, retries included) ends the wait, which without it lasts as long
# as the silent server does; the rest is room for a loaded machine under valgrind, where
# one run's time varies by seconds.
extra() { echo "$SECS - $BASE < 10" | bc; }

# Down: connection refused. The run's result stands; one line says so.
kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
config "http://127.0.0.1:$PORT/hook/secret-path" '"complete"'
timed run copy --start-date 2024-01-01 --end-date 2024-01-10
check "webhook down: exit code unchanged" 0 "$RC"
check "webhook down: one line" 1 "$(grep -c 'notify: webhook http://127.0.0.1:[0-9]* not reached' <<<"$ERR")"
check "webhook down: the URL's path is not printed" 0 "$(grep -c secret-path <<<"$ERR")"
check "webhook down: bounded by the timeout" 1 "$(extra)"

# Slow: never answers; the timeout (1.5 s) bounds the wait, retries included.
start_server slow
config "http://127.0.0.1:$PORT/hook" '"complete"'
timed run copy --start-date 2024-01-01 --end-date 2024-01-10
check "webhook slow: exit code unchanged" 0 "$RC"
check_contains "webhook slow: timed out" "not reached (Timeout was reached" "$ERR"
check "webhook slow: bounded by the timeout" 1 "$(extra)"
check "webhook slow: the request arrived" 1 "$(ls "$TMP/hook" | grep -c '\.json$')"

# 500: retried, then given up; the result stands.
start_server 500
config "http://127.0.0.1:$PORT/hook" '"complete"'
timed run copy --start-date 2024-01-01 --end-date 2024-01-10
check "webhook 500: exit code unchanged" 0 "$RC"
check "webhook 500: three attempts" 3 "$(ls "$TMP/hook" | grep -c '\.json$')"
check_contains "webhook 500: said in one line" "not reached (HTTP 500; 3 attempts" "$ERR"
check "webhook 500: bounded by the timeout" 1 "$(extra)"

# A libcurl that cannot be loaded (a shared object without its symbols,
# found first on LD_LIBRARY_PATH): the webhook is not reached, the run's
# result stands, and the line says why.
mkdir "$TMP/nocurl"
cp "$ROOT/tests/plugins/copy.so" "$TMP/nocurl/libcurl.so.4"
config "http://127.0.0.1:1/" '"complete"'
LD_LIBRARY_PATH="$TMP/nocurl" run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "no libcurl: exit code unchanged" 0 "$RC"
check_contains "no libcurl: said in one line" "not reached (libcurl.so.4: no symbol curl_global_init; 0 attempts" "$ERR"

# Config: unknown keys and events refused with FILE:LINE.
write_config "$TMP/plugins" <<'CONF'
notify = { webhook_url = "http://127.0.0.1:1/";
           retries = 3; };
CONF
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "unknown notify key: exit 2" 2 "$RC"
check "unknown notify key: FILE:LINE" "backfill: $TMP/backfill.conf:10: retries: unknown key in notify" "$ERR"
write_config "$TMP/plugins" <<'CONF'
notify = { webhook_url = "http://127.0.0.1:1/"; on = [ "failure", "sometimes" ]; };
CONF
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "unknown event: exit 2" 2 "$RC"
check_contains "unknown event: named" "notify.on: unknown event 'sometimes'" "$ERR"
