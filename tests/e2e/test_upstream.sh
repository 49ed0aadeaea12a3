#!/usr/bin/env bash
# Proof across processors, on a small league: an upstream date counts only
# when its processor published it and the table still holds what was
# published; the checkpoint is compared with the store before resuming;
# a republished upstream date makes exactly the downstream dates that read
# it stale; a blocked date still holding rows is orphaned, then purged.
. "$(dirname "$0")/lib.sh"
plan 45
demo_config
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)
"$ROOT/bin/demo_gen" --db "$DB" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
run_bf list --graph
mapfile -t ORDER < <(sed -n 's/^ *[0-9]* \([a-z_]*\)$/\1/p' <<<"$OUT")
check "the graph orders the ten processors" 10 "${#ORDER[@]}"
for p in "${ORDER[@]}"; do
    run_bf --no-progress run "$p" "${RANGE[@]}" --workers 2
    check "$p: runs clean" 0 "$RC"
done
# window_dates D PROCESSOR-FIRST-DATE : Phase 4 dates whose 30-day window
# [date - 30, date] holds D.
window_dates() {
    sql "SELECT count(DISTINCT game_date) FROM schedule WHERE game_date >= '$1'
         AND game_date <= date('$1', '+30 days') AND game_date >= '2024-11-05'"
}
events_of() { cat "$TMP"/state/runs/"$1"-*.jsonl | jq -r "select(.event == \"$2\") | .date" | sort -u; }

