#!/usr/bin/env bash
# Workers keep every guarantee: write-audit-publish, stop-on-failure, the
# graded stop policy; and the event log and --json report what happened.
. "$(dirname "$0")/lib.sh"
plan 39
write_config <<'CONF'
processors = { copy = { fail_dates = ""; }; };
CONF
seed_calendar 2024-01-01 300   # 297 expected dates after 3 bootstrap days
sql "CREATE TABLE partial_save (game_date TEXT, v INTEGER); INSERT INTO partial_save SELECT game_date, 99 FROM schedule;"

# 8 workers, every first attempt short: each date ends complete, exactly once.
run_bf --json run partial_save --start-date 2024-01-01 --end-date 2024-10-26 --workers 8
check "8 workers: exit 0" 0 "$RC"
check "8 workers: 2 rows on each of 297 dates" "297 594 2 2" \
    "$(sql "SELECT count(*) || ' ' || sum(n) || ' ' || min(n) || ' ' || max(n) FROM (SELECT count(*) n FROM partial_save WHERE game_date >= '2024-01-04' GROUP BY game_date)")"
check "8 workers: no old row left, none duplicated" 0 "$(sql "SELECT count(*) FROM partial_save WHERE v = 99 AND game_date >= '2024-01-04'")"
check "8 workers: bootstrap dates untouched" 3 "$(sql "SELECT count(*) FROM partial_save WHERE v = 99")"
check "json: parsed, complete count" 297 "$(jq '.dates.complete' <<<"$OUT")"
check "json: skipped count" 3 "$(jq '.dates.skipped' <<<"$OUT")"
check "json: exit code" 0 "$(jq '.exit_code' <<<"$OUT")"
check "json: pre-flight figures" "upstream 297 297" "$(jq -r '.preflight[0] | "\(.table) \(.covered) \(.expected)"' <<<"$OUT")"
log=$(jq -r '.event_log' <<<"$OUT")
check "event log: one line per event, all JSON" "$(wc -l <"$log")" "$(jq -c . "$log" | wc -l)"
check "event log: 297 commits" 297 "$(jq -r 'select(.event == "date_committed") | .date' "$log" | sort -u | wc -l)"
check "event log: 297 rollbacks of first attempts" 297 "$(jq -r 'select(.event == "date_rolled_back" and .attempt == 1 and .actual == 1 and .expected == 2) | .date' "$log" | wc -l)"
check "event log: retries logged" 297 "$(jq -r 'select(.event == "date_retried") | .date' "$log" | wc -l)"
check "event log: starts and finishes" "run_started run_finished" "$(jq -r 'select(.event | startswith("run_")) | .event' "$log" | tr '\n' ' ' | sed 's/ $//')"
check "event log: run_finished exit code" 0 "$(jq -r 'select(.event == "run_finished") | .exit_code' "$log")"

run_bf --json status partial_save
check "status --json: complete" 297 "$(jq '.dates.complete' <<<"$OUT")"
check "status --json: rerun empty" 0 "$(jq '.rerun | length' <<<"$OUT")"
run_bf --json verify copy --start-date 2024-01-01 --end-date 2024-10-26
check "verify --json: ready" "true 0" "$(jq -r '"\(.ready) \(.exit_code)"' <<<"$OUT")"

# Stop on failure with 4 workers, made deterministic by handshakes: the
# failing date 03-01 and the next three pause until the test has seen all
# four in flight (so the other workers hold exactly 03-02 ... 03-04). 03-01
# is released alone and fails; its worker must then end ("exit 2024-03-01")
# instead of taking 03-05 ("ready 2024-03-05"). Only then are the three
# others released: they finish, and nothing else ever starts.
paused="2024-03-01,2024-03-02,2024-03-03,2024-03-04,2024-03-05,2024-03-06,2024-03-07"
sed -i "s|fail_dates = \"\"|fail_dates = \"2024-03-01\"; handshake_date = \"$paused\"; handshake_dir = \"$TMP\"|" \
    "$TMP/backfill.conf"
mkfifo "$TMP/ready" "$TMP/go-2024-03-01" "$TMP/go-2024-03-02" "$TMP/go-2024-03-03" "$TMP/go-2024-03-04"
exec 3<>"$TMP/ready" # read-write: the plugin's writes never wait for a reader
"${WRAP[@]}" "$BF" run copy --start-date 2024-01-01 --end-date 2024-10-26 --workers 4 --retries 0 \
    >"$TMP/bg.out" 2>"$TMP/bg.err" &
BG=$!
# A bound, not a synchronisation: a broken run must fail the test, not hang it.
next_line() { read -r -t 120 line <&3 || line="(nothing within 120 s)"; echo "$line"; }
in_flight=$(for _ in 1 2 3 4; do next_line; done | sort | tr '\n' ' ')
check "workers stop: 4 dates in flight at the failure" \
    "ready 2024-03-01 ready 2024-03-02 ready 2024-03-03 ready 2024-03-04 " "$in_flight"
