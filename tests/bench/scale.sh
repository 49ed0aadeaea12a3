#!/usr/bin/env bash
# The scale envelope (make bench-scale): the core's own cost with many
# processors over many dates. A generated graph of BENCH_SCALE_PROCS
# processors (default 200) in 8 layers, each reading 1-5 processors of the
# layer above (layer 0 reads a raw table), every third read with a 6-day
# lookback, over BENCH_SCALE_DATES daily dates (default 10,000) on SQLite.
# Every processor is a copy of tests/bench/scale_node.so writing one row a
# date. At each size (fractions BENCH_SCALE_SIZES of the work, default
# "0.25 0.5 1"; processors and dates each scaled by the square root, so the
# work processors x dates scales by the fraction) it measures wall, CPU and
# peak RSS of: list --graph, pipeline --dry-run (on an empty state, and
# again once the state is full), the pipeline (1 worker),
# gaps --json, gaps --html, status, verify --outputs, and a pipeline resumed
# after a SIGKILL in its last layer; and the size of state_dir. Read-only
# commands are the median of BENCH_SCALE_RUNS runs (default 3). Then the
# growth exponent of every figure in processors x dates (least squares over
# the sizes), then one line per goal (at the largest size).
# BENCH_SCALE_BIN: the backfill binary to time (default bin/backfill; a copy
# keeps a rebuild during the run out of the figures). BENCH_SCALE_MAKE="DIR
# PROCS DATES" only makes that graph, to profile a command by hand.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BF=${BENCH_SCALE_BIN:-$ROOT/bin/backfill} # a copy keeps a rebuild out of the figures
NODE="$ROOT/tests/bench/scale_node.so"
PROCS=${BENCH_SCALE_PROCS:-200}
DATES=${BENCH_SCALE_DATES:-10000}
SIZES=${BENCH_SCALE_SIZES:-0.25 0.5 1}
RUNS=${BENCH_SCALE_RUNS:-3}
TMP=$(mktemp -d /tmp/bf-scale.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FIG="$TMP/figures" # size procs dates name wall cpu rss_kb

[ -n "${BENCH_SCALE_MAKE:-}" ] || echo "scale: $PROCS processors x $DATES dates at fractions $SIZES; $(nproc) cores;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

# make_graph DIR P D: plugin copies, their .deps, the store, the config.
make_graph() {
    local dir=$1 p=$2 d=$3 deps
    mkdir -p "$dir/plugins"
    chmod 700 "$dir" "$dir/plugins"
    awk -v P="$p" -v dir="$dir/plugins" -v conf="$dir/groups" 'BEGIN {
        L = 8
        for (l = 0; l < L; l++) w[l] = int(P / L) + (l < P % L)
        for (l = 0; l < L; l++) {
            members = ""
            for (i = 0; i < w[l]; i++) {
                name = sprintf("l%d_p%03d", l, i)
                f = dir "/" name ".deps"
                if (l == 0) print "raw 0" > f
                else {
                    k = 1 + (i * 7 + l * 3) % 5
                    if (k > w[l - 1]) k = w[l - 1]
                    for (j = 0; j < k; j++) {
                        u = (i * 3 + j * 5 + l) % w[l - 1]
                        while (used[u] == i + 1000 * l) u = (u + 1) % w[l - 1]
                        used[u] = i + 1000 * l
                        printf "l%d_p%03d %d\n", l - 1, u, ((i + j) % 3 == 0) ? 6 : 0 > f
                    }
                }
                close(f)
                members = members (members == "" ? "" : ", ") "\"" name "\""
                all = all (all == "" ? "" : ", ") "\"" name "\""
            }
            printf "layer%d = [ %s ];\n", l, members > conf
        }
        printf "everything = [ %s ];\n", all > conf
    }'
    for deps in "$dir"/plugins/*.deps; do
        cp "$NODE" "${deps%.deps}.so"
    done
    cat >"$dir/backfill.conf" <<CONF
store = { driver = "sqlite"; path = "$dir/scale.db"; };
plugin_dir = "$dir/plugins";
state_dir = "$dir/state";
calendar = { table = "schedule"; date_column = "game_date"; };
bootstrap_days = 0;
run = { workers = 1; retries = 0; retry_backoff_ms = 0; };
groups = { $(cat "$dir/groups") };
CONF
    sqlite3 "$dir/scale.db" "
      CREATE TABLE schedule (game_date TEXT);
      WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < $d)
      INSERT INTO schedule SELECT date('2000-01-01', '+' || i || ' days') FROM d;
      CREATE TABLE raw (game_date TEXT, v INTEGER);
      INSERT INTO raw SELECT game_date, 1 FROM schedule;
      CREATE INDEX raw_date ON raw (game_date);"
}

# BENCH_SCALE_MAKE="DIR PROCS DATES": only make that graph (to profile by hand).
if [ -n "${BENCH_SCALE_MAKE:-}" ]; then
    make_graph ${BENCH_SCALE_MAKE}
    exit 0
fi

# measure NAME EXPECTED_EXIT COMMAND...: one run; "wall cpu rss_kb" on stdout.
measure() {
    local name=$1 want=$2 rc=0
    shift 2
    /usr/bin/time -o "$TMP/time" -f '%e %U %S %M' "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
    if [ "$rc" != "$want" ]; then
        echo "scale: $name exited $rc (expected $want): $*" >&2
        tail -5 "$TMP/err" >&2
        exit 1
    fi
    awk '/^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$/ { printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }' "$TMP/time"
}

# record SIZE P D NAME RUNS EXPECTED_EXIT COMMAND...: the median of RUNS runs (by wall).
record() {
    local size=$1 p=$2 d=$3 name=$4 runs=$5 want=$6
    shift 6
    for _ in $(seq "$runs"); do measure "$name" "$want" "$@"; done |
        sort -g | awk -v n="$runs" 'NR == int((n + 1) / 2)' |
        while read -r w c r; do echo "$size $p $d $name $w $c $r" >>"$FIG"; done
}

one_size() {
    local f=$1 p d dir range last mid
    p=$(awk -v P="$PROCS" -v f="$f" 'BEGIN { printf "%d", P * sqrt(f) + 0.5 }')
    d=$(awk -v D="$DATES" -v f="$f" 'BEGIN { printf "%d", D * sqrt(f) + 0.5 }')
    dir="$TMP/size-$f"
    make_graph "$dir" "$p" "$d"
    export BACKFILL_CONFIG="$dir/backfill.conf"
    last=$(sqlite3 "$dir/scale.db" "SELECT max(game_date) FROM schedule")
    mid=$(sqlite3 "$dir/scale.db" "SELECT date('2000-01-01', '+$((d / 2)) days')")
    range=(--start-date 2000-01-01 --end-date "$last")
    local B=("$BF" -q --no-progress)
    record "$f" "$p" "$d" list_graph "$RUNS" 0 "${B[@]}" list --graph
    record "$f" "$p" "$d" pipeline_dry_run "$RUNS" 0 "${B[@]}" pipeline "${range[@]}" --dry-run
    # A crash in the last layer, then the same command again resumes.
    BF_SCALE_KILL="l7_p000:$mid" measure pipeline_killed 137 "${B[@]}" pipeline "${range[@]}" >/dev/null
    record "$f" "$p" "$d" resume_after_kill 1 0 "${B[@]}" pipeline "${range[@]}"
    # The dry run again, now that every date is recorded and logged.
    record "$f" "$p" "$d" pipeline_dry_run_full "$RUNS" 0 "${B[@]}" pipeline "${range[@]}" --dry-run
    record "$f" "$p" "$d" gaps_json "$RUNS" 0 "${B[@]}" gaps "${range[@]}" --json
    record "$f" "$p" "$d" gaps_html "$RUNS" 0 "${B[@]}" gaps "${range[@]}" --html "$dir/gaps.html"
    record "$f" "$p" "$d" status "$RUNS" 0 "${B[@]}" status
    record "$f" "$p" "$d" verify_outputs "$RUNS" 0 "${B[@]}" verify --outputs everything "${range[@]}"
    echo "$f $p $d state_dir_kb 0 0 $(du -sk "$dir/state" | cut -f1)" >>"$FIG"
    echo "$f $p $d gaps_html_kb 0 0 $(du -k "$dir/gaps.html" | cut -f1)" >>"$FIG"
    # The whole graph from nothing, timed.
    rm -rf "$dir/state" "$dir/scale.db"
    make_graph "$dir" "$p" "$d"
    record "$f" "$p" "$d" pipeline 1 0 "${B[@]}" pipeline "${range[@]}"
    rm -rf "$dir"
    echo "scale: size $f ($p processors x $d dates) measured; load average" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

for f in $SIZES; do one_size "$f"; done

echo
printf '%-6s %5s %6s %-21s %9s %9s %9s\n' size procs dates figure wall_s cpu_s rss_mb
awk '$4 !~ /_kb$/ { printf "%-6s %5d %6d %-21s %9.3f %9.3f %9.1f\n", $1, $2, $3, $4, $5, $6, $7 / 1024 }
     $4 ~ /_kb$/ { printf "%-6s %5d %6d %-21s %29.1f MB\n", $1, $2, $3, $4, $7 / 1024 }' "$FIG"
echo
awk -f "$ROOT/tests/bench/scale_goals.awk" "$FIG"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
