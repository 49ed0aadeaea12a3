#!/usr/bin/env bash
# Raw inputs fingerprinted on ClickHouse (count() and
# groupBitXor(cityHash64(*)) per date): a raw value corrected after publish,
# the row count unchanged, makes exactly the dates that read it stale, with
# the reason; one pipeline redoes exactly those and their readers; a change
# outside every window makes nothing stale.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse raw input tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 12
ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
ch_seed single 2024-01-01 12
ch_config single
RANGE=(--start-date 2024-01-01 --end-date 2024-01-12)
run_bf --no-progress pipeline --targets follow "${RANGE[@]}"
check "the pipeline runs clean" 0 "$RC"
stale_cells() {
    run_bf gaps "${RANGE[@]}" --targets copy,follow --csv
    awk -F, '$4 == "stale" {print $2, $1}' <<<"$OUT" | sort | tr '\n' ' '
}
check "nothing is stale after the run" "" "$(stale_cells)"

# ClickHouse 18.16 has no synchronous UPDATE (ALTER ... UPDATE is an
# asynchronous mutation): the corrected table is built beside the old one
# and swapped in with one RENAME.
correct() { # SQL expression of v, over rows matching WHERE
    ch_sql 1 "CREATE TABLE single.upstream_new AS single.upstream" &&
        ch_sql 1 "INSERT INTO single.upstream_new SELECT game_date, if($2, $1, v) FROM single.upstream" &&
        ch_sql 1 "RENAME TABLE single.upstream TO single.upstream_old, single.upstream_new TO single.upstream" &&
        ch_sql 1 "DROP TABLE single.upstream_old"
}
correct 5 "game_date = '2024-01-07' AND v = 1"
check "one value corrected, the row count unchanged" "2 5" \
    "$(ch_sql 1 "SELECT count(), max(v) FROM single.upstream WHERE game_date = '2024-01-07'" | tr '\t' ' ')"
check "exactly the date that read it is stale" "copy 2024-01-07 " "$(stale_cells)"
run_bf --no-progress run copy "${RANGE[@]}" --dry-run
check_contains "run names the reason" \
    "1 date is stale: upstream 2024-01-07 changed since published (2 rows -> 2 rows, content differs)" "$OUT"

rm -f "$TMP"/state/runs/*.jsonl
run_bf --no-progress pipeline --targets follow "${RANGE[@]}"
check "the repair pipeline: exit 0" 0 "$RC"
committed() { cat "$TMP"/state/runs/"$1"-*.jsonl 2>/dev/null | jq -r 'select(.event == "date_committed") | .date' | sort -u | tr '\n' ' '; }
check "copy: exactly that date redone" "2024-01-07 " "$(committed copy)"
check "follow: exactly that date redone" "2024-01-07 " "$(committed follow)"
check "the corrected value is published downstream" 5 \
    "$(ch_sql 1 "SELECT max(v) FROM single.follow WHERE game_date = '2024-01-07'")"
check "nothing stale afterwards" "" "$(stale_cells)"

# A raw row outside every window (after the range and the calendar).
ch_sql 1 "INSERT INTO single.upstream VALUES ('2024-02-01', 9)"
check "a change outside every window: nothing stale" "" "$(stale_cells)"

# verify --inputs confines reads here too (a scratch database of views):
# copy reads its upstream date alone, and its window is wide enough.
run_bf verify --inputs copy "${RANGE[@]}"
check "verify --inputs on ClickHouse: copy's window is wide enough" \
    "0 windows wide enough: 9 of 9 sampled dates build the same; nothing was published" \
    "$RC $(tail -n 1 <<<"$OUT")"
