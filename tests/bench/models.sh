#!/usr/bin/env bash
# The cost of a model file against its C form: the three demo processors
# that ship as models (plugins/models/), each run by `backfill run` from a
# complete warehouse without its table, once in its C form and once as its
# model, interleaved, BENCH_RUNS (default 5) times. Every run's table is
# compared row for row with the C form's; a difference fails the benchmark.
# Prints per processor the medians of CPU (user + sys) and wall seconds and
# the model / C ratio of each. Run by make bench-demo after tests/bench/demo.sh.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BF="$ROOT/bin/backfill"
RUNS=${BENCH_RUNS:-5}
RANGE=(--start-date 2021-10-19 --end-date 2026-01-03)
TMP=$(mktemp -d /tmp/bf-bench-models.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
conf() { # NAME PLUGIN_DIR
    sed -e "s|path = \"../var/demo.db\"|path = \"$TMP/run.db\"|" \
        -e "s|plugin_dir = \"../plugins\"|plugin_dir = $2|" \
        -e "s|state_dir = \"../var/state\"|state_dir = \"$TMP/state\"|" \
        "$ROOT/conf/backfill.conf" >"$1.conf"
}
conf c "\"$ROOT/plugins\""
conf m "[ \"$ROOT/plugins/models\", \"$ROOT/plugins\" ]"
"$ROOT/bin/demo_gen" --db run.db >/dev/null
"$BF" -q -c c.conf --no-progress pipeline "${RANGE[@]}" --workers 2 >/dev/null
mv run.db ref.db
rm -rf state
rows() { sqlite3 "$1" "SELECT * FROM $2 ORDER BY 1, 2, 3, 4" | md5sum | cut -d' ' -f1; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "model file vs C form: backfill run P ${RANGE[*]} --workers 2, $RUNS runs each, medians"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %5s %9s %9s %9s %9s %7s %7s\n' processor dates "C cpu" "SQL cpu" "C wall" "SQL wall" "cpu x" "wall x"
for p in team_defense_game_summary team_defense_zone_analysis player_game_summary; do
    want=$(rows ref.db "$p")
    : >c.times
    : >m.times
    for _ in $(seq "$RUNS"); do
        for form in c m; do
            cp ref.db run.db
            sqlite3 run.db "DROP TABLE $p"
            rm -rf state
            /usr/bin/time -f "%U %S %e" -o t "$BF" -q -c "$form.conf" --no-progress run "$p" "${RANGE[@]}" \
                --workers 2 >/dev/null 2>err || { cat err >&2; exit 1; }
            [ "$(rows run.db "$p")" = "$want" ] || { echo "bench-models: $p ($form): rows differ" >&2; exit 1; }
            cat t >>"$form.times"
        done
    done
    dates=$(sqlite3 ref.db "SELECT count(DISTINCT game_date) FROM $p")
    cc=$(awk '{ print $1 + $2 }' c.times | median)
    mc=$(awk '{ print $1 + $2 }' m.times | median)
    cw=$(awk '{ print $3 }' c.times | median)
    mw=$(awk '{ print $3 }' m.times | median)
    printf '%-28s %5s %9.2f %9.2f %9.2f %9.2f %7.3f %7.3f\n' "$p" "$dates" "$cc" "$mc" "$cw" "$mw" \
        "$(awk -v a="$mc" -v b="$cc" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
        "$(awk -v a="$mw" -v b="$cw" 'BEGIN { print (b > 0 ? a / b : 0) }')"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
