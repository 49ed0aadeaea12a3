#!/usr/bin/env bash
# Fault injection on the HTTP path: one 10-day run (7 dates) of the copy
# processor per injected fault, against a real ClickHouse server on
# loopback (tests/e2e/ch_lib.sh) with the webhook receiver
# (tests/e2e/webhook.py) subscribed to every end. tests/faults/shim.so
# fails the Nth call of one family: connect refused, send or recv reset,
# a connection closed mid-response (hangup), a response cut in half
# (cut), a libcurl call failing (curl), and every ALLOC_STEPth (100th) allocation
# (the ClickHouse driver's included). And once, the answer to the first
# ATTACH PARTITION (a date's publish) lost after the server ran it: libcurl
# must not send it again by itself (the date would hold its rows twice).
#
#   tests/faults/http.sh          every point of the HTTP families (make faults)
#   tests/faults/http.sh --quick  about QUICK_PER_FAMILY points per family
#                                 (tests/e2e/test_faults_http.sh)
#   FAMILIES="hangup cut"         only these families
#
# Each run starts from a database of its own holding the raw tables only.
# A run passes when nothing crashed (no signal, no sanitizer or valgrind
# report), every date holds either no rows or exactly its 2 new rows (never
# a part), every date the checkpoint calls complete holds its rows, and
# either it exited non-zero with an error line, or it exited 0 with every
# date complete in the store and the checkpoint. An exit 0 with anything
# missing is a false exit 0.
#
# Prints "N runs: C crashes, F false exit 0s, R dates complete without
# their rows" and "ok - ..." when all three are 0. Exit 0 then, 1
# otherwise; 0 with "# skip" when clickhouse-server is not installed.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BF="$ROOT/bin/backfill"
SHIM="$ROOT/tests/faults/shim.so"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
QUICK_PER_FAMILY=${QUICK_PER_FAMILY:-3}
JOBS=${JOBS:-2}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bf-faults-http.XXXXXX")
unset BACKFILL_CONFIG
# shellcheck source=../e2e/ch_lib.sh
. "$ROOT/tests/e2e/ch_lib.sh"
if ! ch_available; then
    echo "ok - HTTP fault sweep # skip: clickhouse-server is not installed"
    rm -rf "$TMP"
    exit 0
fi
HOOK_PID=
cleanup() {
    [ -n "$HOOK_PID" ] && kill "$HOOK_PID" 2>/dev/null
    ch_stop
    rm -rf "$TMP"
}
trap cleanup EXIT

# One server (the cluster config names a second that never starts).
CH_DIR="$TMP/ch"
mkdir -p "$CH_DIR"
echo "pw-$RANDOM$RANDOM-secret" >"$CH_DIR/password"
# A free port can be taken between the probe and the server's bind: up to
# two more tries on other ports.
for try in 1 2 3; do
    CH_HTTP1="" CH_TCP1="" CH_HTTP2="" CH_TCP2=""
    rm -rf "$CH_DIR/shard1" "$CH_DIR/shard2"
    ch_write_configs
    ch_start_shard 1 2>/dev/null && break
    ch_stop
    [ "$try" = 3 ] && { echo "not ok - HTTP fault sweep: clickhouse did not start: $(tr '\n' ' ' <"$CH_DIR/why")"; exit 1; }
done
mkdir "$TMP/hook" && mkfifo "$TMP/hook/ready" "$TMP/hook/release"
python3 "$ROOT/tests/e2e/webhook.py" "$TMP/hook" ok &
HOOK_PID=$!
read -r HOOK_PORT <"$TMP/hook/ready"

