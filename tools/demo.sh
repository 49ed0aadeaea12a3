#!/usr/bin/env bash
# The demo behind `make demo`: a reproducible NBA warehouse, the two
# incidents that motivated backfill, and how it handles them.
set -u
cd "$(dirname "$0")/.."
BF="bin/backfill"
GEN="bin/demo_gen"
DB=var/demo.db
export BACKFILL_CONFIG=conf/backfill.conf
RANGE=(--start-date 2021-10-19 --end-date 2026-01-03)
PHASE3=(team_offense_game_summary player_game_summary team_defense_game_summary
        upcoming_player_game_context upcoming_team_game_context)
PHASE4=(team_defense_zone_analysis player_shot_zone_analysis player_composite_factors
        player_daily_cache ml_feature_store)
t0=$(date +%s)

screen() { printf '\n\033[1m== %s\033[0m\n%s\n\n' "$1" "$2"; }
fail() { echo "demo: $*" >&2; exit 1; }
# run_summary ARGS... : bin/backfill run, reduced to one line of counts
run_summary() {
    local out rc
    out=$($BF --no-progress run "$@" 2>/dev/null)
    rc=$?
    printf '%s (exit %d)\n' "$(grep -E '^summary|^  (complete|incomplete|failed|blocked|skipped) ' <<<"$out" |
        sed 's/ in [0-9.]* s//; s/ (bootstrap days)//' | tr -s ' ' | paste -sd' ')" "$rc"
}
nulls() {
    sqlite3 "$DB" "SELECT count(*) || ' on ' || count(DISTINCT game_date) || ' dates'
                   FROM player_game_summary WHERE usage_rate IS NULL"
}

screen "1. A warehouse, and a late feed" \
"Five NBA seasons from their real opening nights up to 2026-01-03: schedule, player and team
box scores, prop lines. On 12 busy dates the team box-score feed is late: 1 of 8 games arrived."
rm -rf "$DB" "$DB-wal" "$DB-shm" var/state
mkdir -p var
$GEN --db "$DB" || fail "generator failed"
late=$($GEN --db "$DB" --incident b) || fail "incident b"
echo "$late"
dates=${late##*: }

screen "2. The nightly Phase 3 run meets the late feed" \
"The operators' old runner saved 2 of 16 team rows on such dates and reported success.
backfill counts each date against the schedule (2 rows per game) before publishing it:"
echo "\$ $BF run team_offense_game_summary ${RANGE[*]} --keep-going"
out=$($BF --no-progress run team_offense_game_summary "${RANGE[@]}" --keep-going 2>/dev/null)
echo "exit $?"
grep -E '^  (complete|incomplete) ' <<<"$out"
grep -m 3 -E '^  20' <<<"$out"
echo "  ..."
echo "team rows published on those dates: $(sqlite3 "$DB" "SELECT count(*) FROM team_offense_game_summary
    WHERE instr(',$dates,', ',' || game_date || ',') > 0") (nothing partial)"
echo
echo "player_game_summary declares that table optional (its fallback: a NULL usage rate):"
run_summary player_game_summary "${RANGE[@]}"
echo "player rows with a NULL usage rate: $(nulls)"

screen "3. The feed catches up; re-run exactly the dates that need it" \
"The checkpoint knows which dates are incomplete; no hand-copied --dates lists."
$GEN --db "$DB" --deliver-late || fail "deliver-late"
$BF status team_offense_game_summary | tail -n 2
run_summary team_offense_game_summary --dates "$dates"
run_summary player_game_summary --dates "$dates" --no-resume
echo "player rows with a NULL usage rate: $(nulls)"

screen "4. Phase 3 left incomplete, and pre-flight refuses Phase 4" \
"The rest of Phase 3 is computed, then left as the operators found it on 2026-01-05.
Phase 4 skips the first 14 days of each season: 918 game dates - 70 = 848 expected."
for p in "${PHASE3[@]:2}"; do
    $BF -q --no-progress run "$p" "${RANGE[@]}" >/dev/null || fail "computing $p"
done
$GEN --db "$DB" --incident a >/dev/null || fail "incident a"
echo "\$ $BF verify player_composite_factors ${RANGE[*]}"
$BF verify player_composite_factors "${RANGE[@]}"
echo "(exit $?)"
report=$($BF verify team_defense_zone_analysis "${RANGE[@]}")
echo "team_defense_zone_analysis: $(tail -n 1 <<<"$report")"
grep -E '^  FAIL ' <<<"$report"
report=$($BF verify player_daily_cache "${RANGE[@]}")
echo "player_daily_cache: $(tail -n 1 <<<"$report")"
grep -E '^  (ok|FAIL) ' <<<"$report"
before=$(sha256sum "$DB")
echo
echo "\$ $BF run player_composite_factors ${RANGE[*]}"
$BF --no-progress run player_composite_factors "${RANGE[@]}" 2>/dev/null | tail -n 1
echo "(exit ${PIPESTATUS[0]}; the store is $([ "$before" = "$(sha256sum "$DB")" ] && echo byte-identical || echo CHANGED))"

screen "5. Backfill the incomplete Phase 3 tables, then Phase 4 in dependency order" \
"Each date is written, counted against upstream and published only if complete.
(--no-resume: the checkpoints still call the deleted dates complete.)
Bootstrap days are skipped, not missing."
for p in "${PHASE3[@]:2}"; do
    run_summary "$p" "${RANGE[@]}" --no-resume
done
for p in "${PHASE4[@]}"; do
    run_summary "$p" "${RANGE[@]}"
done

screen "6. Coverage" \
"Every published date of every table validated again, as a run would before publishing
(verify --audit); each table needs >= 95 %."
printf '%-30s %9s %9s %9s\n' table complete expected coverage
for p in "${PHASE3[@]}" "${PHASE4[@]}"; do
    $BF verify "$p" "${RANGE[@]}" --audit | grep '^audit of' |
        awk '{ sub(":", "", $3); printf "%-30s %9d %9d %8.1f%%\n", $3, $4, $6, 100 * $4 / $6 }'
done
echo
echo "demo finished in $(($(date +%s) - t0)) s. Try: $BF status ml_feature_store"
