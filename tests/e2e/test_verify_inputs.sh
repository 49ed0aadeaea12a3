#!/usr/bin/env bash
# verify --inputs proves a declared window wide enough: sampled dates are
# built twice in staging, once with every dependency confined to its window
# [date - lookback_days, date] and once with the whole tables, and compared.
# A processor averaging each team's last 5 games without declaring a window
# is caught, with the smallest lookback_days that makes the builds equal;
# declared, it passes. Nothing is ever published: the store stays
# byte-identical. The ten demo processors pass on the demo data.
. "$(dirname "$0")/lib.sh"
plan 26
PLUGINS="$TMP/plugins"
mkdir -m 755 "$PLUGINS"
build() { # LOOKBACK
    cc -std=c11 -O2 -fPIC -shared -I"$ROOT/include" -DLOOKBACK="$1" -o "$PLUGINS/last_games.so" \
        "$ROOT/tests/plugins/provenance/last_games.c"
}
write_config "$PLUGINS"
# 40 days; team A plays every day, team B every other day: B's last 5
# games reach 10 days back.
sql "CREATE TABLE schedule (game_id TEXT, game_date TEXT);
     CREATE TABLE games (game_date TEXT, team TEXT, pts INTEGER);
     WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < 40)
     INSERT INTO schedule SELECT 'g' || i, date('2024-01-01', '+' || i || ' days') FROM d;
     INSERT INTO games SELECT game_date, 'A', (CAST(substr(game_date, 9) AS INTEGER) * 7) % 13 + 90
       FROM schedule;
     INSERT INTO games SELECT game_date, 'B', (CAST(substr(game_date, 9) AS INTEGER) * 5) % 11 + 80
       FROM schedule WHERE CAST(substr(game_date, 9) AS INTEGER) % 2 = 0;"
RANGE=(--start-date 2024-01-01 --end-date 2024-02-09)
build 0
run_bf --no-progress run last_games "${RANGE[@]}"
check "the undeclared window publishes with exit 0" 0 "$RC"
cp "$DB" "$TMP/before.db"

run_bf verify --inputs last_games "${RANGE[@]}"
check "no window declared: exit 1" 1 "$RC"
check_contains "20 of the 37 expected dates sampled" "20 of 37 expected dates sampled" "$OUT"
check_contains "the table, the dates and the fix are named" \
    "games: lookback_days = 0 is too narrow on 20 of 20 sampled dates (2024-01-04, 2024-01-05, 2024-01-06," "$OUT"
check_contains "the smallest lookback that makes the builds equal" \
    "the smallest that makes the builds equal is lookback_days = 10" "$OUT"
check_contains "the first differing row" "first difference, 2024-01-04: the whole-table build has ('2024-01-04', 'A', 95.3333333333333)" "$OUT"
check_contains "nothing published" "windows too narrow: 20 of 20 sampled dates differ; nothing was published" "$OUT"
check "the store is byte-identical" 0 "$(cmp -s "$DB" "$TMP/before.db"; echo $?)"
first=$OUT
run_bf verify --inputs last_games "${RANGE[@]}"
check "the sample is deterministic" "$first" "$OUT"
run_bf --json verify --inputs last_games "${RANGE[@]}"
check "--json: the lookback needed" "10 1" "$(jq -r '"\(.inputs.tables[0].needed) \(.exit_code)"' <<<"$OUT")"

# One day short: the dates of B's games are caught.
build 9
run_bf verify --inputs last_games "${RANGE[@]}"
check "lookback_days = 9: exit 1" 1 "$RC"
check_contains "lookback_days = 9: B's dates differ, 10 named" \
    "games: lookback_days = 9 is too narrow on 10 of 20 sampled dates (2024-01-12, 2024-01-14," "$OUT"
check_contains "lookback_days = 9: the fix" "lookback_days = 10" "$OUT"

# Declared: every sampled date builds the same.
build 10
run_bf verify --inputs last_games "${RANGE[@]}"
check "lookback_days = 10: exit 0" 0 "$RC"
check_contains "lookback_days = 10: wide enough" \
    "windows wide enough: 20 of 20 sampled dates build the same; nothing was published" "$OUT"
run_bf verify --inputs last_games "${RANGE[@]}" --sample 3
check_contains "--sample 3 builds 3 dates" "3 of 37 expected dates sampled" "$OUT"
check "the store is still byte-identical" 0 "$(cmp -s "$DB" "$TMP/before.db"; echo $?)"

# Bad input: one line, exit 2.
run_bf verify --inputs no_such "${RANGE[@]}"
check "an unknown processor: exit 2" 2 "$RC"
run_bf verify --inputs last_games "${RANGE[@]}" --sample 0
check "--sample 0: exit 2" "2 backfill: --sample: '0' is not a number in 1-100000" "$RC $ERR"
run_bf verify --inputs last_games "${RANGE[@]}" --sample -3
check "--sample -3: exit 2" 2 "$RC"
run_bf verify last_games "${RANGE[@]}" --sample 3
check "--sample without --inputs: exit 2" "2 backfill verify: --sample goes with --inputs" "$RC $ERR"
run_bf verify --inputs --audit last_games "${RANGE[@]}"
check "--inputs with --audit: exit 2" 2 "$RC"

sql "ALTER TABLE last_games RENAME TO last_games_kept"
run_bf verify --inputs last_games "${RANGE[@]}"
check "no output table yet: exit 2, one line" \
    "2 backfill verify --inputs: last_games: output table last_games does not exist (run the processor once: its prepare() creates it)" \
    "$RC $ERR"

# The demo: every processor's windows are wide enough on its data.
rm -f "$DB"
demo_config
"$ROOT/bin/demo_gen" --db "$DB" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
DEMO=(--start-date 2024-10-22 --end-date 2024-11-24)
run_bf --no-progress pipeline "${DEMO[@]}"
check "the demo pipeline runs clean" 0 "$RC"
cp "$DB" "$TMP/before.db"
passed=0
for p in $("$BF" list --graph | sed -n "s/^ *[0-9]* \([a-z_]*\)$/\1/p"); do
    run_bf verify --inputs "$p" "${DEMO[@]}"
    [ "$RC" = 0 ] && grep -q "windows wide enough: 20 of 20" <<<"$OUT" && passed=$((passed + 1))
    [ "$RC" = 0 ] || echo "# $p: $OUT" >&2
done
check "the ten demo processors pass" 10 "$passed"
check "the demo store is byte-identical" 0 "$(cmp -s "$DB" "$TMP/before.db"; echo $?)"
