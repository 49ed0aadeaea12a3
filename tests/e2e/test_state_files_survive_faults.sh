#!/usr/bin/env bash
# State files under faults and attack: the final checkpoint and the event
# log checked like every other write, temp files that never follow a link
# and never outlive their run, lock files that name their holder even when
# runs race, and a lock in the store that a second state_dir cannot bypass.
# Faults come from tests/faults/shim.so (LD_PRELOAD), races from FIFOs.
. "$(dirname "$0")/lib.sh"
# A sanitizer build cannot take the fault shim: its checks are skipped,
# each group reported as one skipped check.
if shim_unusable; then plan 30; else plan 38; fi
SHIM="$ROOT/tests/faults/shim.so"
RANGE=(--start-date 2024-01-01 --end-date 2024-01-12)
write_config <<CONF
processors = { copy = { handshake_date = ""; handshake_dir = "$TMP"; }; };
CONF
sed -i 's/retry_backoff_ms = 0;/retry_backoff_ms = 0; checkpoint_interval_ms = 0;/' "$TMP/backfill.conf"
seed_calendar 2024-01-01 12
mkfifo "$TMP/ready" "$TMP/go"

# await FIFO PID : read FIFO's line, written by PID. A PID that dies before
# writing fails the script instead of hanging it.
await() {
    if ! timeout 300 sh -c 'read -r _ <"$1"' _ "$1"; then
        not_ok "handshake on $1" "process $2 never got there: $(cat "$TMP"/*.err | tail -n 3)"
        kill "$2" 2>/dev/null
        exit 1
    fi
}

# A first run over two dates: the checkpoint every later failure must keep.
run_bf run copy --dates 2024-01-04,2024-01-05
check "setup run exits 0" 0 "$RC"
cp "$TMP/state/copy.json" "$TMP/saved.json"
cp "$DB" "$TMP/saved.db"
restore() { cp "$TMP/saved.json" "$TMP/state/copy.json"; cp "$TMP/saved.db" "$DB"; rm -f "$DB-wal" "$DB-shm"; }

# calls FAMILY : how many calls of FAMILY a clean run of RANGE makes.
calls() {
    restore
    BF_FAULT_COUNT="$TMP/counts" LD_PRELOAD="$SHIM" "$BF" --no-progress run copy "${RANGE[@]}" \
        >/dev/null 2>&1
    awk -v f="$1" '$1 == f {print $2}' "$TMP/counts"
}

# Tools that preload their own allocator cannot take the shim.
if shim_unusable; then
    for t in "final save fails" "event log full"; do ok "$t # skip: sanitizer build"; done
