#!/usr/bin/env bash
# Files the config names for a secret or a header value (notify.token_file,
# an "@file:" header, the ClickHouse password_file) are regular files: a
# FIFO, which would block for ever, and a directory, which would read as an
# empty secret, are refused before anything runs with one line naming the
# key and the kind of file (exit 2). A token file that turns into a FIFO
# while the run is under way is refused when the webhook is sent: the run
# ends, its result stands. Every command is bounded by timeout: a
# regression fails here instead of hanging.
. "$(dirname "$0")/lib.sh"
plan 15
seed_calendar 2024-01-01 8
mkfifo "$TMP/fifo" "$TMP/ready" "$TMP/go"
mkdir "$TMP/dir"
printf 'sekret\n' >"$TMP/token"
BOUND=(timeout -k 5 60)

# notify CONFIG-LINES : the config with a notify section.
notify() {
    write_config <<CONF
processors = { copy = { handshake_date = "2024-01-05"; handshake_dir = "$TMP"; }; };
notify = { webhook_url = "http://127.0.0.1:1/"; on = [ "complete" ]; timeout_ms = 1000; $1 };
CONF
}
before=$(dump)
notify "token_file = \"$TMP/fifo\";"
run_bf run copy --dates 2024-01-04
check "notify.token_file a FIFO: refused, one line with the key and the kind" \
    "2 backfill: $TMP/backfill.conf:10: notify.token_file: $TMP/fifo: is a FIFO, not a regular file" "$RC $ERR"
notify "token_file = \"$TMP/dir\";"
run_bf run copy --dates 2024-01-04
check "notify.token_file a directory: refused" \
    "2 backfill: $TMP/backfill.conf:10: notify.token_file: $TMP/dir: is a directory, not a regular file" "$RC $ERR"
notify "headers = [ \"X-Token: @file:$TMP/fifo\" ];"
run_bf run copy --dates 2024-01-04
check "an @file: header a FIFO: refused" \
    "2 backfill: $TMP/backfill.conf:10: notify.headers: $TMP/fifo: is a FIFO, not a regular file" "$RC $ERR"
notify "headers = [ \"X-Token: @file:$TMP/dir\" ];"
run_bf run copy --dates 2024-01-04
check "an @file: header a directory: refused" \
    "2 backfill: $TMP/backfill.conf:10: notify.headers: $TMP/dir: is a directory, not a regular file" "$RC $ERR"
check "nothing was written by the refused runs" "$before" "$(dump)"
check "no checkpoint either" "" "$(ls "$TMP/state" 2>/dev/null)"

# A regular file at start that is a FIFO when the webhook is sent: the
# run's dates are saved, the webhook is not reached, the process exits.
notify "token_file = \"$TMP/token\";"
BOUND=()
"${WRAP[@]}" timeout -k 5 60 "$BF" --no-progress run copy --dates 2024-01-05 >"$TMP/bg.out" 2>"$TMP/bg.err" &
BG=$!
read -r _ <"$TMP/ready"
rm "$TMP/token" && mkfifo "$TMP/token"
release
wait_bg
check "token file turned FIFO: the run exits with its own result" 0 "$BG_RC"
check_contains "token file turned FIFO: one line, the webhook not reached" \
    "notify: webhook http://127.0.0.1:1 not reached ($TMP/token: is a FIFO, not a regular file; 0 attempts" \
    "$(cat "$TMP/bg.err")"
check "token file turned FIFO: the date is saved" complete "$(jq -r '.dates["2024-01-05"].status' "$TMP/state/copy.json")"
BOUND=(timeout -k 5 60)

# A token file larger than any token: refused at send, not read whole.
rm "$TMP/token" && head -c 70000 /dev/zero | tr '\0' a >"$TMP/token"
run_bf --no-progress run copy --dates 2024-01-06
check "an oversized token file: exit code unchanged" 0 "$RC"
check_contains "an oversized token file: named with its size" \
    "$TMP/token: is 70000 bytes, more than the 65536 a secret may hold" "$ERR"

# The ClickHouse password_file, read when the config is: no server needed
# to see it refused.
chconf() {
    cat >"$TMP/ch.conf" <<CONF
store = { driver = "clickhouse"; url = "http://127.0.0.1:1"; database = "db";
          password_file = "$1"; timeout_s = 2; };
plugin_dir = "$ROOT/tests/plugins";
state_dir = "state";
calendar = { table = "schedule"; date_column = "game_date"; };
CONF
}
chconf "$TMP/fifo"
run_bf -c "$TMP/ch.conf" run copy --dates 2024-01-04
check "password_file a FIFO: refused, key and kind named" \
    "2 backfill: $TMP/ch.conf:2: store.password_file: $TMP/fifo: is a FIFO, not a regular file" "$RC $ERR"
chconf "$TMP/dir"
run_bf -c "$TMP/ch.conf" run copy --dates 2024-01-04
check "password_file a directory: refused, not read as an empty password" \
    "2 backfill: $TMP/ch.conf:2: store.password_file: $TMP/dir: is a directory, not a regular file" "$RC $ERR"
chconf "$TMP/token"
run_bf -c "$TMP/ch.conf" run copy --dates 2024-01-04
check "password_file oversized: refused with its size" \
    "2 backfill: $TMP/ch.conf:2: store.password_file: $TMP/token: is 70000 bytes, more than the 65536 a secret may hold" "$RC $ERR"
chconf "$TMP/missing"
run_bf -c "$TMP/ch.conf" run copy --dates 2024-01-04
check "password_file missing: refused with the reason" \
    "2 backfill: $TMP/ch.conf:2: store.password_file: $TMP/missing: No such file or directory" "$RC $ERR"
