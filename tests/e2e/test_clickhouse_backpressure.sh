#!/usr/bin/env bash
# The ClickHouse driver under back-pressure: retries of "too many
# simultaneous queries", the process-wide limit of queries in flight, the
# queries-per-second budget, and an interrupt during a retry's wait. The
# server allows user backfill one query at a time (CH_USER_LIMIT); a
# query of its own, held by the test, makes it push back. Every run is
# bounded by timeout: a hang fails the test as exit 124.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse back-pressure tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 10
CH_USER_LIMIT=1 ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
ch_seed single 2024-01-01 10
ch_config single <<'CONF'
processors = { copy = { crash_date = ""; }; };
CONF
PW=$(cat "$CH_DIR/password")
as_backfill() { curl -sS -u "backfill:$PW" "http://127.0.0.1:$CH_HTTP1/" --data-binary "$1"; }
set_store() { # KEY VALUE : set or add a key of the store section
    if grep -q "$1 = " "$TMP/backfill.conf"; then
        sed -i "s/$1 = [0-9.]*;/$1 = $2;/" "$TMP/backfill.conf"
    else
        sed -i "0,/store = {/s//store = { $1 = $2;/" "$TMP/backfill.conf"
    fi
}
# hold_slot : user backfill's one slot taken by a query that runs until
# release_slot kills it, once the server is seen refusing another
# (handshakes both ways: nothing here depends on how long anything takes).
hold_slot() {
    curl -sS -u "backfill:$PW" "http://127.0.0.1:$CH_HTTP1/?query_id=bf_hold" --data-binary \
        "SELECT sleepEachRow(1) FROM system.numbers LIMIT 300 SETTINGS max_block_size = 1" \
        >/dev/null 2>&1 &
    HOLDER=$!
    # Seen running by the server (asked as user default, which has no
    # limit) before user backfill probes: a probe must not take the slot
    # the held query is about to take.
    for _ in $(seq 3000); do
        [ "$(ch_sql 1 "SELECT count() FROM system.processes WHERE query_id = 'bf_hold'")" = 1 ] &&
            break
        kill -0 "$HOLDER" 2>/dev/null || return 1
    done
    as_backfill "SELECT 1" 2>&1 | grep -q "Code: 202"
}
release_slot() {
    ch_sql 1 "KILL QUERY WHERE query_id = 'bf_hold' SYNC" >/dev/null
    wait "$HOLDER"
}
# until_logged FILE TEXT : wait until a background run has logged TEXT.
until_logged() {
    for _ in $(seq 6000); do
        grep -qF -- "$2" "$1" && return 0
        read -rt 0.01 <>"$TMP/tick" || true
    done
    return 1
}
mkfifo "$TMP/tick"
queries() { ch_sql 1 "SELECT value FROM system.events WHERE event = 'Query'"; }

# Retries exhausted: the push-back is reported, one line, as the server said it.
hold_slot || not_ok "the held query blocks user backfill" "no push-back seen"
set_store request_retries 0
run_bf run copy --dates 2024-01-05 --no-resume
check "no retries left: the store cannot be opened, exit 2" 2 "$RC"
check_contains "no retries left: the server's own words" "Code: 202: Too many simultaneous queries for user backfill" "$ERR"
release_slot

# Retried until the slot is free: the run succeeds, the retries are counted.
hold_slot || not_ok "the held query blocks user backfill" "no push-back seen"
set_store request_retries 10
"${WRAP[@]}" timeout 60 "$BF" run copy --start-date 2024-01-04 --end-date 2024-01-10 --no-resume \
    >"$TMP/out" 2>"$TMP/err" &
RUN=$!
until_logged "$TMP/err" "retry 1 of 10" || not_ok "the run is pushed back" "no retry logged"
release_slot
wait "$RUN"
RC=$? ERR=$(cat "$TMP/err")
check "pushed back, then retried: exit 0" 0 "$RC"
check_contains "pushed back, then retried: each retry logged" "HTTP 500: Code: 202: Too many simultaneous queries for user backfill. Current: 1, maximum: 1; retry 1 of 10 in " "$ERR"
check "pushed back, then retried: counted at the end" 1 \
    "$(grep -cE 'clickhouse: [1-9][0-9]* requests retried after transient errors \([1-9][0-9]* server push-backs\)' <<<"$ERR")"

# The limit of queries in flight holds across workers: with
# max_concurrent_queries = 1 and 4 workers, the server never pushes back.
set_store max_concurrent_queries 1
set_store request_retries 0
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --no-resume --workers 4
check "4 workers, one query in flight: exit 0, no push-back" "0 0" "$RC $(grep -c 'Too many' <<<"$ERR")"

# The budget: at 40 queries per second, N queries take at least (N-1)/40 s.
set_store max_concurrent_queries 4
set_store request_retries 3
set_store max_queries_per_second 40
q0=$(queries)
t0=$(date +%s%N)
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --no-resume --workers 4
t1=$(date +%s%N)
n=$(($(queries) - q0 - 1))
check "budget: exit 0" 0 "$RC"
elapsed_ms=$(((t1 - t0) / 1000000))
min_ms=$(((n - 1) * 1000 / 40))
check "budget: $n queries took at least $min_ms ms" yes "$([ "$elapsed_ms" -ge "$min_ms" ] && [ "$n" -gt 20 ] && echo yes || echo "no: $elapsed_ms ms")"

# An interrupt during a retry's wait ends it at once: with 30 retries of
# up to 5 s the run would wait minutes for the slot; SIGINT stops it now.
set_store request_retries 30
hold_slot || not_ok "the held query blocks user backfill" "no push-back seen"
mkfifo "$TMP/errpipe"
timeout --foreground 20 "$BF" run copy --dates 2024-01-05 --no-resume >"$TMP/out" 2>"$TMP/errpipe" &
BG=$!
exec 3<"$TMP/errpipe"
while read -r line <&3; do [[ "$line" == *"retry 1 of 30"* ]] && break; done
kill -INT "$BG"
cat <&3 >"$TMP/err"
exec 3<&-
wait "$BG"
RC=$?
release_slot
check "interrupted while waiting to retry: exit 130 at once, not 124 by timeout" 130 "$RC"
check "interrupted while waiting to retry: no second retry" 0 "$(grep -c 'retry 2 of 30' "$TMP/err")"
