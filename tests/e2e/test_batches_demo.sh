#!/usr/bin/env bash
# The demo processors in blocks: a pipeline run with blocks of dates
# writes exactly the rows a run one date at a time writes, processor by
# processor (the windowed Phase 4 ones included: each date its own window,
# computed for the whole block in one statement), and records every date
# complete on its own.
. "$(dirname "$0")/lib.sh"
plan 15
demo_config
"$ROOT/bin/demo_gen" --db "$DB" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
cp "$DB" "$TMP/raw.db"
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)
mapfile -t ORDER < <("$BF" -c "$TMP/backfill.conf" list --graph | sed -n 's/^ *[0-9]* \([a-z_]*\)$/\1/p')
# sums : per processor table its name, rows and the md5 of its sorted rows.
sums() {
    local t n
    for t in "${ORDER[@]}"; do
        n=$(sql "SELECT count(*) FROM pragma_table_info('$t')")
        printf '%s %s %s\n' "$t" "$(sql "SELECT count(*) FROM $t")" \
            "$(sql "SELECT * FROM $t ORDER BY $(seq -s, 1 "$n")" | md5sum | cut -d' ' -f1)"
    done
}
run_bf pipeline "${RANGE[@]}" --batch 1 --workers 1
check "one date at a time: exit 0" 0 "$RC"
sums >"$TMP/one.sums"
complete_one=$(cat "$TMP"/state/*.json | jq -s '[.[].dates[]? | select(.status == "complete")] | length')
rm -rf "$TMP/state" "$DB" "$DB-wal" "$DB-shm"
cp "$TMP/raw.db" "$DB"
run_bf pipeline "${RANGE[@]}" --batch 16 --workers 2
check "blocks of 16, 2 workers: exit 0" 0 "$RC"
sums >"$TMP/block.sums"
check "ten processors compared" 10 "$(wc -l <"$TMP/block.sums")"
while read -r t rows sum; do
    check "$t: rows identical ($rows)" "$t $rows $sum" "$(grep "^$t " "$TMP/block.sums")"
done <"$TMP/one.sums"
check "every date complete, recorded on its own" "$complete_one" \
    "$(cat "$TMP"/state/*.json | jq -s '[.[].dates[]? | select(.status == "complete")] | length')"
check "blocks ran: date_started events carry their block" true \
    "$(cat "$TMP"/state/runs/*.jsonl | jq -s '[.[] | select(.event == "date_started" and .block_first)] | length > 0')"