# setup DB DIR : a database DB with the raw tables, and DIR with its config.
setup() {
    local db=$1 dir=$2
    mkdir -p "$dir"
    ch_sql 1 "CREATE DATABASE $db" &&
        ch_sql 1 "CREATE TABLE $db.schedule (game_id String, game_date Date) ENGINE = MergeTree ORDER BY game_date" &&
        ch_sql 1 "CREATE TABLE $db.upstream (game_date Date, v Int64) ENGINE = MergeTree ORDER BY game_date" &&
        ch_sql 1 "INSERT INTO $db.schedule SELECT concat('g', toString(number)), toDate('2024-01-01') + number FROM system.numbers LIMIT 10" &&
        ch_sql 1 "INSERT INTO $db.upstream SELECT game_date, v FROM $db.schedule ARRAY JOIN [1, 2] AS v" ||
        return 1
    cat >"$dir/backfill.conf" <<CONF
store = { driver = "clickhouse"; url = "http://127.0.0.1:$CH_HTTP1"; database = "$db";
          user = "backfill"; password_file = "$CH_DIR/password"; request_retries = 1;
          timeout_s = 10; };
plugin_dir = "$ROOT/tests/plugins";
state_dir = "state";
calendar = { table = "schedule"; date_column = "game_date"; };
seasons = ( { start = "2024-01-01"; end = "2024-12-31"; } );
bootstrap_days = 3;
run = { workers = 1; retries = 1; retry_backoff_ms = 0; checkpoint_interval_ms = 0; };
notify = { webhook_url = "http://127.0.0.1:$HOOK_PORT/hook"; on = [ "failure", "complete" ];
           timeout_ms = 2000; };
CONF
}
ARGS=(run copy --start-date 2024-01-01 --end-date 2024-01-10 --no-progress)

# judge DB DIR RC : "ok", or "crash|false0|norows|partial|message|exit: why".
judge() {
    local db=$1 dir=$2 rc=$3 cp="$2/state/copy.json"
    # libconfig 1.5 crashes inside its parser when an allocation fails
    # there (tests/faults/run.sh): counted apart, and only if the run had
    # touched nothing yet.
    if [ "$rc" -ge 128 ] && grep -q '^fault shim: the crash is inside libconfig' "$dir/err"; then
        if [ -e "$dir/state" ]; then
            echo "crash: exit $rc inside libconfig after the state directory was made"
        else
            echo "libconfig: exit $rc inside libconfig, nothing touched"
        fi
        return
    fi
    if [ "$rc" -ge 128 ] || [ "$rc" -eq 99 ] ||
        grep -qE 'Sanitizer|runtime error:|^==[0-9]+== |^fault shim: the crash' "$dir/err"; then
        echo "crash: exit $rc: $(grep -m2 -vE '^backfill: (warning|info):' "$dir/err" | tr '\n' ' ')"
        return
    fi
    local rows complete d bad
    # No table yet: no rows (the run stopped before prepare).
    rows=$(ch_sql 1 "SELECT toString(game_date), count() FROM $db.copy GROUP BY game_date ORDER BY game_date" 2>/dev/null) || rows=""
    rows=$(tr '\t' '|' <<<"$rows")
    complete=$(jq -r '.dates | to_entries[] | select(.value.status == "complete") | .key' "$cp" 2>/dev/null)
    for d in $complete; do
        grep -qx "$d|2" <<<"$rows" || { echo "norows: the checkpoint calls $d complete, the store holds [$(grep "^$d|" <<<"$rows")]"; return; }
    done
    bad=$(grep -v '|2$' <<<"$rows" | grep . | tr '\n' ' ')
    if [ "$rc" -eq 0 ]; then
        [ -z "$bad" ] || { echo "false0: exit 0 while dates hold other rows than theirs: $bad"; return; }
        [ "$(grep -c '|2$' <<<"$rows")" -eq 7 ] || { echo "false0: exit 0 with $(grep -c '|2$' <<<"$rows") dates holding rows"; return; }
        [ "$(wc -w <<<"$complete")" -eq 7 ] || { echo "false0: exit 0, the checkpoint has $(wc -w <<<"$complete") complete dates"; return; }
        echo ok
        return
    fi
    [ -z "$bad" ] || { echo "partial: $bad"; return; }
    case $rc in 1 | 2 | 5) ;; *)
        echo "exit: undocumented exit $rc"
        return
        ;;
    esac
    grep -qvE '^backfill: (warning|info):|^progress:' "$dir/err" ||
        { echo "message: exit $rc without an error line"; return; }
    echo ok
}

