#!/usr/bin/env bash
# The demo processors on a small generated league: exact row counts per
# processor and date from independent queries, usage rate NULL exactly where
# the team row is missing, idempotent re-runs, a deterministic generator.
. "$(dirname "$0")/lib.sh"
plan 72
demo_config
GEN="$ROOT/bin/demo_gen"
LEAGUE=(--teams 6 --start 2024-10-22 --end 2024-11-24)
RANGE=(--start-date 2024-10-22 --end-date 2024-11-24)

"$GEN" --db "$TMP/a.db" "${LEAGUE[@]}" --seed 7 >/dev/null
"$GEN" --db "$TMP/b.db" "${LEAGUE[@]}" --seed 7 >/dev/null
"$GEN" --db "$TMP/c.db" "${LEAGUE[@]}" --seed 8 >/dev/null
check "generator: same seed, identical warehouse" "$(sqlite3 "$TMP/a.db" .dump | sha256sum)" "$(sqlite3 "$TMP/b.db" .dump | sha256sum)"
check "generator: another seed, another warehouse" 1 "$([ "$(sqlite3 "$TMP/a.db" .dump | sha256sum)" != "$(sqlite3 "$TMP/c.db" .dump | sha256sum)" ] && echo 1)"
"$GEN" --db "$TMP/a.db" "${LEAGUE[@]}" >/dev/null 2>&1
check "generator: refuses to write over a warehouse" 1 "$?"
for bad in "" "--db" "--db x --teams 3" "--db x --start 2024-02-30" "--db x --incident c" \
    "--db x --incident a --teams 4" "--db x --incident b --deliver-late" "--db x --bogus" "--db x extra"; do
    read -ra args <<<"$bad"
    err=$("$GEN" "${args[@]}" 2>&1 >/dev/null)
    check "generator: usage error exits 2 [$bad]" 2 "$?"
    check "generator: in one line [$bad]" 1 "$(wc -l <<<"$err")"
done
"$GEN" --help | grep -q -- '--deliver-late'
check "generator: --help" 0 "$?"
"$GEN" --db "$TMP/a.db" --incident a >/dev/null 2>&1
check "generator: incident a needs the default range and Phase 3" 1 "$?"
"$GEN" --db "$DB" "${LEAGUE[@]}" --seed 7 >/dev/null
check "small league: 6 teams" 6 "$(sql "SELECT count(*) FROM (SELECT home_team FROM schedule UNION SELECT away_team FROM schedule)")"

ORDER=(team_offense_game_summary player_game_summary team_defense_game_summary
       upcoming_player_game_context upcoming_team_game_context team_defense_zone_analysis
       player_shot_zone_analysis player_composite_factors player_daily_cache ml_feature_store)
for p in "${ORDER[@]}"; do
    run_bf --no-progress run "$p" "${RANGE[@]}" --workers 2
    check "$p: runs clean" 0 "$RC"
done

# expected_per_date TABLE SQL : every date's row count in TABLE equals SQL's
# per-date count (game_date, n), and no date has rows SQL does not expect.
expect_counts() {
    local table=$1 want=$2
    check "$table: rows per date as upstream says" "0" "$(sql "
      WITH want AS ($want), got AS (SELECT game_date, count(*) AS n FROM $table GROUP BY game_date)
      SELECT count(*) FROM (
        SELECT w.game_date FROM want w LEFT JOIN got g USING (game_date) WHERE g.n IS NOT w.n
        UNION ALL SELECT g.game_date FROM got g LEFT JOIN want w USING (game_date) WHERE w.n IS NULL)")"
}
GAMES="SELECT game_date, 2 * count(*) AS n FROM schedule GROUP BY game_date"
PLAYED="SELECT game_date, count(*) AS n FROM player_boxscores WHERE minutes > 0 GROUP BY game_date"
DRESSED="SELECT game_date, count(*) AS n FROM player_boxscores GROUP BY game_date"
P4="game_date >= '2024-11-05'" # Phase 4 skips the season's first 14 days
expect_counts team_offense_game_summary "$GAMES"
expect_counts team_defense_game_summary "$GAMES"
expect_counts upcoming_team_game_context "$GAMES"
expect_counts player_game_summary "$PLAYED"
expect_counts upcoming_player_game_context "$DRESSED"
expect_counts team_defense_zone_analysis "SELECT * FROM ($GAMES) WHERE $P4"
for t in player_shot_zone_analysis player_composite_factors player_daily_cache ml_feature_store; do
    expect_counts "$t" "SELECT * FROM ($PLAYED) WHERE $P4"
