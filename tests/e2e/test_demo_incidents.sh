#!/usr/bin/env bash
# The two incidents on the full demo warehouse, with the operators' figures:
# (b) a late team box-score feed is refused date by date instead of being
# saved as 2 of 16 rows; (a) Phase 3 left incomplete refuses Phase 4.
. "$(dirname "$0")/lib.sh"
plan 44
demo_config
GEN="$ROOT/bin/demo_gen"
RANGE=(--start-date 2021-10-19 --end-date 2026-01-03)
summary=$("$GEN" --db "$DB")
check "warehouse: the operators' calendar" \
    "warehouse: 918 game dates (70 in the first 14 days of a season), 5878 games, 152828 player-game rows, 51229 prop lines" "$summary"
check "warehouse: 918 game dates, 70 of them in a season's first 14 days" "918 70" "$(sql "
    SELECT count(*) || ' ' || sum(d.game_date < date(s.open, '+14 days'))
    FROM (SELECT game_date, min(season) AS season FROM schedule GROUP BY game_date) d
    JOIN (SELECT season, min(game_date) AS open FROM schedule GROUP BY season) s USING (season)")"
check "warehouse: 1,230 regular-season games a season" "1230 1230 1230 1230" \
    "$(sql "SELECT group_concat(n, ' ') FROM (SELECT count(*) n FROM schedule WHERE season_type = 'regular' AND season < 2025 GROUP BY season)")"
check "warehouse: 82 games per team and season" "82 82" "$(sql "
    SELECT min(n) || ' ' || max(n) FROM (SELECT team, season, count(*) n FROM (
        SELECT home_team team, season FROM schedule WHERE season_type = 'regular' AND season < 2025
        UNION ALL SELECT away_team, season FROM schedule WHERE season_type = 'regular' AND season < 2025)
    GROUP BY team, season)")"
check "warehouse: 30 teams" 30 "$(sql "SELECT count(DISTINCT home_team) FROM schedule")"
check "warehouse: opening nights" "2021-10-19 2022-10-18 2023-10-24 2024-10-22 2025-10-21" \
    "$(sql "SELECT group_concat(d, ' ') FROM (SELECT min(game_date) d FROM schedule GROUP BY season)")"
check "warehouse: box scores add up" 0 "$(sql "SELECT count(*) FROM player_boxscores WHERE fgm > fga
    OR fg3m > fg3a OR ftm > fta OR three_fga <> fg3a OR three_fgm <> fg3m
    OR paint_fga + mid_fga + three_fga <> fga OR paint_fgm + mid_fgm + three_fgm <> fgm
    OR points <> 2 * (fgm - fg3m) + 3 * fg3m + ftm")"

# Incident (b): the team box-score feed is late on 12 dates with 8 games.
late=$("$GEN" --db "$DB" --incident b)
dates=${late##*: }
check "incident b: 12 dates, 7 of 8 games late on each" \
    "incident b: 168 team box-score rows late, 1 of 8 games delivered on 12 dates" "${late%: *}"
again=$("$GEN" --db "$DB" --incident b)
check "incident b: same seed, same dates" "$dates" "${again##*: }"
run_bf --no-progress run team_offense_game_summary "${RANGE[@]}" --keep-going --workers 2 --retries 0
check "incident b: the run does not report success" 1 "$RC"
check_contains "incident b: 906 dates complete" "  complete        906" "$OUT"
check_contains "incident b: 12 dates partial" "  partial          12" "$OUT"
check "incident b: each of them 2 of 16" "$(tr ',' '\n' <<<"$dates" | sed 's/$/ partial      incomplete: 2 of 16 expected rows/')" \
    "$(grep -E '^  20' <<<"$OUT" | sed 's/^  //')"
check "incident b: nothing partial published" 0 \
    "$(sql "SELECT count(*) FROM team_offense_game_summary WHERE instr(',$dates,', ',' || game_date || ',') > 0")"
run_bf status team_offense_game_summary
check "incident b: status re-runs exactly those dates" "--dates $dates" "$(grep -o -- '--dates .*' <<<"$OUT")"
# player_game_summary reads the team table as optional, so it runs; its
# declared usage check refuses the dates whose team rows are missing.
run_bf --no-progress run player_game_summary "${RANGE[@]}" --workers 2 --keep-going \
    --skip-preflight --reason "late team feed"
check "incident b: the usage check fails the run" 1 "$RC"
check_contains "incident b: 906 player dates complete" "  complete        906" "$OUT"
check_contains "incident b: 12 check-failed" "  check-failed     12" "$OUT"
check "incident b: exactly the late dates, each with its NULL share" \
    "$(tr ',' '\n' <<<"$dates" | sed 's/$/ check-failed check usage_rate_coverage: not_null(usage_rate | minutes > 0): 100.0 % NULL, limit 5 %/')" \
    "$(grep -E '^  20' <<<"$OUT" | sed 's/^  //')"
check "incident b: no NULL usage rate published" 0 \
    "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL")"
check "incident b: the checkpoint records the measured share" "12 1" \
    "$(jq -r '[.dates[] | select(.status == "check-failed") | .checks.usage_rate_coverage] | "\(length) \(unique | join(","))"' "$TMP/state/player_game_summary.json")"
