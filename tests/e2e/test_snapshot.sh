#!/usr/bin/env bash
# One snapshot per date on SQLite: process_date, validate_date and the
# checks read the upstream tables as they were at the date's first read. A
# row another process commits upstream while the date is in flight is not
# seen by its validation, so expected and actual come from the same data
# and the date is published on its first attempt with the rows it copied.
. "$(dirname "$0")/lib.sh"
plan 4
write_config <<CONF
processors = { copy = { handshake_after = "2024-01-05"; handshake_dir = "$TMP"; }; };
CONF
seed_calendar 2024-01-01 8
mkfifo "$TMP/ready" "$TMP/go"
start_paused_run run copy --dates 2024-01-05
# Rows copied, not yet validated: another process adds an upstream row.
sqlite3 "$DB" "INSERT INTO upstream VALUES ('2024-01-05', 9)"
# Were the date tried again it must not wait: regular files from now on.
rm "$TMP/ready" && : >"$TMP/ready" && : >"$TMP/go-2024-01-05"
release
wait_bg
check "exit 0" 0 "$BG_RC"
check "complete on the first attempt, 2 rows expected and 2 staged" "complete 1 2 2" \
    "$(jq -r '.dates["2024-01-05"] | "\(.status) \(.attempts) \(.expected) \(.actual)"' "$TMP/state/copy.json")"
check "the 2 copied rows are published" 2 "$(sql "SELECT count(*) FROM copy WHERE game_date = '2024-01-05'")"
check "the upstream row committed meanwhile is there" 3 \
    "$(sql "SELECT count(*) FROM upstream WHERE game_date = '2024-01-05'")"
