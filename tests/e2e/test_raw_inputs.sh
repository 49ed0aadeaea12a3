#!/usr/bin/env bash
# Raw inputs fingerprinted per date: a published date records, for every raw
# table it reads (no processor writes it) and the calendar, the rows and an
# order-independent checksum over its window. A corrected raw row (same row
# count) makes exactly the dates whose windows read it stale, named with the
# reason, and one pipeline redoes exactly those and their readers; a change
# outside every window makes nothing stale. A pipeline fingerprints each raw
# table once, for all the processors that read it.
. "$(dirname "$0")/lib.sh"
plan 27
demo_config
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)
"$ROOT/bin/demo_gen" --db "$DB" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
BACKFILL_SQL_TRACE="$TMP/trace" run_bf --no-progress pipeline "${RANGE[@]}"
check "the pipeline runs clean" 0 "$RC"
readers=$(for p in $("$BF" list --graph | sed -n "s/^ *[0-9]* \([a-z_]*\)$/\1/p"); do
    "$BF" list -v "$p" | grep -c "quires player_boxscores\.\|optional player_boxscores\."; done | grep -c '^1$')
check "several processors read player_boxscores" 1 "$((readers >= 2))"
check "each raw table fingerprinted once in the pipeline" \
    "player_boxscores:1 player_props:1 schedule:1 team_boxscores:1" \
    "$(grep 'bf_checksum' "$TMP/trace" | sed -n 's/.* FROM `\([a-z_]*\)`.*/\1/p' | sort | uniq -c |
        awk '{printf "%s%s:%s", (NR > 1 ? " " : ""), $2, $1}')"
check "a published date records its raw inputs" 1 \
    "$(jq -r '.dates["2024-11-12"].raw | has("player_boxscores") and has("schedule")' "$TMP/state/player_game_summary.json" | grep -c true)"

# stale_cells : "processor date" for every stale cell of gaps over the range.
stale_cells() {
    run_bf gaps "${RANGE[@]}" --csv
    awk -F, '$4 == "stale" {print $2, $1}' <<<"$OUT" | sort
}
check "nothing is stale after the run" "" "$(stale_cells)"

# Independent computation: the processors, the raw tables they read and
# their widest windows, from `list -v`; a processor reading TABLE is stale
# on the calendar dates (not bootstrap) whose window [date - lookback, date]
# holds D (its first published date onwards: bootstrap days are skipped).
readers_of() { # TABLE D : expected "processor date" lines
    local table=$1 d=$2 p lb
    for p in $("$BF" list --graph | sed -n "s/^ *[0-9]* \([a-z_]*\)$/\1/p"); do
        "$BF" list -v "$p" >"$TMP/desc"
        if [ "$table" = schedule ]; then
            lb=$(sed -n 's/.*window \([0-9]*\) days.*/\1/p' "$TMP/desc" | sort -n | tail -1)
            lb=${lb:-0}
        elif grep -q "requires $table\.\|optional $table\." "$TMP/desc"; then
            lb=$(grep "$table\." "$TMP/desc" | sed -n 's/.*window \([0-9]*\) days.*/\1/p')
            lb=${lb:-0}
        else
            continue
        fi
        sql "SELECT DISTINCT '$p ' || game_date FROM schedule WHERE game_date >= '$d'
             AND game_date <= date('$d', '+$lb days') AND game_date >= (SELECT min(game_date) FROM $p)
             AND game_date <= '2024-11-24'"
    done | sort
}

# A corrected box score: one player's name on D, the row count unchanged.
D=2024-11-12
sql "UPDATE player_boxscores SET player_name = player_name || ' Jr.' WHERE rowid =
     (SELECT min(rowid) FROM player_boxscores WHERE game_date = '$D')"
expected=$(readers_of player_boxscores "$D")
check "the raw readers of D: three processors" 3 "$(cut -d' ' -f1 <<<"$expected" | sort -u | wc -l)"
check "exactly the dates whose windows read D are stale" "$expected" "$(stale_cells)"
n=$(sql "SELECT count(*) FROM player_boxscores WHERE game_date = '$D'")
run_bf verify player_game_summary "${RANGE[@]}"
check_contains "verify counts it" "stale 1" "$OUT"
run_bf status player_game_summary
check_contains "status re-runs it" "run player_game_summary --dates $D" "$OUT"
run_bf --no-progress run player_game_summary "${RANGE[@]}" --dry-run
check_contains "run names the reason" \
    "1 date is stale: player_boxscores $D changed since published ($n rows -> $n rows, content differs); redoing it" "$OUT"