# A partial upstream date blocks: team_offense cut to 2 rows on D, a date
# of two games or more.
D=$(sql "SELECT game_date FROM schedule WHERE game_date >= '2024-11-08' GROUP BY game_date
         HAVING count(*) >= 2 ORDER BY game_date LIMIT 1")
total=$(sql "SELECT count(*) FROM team_offense_game_summary WHERE game_date = '$D'")
sql "DELETE FROM team_offense_game_summary WHERE game_date = '$D' AND rowid NOT IN
     (SELECT rowid FROM team_offense_game_summary WHERE game_date = '$D' LIMIT 2)"
run_bf verify player_daily_cache --dates "$D"
check_contains "partial upstream: counted apart" "team_offense_game_summary 0/1 (0.0%)  0 missing  1 partial  0 unverified  required" "$OUT"
check "partial upstream: refused" 3 "$RC"
before=$(dump | sha256sum)
run_bf --no-progress run player_daily_cache --dates "$D"
check "partial upstream: a run of that date is refused" 3 "$RC"
check "partial upstream: store byte-identical" "$before" "$(dump | sha256sum)"
run_bf --no-progress run player_daily_cache "${RANGE[@]}"
check "partial upstream: over the range, the gate passes (19/20) and dates are blocked" 1 "$RC"
blocked=$(window_dates "$D")
check_contains "partial upstream: every date whose window reads D is blocked" \
    "$blocked dates blocked: a required upstream date in the window is missing or partial" "$OUT"
check_contains "partial upstream: named with its figures" \
    "blocked: required upstream team_offense_game_summary is partial on $D (2 rows, $total published)" "$OUT"
check_contains "orphans: reported" "$blocked of them orphaned" "$OUT"
check "orphans: their old rows are still there" "$blocked" \
    "$(sql "SELECT count(DISTINCT game_date) FROM player_daily_cache WHERE game_date >= '$D' AND game_date <= date('$D', '+30 days')")"
run_bf --no-progress run player_daily_cache "${RANGE[@]}" --purge-orphans
check_contains "orphans: purged" "purged $blocked orphaned dates" "$OUT"
check "orphans: rows gone" 0 \
    "$(sql "SELECT count(*) FROM player_daily_cache WHERE game_date >= '$D' AND game_date <= date('$D', '+30 days')")"
check "orphans: purge recorded" "$blocked" "$(events_of player_daily_cache date_purged | wc -l)"

# The repair: team_offense republished on D. player_game_summary read it
# (optionally) on D: exactly that date is stale, and redone.
run_bf --no-progress run team_offense_game_summary --dates "$D" --no-resume
check "repair: team offense complete again" 0 "$RC"
rm -f "$TMP"/state/runs/player_game_summary-*.jsonl
run_bf --no-progress run player_game_summary "${RANGE[@]}"
check_contains "repair: the one stale date is named" "1 date is stale: an upstream date it read was republished since; redoing it" "$OUT"
check "repair: exactly D redone" "$D" "$(events_of player_game_summary date_committed)"

# player_game_summary republished on D: exactly the Phase 4 dates whose
# window holds D are stale, per processor, checked against the windows.
for p in player_shot_zone_analysis team_defense_zone_analysis; do
    rm -f "$TMP"/state/runs/$p-*.jsonl
    run_bf --no-progress run "$p" "${RANGE[@]}"
    check "$p: stale dates redone, exit 0" 0 "$RC"
    check "$p: exactly the dates whose window read D" "$(window_dates "$D")" "$(events_of "$p" date_committed | wc -l)"
done
rm -f "$TMP"/state/runs/player_composite_factors-*.jsonl
run_bf --no-progress run player_composite_factors "${RANGE[@]}"
check "player_composite_factors (no window): only D redone" "$D" "$(events_of player_composite_factors date_committed)"
run_bf --no-progress run player_composite_factors "${RANGE[@]}" --no-stale
check "a second run redoes nothing" 0 "$(grep -c 'stale\|changed' <<<"$OUT")"

# A tampered published date is compared with the store and redone.
T=2024-11-19
n=$(sql "SELECT count(*) FROM player_composite_factors WHERE game_date = '$T'")
sql "DELETE FROM player_composite_factors WHERE game_date = '$T' AND rowid IN
     (SELECT rowid FROM player_composite_factors WHERE game_date = '$T' LIMIT 5)"
run_bf --no-progress run player_composite_factors --dates "$T"
check "tampered: exit 0" 0 "$RC"
check_contains "tampered: says so" "1 date changed in the store since it was published; redoing it" "$OUT"
check "tampered: rows restored" "$n" "$(sql "SELECT count(*) FROM player_composite_factors WHERE game_date = '$T'")"

# Pre-flight asks the store once per table: one grouped count each.
rm -f "$TMP/trace"
BACKFILL_SQL_TRACE="$TMP/trace" run_bf verify ml_feature_store "${RANGE[@]}"
check "one grouped count per table, none per date" 6 "$(grep -c 'count(\*) FROM `[a-z_]*` WHERE `game_date` BETWEEN ? AND ? GROUP BY' "$TMP/trace")"

# status judges against the store too: a tampered date is no longer
# complete there, and the re-run command names it.
sql "DELETE FROM player_composite_factors WHERE game_date = '$T' AND rowid IN
     (SELECT rowid FROM player_composite_factors WHERE game_date = '$T' LIMIT 5)"
run_bf status player_composite_factors
check_contains "status: the store now" "in the store now: complete 19 partial 1 skipped 14" "$OUT"
check_contains "status: re-runs the tampered date" "run player_composite_factors --dates $T" "$OUT"
run_bf --json status player_composite_factors
check "status --json: store_now" "19 1" "$(jq -r '"\(.store_now.complete) \(.store_now.partial)"' <<<"$OUT")"

# Dates another tool wrote (no checkpoint knows them) keep the presence
# rule, reported apart; verify --audit --adopt records the ones that pass.
mv "$TMP/state/team_defense_game_summary.json" "$TMP/tdgs.json"
run_bf verify team_defense_zone_analysis "${RANGE[@]}"
check_contains "unverified: counted by presence, reported apart" "team_defense_game_summary 20/20 (100.0%)  0 missing  0 partial  20 unverified" "$OUT"
run_bf verify team_defense_game_summary "${RANGE[@]}" --adopt
check "adopt needs --audit" 2 "$RC"
run_bf verify team_defense_game_summary "${RANGE[@]}" --audit --adopt
check "adopt: exit 0" 0 "$RC"
check_contains "adopt: says how many" "adopted 34 dates written by another tool into $TMP/state/team_defense_game_summary.json" "$OUT"
run_bf verify team_defense_zone_analysis "${RANGE[@]}"
check_contains "adopted: now verified" "team_defense_game_summary 20/20 (100.0%)  0 missing  0 partial  0 unverified" "$OUT"

# verify counts the processor's own dates by state too.
run_bf verify player_composite_factors "${RANGE[@]}"
check_contains "verify: the store now" "player_composite_factors in the store now: complete 19 partial 1 skipped 14" "$OUT"
