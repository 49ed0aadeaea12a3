#!/usr/bin/env bash
# backfill watch: the config's expectations judged now (exit 0 met, 1 not,
# 2 a bad expectation), and one POST to the webhook per change: when an
# expectation stops being met, and once when it recovers.
. "$(dirname "$0")/lib.sh"
plan 24
seed_calendar 2024-01-01 10 # 2024-01-04..10 expected (3 bootstrap days)
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
mkdir "$TMP/hook" && mkfifo "$TMP/hook/ready" "$TMP/hook/release"
python3 "$ROOT/tests/e2e/webhook.py" "$TMP/hook" ok &
SERVER_PID=$!
read -r PORT <"$TMP/hook/ready"
write_config <<CONF
notify = { webhook_url = "http://127.0.0.1:$PORT/hook"; timeout_ms = 3000; };
groups = { both = [ "copy", "follow" ]; };
expect = { copy = { min_coverage = 0.95; complete_through = "yesterday"; range = "season"; }; };
CONF
export BACKFILL_TODAY=2024-01-11
posts() { find "$TMP/hook" -name '*.json' | wc -l; }

run_bf watch
check "nothing built: not met, exit 1" 1 "$RC"
check "the row: range to yesterday, coverage, freshness" \
    "copy copy 2024-01-01..2024-01-10 0.0% >= 95% (none) >= 2024-01-10 NOT MET (7 missing)" \
    "$(grep '^copy ' <<<"$OUT" | tr -s ' ')"
check "the failure posted once" 1 "$(posts)"
check "the post: event watch, what changed" "watch copy copy not met 1" \
    "$(jq -r '"\(.event) \(.changes[0].expect) \(.changes[0].table) \(.changes[0].now) \(.exit_code)"' "$TMP/hook/1.json")"
run_bf watch
check "still not met: exit 1" 1 "$RC"
check "no change: no new post" 1 "$(posts)"

run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
run_bf watch
check "after the backfill: met, exit 0" 0 "$RC"
check "the row: complete through yesterday" "copy copy 2024-01-01..2024-01-10 100.0% >= 95% 2024-01-10 >= 2024-01-10 ok" \
    "$(grep '^copy ' <<<"$OUT" | tr -s ' ')"
check "the recovery posted once" 2 "$(posts)"
check "the recovery post" "copy recovered 0" "$(jq -r '"\(.changes[0].table) \(.changes[0].now) \(.exit_code)"' "$TMP/hook/2.json")"
run_bf watch
check "met again: no post" 2 "$(posts)"

# A date lost: coverage and freshness both drop.
sql "DELETE FROM copy WHERE game_date = '2024-01-09'"
run_bf watch --json
check "a lost date: exit 1" 1 "$RC"
check "json: coverage 6 of 7, complete through the day before the loss" "6 7 2024-01-08 false false" \
    "$(jq -r '.expectations[0] | "\(.good) \(.expected) \(.complete_through) \(.coverage_ok) \(.fresh_ok)"' <<<"$OUT")"
check "the loss posted" 3 "$(posts)"
# Freshness only up to a date before the loss: met.
sed -i 's/complete_through = "yesterday"; range = "season"/min_coverage = 0.8; complete_through = "2024-01-08"; range = "today-10..yesterday"/; s/min_coverage = 0.95; min_coverage/min_coverage/' "$TMP/backfill.conf"
run_bf watch
check "complete through 2024-01-08, 80%: met" 0 "$RC"
check "the range never goes past complete_through" "copy copy 2024-01-01..2024-01-08" "$(grep '^copy ' <<<"$OUT" | tr -s ' ' | cut -d' ' -f1-3)"
check "recovered: posted" 4 "$(posts)"

# A group: one row per member table.
sed -i 's/^expect = { copy = /expect = { both = /' "$TMP/backfill.conf"
run_bf watch
check "a group: one row per table" "both copy|both follow" "$(grep '^both ' <<<"$OUT" | tr -s ' ' | cut -d' ' -f1-2 | paste -sd'|')"
check "a group with a table never built: exit 1" 1 "$RC"

# notify.on without "watch": nothing posted.
n=$(posts)
sed -i 's|timeout_ms = 3000; };|timeout_ms = 3000; on = [ "failure" ]; };|' "$TMP/backfill.conf"
rm -f "$TMP/state/watch.json"
run_bf watch
check "notify.on leaving watch out: no post" "$n" "$(posts)"

# Bad expectations: one line, exit 2.
sed -i 's/^expect = { both = /expect = { nosuch = /' "$TMP/backfill.conf"
run_bf watch
check "unknown key" "2 backfill: $TMP/backfill.conf:11: expect.nosuch: no processor, output table or group of that name" "$RC $ERR"
sed -i 's/^expect = { nosuch = { /expect = { copy = { colour = 1; /' "$TMP/backfill.conf"
run_bf watch
check "unknown key inside" "2 backfill: $TMP/backfill.conf:11: colour: unknown key in expect.copy" "$RC $ERR"
sed -i 's/colour = 1; //; s/range = "today-10..yesterday"/range = "weekly"/' "$TMP/backfill.conf"
run_bf watch
check "bad range" "2 backfill: $TMP/backfill.conf:11: expect.copy.range: 'weekly': expected \"season\" or \"A..B\"" "$RC $ERR"
sed -i '/^expect = /d' "$TMP/backfill.conf"
run_bf watch
check "no expectations: exit 2" 2 "$RC"
