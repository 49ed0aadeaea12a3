#!/usr/bin/env bash
# A raw input read through a window wider than one day: a corrected row on
# one day makes exactly the dates whose windows hold that day stale, and the
# reason names that day, not the whole window ("player_boxscores D changed
# since published (26 rows -> 26 rows, content differs)"). The per-day
# fingerprints are recorded once per processor in its checkpoint
# ("raw_days"); a checkpoint written before them still reads, and names
# the window. A change outside every window makes nothing stale.
. "$(dirname "$0")/lib.sh"
plan 15
demo_config
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)
P=upcoming_player_game_context # reads player_boxscores over 30 days
CP="$TMP/state/$P.json"
"$ROOT/bin/demo_gen" --db "$DB" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
run_bf --no-progress pipeline "${RANGE[@]}"
check "the pipeline runs clean" 0 "$RC"
D=2024-11-12
check "the checkpoint records the raw days once, by day" 1 \
    "$(jq -r ".raw_days.player_boxscores | has(\"$D\")" "$CP" | grep -c true)"
check "a one-day window records none" false \
    "$(jq -r 'has("raw_days")' "$TMP/state/player_game_summary.json")"

# stale_cells : "processor date" for every stale cell of gaps over the range.
stale_cells() {
    run_bf gaps "${RANGE[@]}" --csv
    awk -F, '$4 == "stale" {print $2, $1}' <<<"$OUT" | sort
}
# window_readers DAY : "$P date" for every calendar date of $P whose 30-day
# window holds DAY, counted independently from the calendar.
window_readers() {
    sql "SELECT DISTINCT '$P ' || game_date FROM schedule WHERE game_date >= '$1'
         AND game_date <= date('$1', '+30 days') AND game_date <= '2024-11-24'
         AND game_date >= (SELECT min(game_date) FROM $P)" | sort
}
# why DATE : the reason gaps gives for $P's DATE.
why() {
    run_bf gaps --dates "$1" --targets "$P" --json
    jq -r '.cells[0].why' <<<"$OUT"
}
fix_row() { # DAY SUFFIX : rename the first box score row of DAY
    sql "UPDATE player_boxscores SET player_name = player_name || '$2' WHERE rowid =
         (SELECT min(rowid) FROM player_boxscores WHERE game_date = '$1')"
}
unfix_row() { # DAY SUFFIX : undo fix_row
    sql "UPDATE player_boxscores SET player_name = substr(player_name, 1, length(player_name) - ${#2})
         WHERE rowid = (SELECT min(rowid) FROM player_boxscores WHERE game_date = '$1')"
}

# One corrected value on D, the row count unchanged.
fix_row "$D" " Jr."
n=$(sql "SELECT count(*) FROM player_boxscores WHERE game_date = '$D'")
REASON="stale: player_boxscores $D changed since published ($n rows -> $n rows, content differs)"
check "exactly the dates whose windows hold D are stale" "$(window_readers "$D")" \
    "$(stale_cells | grep "^$P ")"
stale_n=$(stale_cells | grep -c "^$P ")
run_bf gaps "${RANGE[@]}" --targets "$P" --json
check "every one of them names D" "$stale_n" \
    "$(jq -r --arg r "$REASON" '[.cells[] | select(.state == "stale" and .why == $r)] | length' <<<"$OUT")"
check "a date 8 days on names D, not its window" "$REASON" "$(why 2024-11-20)"
run_bf --no-progress run "$P" "${RANGE[@]}" --dry-run
check_contains "run names D" "$stale_n dates are stale: ${REASON#stale: }; redoing them" "$OUT"

# A run that redoes D alone records D's new print; the dates after it,
# still built from the old rows, still name D.
run_bf --no-progress run "$P" --dates "$D"
check "D alone redone" 0 "$RC"
check "a later date still names D" "$REASON" "$(why 2024-11-20)"

# A checkpoint from before the per-day prints: still stale, the window named.
jq 'del(.raw_days)' "$CP" >"$TMP/cp.json" && mv "$TMP/cp.json" "$CP"
check "an old checkpoint: the same dates stale" "$(window_readers "$D" | grep -v " $D\$")" \
    "$(stale_cells | grep "^$P ")"
check "an old checkpoint: the window named whole" \
    "stale: player_boxscores 2024-10-21..2024-11-20 changed since published" "$(why 2024-11-20 | cut -d' ' -f1-6)"

# Repaired; then two days changed: the first named, the other counted.
run_bf --no-progress pipeline "${RANGE[@]}"
check "nothing stale after the repair" "" "$(stale_cells)"
fix_row 2024-11-14 " Sr."
fix_row "$D" " II"
check_contains "two days: the first named, the other counted" \
    "stale: player_boxscores $D changed since published ($n rows -> $n rows, content differs; 1 more day of its window changed)" \
    "$(why 2024-11-20)"
unfix_row 2024-11-14 " Sr."
unfix_row "$D" " II"
check "reverted: nothing stale" "" "$(stale_cells)"

# A change outside every window: a late row after the range.
sql "INSERT INTO player_boxscores (game_id, game_date, team, player_id, player_name, minutes, points)
     VALUES ('late', '2024-11-30', 'AAA', 1, 'Late Row', 10, 2)"
check "a change outside every window: nothing stale" "" "$(stale_cells)"
