#!/usr/bin/env bash
# Bad input is one line naming what is wrong and where, exit 2, never a
# crash, a hang or a silently wrong run: FIFOs where files are read,
# integers libconfig would wrap, calendars without dates, NUL bytes in a
# dates file, checkpoint records without a status.
. "$(dirname "$0")/lib.sh"
plan 26
write_config
seed_calendar 2024-01-01 8
T=(timeout 20) # a FIFO that is opened blocks forever: fail, do not hang

# Non-regular files wherever a path is read.
mkfifo "$TMP/fifo"
"${T[@]}" "$BF" -c "$TMP/fifo" list >"$TMP/out" 2>"$TMP/err"
check "config FIFO: exit 2" 2 "$?"
check "config FIFO: one line" "backfill: $TMP/fifo: cannot read config: is a FIFO, not a regular file" "$(cat "$TMP/err")"
"${T[@]}" "$BF" run copy --dates-file "$TMP/fifo" >"$TMP/out" 2>"$TMP/err"
check "dates-file FIFO: exit 2" 2 "$?"
check_contains "dates-file FIFO: one line" "--dates-file $TMP/fifo: is a FIFO, not a regular file" "$(cat "$TMP/err")"
run_bf run copy --dates-file - <<<"2024-01-05"
check "dates-file - still reads stdin" 0 "$RC"
"${T[@]}" "$BF" run copy --dates-file /dev/zero >"$TMP/out" 2>"$TMP/err"
check "dates-file device: refused" "2 backfill: --dates-file /dev/zero: is a character device, not a regular file (pipe it to --dates-file - instead)" "$? $(cat "$TMP/err")"
cp "$TMP/backfill.conf" "$TMP/good.conf"
sed -i "s|path = \"store.db\"|path = \"fifo\"|" "$TMP/backfill.conf"
"${T[@]}" "$BF" run copy --dates 2024-01-05 >"$TMP/out" 2>"$TMP/err"
check "store.path FIFO: exit 2" 2 "$?"
check "store.path FIFO: one line" "backfill: cannot open store $TMP/fifo: is a FIFO, not a regular file" "$(cat "$TMP/err")"
cp "$TMP/good.conf" "$TMP/backfill.conf"

# Integers: libconfig 1.5 keeps the low 32 bits of 4294967298 (= 2).
sed -i 's/workers = 1;/workers = 4294967298;/' "$TMP/backfill.conf"
run_bf run copy --dates 2024-01-05
check "huge workers: exit 2, not 2 workers" 2 "$RC"
check "huge workers: file:line and the value" "backfill: $TMP/backfill.conf:8: 4294967298 does not fit in 32 bits (write 4294967298L for a 64-bit integer)" "$ERR"
sed -i 's/workers = 4294967298;/workers = 4294967298L;/' "$TMP/backfill.conf"
run_bf run copy --dates 2024-01-05
check "huge 64-bit workers: range-checked" "2 backfill: $TMP/backfill.conf:8: run.workers: 4294967298 is out of range 1-256" "$RC $ERR"
sed -i 's/workers = 4294967298L;/workers = -2147483649;/' "$TMP/backfill.conf"
run_bf run copy --dates 2024-01-05
check "huge negative: refused" 2 "$RC"
cp "$TMP/good.conf" "$TMP/backfill.conf"
printf 'processors = { copy = { fail_dates = "x"; n = 99999999999999999999; }; };\n' >>"$TMP/backfill.conf"
run_bf run copy --dates 2024-01-05
check "beyond 64 bits: refused" "2 backfill: $TMP/backfill.conf:9: 99999999999999999999 is out of range" "$RC $ERR"
cp "$TMP/good.conf" "$TMP/backfill.conf"
cat >>"$TMP/backfill.conf" <<'CONF'
# 99999999999 in a comment, /* 99999999999 */ and a string are not numbers
processors = { copy = { fail_dates = "99999999999"; }; }; /* 99999999999 */
CONF
run_bf run copy --dates 2024-01-05
check "digits in comments and strings are not integers" 0 "$RC"
cp "$TMP/good.conf" "$TMP/backfill.conf"

# Calendars: garbage is an error, an empty range is not.
before=$(dump)
sql "UPDATE schedule SET game_date = replace(game_date, '-', '')"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-08
check "calendar of 20240101s: exit 2, not 0 dates and exit 0" 2 "$RC"
check "calendar of 20240101s: names table, column and a value" "backfill: $TMP/backfill.conf: calendar schedule.game_date holds '20240101', not a YYYY-MM-DD date (point calendar.table at a view without such rows)" "$ERR"
sql "UPDATE schedule SET game_date = date(substr(game_date, 1, 4) || '-' || substr(game_date, 5, 2) || '-' || substr(game_date, 7, 2))"
sql "INSERT INTO schedule VALUES ('late', '2024-01-08 19:30')"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-07
check "a timestamp outside the range is found too" "2 backfill: $TMP/backfill.conf: calendar schedule.game_date holds '2024-01-08 19:30', not a YYYY-MM-DD date (point calendar.table at a view without such rows)" "$RC $ERR"
sql "DELETE FROM schedule WHERE game_id = 'late'"
check "the store is untouched by refused runs" "$before" "$(dump)"
run_bf run copy --start-date 2025-01-01 --end-date 2025-01-31
check "a calendar with no dates in the range: exit 2" 2 "$RC"
check "a calendar with no dates in the range: one line" "backfill: no date of calendar schedule.game_date in 2025-01-01..2025-01-31: nothing to do" "$ERR"

# A NUL byte would end the line and hide what follows it.
printf '2024-01-05\n2024-01-06\0garbage\n' >"$TMP/dates"
run_bf run copy --dates-file "$TMP/dates"
check "NUL in dates file: refused with the line" "2 backfill: $TMP/dates:2: holds a NUL byte: not a text file of dates" "$RC $ERR"

# A checkpoint date record whose status is not a status.
run_bf run copy --dates 2024-01-05
jq '.dates["2024-01-05"].status = 5' "$TMP/state/copy.json" >"$TMP/cp" && cp "$TMP/cp" "$TMP/state/copy.json"
run_bf status copy
check "status without a string status: exit 2, no crash" 2 "$RC"
check "status without a string status: names the date" "backfill: $TMP/state/copy.json:1: corrupt checkpoint: date \"2024-01-05\" has no valid \"status\" (move it aside and run with --no-resume)" "$ERR"
jq 'del(.dates["2024-01-05"].status)' "$TMP/cp" >"$TMP/state/copy.json"
run_bf run copy --dates 2024-01-05
check "run refuses it too" 2 "$RC"

# libcurl is opened only when a command needs HTTP. One that cannot be
# loaded (here a shared object without libcurl's symbols, found first on
# LD_LIBRARY_PATH) is one line before anything runs, naming the symbol.
check "libcurl is not linked in" 0 "$(ldd "$BF" | grep -c libcurl)"
mkdir "$TMP/nocurl"
cp "$ROOT/tests/plugins/copy.so" "$TMP/nocurl/libcurl.so.4"
sed -i 's|store = .*|store = { driver = "clickhouse"; url = "http://127.0.0.1:1"; database = "db"; };|' "$TMP/backfill.conf"
LD_LIBRARY_PATH="$TMP/nocurl" run_bf status copy
check "clickhouse store without a loadable libcurl: exit 2, named" \
    "2 backfill: libcurl.so.4: no symbol curl_global_init" "$RC $ERR"