else
    # The last rename of a run is its final checkpoint save.
    n=$(calls rename)
    restore
    BF_FAULT="rename:$n" LD_PRELOAD="$SHIM" run_bf --no-progress run copy "${RANGE[@]}"
    check "final save fails: exit 5, not 0" 5 "$RC"
    check_contains "final save fails: names the file" "saving checkpoint: $TMP/state/copy.json: could not be saved (rename of $TMP/state/copy.json.tmp." "$ERR"
    check "final save fails: the previous save is intact" 9 \
        "$(jq -r '[.dates[] | select(.status == "complete")] | length' "$TMP/state/copy.json")"
    check "final save fails: no temp file left" "" "$(cd "$TMP/state" && ls -- *.tmp.* 2>/dev/null)"
    check "final save fails: the dates themselves were published" 18 "$(sql "SELECT count(*) FROM copy")"
    check "final save fails: recorded in the event log" 5 \
        "$(tail -n 1 "$(ls -t "$TMP"/state/runs/*.jsonl | head -1)" | jq -r .exit_code)"
    # The last write of a run is the event log's run_finished line.
    n=$(calls write)
    restore
    rm -rf "$TMP/state/runs"
    BF_FAULT="write:$n" LD_PRELOAD="$SHIM" run_bf --no-progress run copy "${RANGE[@]}"
    check "event log full: exit 5, not 0" 5 "$RC"
    check_contains "event log full: says which events were lost" "the last run_finished, were not written: No space left on device" "$ERR"
fi

# Temp files: a killed run's are removed on start, a live one's are not.
restore
sh -c 'exit 0' &
dead=$!
wait "$dead"
: >"$TMP/state/copy.json.tmp.$dead"
: >"$TMP/state/copy.json.tmp.$$"
run_bf run copy "${RANGE[@]}"
check "stale temp: the run succeeds" 0 "$RC"
check "stale temp: a dead run's temp file is removed" no "$([ -e "$TMP/state/copy.json.tmp.$dead" ] && echo yes || echo no)"
check "stale temp: a live process's temp file is kept" yes "$([ -e "$TMP/state/copy.json.tmp.$$" ] && echo yes || echo no)"
rm -f "$TMP/state/copy.json.tmp.$$"

# A link planted where the next temp file will be: never written through.
restore
echo precious >"$TMP/target"
(
    ln -s "$TMP/target" "$TMP/state/copy.json.tmp.$BASHPID"
    exec "$BF" run copy "${RANGE[@]}" >/dev/null 2>&1
)
check "temp link: the run succeeds" 0 "$?"
check "temp link: its target is untouched" precious "$(cat "$TMP/target")"
check "temp link: the checkpoint is a regular file again" "regular file" "$(stat -c %F "$TMP/state/copy.json")"

# The re-run list (over 40 dates) is replaced whole, never through a link.
restore
for i in $(seq 0 40); do date -d "2023-01-01 + $i days" +%F; done |
    jq -R '{(.): {status: "failed"}}' | jq -s 'add' >"$TMP/failed.json"
jq --slurpfile f "$TMP/failed.json" '.dates += $f[0]' "$TMP/saved.json" >"$TMP/state/copy.json"
ln -s "$TMP/target" "$TMP/state/copy.rerun"
run_bf status copy
check_contains "rerun link: the list is written" "re-run exactly these 41 dates" "$OUT"
check "rerun link: its target is untouched" precious "$(cat "$TMP/target")"
check "rerun link: the list replaced the link" "42 regular file" \
    "$(wc -l <"$TMP/state/copy.rerun") $(stat -c %F "$TMP/state/copy.rerun")"

# Lock and checkpoint paths that are not regular files are refused at once.
restore
mv "$TMP/state/copy.lock" "$TMP/state/copy.lock.away"
ln -s "$TMP/target" "$TMP/state/copy.lock"
run_bf run copy "${RANGE[@]}"
check "lock link: exit 2" 2 "$RC"
check "lock link: one line" "backfill: $TMP/state/copy.lock: is a symbolic link, not a regular file" "$ERR"
check "lock link: its target is untouched" precious "$(cat "$TMP/target")"
rm "$TMP/state/copy.lock"
mv "$TMP/state/copy.json" "$TMP/state/copy.json.away"
mkfifo "$TMP/state/copy.json"
RUN_TIMEOUT=(timeout 20)
"${RUN_TIMEOUT[@]}" "$BF" status copy >"$TMP/out" 2>"$TMP/err"
check "checkpoint FIFO: status exits 2, no hang" 2 "$?"
check "checkpoint FIFO: one line" "backfill: $TMP/state/copy.json: is a FIFO, not a regular file" "$(cat "$TMP/err")"
"${RUN_TIMEOUT[@]}" "$BF" run copy "${RANGE[@]}" >"$TMP/out" 2>"$TMP/err"
check "checkpoint FIFO: run exits 2, no hang" 2 "$?"
rm "$TMP/state/copy.json"
ln -s "$TMP/state/copy.json.away" "$TMP/state/copy.json"
run_bf status copy
check "checkpoint link: refused" "2 backfill: $TMP/state/copy.json: is a symbolic link, not a regular file" "$RC $ERR"
rm "$TMP/state/copy.json"
mv "$TMP/state/copy.json.away" "$TMP/state/copy.json"

# Racing runs: the first is paused between taking the lock and writing its
# name (the shim's flock pause); the second must still name it.
if shim_unusable; then
    ok "race: the loser names the holder # skip: sanitizer build"
else
    restore
    : >"$TMP/state/copy.lock" # empty, as a crashed holder's could be
    mkfifo "$TMP/note"
    BF_FLOCK_PAUSE="$TMP" LD_PRELOAD="$SHIM" "$BF" run copy "${RANGE[@]}" >"$TMP/a.out" 2>"$TMP/a.err" &
    A=$!
    await "$TMP/ready" "$A" # A holds the lock, its name not yet written
    BF_FLOCK_NOTE="$TMP/note" LD_PRELOAD="$SHIM" "$BF" run copy "${RANGE[@]}" >"$TMP/b.out" 2>"$TMP/b.err" &
    B=$!
    await "$TMP/note" "$B" # B is at its first flock
    : >"$TMP/go"
    wait "$B"
    B_RC=$?
    wait "$A"
    check "race: the holder finishes" 0 "$?"
    check "race: the loser exits 4" 4 "$B_RC"
    check_contains "race: the loser names the holder" "holds $TMP/state/copy.lock: pid $A on $(hostname) since 20" "$(cat "$TMP/b.err")"
fi

# The store lock: a run from another state_dir, or one whose lock file was
# deleted, is refused while the first run holds the store.
restore
sed "s|state_dir = \"state\"|state_dir = \"other-state\"|" "$TMP/backfill.conf" >"$TMP/other.conf"
sed -i 's/handshake_date = ""/handshake_date = "2024-01-06"/' "$TMP/backfill.conf"
"$BF" run copy "${RANGE[@]}" >"$TMP/a.out" 2>"$TMP/a.err" &
A=$!
await "$TMP/ready" "$A" # A is inside 2024-01-06
store_files() { (cd "$TMP" && find . -maxdepth 1 -name 'store.db*' -type f | sort | xargs sha256sum); }
before=$(store_files)
run_bounded -c "$TMP/other.conf" run copy "${RANGE[@]}"
check "second state_dir: exit 4" 4 "$RC"
check_contains "second state_dir: names the holder" "another run of copy on store $DB holds $DB.copy.lock: pid $A on $(hostname) since 20" "$ERR"
check "second state_dir: the store directory is byte-identical" "$before" "$(store_files)"
rm "$TMP/state/copy.lock"
run_bounded run copy "${RANGE[@]}"
check "deleted lock file: still exit 4" 4 "$RC"
check_contains "deleted lock file: the store names the holder" "holds $DB.copy.lock: pid $A" "$ERR"
: >"$TMP/go"
wait "$A"
check "store lock: the holder finishes" 0 "$?"
sed -i 's/handshake_date = "2024-01-06"/handshake_date = ""/' "$TMP/backfill.conf"
run_bf -c "$TMP/other.conf" run copy "${RANGE[@]}"
check "store lock: released when the holder exits" 0 "$RC"

# Pre-flight refuses: the store lock is never taken, so no lock file
# appears beside the store. (SQLite itself adds its empty -wal and -shm
# files when any reader opens a WAL database.)
rm -f "$DB.copy.lock"
sql "DELETE FROM upstream WHERE game_date > '2024-01-06'"
before=$(sha256sum "$DB")
run_bf run copy "${RANGE[@]}"
check "refused run: exit 3" 3 "$RC"
check "refused run: no lock file beside the store" "" "$(cd "$TMP" && ls -- *.lock 2>/dev/null)"
check "refused run: the store is byte-identical" "$before" "$(sha256sum "$DB")"
