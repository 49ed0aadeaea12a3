# Shared helpers for the end-to-end tests. Source it first:
#   . "$(dirname "$0")/lib.sh"
# Each check prints "ok - NAME" or "not ok - NAME: why" (see tests/run.sh).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BF="$ROOT/bin/backfill"
# make valgrind runs every command under BF_WRAPPER.
read -ra WRAP <<<"${BF_WRAPPER:-}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bf-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export BACKFILL_CONFIG="$TMP/backfill.conf"
unset BACKFILL_TEST_FAIL_DATES BACKFILL_TEST_CRASH_DATE

# plan N : declares how many checks this script makes, first thing after
# sourcing lib.sh; tests/run.sh fails a script that reports a different
# number (one that stopped early, or skipped checks).
plan() { echo "1..$1"; }

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1: $2"; }

# check NAME EXPECTED ACTUAL
check() {
    if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1" "expected [$2], got [$3]"; fi
}

# check_contains NAME NEEDLE HAYSTACK
check_contains() {
    if grep -qF -- "$2" <<<"$3"; then ok "$1"; else not_ok "$1" "no [$2] in [$3]"; fi
}

# run_bf ARGS... : runs bin/backfill, leaves stdout in $OUT, stderr in $ERR,
# exit code in $RC.
BOUND=()
run_bf() {
    "${BOUND[@]}" "${WRAP[@]}" "$BF" "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
    # Under make asan/tsan/valgrind a report is a failure of its own.
    local report='Sanitizer|runtime error:|^==[0-9]+== '
    if grep -qE "$report" "$TMP/err"; then
        not_ok "tool report from: backfill $*" "$(grep -m3 -E "$report" "$TMP/err")"
    fi
}

# run_bounded ARGS... : run_bf, killed after 120 s. For a run that a lock
# should refuse: let through, it would wait for ever on the FIFO of the run
# paused in the same date, and must fail instead.
run_bounded() {
    BOUND=(timeout -k 5 120)
    run_bf "$@"
    BOUND=()
}

sql() { sqlite3 -batch -noheader "$DB" "$@"; }

# A full logical dump of the store, stable across runs.
dump() { sqlite3 "$DB" .dump; }

# write_config [PLUGIN_DIR] : a config for a small store at $TMP/store.db.
# Extra lines on stdin are appended inside the file (e.g. processors = {...}).
DB="$TMP/store.db"
write_config() {
    local plugin_dir=${1:-$ROOT/tests/plugins}
    {
        cat <<CONF
store = { driver = "sqlite"; path = "store.db"; };
plugin_dir = "$plugin_dir";
state_dir = "state";
calendar = { table = "schedule"; date_column = "game_date"; };
seasons = ( { start = "2024-01-01"; end = "2024-12-31"; } );
bootstrap_days = 3;
preflight = { min_coverage = 0.95; };
run = { workers = 1; retries = 2; retry_backoff_ms = 0; };
CONF
        [ -t 0 ] || cat
    } >"$TMP/backfill.conf"
}

# seed_calendar FIRST N : N consecutive days starting at FIRST in schedule,
# and an upstream table "upstream" with 2 rows on each of them.
seed_calendar() {
    sqlite3 "$DB" "
      CREATE TABLE IF NOT EXISTS schedule (game_id TEXT, game_date TEXT);
      CREATE TABLE IF NOT EXISTS upstream (game_date TEXT, v INTEGER);
      WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < $2)
      INSERT INTO schedule SELECT 'g' || i, date('$1', '+' || i || ' days') FROM d;
      INSERT INTO upstream SELECT game_date, 1 FROM schedule;
      INSERT INTO upstream SELECT game_date, 2 FROM schedule;"
}

# demo_config : the demo's own conf/backfill.conf, pointed at $DB, the
# built processors and a state_dir in $TMP.
demo_config() {
    sed -e "s|path = \"../var/demo.db\"|path = \"$DB\"|" \
        -e "s|plugin_dir = \"../plugins\"|plugin_dir = \"$ROOT/plugins\"|" \
        -e "s|state_dir = \"../var/state\"|state_dir = \"$TMP/state\"|" \
        -e 's|retry_backoff_ms = 200|retry_backoff_ms = 0|' \
        "$ROOT/conf/backfill.conf" >"$TMP/backfill.conf"
}