# one FAMILY N : a run with the Nth call of FAMILY failing; one result line.
one() {
    local fam=$1 n=$2 db="f_$1_$2" dir="$TMP/run.$1.$2"
    setup "$db" "$dir" >/dev/null 2>&1 || { echo "not ok - $fam:$n: setup failed"; return; }
    (
        cd "$dir" || exit
        read -ra wrap <<<"${FAULTS_WRAPPER:-}"
        if [ "$fam" = attach ]; then
            export BF_HANGUP_AFTER="ATTACH PARTITION"
        else
            export BF_FAULT="$fam:$n"
        fi
        BF_FAULT_LOG="$dir/fired" LD_PRELOAD="$SHIM" \
            "${wrap[@]}" timeout -k 5 120 "$BF" -c "$dir/backfill.conf" "${ARGS[@]}" >"$dir/out" 2>"$dir/err"
    ) 2>/dev/null
    local rc=$? verdict fired=no
    verdict=$(judge "$db" "$dir" "$rc")
    [ -s "$dir/fired" ] && fired=yes
    if [ "$verdict" = ok ]; then
        echo "ok - $fam:$n (fired: $fired, exit $rc)"
    else
        echo "not ok - $fam:$n (fired: $fired, exit $rc): $verdict"
    fi
    ch_sql 1 "DROP DATABASE $db" >/dev/null 2>&1
    rm -rf "$dir"
}
export -f one judge setup ch_sql
export TMP BF SHIM ROOT CH_HTTP1 CH_DIR HOOK_PORT
export ARGS_STR="${ARGS[*]}"

# How many calls of each family a clean run makes.
setup f_count "$TMP/count" >/dev/null 2>&1 || { echo "not ok - HTTP fault sweep: setup failed"; exit 1; }
(cd "$TMP/count" && BF_FAULT_COUNT="$TMP/counts" LD_PRELOAD="$SHIM" \
    "$BF" -c "$TMP/count/backfill.conf" "${ARGS[@]}" >"$TMP/count/out" 2>&1)
rc=$?
[ "$rc" -eq 0 ] && [ -s "$TMP/counts" ] ||
    { echo "not ok - HTTP fault sweep: the counting run failed (exit $rc): $(tail -3 "$TMP/count/out")"; exit 1; }
ch_sql 1 "DROP DATABASE f_count" >/dev/null

while read -r fam count; do
    case " ${FAMILIES:-connect send recv hangup cut curl alloc} " in *" $fam "*) ;; *) continue ;; esac
    [ "$count" -gt 0 ] || continue
    step=1
    if [ "$QUICK" = 1 ]; then
        step=$(((count + QUICK_PER_FAMILY - 1) / QUICK_PER_FAMILY))
    elif [ "$fam" = alloc ]; then
        step=${ALLOC_STEP:-100}
    fi
    # Spread from the middle of the first step: not only the first calls.
    for ((n = (step + 1) / 2; n <= count; n += step)); do echo "$fam $n"; done
done <"$TMP/counts" >"$TMP/points"
# And one that targets a statement that must not run twice: the answer to
# the first ATTACH PARTITION (a publish) is lost after the server ran it.
echo "attach 1" >>"$TMP/points"

run_point() {
    read -ra ARGS <<<"$ARGS_STR"
    one "$1" "$2"
}
export -f run_point
xargs -P "$JOBS" -n 2 bash -c 'run_point "$1" "$2"' _ <"$TMP/points" >"$TMP/results"

grep '^not ok' "$TMP/results" | grep -v ': libconfig:'
runs=$(grep -c . "$TMP/results")
crashes=$(grep -c '^not ok.*: crash:' "$TMP/results")
false0=$(grep -c '^not ok.*: false0:' "$TMP/results")
norows=$(grep -c '^not ok.*: norows:' "$TMP/results")
libconfig=$(grep -c '^not ok.*: libconfig:' "$TMP/results")
failed=$(($(grep -c '^not ok' "$TMP/results") - libconfig))
fired=$(grep -c 'fired: yes' "$TMP/results")
echo "$runs runs ($(awk '{print $1}' "$TMP/points" | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')):" \
    "$crashes crashes, $false0 false exit 0s, $norows dates complete without their rows" \
    "($fired with the fault fired; $((failed - crashes - false0 - norows)) other failures;" \
    "$libconfig crashes inside libconfig 1.5 while reading the config, nothing touched)"
[ "$failed" -eq 0 ] && echo "ok - HTTP fault sweep: $runs runs, no crash, no false exit 0, no date complete without its rows"
[ "$failed" -eq 0 ]
