#!/usr/bin/env bash
# --wait-for-upstream: a refused run waits for its late feed and runs once
# a writer completes it; otherwise it times out with the usual refusal
# (exit 3, nothing written); an interrupt ends the wait (exit 130); the
# wait is in the event log and posted once with notify.on = ["waiting"].
. "$(dirname "$0")/lib.sh"
plan 28
seed_calendar 2024-01-01 10 # 2024-01-04..10 expected
sql "DELETE FROM upstream WHERE game_date = '2024-01-09'"
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
mkdir "$TMP/hook" && mkfifo "$TMP/hook/ready" "$TMP/hook/release"
python3 "$ROOT/tests/e2e/webhook.py" "$TMP/hook" ok &
SERVER_PID=$!
read -r PORT <"$TMP/hook/ready"
write_config <<CONF
notify = { webhook_url = "http://127.0.0.1:$PORT/hook"; on = [ "waiting", "complete" ]; timeout_ms = 3000; };
CONF
RANGE=(--start-date 2024-01-04 --end-date 2024-01-10)
before=$(dump)

# start_waiting ARGS... : bin/backfill ARGS in the background ($BG), its
# stderr through a FIFO on fd 3, returned once it says it is waiting (the
# line in $WAITING).
start_waiting() {
    rm -f "$TMP/errpipe" && mkfifo "$TMP/errpipe"
    "${WRAP[@]}" "$BF" "$@" >"$TMP/bg.out" 2>"$TMP/errpipe" &
    BG=$!
    exec 3<"$TMP/errpipe"
    WAITING=
    while read -r line <&3; do
        echo "$line" >>"$TMP/bg.err"
        if [[ "$line" == *"waiting for upstream:"* ]]; then WAITING=$line; break; fi
    done
}
# finish_waiting : the rest of its stderr, then its exit code in $BG_RC.
finish_waiting() {
    cat <&3 >>"$TMP/bg.err"
    exec 3<&-
    wait_bg
}

# 1. Times out: the usual refusal, exit 3, nothing written, bounded.
run_bounded run copy "${RANGE[@]}" --wait-for-upstream 2s --poll 1
check "timeout: exit 3" 3 "$RC"
check "timeout: says what it waited for, every poll" "1" \
    "$(grep -cE '^copy: waiting for upstream: upstream 6/7, needs 7 \(waited 0:00:0[0-9] of 0:00:02; next check in 1 s\)$' <<<"$ERR" | sed 's/^[1-9][0-9]*$/1/')"
check_contains "timeout: the judged shortfall" "for upstream, still short: upstream 6/7, needs 7" "$OUT"
check_contains "timeout: then the usual refusal" "refused: a required upstream table is under its coverage threshold; nothing written" "$OUT"
check "timeout: nothing written" "$before" "$(dump)"
log=$(ls "$TMP"/state/runs/copy-*.jsonl)
check "timeout: event log says waiting, then timed out" "waiting wait_timed_out" "$(jq -r .event "$log" | tr '\n' ' ' | sed 's/ $//')"
check "timeout: waiting posted once" "1 waiting" "$(ls "$TMP"/hook/*.json | wc -l) $(jq -r .event "$TMP/hook/1.json")"
check "timeout: the post says what it waits for" "copy upstream 6/7, needs 7" "$(jq -r '"\(.processor) \(.waiting_for)"' "$TMP/hook/1.json")"
rm -f "$TMP"/hook/*.json "$TMP"/hook/*.headers "$TMP"/state/runs/*

# 2. Interrupted while waiting: exit 130, nothing written.
start_waiting run copy "${RANGE[@]}" --wait-for-upstream 1h --poll 1
check_contains "interrupt: it waits, saying for how long at most" "copy: waiting for upstream: upstream 6/7, needs 7 (waited 0:00:0" "$WAITING"
check_contains "interrupt: of the whole duration" "of 1:00:00; next check in 1 s)" "$WAITING"
kill -INT "$BG"
finish_waiting
check "interrupt: exit 130" 130 "$BG_RC"
check_contains "interrupt: said" "interrupted while waiting for upstream" "$(cat "$TMP/bg.out")"
check "interrupt: nothing written" "$before" "$(dump)"
check "interrupt: event log" "waiting wait_interrupted" "$(jq -r .event "$TMP"/state/runs/copy-*.jsonl | tr '\n' ' ' | sed 's/ $//')"
rm -f "$TMP"/hook/*.json "$TMP"/hook/*.headers "$TMP"/state/runs/* "$TMP/bg.err"

# 3. A writer completes the feed while it waits: it runs, exit 0.
start_waiting run copy "${RANGE[@]}" --wait-for-upstream 2m --poll 1
check_contains "feed late: it waits" "waiting for upstream: upstream 6/7, needs 7" "$WAITING"
check "feed late: nothing written while waiting" "$before" "$(dump)"
sql "INSERT INTO upstream VALUES ('2024-01-09', 1), ('2024-01-09', 2)" # the late feed lands
finish_waiting
check "feed late: exit 0" 0 "$BG_RC"
check_contains "feed late: says it is ready" "upstream ready after waiting" "$(cat "$TMP/bg.out")"
check_contains "feed late: pre-flight judged again and passed" "ok   upstream 7/7 (100.0%)" "$(cat "$TMP/bg.out")"
check "feed late: every date written" "14" "$(sql "SELECT count(*) FROM copy")"
check "feed late: one event log: waiting, ready, then the run" "waiting upstream_ready run_started" \
    "$(jq -r .event "$TMP"/state/runs/copy-*.jsonl | grep -E '^(waiting|upstream_ready|run_started|wait_)' | tr '\n' ' ' | sed 's/ $//')"
check "feed late: waiting posted once, then complete" "waiting complete" \
    "$(for f in $(ls "$TMP"/hook/*.json | sort -V); do jq -r .event "$f"; done | tr '\n' ' ' | sed 's/ $//')"

# 4. The pipeline waits too (its processors as run does).
sql "DELETE FROM copy; DELETE FROM upstream WHERE game_date = '2024-01-10'"
rm -f "$TMP"/state/copy.json
start_waiting pipeline "${RANGE[@]}" --targets copy --wait-for-upstream 2m --poll 1
check_contains "pipeline: it waits" "copy: waiting for upstream: upstream 6/7, needs 7" "$WAITING"
sql "INSERT INTO upstream VALUES ('2024-01-10', 1), ('2024-01-10', 2)"
finish_waiting
check "pipeline: exit 0 once the feed landed" 0 "$BG_RC"
check "pipeline: every date written" "14" "$(sql "SELECT count(*) FROM copy")"

# Usage.
run_bf run copy "${RANGE[@]}" --wait-for-upstream 10x
check "bad duration: one line, exit 2" "2 backfill: --wait-for-upstream: '10x' is not a duration of 1 s to 7 days (90, 90s, 15m, 2h)" "$RC $ERR"
run_bf run copy "${RANGE[@]}" --poll 5
check "--poll alone: exit 2" "2 backfill run: --poll goes with --wait-for-upstream" "$RC $ERR"
run_bf verify copy "${RANGE[@]}" --wait-for-upstream 15m
check "verify does not wait: exit 2" 2 "$RC"