run_bf --json status player_game_summary
check "status --json: stale 1" 1 "$(jq -r '.store_now.stale' <<<"$OUT")"

# gaps shows the one date of that processor stale.
run_bf gaps --dates "$D" --targets player_game_summary --json
check "gaps --json: stale" stale "$(jq -r '.cells[0].state' <<<"$OUT")"

# Put the row back: its checksum is what was published, nothing is stale.
sql "UPDATE player_boxscores SET player_name = substr(player_name, 1, length(player_name) - 4)
     WHERE rowid = (SELECT min(rowid) FROM player_boxscores WHERE game_date = '$D')"
check "reverted: nothing stale" "" "$(stale_cells)"

# A rescheduled game: the calendar is a raw input of every processor, over
# its widest window.
was=$(sql "SELECT season_type FROM schedule WHERE game_id = (SELECT min(game_id) FROM schedule WHERE game_date = '$D')")
sql "UPDATE schedule SET season_type = 'Rescheduled' WHERE game_id =
     (SELECT min(game_id) FROM schedule WHERE game_date = '$D')"
expected=$(readers_of schedule "$D")
check "a calendar change: exactly the dates whose windows read D" "$expected" "$(stale_cells)"
sql "UPDATE schedule SET season_type = '$was' WHERE game_id =
     (SELECT min(game_id) FROM schedule WHERE game_date = '$D')"
check "calendar reverted: nothing stale" "" "$(stale_cells)"

# A raw change outside every window: a late row after the range.
sql "INSERT INTO player_boxscores (game_id, game_date, team, player_id, player_name, minutes, points)
     VALUES ('late', '2024-11-30', 'AAA', 1, 'Late Row', 10, 2)"
check "a change outside every window: nothing stale" "" "$(stale_cells)"

# The corrected row again, and one pipeline: exactly the raw readers of D,
# then the readers of what they republished, are redone.
sql "UPDATE player_boxscores SET player_name = player_name || ' Jr.' WHERE rowid =
     (SELECT min(rowid) FROM player_boxscores WHERE game_date = '$D')"
run_bf pipeline "${RANGE[@]}" --dry-run
check_contains "pipeline --dry-run names the reason" \
    "1 stale: player_boxscores $D changed since published ($n rows -> $n rows, content differs)" "$OUT"
predicted=$(awk '$1 == "player_shot_zone_analysis" {print $5}' <<<"$OUT")
check_contains "pipeline --dry-run foresees the readers' staleness" \
    "will be stale after player_game_summary is redone (its $D, first: $D)" "$OUT"
rm -f "$TMP"/state/runs/*.jsonl
run_bf --no-progress pipeline "${RANGE[@]}"
check "repair pipeline: exit 0" 0 "$RC"
check_contains "pipeline names the reason" \
    "1 date is stale: player_boxscores $D changed since published ($n rows -> $n rows, content differs); redoing it" "$OUT"
committed() { cat "$TMP"/state/runs/"$1"-*.jsonl | jq -r 'select(.event == "date_committed") | .date' | sort -u | tr '\n' ' '; }
for p in player_game_summary team_offense_game_summary; do
    check "$p: exactly D redone" "$D " "$(committed "$p")"
done
window=$(sql "SELECT count(DISTINCT game_date) FROM schedule WHERE game_date >= '$D'
              AND game_date <= date('$D', '+30 days') AND game_date <= '2024-11-24'")
# upcoming_player_game_context reads 30 days of box scores: its dates whose
# window holds D.
check "upcoming_player_game_context: the dates whose window read D" "$window" \
    "$(committed upcoming_player_game_context | wc -w)"
check "player_shot_zone_analysis: the dates whose window read D" "$window" \
    "$(committed player_shot_zone_analysis | wc -w)"
check "the dry run predicted exactly those" "$window" "$predicted"
check "nothing stale afterwards" "" "$(stale_cells)"
check "the new name is published" 1 \
    "$(sql "SELECT count(*) FROM player_game_summary WHERE game_date = '$D' AND player_name LIKE '% Jr.'")"