done
check "team totals add up to the box scores" "$(sql "SELECT sum(points) FROM player_boxscores")" "$(sql "SELECT sum(points) FROM team_offense_game_summary")"
check "defense mirrors offense" "$(sql "SELECT sum(points) FROM team_offense_game_summary")" "$(sql "SELECT sum(opp_points) FROM team_defense_game_summary")"
check "team feed agrees with the player box scores" "$(sql "SELECT sum(points) FROM player_boxscores")" "$(sql "SELECT sum(points) FROM team_boxscores")"
check "usage rate present for every player who played" 0 "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL")"

# Usage rate is NULL exactly for the players whose team row is missing.
day=$(sql "SELECT game_date FROM schedule GROUP BY game_date HAVING count(*) = 2 ORDER BY 1 LIMIT 1 OFFSET 5")
gone=$(sql "SELECT team FROM team_offense_game_summary WHERE game_date = '$day' ORDER BY team LIMIT 1")
sql "DELETE FROM team_offense_game_summary WHERE game_date = '$day' AND team = '$gone'"
run_bf --no-progress run player_game_summary --dates "$day" --no-resume
check "missing team row: date still complete (usage falls back to NULL)" 0 "$RC"
check "NULL usage exactly for that team's players" \
    "$(sql "SELECT count(*) FROM player_boxscores WHERE game_date = '$day' AND team = '$gone' AND minutes > 0")" \
    "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL")"
check "and for no one else" 0 "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL AND (team <> '$gone' OR game_date <> '$day')")"
run_bf --no-progress verify team_offense_game_summary --dates "$day" --audit
check "audit finds the missing team row" 1 "$RC"
check_contains "audit names the date and figures" "$day incomplete incomplete: 3 of 4 expected rows" "$OUT"
late=$(sql "SELECT min(game_date) FROM schedule WHERE game_date >= '2024-11-05'")
sql "DELETE FROM team_offense_game_summary WHERE game_date = '$late' AND team = '$gone'"
run_bf --no-progress run player_game_summary --dates "$late" --no-resume
run_bf --no-progress run player_composite_factors --dates "$late" --no-resume --retries 0
check "composite factors refuse a date with NULL usage" 1 "$RC"
check_contains "and say why" "$late failed" "$OUT"
check_contains "naming the check" "failed quality checks: rows with a NULL composite (usage_rate missing upstream)" "$OUT"
run_bf --no-progress run team_offense_game_summary --dates "$day,$late" --no-resume
run_bf --no-progress run player_game_summary --dates "$day,$late" --no-resume
check "re-run restores every usage rate" 0 "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL")"

# A team line that disagrees with its players' box scores is not published.
sql "UPDATE team_boxscores SET points = points + 2 WHERE game_date = '$day' AND team = '$gone'"
before=$(sql "SELECT * FROM team_offense_game_summary WHERE game_date = '$day' ORDER BY team")
run_bf --no-progress run team_offense_game_summary --dates "$day" --no-resume --retries 0
check "team totals reconciled with the box scores" 1 "$RC"
check_contains "the failed check is named" "1 failed quality check: rows with team totals that disagree with the player box scores" "$OUT"
check "the date keeps its previous rows" "$before" "$(sql "SELECT * FROM team_offense_game_summary WHERE game_date = '$day' ORDER BY team")"
sql "UPDATE team_boxscores SET points = points - 2 WHERE game_date = '$day' AND team = '$gone'"

# Re-running any processor over a date leaves identical rows.
day=2024-11-12
for p in "${ORDER[@]}"; do
    before=$(sql "SELECT * FROM $p WHERE game_date = '$day' ORDER BY 1, 2, 3")
    run_bf --no-progress run "$p" --dates "$day" --no-resume
    check "$p: re-run leaves identical rows" "$before" "$(sql "SELECT * FROM $p WHERE game_date = '$day' ORDER BY 1, 2, 3")"
done

# An optional input that does not exist at all takes the fallback the
# dependency promises (usage rate NULL), instead of failing every date.
sql "ALTER TABLE team_offense_game_summary RENAME TO team_offense_saved"
run_bf --no-progress run player_game_summary --dates "$day" --no-resume --retries 0
check "optional table missing: the date completes" 0 "$RC"
check "optional table missing: every usage rate NULL that date" \
    "$(sql "SELECT count(*) FROM player_game_summary WHERE game_date = '$day'")" \
    "$(sql "SELECT count(*) FROM player_game_summary WHERE game_date = '$day' AND usage_rate IS NULL")"
sql "ALTER TABLE team_offense_saved RENAME TO team_offense_game_summary"