# Background runs paused by the copy plugin's handshake (the test makes the
# FIFOs $TMP/ready and $TMP/go and names a handshake_date):
# start_paused_run ARGS... : bin/backfill ARGS in the background ($BG),
# under BF_WRAPPER like every other run (valgrind execs in place, so $BG is
# the run's pid), returned once it is paused on its date (or, failing the
# test's next checks, once it exited without pausing: never a hang);
# release lets it go on; wait_bg leaves its exit code in $BG_RC.
start_paused_run() {
    "${WRAP[@]}" "$BF" "$@" >"$TMP/bg.out" 2>"$TMP/bg.err" &
    BG=$!
    await_ready
}
# release : lets the paused $BG go on. A run that already exited (say, its
# plugin failed to load) opens no FIFO: nothing to release, and the test's
# checks, not a hang, report it.
release() { kill -0 "$BG" 2>/dev/null || return 0; : >"$TMP/go"; }
wait_bg() { wait "$BG"; BG_RC=$?; }

# await_ready : the handshake's "ready", or the end of $BG. The FIFO is held
# open for reading and writing, so opening it never blocks; the timeout only
# looks again whether the run is still there.
await_ready() {
    exec 4<>"$TMP/ready"
    until read -r -t 1 _ <&4; do
        kill -0 "$BG" 2>/dev/null || { echo "# $BG exited before it paused" >&2; break; }
    done
    exec 4<&-
}

# interrupt_paused SIGNAL ARGS... : bin/backfill ARGS in the background,
# paused on its date, sent SIGNAL; released only once it says it took the
# signal (a signal is delivered when its thread next runs: released at once,
# a loaded machine could start the next date first). Its stderr, which
# carries that word, comes through a FIFO; it ends in $TMP/bg.err, the exit
# code in $BG_RC.
interrupt_paused() {
    local sig=$1
    shift
    start_with_stderr_pipe "$@"
    kill -"$sig" "$BG"
    await_interrupt_taken
    release
    finish_stderr_pipe
}

# interrupt_twice ARGS... : bin/backfill ARGS in the background, sent
# SIGTERM once it is paused on its date and again once it says it took the
# first (two sent back to back may merge into one); its stderr in
# $TMP/bg.err, its exit code in $BG_RC.
interrupt_twice() {
    local -a WRAP=() # the second signal exits at once: no leak check to make
    start_with_stderr_pipe "$@"
    kill -TERM "$BG"
    await_interrupt_taken
    kill -TERM "$BG"
    finish_stderr_pipe
}

# start_with_stderr_pipe ARGS..., await_interrupt_taken, finish_stderr_pipe:
# the parts of the two above, for a test that does more while it is paused.
start_with_stderr_pipe() {
    mkfifo "$TMP/errpipe"
    "${WRAP[@]}" "$BF" "$@" >"$TMP/bg.out" 2>"$TMP/errpipe" &
    BG=$!
    exec 3<"$TMP/errpipe"
    await_ready
    : >"$TMP/bg.err"
}
await_interrupt_taken() {
    local line
    while IFS= read -r line <&3; do
        printf '%s\n' "$line" >>"$TMP/bg.err"
        [[ "$line" == *"interrupt: finishing"* ]] && break
    done
}
finish_stderr_pipe() {
    cat <&3 >>"$TMP/bg.err"
    exec 3<&-
    rm -f "$TMP/errpipe"
    wait_bg
}

# shim_unusable : true when bin/backfill is a sanitizer build, which cannot
# take the fault shim: ASan's runtime must come first, and under TSan (linked
# in statically) its interceptors make the counts of calls vary between runs.
shim_unusable() {
    ldd "$BF" | grep -qE 'lib[at]san' || nm "$BF" 2>/dev/null | grep -q ' __tsan_init$'
}

# browser ARGS... : headless Chromium with its profile in $TMP and its
# messages in $TMP/chromium.log.
browser() {
    chromium --headless --no-sandbox --disable-gpu --user-data-dir="$TMP/chromium" \
        --no-first-run --disable-extensions "$@" 2>>"$TMP/chromium.log"
}

# seed_every_state : copy, follow and always_fails over 2024-01-01..30, in
# every state (one check: always_fails failed). Copy complete to the 20th,
# then missing; one date made partial by hand; follow orphaned on it, stale
# on a republished date, blocked where copy is missing; always_fails
# failed, then missing.
seed_every_state() {
    mkdir -p "$TMP/plugins"
    cp "$ROOT"/tests/plugins/{copy,follow,always_fails}.so "$TMP/plugins/"
    write_config "$TMP/plugins"
    seed_calendar 2024-01-01 30
    run_bf run copy --start-date 2024-01-01 --end-date 2024-01-20
    run_bf run follow --start-date 2024-01-01 --end-date 2024-01-20
    sql "DELETE FROM copy WHERE rowid = (SELECT min(rowid) FROM copy WHERE game_date = '2024-01-05')"
    run_bf run copy --dates 2024-01-06 --no-resume
    run_bf run always_fails --start-date 2024-01-01 --end-date 2024-01-08 --keep-going
    check "setup: always_fails failed" 1 "$RC"
}