: >"$TMP/go-2024-03-01"
after_failure=$(next_line)
check "workers stop: the failed date's worker takes nothing new" "exit 2024-03-01" "$after_failure"
if [ "$after_failure" = "exit 2024-03-01" ]; then
    for d in 02 03 04; do : >"$TMP/go-2024-03-$d"; done
    wait "$BG"
    BG_RC=$?
    others=$(for _ in 1 2 3; do next_line; done | cut -d' ' -f1 | tr '\n' ' ')
else
    kill -9 "$BG"
    wait "$BG"
    BG_RC=killed others=killed
fi
check "workers stop: exit 1" 1 "$BG_RC"
check "workers stop: the others ended too, starting nothing" "exit exit exit " "$others"
check "workers stop: nothing more from the plugin" "" "$(read -r -t 0 <&3 && echo more)"
exec 3<&-
check "workers stop: every date before the failure complete" 57 "$(sql "SELECT count(DISTINCT game_date) FROM copy WHERE game_date < '2024-03-01'")"
check "workers stop: exactly the 3 dates in flight ran after it" "2024-03-02 2024-03-03 2024-03-04" \
    "$(sql "SELECT group_concat(game_date, ' ') FROM (SELECT DISTINCT game_date FROM copy WHERE game_date > '2024-03-01' ORDER BY 1)")"
check "workers stop: pending dates reported" $((297 - 57 - 1 - 3)) "$(jq '[.dates[] | select(.status == "pending")] | length' "$TMP/state/copy.json")"
sed -i 's/; handshake_date = "[^"]*"; handshake_dir = "[^"]*"//' "$TMP/backfill.conf"

# --max-failures 3: stops at the third failed date (one worker: exact).
sql "DELETE FROM copy"
sed -i 's/fail_dates = "2024-03-01"/fail_dates = "2024-01-05,2024-01-07,2024-01-09,2024-01-11,2024-01-13"/' "$TMP/backfill.conf"
run_bf --json run copy --start-date 2024-01-01 --end-date 2024-01-31 --workers 1 --retries 0 --max-failures 3 --no-resume
check "max-failures: exit 1" 1 "$RC"
check "max-failures: 3 failed, 3 complete" "3 3" "$(jq -r '"\(.dates.failed) \(.dates.complete)"' <<<"$OUT")"
check "max-failures: names the limit" "the --max-failures limit was reached" "$(jq -r '.stopped_by' <<<"$OUT")"

# --max-failure-rate 10: 5 failures in the first 20 dates is 25 % > 10 %.
run_bf --json run copy --start-date 2024-01-01 --end-date 2024-02-29 --workers 1 --retries 0 --max-failure-rate 10 --no-resume
check "max-failure-rate: stops after 20 finished dates" "5 15" "$(jq -r '"\(.dates.failed) \(.dates.complete)"' <<<"$OUT")"
check "max-failure-rate: names the limit" "the --max-failure-rate limit was exceeded" "$(jq -r '.stopped_by' <<<"$OUT")"
run_bf --json run copy --start-date 2024-01-01 --end-date 2024-02-29 --workers 1 --retries 0 --max-failure-rate 30 --no-resume
check "max-failure-rate 30: runs to the end" "5 52 null" "$(jq -r '"\(.dates.failed) \(.dates.complete) \(.stopped_by)"' <<<"$OUT")"

# --keep-going has no limit; a non-thread-safe plugin runs on one worker.
run_bf run noop --start-date 2024-01-01 --end-date 2024-01-31 --workers 4
check "not thread-safe: exit 0" 0 "$RC"
check_contains "not thread-safe: one-line notice" "noop is not thread-safe: running on 1 worker instead of 4" "$ERR"

# Progress: plain lines off a terminal, none with --no-progress or -q.
run_bf run copy --start-date 2024-01-01 --end-date 2024-10-26 --workers 2 --no-resume --keep-going
check_contains "progress off a terminal: plain lines" "progress: " "$ERR"
check_contains "progress: final line" "297/297 dates (100%)" "$ERR"
run_bf --no-progress run copy --start-date 2024-01-01 --end-date 2024-10-26 --no-resume --keep-going
check "--no-progress: silent" 0 "$(grep -c '^progress: ' <<<"$ERR")"
run_bf -q run copy --start-date 2024-01-01 --end-date 2024-10-26 --no-resume --keep-going
check "-q: silent" 0 "$(grep -c '^progress: ' <<<"$ERR")"

# On a terminal (script(1), from Debian's essential bsdutils): one line
# redrawn in place with carriage returns, no plain lines.
script -qec "$BF run copy --start-date 2024-01-01 --end-date 2024-10-26 --no-resume --keep-going 2>&1 >/dev/null" /dev/null >"$TMP/tty.out"
check "progress on a terminal: redrawn in place" 1 "$(grep -q $'\r297/297 dates (100%)' "$TMP/tty.out" && echo 1)"
check "progress on a terminal: no plain lines" 0 "$(grep -c '^progress: ' "$TMP/tty.out")"
