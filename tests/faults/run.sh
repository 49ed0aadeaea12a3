#!/usr/bin/env bash
# Fault injection: one 20-date run per injected fault (tests/faults/shim.so
# fails the Nth call of one family: alloc, open, write, fsync, rename...).
#
#   tests/faults/run.sh          every fault point (make faults)
#   tests/faults/run.sh --quick  about QUICK_RUNS points spread over every
#                                family (tests/e2e/test_faults.sh)
#   tests/faults/run.sh --config every one of the first CONFIG_ALLOCS (100)
#                                allocations: the config being read
#                                (tests/e2e/test_faults.sh)
#
# libconfig 1.5 crashes inside its own parser when an allocation fails
# there: no caller can catch it. Such a crash passes only if nothing was
# touched yet: the state directory and the store are byte-identical to the
# template (the config is read before anything is opened for writing).
#
# Each run starts from the same store and state: a checkpoint saved by an
# earlier run (2 dates complete) and one old row on each of the 20 dates.
# A run passes when nothing crashed (no signal, no sanitizer or valgrind
# report), no temp file is left, the checkpoint parses and still holds the
# earlier run's dates, every date it calls complete holds its new rows,
# every date holds exactly its old rows or exactly its new rows, and either
# it exited non-zero with an error line, or it exited 0 with every date
# complete in the store, the checkpoint and the event log. An exit 0 with
# anything missing is a false exit 0.
#
# FAULTS_WRAPPER (e.g. valgrind) runs in front of each backfill. JOBS runs
# that many at once (default 2). A full sweep may take every ALLOC_STEPth
# allocation and every FAULT_STEPth call of the other families (default:
# every one).
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BF="$ROOT/bin/backfill"
SHIM="$ROOT/tests/faults/shim.so"
QUICK=0 CONFIG=0
[ "${1:-}" = "--quick" ] && QUICK=1
[ "${1:-}" = "--config" ] && CONFIG=1
QUICK_RUNS=${QUICK_RUNS:-90}
JOBS=${JOBS:-2}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bf-faults.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset BACKFILL_CONFIG

# The template every run copies: 25 calendar days, the first 3 bootstrap.
TPL="$TMP/template"
mkdir -p "$TPL"
cat >"$TPL/backfill.conf" <<CONF
store = { driver = "sqlite"; path = "store.db"; };
plugin_dir = "$ROOT/tests/plugins";
state_dir = "state";
calendar = { table = "schedule"; date_column = "game_date"; };
seasons = ( { start = "2024-01-01"; end = "2024-12-31"; } );
bootstrap_days = 3;
run = { workers = 1; retries = 1; retry_backoff_ms = 0; checkpoint_interval_ms = 0; };
CONF
sqlite3 "$TPL/store.db" "
  CREATE TABLE schedule (game_id TEXT, game_date TEXT);
  CREATE TABLE upstream (game_date TEXT, v INTEGER);
  WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < 25)
  INSERT INTO schedule SELECT 'g' || i, date('2024-01-01', '+' || i || ' days') FROM d;
  INSERT INTO upstream SELECT game_date, 1 FROM schedule;
  INSERT INTO upstream SELECT game_date, 2 FROM schedule;" || exit 1
if ! "$BF" -c "$TPL/backfill.conf" run copy --dates 2024-01-24,2024-01-25 --no-progress \
    >"$TMP/setup.out" 2>&1; then
    echo "not ok - fault suite setup: $(cat "$TMP/setup.out")"
    exit 1
fi
sqlite3 "$TPL/store.db" "INSERT INTO copy SELECT game_date, 7 FROM schedule
                         WHERE game_date BETWEEN '2024-01-04' AND '2024-01-23'"
rm -rf "$TPL/state/runs"
ARGS=(run copy --start-date 2024-01-01 --end-date 2024-01-23 --no-progress)

# rows_by_date DB : "DATE|v,v" per date holding rows.
rows_by_date() {
    sqlite3 -batch "$1" "SELECT game_date, group_concat(v) FROM
        (SELECT game_date, v FROM copy ORDER BY game_date, v) GROUP BY game_date"
}

