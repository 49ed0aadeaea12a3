#!/usr/bin/env bash
# A hostile plugin's text (tests/plugins/hostile.c: escape sequences that
# retitle the window, clear the screen and move over the progress line, a
# C1 control, bytes that are not UTF-8, 4 KB of them) reaches no surface
# raw: not the terminal (stderr, stdout, with the progress line on), not
# the checkpoint, the event log or the webhook's JSON, not the HTML
# report, not list -v. Each shows it escaped, valid UTF-8 and bounded.
. "$(dirname "$0")/lib.sh"
plan 16
mkdir -p "$TMP/plugins"
cp "$ROOT/tests/plugins/hostile.so" "$TMP/plugins/"
seed_calendar 2024-01-01 8
SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"' EXIT
mkdir "$TMP/hook" && mkfifo "$TMP/hook/ready" "$TMP/hook/release"
python3 "$ROOT/tests/e2e/webhook.py" "$TMP/hook" ok &
SERVER_PID=$!
read -r PORT <"$TMP/hook/ready"
write_config "$TMP/plugins" <<CONF
notify = { webhook_url = "http://127.0.0.1:$PORT/hook"; on = [ "failure" ]; timeout_ms = 3000; };
CONF

# clean FILE : "clean" if FILE holds no control byte but newlines and is
# valid UTF-8; else what is wrong.
clean() {
    if LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; then
        echo "control bytes: $(LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1" | head -c 200 | od -c | head -3)"
    elif ! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; then
        echo "not UTF-8"
    else
        echo clean
    fi
}

run_bf run hostile --dates 2024-01-05
check "the hostile date fails: exit 1" 1 "$RC"
printf '%s\n' "$ERR" >"$TMP/stderr"
printf '%s\n' "$OUT" >"$TMP/stdout"
check "terminal: stderr clean" clean "$(clean "$TMP/stderr")"
check "terminal: stdout clean" clean "$(clean "$TMP/stdout")"
check_contains "terminal: the log line shown escaped" \
    'log \x1b]0;pwned\x07\x1b[2J\x1b[1A\r\u009b31m' "$ERR"
check "terminal: no line longer than 2 KB" 0 "$(awk 'length($0) > 2048' "$TMP/stderr" "$TMP/stdout" | wc -l)"

jq -r '.dates["2024-01-05"].error' "$TMP/state/hostile.json" >"$TMP/cp.error"
check "checkpoint: the error clean" clean "$(clean "$TMP/cp.error")"
check_contains "checkpoint: the error escaped" 'error \x1b]0;pwned\x07' "$(cat "$TMP/cp.error")"
check "checkpoint: the error bounded (4 KB cut to at most 512 bytes)" 1 \
    "$(( $(wc -c <"$TMP/cp.error") <= 512 ))"
cat "$TMP"/state/runs/hostile-*.jsonl | jq -r '.. | strings' >"$TMP/events.strings"
check "event log: every string clean" clean "$(clean "$TMP/events.strings")"
check "event log: the failure carries the escaped error" 1 \
    "$(cat "$TMP"/state/runs/hostile-*.jsonl | jq -r 'select(.event == "date_failed") | .error' | grep -c 'error \\x1b\]0;pwned')"
check "webhook: posted" 1 "$(ls "$TMP/hook" | grep -c '\.json$')"
jq -r '.. | strings' "$TMP/hook/1.json" >"$TMP/hook.strings"
check "webhook: every string clean" clean "$(clean "$TMP/hook.strings")"

run_bf gaps --dates 2024-01-05 --targets hostile --html "$TMP/gaps.html"
check "HTML: written" 1 "$RC"
check "HTML: clean" clean "$(clean "$TMP/gaps.html")"
run_bf status hostile
printf '%s\n%s\n' "$OUT" "$ERR" >"$TMP/status"
check "status: clean" clean "$(clean "$TMP/status")"
run_bf list -v hostile
printf '%s\n%s\n' "$OUT" "$ERR" >"$TMP/list"
check_contains "list -v: the description escaped" 'hostile \x1b]0;pwned\x07' "$OUT"
