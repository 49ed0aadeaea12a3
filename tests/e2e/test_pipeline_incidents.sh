#!/usr/bin/env bash
# The pipeline on the full incident warehouse: the late team feed refuses
# exactly its dates and leaves exactly the processors that require it not
# started; once repaired the pipeline reaches exit 0 with every output
# complete; one tampered Phase 3 date is redone with exactly the Phase 4
# dates that read it.
. "$(dirname "$0")/lib.sh"
plan 14
# Ten processors over 918 dates: under valgrind this script runs natively
# (test_pipeline.sh covers the same code under memcheck on a small league).
[[ "${WRAP[*]:-}" == *valgrind* ]] && WRAP=()
demo_config
RANGE=(--start-date 2021-10-19 --end-date 2026-01-03)
"$ROOT/bin/demo_gen" --db "$DB" >/dev/null
late=$("$ROOT/bin/demo_gen" --db "$DB" --incident b)
dates=${late##*: }

run_bf --no-progress pipeline "${RANGE[@]}" --keep-going --retries 0
check "late feed: exit 1" 1 "$RC"
check_contains "late feed: the team table names its 12 dates" \
    "team_offense_game_summary      1          906       12        0        0        0  0 failed, 0 check-failed, 12 partial, 0 blocked" "$OUT"
check "late feed: exactly the processors requiring it not started" \
    "ml_feature_store player_composite_factors player_daily_cache player_shot_zone_analysis team_defense_game_summary team_defense_zone_analysis" \
    "$(grep -E '^  [a-z_]+ +- ' <<<"$OUT" | awk '{print $1}' | sort | paste -sd' ')"
check_contains "late feed: and why" "not started: team_offense_game_summary failed" "$OUT"
check "late feed: the independent branches complete" 2 \
    "$(grep -cE '^  (upcoming_player_game_context|upcoming_team_game_context) +0 ' <<<"$OUT")"
# The player summaries read the team table as optional and run; their
# declared usage check refuses the late dates instead of publishing NULL
# usage rates, so what requires them does not start.
check_contains "late feed: NULL usage stopped by the usage check" \
    "player_game_summary            1          906       12        0        0        0  0 failed, 12 check-failed, 0 partial, 0 blocked" "$OUT"
check "late feed: no NULL usage rate published" 0 "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL")"

"$ROOT/bin/demo_gen" --db "$DB" --deliver-late >/dev/null
run_bf --no-progress pipeline "${RANGE[@]}"
check "repaired: exit 0" 0 "$RC"
check_contains "repaired: exactly the 12 failed player-summary dates redone" \
    "resuming: 906 dates already complete in $TMP/state/player_game_summary.json" "$OUT"
run_bf verify --outputs phase3,phase4 "${RANGE[@]}"
check "repaired: every output complete" 0 "$RC"
for p in team_offense_game_summary ml_feature_store; do
    run_bf verify "$p" "${RANGE[@]}" --audit
    check "repaired: $p complete by validation" 0 "$RC"
done

# One Phase 3 date tampered with: exactly it, and the Phase 4 dates whose
# window read it, are redone.
D=2024-01-10
sql "DELETE FROM player_game_summary WHERE game_date = '$D' AND rowid =
     (SELECT min(rowid) FROM player_game_summary WHERE game_date = '$D')"
rm -f "$TMP"/state/runs/*.jsonl
run_bf --no-progress pipeline "${RANGE[@]}"
check "tampered: exit 0" 0 "$RC"
redone() {
    jq -r 'select(.event == "date_committed") | "\(input_filename | split("/") | last | split("-") | first)"' \
        "$TMP"/state/runs/*.jsonl | sort | uniq -c | awk '{print $2 "=" $1}' | paste -sd' '
}
window=$(sql "SELECT count(DISTINCT game_date) FROM schedule WHERE game_date >= '$D' AND game_date <= date('$D', '+30 days')")
check "tampered: exactly the dates that read it" \
    "ml_feature_store=$window player_composite_factors=1 player_daily_cache=$window player_game_summary=1 player_shot_zone_analysis=$window team_defense_zone_analysis=$window" \
    "$(redone)"