# judge DIR RC : prints "ok" or the first problem found, as
# "crash|corrupt|false0|partial|message|exit: why".
judge() {
    local dir=$1 rc=$2 cp="$1/state/copy.json"
    if [ "$rc" -ge 128 ] && grep -q '^fault shim: the crash is inside libconfig' "$dir/err"; then
        local touched
        touched=$(diff -rq -x out -x err -x fired "$TPL" "$dir" 2>&1 | head -2 | tr '\n' ' ')
        if [ -n "$touched" ]; then
            echo "crash: exit $rc inside libconfig after state was touched: $touched"
        else
            echo "libconfig: exit $rc inside libconfig, nothing touched"
        fi
        return
    fi
    if [ "$rc" -ge 128 ] || [ "$rc" -eq 99 ] ||
        grep -qE 'Sanitizer|runtime error:|^==[0-9]+== ' "$dir/err"; then
        echo "crash: exit $rc: $(grep -m2 -vE '^backfill: (warning|info):' "$dir/err" | tr '\n' ' ')"
        return
    fi
    local left
    left=$(cd "$dir/state" && ls -- *.tmp.* 2>/dev/null)
    [ -z "$left" ] || { echo "corrupt: temp files left: $left"; return; }
    jq -e '(.dates | type == "object") and .dates["2024-01-24"].status == "complete" and
           .dates["2024-01-25"].status == "complete"' "$cp" >/dev/null 2>&1 ||
        { echo "corrupt: checkpoint unreadable or lost the earlier run: $(head -c 200 "$cp" | tr '\n' ' ')"; return; }
    local rows complete d
    rows=$(rows_by_date "$dir/store.db")
    complete=$(jq -r '.dates | to_entries[] | select(.value.status == "complete") | .key' "$cp")
    for d in $complete; do
        grep -qx "$d|1,2" <<<"$rows" || { echo "corrupt: checkpoint calls $d complete, store holds [$(grep "^$d|" <<<"$rows")]"; return; }
    done
    local bad
    bad=$(grep -vE '^2024-01-(0[4-9]|1[0-9]|2[0-3])\|(7|1,2)$|^2024-01-2[45]\|1,2$' <<<"$rows")
    [ -z "$bad" ] || { echo "partial: $(tr '\n' ' ' <<<"$bad")"; return; }
    [ "$(wc -l <<<"$rows")" -eq 22 ] || { echo "partial: $(wc -l <<<"$rows") dates hold rows, not 22"; return; }
    if [ "$rc" -eq 0 ]; then
        local new
        new=$(grep -c '|1,2$' <<<"$rows")
        [ "$new" -eq 22 ] || { echo "false0: exit 0 with $((22 - new)) dates holding old rows"; return; }
        [ "$(wc -w <<<"$complete")" -eq 22 ] ||
            { echo "false0: exit 0 but the checkpoint has $(wc -w <<<"$complete") complete dates"; return; }
        jq -e '.run.exit_code == 0' "$cp" >/dev/null ||
            { echo "false0: exit 0 but the checkpoint's run says otherwise"; return; }
        tail -n 1 "$dir"/state/runs/*.jsonl 2>/dev/null | jq -e 'select(.event == "run_finished" and .exit_code == 0)' >/dev/null 2>&1 ||
            { echo "false0: exit 0 without run_finished in the event log"; return; }
        echo ok
        return
    fi
    case $rc in 1 | 2 | 5) ;; *)
        echo "exit: undocumented exit $rc"
        return
        ;;
    esac
    grep -qvE '^backfill: (warning|info):|^progress:' "$dir/err" ||
        { echo "message: exit $rc without an error line"; return; }
    echo ok
}

# one FAMILY N : run with the Nth call of FAMILY failing; prints a result line.
one() {
    local fam=$1 n=$2 dir="$TMP/run.$1.$2"
    cp -r "$TPL" "$dir"
    (
        cd "$dir" || exit
        read -ra wrap <<<"${FAULTS_WRAPPER:-}"
        BF_FAULT="$fam:$n" BF_FAULT_LOG="$dir/fired" LD_PRELOAD="$SHIM" \
            "${wrap[@]}" "$BF" -c "$dir/backfill.conf" "${ARGS[@]}" >"$dir/out" 2>"$dir/err"
    ) 2>/dev/null # the shell's own "Segmentation fault" notice
    local rc=$? verdict
    verdict=$(judge "$dir" "$rc")
    local fired=no
    [ -s "$dir/fired" ] && fired=yes
    if [ "$verdict" = ok ]; then
        echo "ok - $fam:$n (fired: $fired, exit $rc)"
    else
        echo "not ok - $fam:$n (fired: $fired, exit $rc): $verdict"
    fi
    rm -rf "$dir"
}
export -f one judge rows_by_date
export TMP TPL BF SHIM
export ARGS_STR="${ARGS[*]}"

# How many calls of each family a clean run makes.
mkdir -p "$TMP/count"
cp -r "$TPL/." "$TMP/count/"
read -ra wrap <<<"${FAULTS_WRAPPER:-}"
(cd "$TMP/count" && BF_FAULT_COUNT="$TMP/counts" LD_PRELOAD="$SHIM" \
    "${wrap[@]}" "$BF" -c "$TMP/count/backfill.conf" "${ARGS[@]}" >/dev/null 2>&1)
[ -s "$TMP/counts" ] || { echo "not ok - fault suite: counting run failed"; exit 1; }

total=$(awk '{s += $2} END {print s}' "$TMP/counts")
while read -r fam count; do
    [ "$count" -gt 0 ] || continue
    step=1
    if [ "$QUICK" = 1 ]; then
        # Points in proportion to the square root of the family's calls,
        # at least 2 per family.
        want=$(awk -v c="$count" -v t="$total" -v q="$QUICK_RUNS" \
            'BEGIN {w = int(q * sqrt(c) / sqrt(t) / 2); if (w < 2) w = 2; print w}')
        step=$(((count + want - 1) / want))
    elif [ "$fam" = alloc ]; then
        step=${ALLOC_STEP:-1}
    else
        step=${FAULT_STEP:-1}
    fi
    for ((n = 1; n <= count; n += step)); do echo "$fam $n"; done
    # One past the last call: no fault fires, the run must simply succeed.
    echo "$fam $((count + 1))"
done <"$TMP/counts" >"$TMP/points"
if [ "$CONFIG" = 1 ]; then
    for ((n = 1; n <= ${CONFIG_ALLOCS:-100}; n++)); do echo "alloc $n"; done >"$TMP/points"
fi

# ARGS is an array; rebuild it in the subshells xargs starts.
run_point() {
    read -ra ARGS <<<"$ARGS_STR"
    one "$1" "$2"
}
export -f run_point
xargs -P "$JOBS" -n 2 bash -c 'run_point "$1" "$2"' _ <"$TMP/points" >"$TMP/results"

# Crashes inside libconfig 1.5 are listed and counted apart: no caller can
# catch them, and they happen while the config is read, before anything
# is written.
grep '^not ok' "$TMP/results" | grep -v ': libconfig:'
runs=$(grep -c . "$TMP/results")
crashes=$(grep -c '^not ok.*: crash:' "$TMP/results")
corrupt=$(grep -c '^not ok.*: corrupt:' "$TMP/results")
false0=$(grep -c '^not ok.*: false0:' "$TMP/results")
libconfig=$(grep -c '^not ok.*: libconfig:' "$TMP/results")
other=$(($(grep -c '^not ok' "$TMP/results") - libconfig))
fired=$(grep -c 'fired: yes' "$TMP/results")
echo "$runs runs: $crashes crashes, $corrupt corrupt checkpoints, $false0 false exit 0s" \
    "($fired with the fault fired; $((other - crashes - corrupt - false0)) other failures;" \
    "$libconfig crashes inside libconfig 1.5 while reading the config, each with the state" \
    "and the store untouched:" \
    "$(grep ': libconfig:' "$TMP/results" | sed 's/^not ok - \([a-z]*:[0-9]*\).*/\1/' | tr '\n' ' '))"
if [ "$CONFIG" = 1 ]; then
    # The sweep must have reached libconfig's crashes, or it proved nothing.
    [ "$libconfig" -gt 0 ] || { echo "not ok - config sweep: no allocation failed inside libconfig"; exit 1; }
    [ "$other" -eq 0 ] && echo "ok - config sweep: $runs allocation faults while the config is read," \
        "$libconfig crashes inside libconfig, each before anything was touched"
    [ "$other" -eq 0 ]
    exit
fi
[ "$other" -eq 0 ] && echo "ok - fault sweep: $runs runs, no crash, no corrupt state, no false exit 0"
[ "$other" -eq 0 ]
