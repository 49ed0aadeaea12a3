#!/usr/bin/env bash
# The two incidents on the full demo warehouse, with the operators' figures.
. "$(dirname "$0")/lib.sh"
demo_config
RANGE=(--start-date 2021-10-19 --end-date 2026-01-03)
summary=$("$ROOT/bin/nba_warehouse" --db "$DB")
check "warehouse: the operators' calendar" \
    "warehouse: 918 game dates (70 in the first 14 days of a season), 5878 games, 152828 player-game rows, 51229 prop lines" "$summary"
check "warehouse: 1,230 regular-season games a season" "1230 1230 1230 1230" \
    "$(sql "SELECT group_concat(n, ' ') FROM (SELECT count(*) n FROM schedule WHERE season_type = 'regular' AND season < 2025 GROUP BY season)")"
check "warehouse: 30 teams" 30 "$(sql "SELECT count(DISTINCT home_team) FROM schedule")"
check "warehouse: opening nights" "2021-10-19 2022-10-18 2023-10-24 2024-10-22 2025-10-21" \
    "$(sql "SELECT group_concat(d, ' ') FROM (SELECT min(game_date) d FROM schedule GROUP BY season)")"
for p in team_offense_game_summary player_game_summary team_defense_game_summary \
    upcoming_player_game_context upcoming_team_game_context; do
    "$BF" -q --no-progress run "$p" "${RANGE[@]}" --workers 2 >/dev/null || not_ok "setup $p" "exit $?"
done

# Incident (a): Phase 3 as reported on 2026-01-05.
"$ROOT/bin/nba_warehouse" --db "$DB" --incident a >/dev/null
before=$(sha256sum "$DB")
run_bf verify player_composite_factors "${RANGE[@]}"
check "incident a: verify refuses" 3 "$RC"
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

# Incident (b): 2 of 16 team rows saved on 12 dates.
for p in team_defense_game_summary upcoming_player_game_context upcoming_team_game_context; do
    "$BF" -q --no-progress run "$p" "${RANGE[@]}" --workers 2 >/dev/null || not_ok "repair $p" "exit $?"
done
dates=$("$ROOT/bin/nba_warehouse" --db "$DB" --incident b | sed 's/.* on //')
check "incident b: 12 dates" 12 "$(tr ',' '\n' <<<"$dates" | wc -l)"
run_bf --no-progress run player_game_summary --dates "$dates" --no-resume
check "incident b: NULL usage for the missing teams' players" \
    "$(sql "SELECT count(*) FROM player_boxscores b WHERE minutes > 0 AND instr(',$dates,', ',' || game_date || ',') > 0
            AND NOT EXISTS (SELECT 1 FROM team_offense_game_summary t WHERE t.game_id = b.game_id AND t.team = b.team)")" \
    "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL")"
run_bf --no-progress verify team_offense_game_summary "${RANGE[@]}" --audit
check "incident b: the processor's own validation finds them" 1 "$RC"
check "incident b: exactly those dates, 2 of 16 each" 12 "$(grep -c 'incomplete incomplete: 2 of 16 expected rows' <<<"$OUT")"
check_contains "incident b: audit total" "audit of team_offense_game_summary: 906 of 918 expected dates complete as published" "$OUT"
rerun=$(grep -A1 '^re-run exactly these dates:' <<<"$OUT" | tail -n 1)
check "incident b: re-run command names exactly those dates" "--dates $dates --no-resume" "$(grep -o -- '--dates .*' <<<"$rerun")"
run_bf --no-progress run team_offense_game_summary --dates "$dates" --no-resume
check "incident b: re-run restores them" 0 "$RC"
check "incident b: 16 of 16 on each date" "12 16 16" \
    "$(sql "SELECT count(*) || ' ' || min(n) || ' ' || max(n) FROM (SELECT count(*) n FROM team_offense_game_summary WHERE instr(',$dates,', ',' || game_date || ',') > 0 GROUP BY game_date)")"
run_bf --no-progress run player_game_summary --dates "$dates" --no-resume
check "incident b: every player with minutes has a usage rate again" 0 "$(sql "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL AND minutes > 0")"