# What the operators' old runner did: it saved the 2 of 16 team rows that
# had arrived. Usage computed from those partial rows fails the check too.
sql "INSERT INTO team_offense_game_summary SELECT game_date, game_id, team, opponent, home, points,
    fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, ast, stl, blk, tov, minutes, NULL, NULL
    FROM team_boxscores WHERE instr(',$dates,', ',' || game_date || ',') > 0"
run_bf --no-progress run player_game_summary --dates "$dates" --keep-going --retries 0
check "partial team rows: the usage check fails every late date" 1 "$RC"
check "partial team rows: each date's NULL share, from the players whose team row is missing" \
    "$(sql "SELECT b.game_date || ' check-failed check usage_rate_coverage: not_null(usage_rate | minutes > 0): '
        || printf('%.1f', 100.0 * sum(t.team IS NULL) / count(*)) || ' % NULL, limit 5 %'
        FROM player_boxscores b LEFT JOIN team_offense_game_summary t
        ON t.game_id = b.game_id AND t.team = b.team
        WHERE b.minutes > 0 AND instr(',$dates,', ',' || b.game_date || ',') > 0
        GROUP BY b.game_date ORDER BY 1")" \
    "$(grep -E '^  20' <<<"$OUT" | sed 's/^  //')"
sql "DELETE FROM team_offense_game_summary WHERE instr(',$dates,', ',' || game_date || ',') > 0"
run_bf verify --quality player_game_summary "${RANGE[@]}"
check "verify --quality: nothing failing is published" 0 "$RC"

"$GEN" --db "$DB" --deliver-late >/dev/null
check "deliver-late: the feed is whole" "$(sql "SELECT 2 * count(*) FROM schedule")" "$(sql "SELECT count(*) FROM team_boxscores")"
run_bf --no-progress run team_offense_game_summary --dates "$dates"
check "deliver-late: re-running exactly those dates succeeds" 0 "$RC"
check_contains "deliver-late: all 12 complete" "  complete         12" "$OUT"
check "deliver-late: 16 of 16 on each date" "12 16 16" \
    "$(sql "SELECT count(*) || ' ' || min(n) || ' ' || max(n) FROM (SELECT count(*) n FROM team_offense_game_summary WHERE instr(',$dates,', ',' || game_date || ',') > 0 GROUP BY game_date)")"
run_bf --no-progress run player_game_summary --dates "$dates"
check "deliver-late: the failed player dates now pass their check" 0 "$RC"
check_contains "deliver-late: all 12 player dates complete" "  complete         12" "$OUT"
check "deliver-late: every player with minutes has a usage rate" 0 \
    "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL AND minutes > 0")"

# A late feed after publication: the dates keep their complete rows.
before=$(sql "SELECT * FROM team_offense_game_summary ORDER BY game_date, game_id, team" | sha256sum)
"$GEN" --db "$DB" --incident b >/dev/null
run_bf --no-progress run team_offense_game_summary --dates "$dates" --no-resume --keep-going --retries 0
check "late feed again: refused" 1 "$RC"
check "late feed again: published rows unchanged" "$before" \
    "$(sql "SELECT * FROM team_offense_game_summary ORDER BY game_date, game_id, team" | sha256sum)"
"$GEN" --db "$DB" --deliver-late >/dev/null

# Incident (a): Phase 3 as reported on 2026-01-05.
for p in team_defense_game_summary upcoming_player_game_context upcoming_team_game_context; do
    "$BF" -q --no-progress run "$p" "${RANGE[@]}" --workers 2 >/dev/null || not_ok "setup $p" "exit $?"
done
"$GEN" --db "$DB" --incident a >/dev/null
before=$(sha256sum "$DB")
run_bf verify player_composite_factors "${RANGE[@]}"
check "incident a: verify refuses" 3 "$RC"
check_contains "incident a: 848 expected dates" "918 calendar dates, 70 skipped as bootstrap, 848 expected" "$OUT"
check_contains "incident a: upcoming players 446/848" "FAIL upcoming_player_game_context 446/848 (52.6%)  402 missing" "$OUT"
check_contains "incident a: upcoming teams 496/848" "FAIL upcoming_team_game_context   496/848 (58.5%)  352 missing" "$OUT"
check_contains "incident a: player summaries 848/848" "ok   player_game_summary          848/848 (100.0%)" "$OUT"
run_bf verify team_defense_zone_analysis "${RANGE[@]}"
check "incident a: zone analysis refused" 3 "$RC"
check_contains "incident a: team defense 776/848" "FAIL team_defense_game_summary 776/848 (91.5%)  72 missing" "$OUT"
run_bf verify player_daily_cache "${RANGE[@]}"
check "incident a: daily cache may run" 0 "$RC"
check_contains "incident a: team offense 848/848" "ok   team_offense_game_summary 848/848 (100.0%)" "$OUT"
run_bf --no-progress run player_composite_factors "${RANGE[@]}"
check "incident a: run refused" 3 "$RC"
check "incident a: store untouched" "$before" "$(sha256sum "$DB")"
