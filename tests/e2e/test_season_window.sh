#!/usr/bin/env bash
# A dependency may read every earlier date of the date's season
# (lookback_days = BF_LOOKBACK_SEASON): pre-flight, blocking, staleness and
# the raw fingerprints all follow that window, however far back it reaches,
# and no further: a change in one season never touches the next.
. "$(dirname "$0")/lib.sh"
plan 15
PLUGINS="$TMP/plugins"
mkdir -m 755 "$PLUGINS"
build() { # [CC FLAGS...]
    cc -std=c11 -O2 -fPIC -shared -I"$ROOT/include" "$@" -o "$PLUGINS/season_total.so" \
        "$ROOT/tests/plugins/provenance/season_total.c"
}
write_config "$PLUGINS"
# Seasons are calendar years here, as season_total assumes.
sed -i 's|seasons = .*|seasons = ( { start = "2023-01-01"; end = "2023-12-31"; }, { start = "2024-01-01"; end = "2024-12-31"; } );|' \
    "$TMP/backfill.conf"
seed_calendar 2023-12-20 27 # 2023-12-20 .. 2024-01-15
RANGE=(--start-date 2023-12-20 --end-date 2024-01-15)
build
run_bf list -v season_total
check_contains "list -v names the window" "(window since the season start)" "$OUT"
run_bf --no-progress run season_total "${RANGE[@]}"
check "run: exit 0" 0 "$RC"
check "the totals restart with the season" "36 12 21" \
    "$(sql "SELECT (SELECT total FROM season_total WHERE game_date = '2023-12-31'),
                   (SELECT total FROM season_total WHERE game_date = '2024-01-04'),
                   (SELECT total FROM season_total WHERE game_date = '2024-01-07')" | tr '|' ' ')"
run_bf verify --inputs season_total "${RANGE[@]}"
check "verify --inputs: the season window is wide enough" 0 "$RC"

# cells STATE : "date" of every cell of gaps in that state.
cells() {
    run_bf gaps "${RANGE[@]}" --csv
    awk -F, -v s="$1" '$4 == s {print $1}' <<<"$OUT" | sort | tr '\n' ' '
}
dates_from() { sql "SELECT game_date FROM schedule WHERE game_date >= '$1' AND game_date <= '$2'" | tr '\n' ' '; }

# A corrected raw value early in 2024: every later 2024 date read it, no
# 2023 date did.
sql "UPDATE upstream SET v = 5 WHERE game_date = '2024-01-05' AND v = 1"
check "a 2024 change: every later date of 2024 stale" "$(dates_from 2024-01-05 2024-01-15)" "$(cells stale)"
run_bf --no-progress run season_total "${RANGE[@]}" --dry-run
check_contains "run names the day that changed inside the season window" \
    "upstream 2024-01-05 changed since published (2 rows -> 2 rows, content differs)" "$OUT"
run_bf --no-progress run season_total "${RANGE[@]}"
check "the redo: exit 0" 0 "$RC"
check "nothing stale after the redo" "" "$(cells stale)"

# A change in 2023 stays in 2023.
sql "UPDATE upstream SET v = 7 WHERE game_date = '2023-12-22' AND v = 1"
check "a 2023 change: the rest of 2023 stale, 2024 not" "$(dates_from 2023-12-22 2023-12-31)" "$(cells stale)"
run_bf --no-progress run season_total "${RANGE[@]}"
check "the 2023 redo: exit 0" 0 "$RC"

# A required upstream date gone: every later date of its season is
# blocked (orphaned: they still hold rows), the other season untouched.
sql "DELETE FROM upstream WHERE game_date = '2024-01-06'"
check "a missing 2024 date: it and the later 2024 dates orphaned" \
    "$(dates_from 2024-01-06 2024-01-15)" "$(cells orphaned)"
check "2023 and the earlier 2024 dates stay complete" \
    "$(dates_from 2023-12-20 2023-12-31)$(dates_from 2024-01-04 2024-01-05)" "$(cells complete)"
run_bf verify season_total --start-date 2024-01-04 --end-date 2024-01-15
check_contains "pre-flight judges the window too" "blocked" "$OUT"

# Without the declaration, verify --inputs catches the read.
build -DLOOKBACK=0
run_bf verify --inputs season_total "${RANGE[@]}"
check_contains "undeclared: verify --inputs names the table" "upstream: lookback_days = 0 is too narrow" "$OUT"

# Any other negative lookback is refused when the plugin loads.
build -DLOOKBACK=-5
run_bf list -v season_total
check_contains "lookback_days -5 refused" "dependency upstream: lookback_days -5: must be 0 or more, or BF_LOOKBACK_SEASON" "$ERR$OUT"
