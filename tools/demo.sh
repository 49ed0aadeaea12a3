#!/usr/bin/env bash
# The demo behind `make demo`: a reproducible NBA warehouse, the two
# incidents that motivated backfill, and how it handles them.
set -u
cd "$(dirname "$0")/.."
BF="bin/backfill"
export BACKFILL_CONFIG=conf/backfill.conf
RANGE=(--start-date 2021-10-19 --end-date 2026-01-03)
PHASE3=(team_offense_game_summary player_game_summary team_defense_game_summary
        upcoming_player_game_context upcoming_team_game_context)
PHASE4=(team_defense_zone_analysis player_shot_zone_analysis player_composite_factors
        player_daily_cache ml_feature_store)
t0=$(date +%s)

screen() { printf '\n\033[1m== %s\033[0m\n%s\n\n' "$1" "$2"; }
fail() { echo "demo: $*" >&2; exit 1; }
# run_summary ARGS... : bin/backfill run, reduced to its summary counts
run_summary() {
    local out rc
    out=$($BF --no-progress run "$@")
    rc=$?
    printf '%s (exit %d)\n' "$(grep -E '^summary|^  (complete|incomplete|failed|blocked|skipped) ' <<<"$out" |
        sed 's/ (bootstrap days)//; s/ in [0-9.]* s//' | tr -s ' ' | paste -sd' ')" "$rc"
}

screen "1. A warehouse" "Four NBA seasons and the start of a fifth: schedule, box scores, prop lines."
rm -rf var/demo.db var/demo.db-wal var/demo.db-shm var/state
mkdir -p var
bin/nba_warehouse --db var/demo.db || fail "generator failed"
echo "Phase 3 is computed, then left as the operators found it on 2026-01-05:"
for p in "${PHASE3[@]}"; do
    $BF -q --no-progress run "$p" "${RANGE[@]}" >/dev/null || fail "setting up $p"
done
bin/nba_warehouse --db var/demo.db --incident a || fail "incident a"
rm -rf var/state # the story starts with no run history

screen "2. Pre-flight refuses Phase 4" \
"Phase 4 processors skip the first 14 days of each season: 918 game dates - 70 = 848 expected.
Each one checks its upstream tables before writing anything."
for p in "${PHASE4[@]:0:4}"; do
    report=$($BF verify "$p" "${RANGE[@]}")
    echo "$p: $(tail -n 1 <<<"$report")"
    grep -E '^  (ok|FAIL|warn) ' <<<"$report"
done
before=$(sha256sum var/demo.db)
echo
echo "\$ $BF run player_composite_factors ${RANGE[*]}"
$BF --no-progress run player_composite_factors "${RANGE[@]}" | tail -n 1
echo "(exit ${PIPESTATUS[0]}; the store is $([ "$before" = "$(sha256sum var/demo.db)" ] && echo byte-identical || echo CHANGED))"

screen "3. Backfill the incomplete Phase 3 tables" "Each date is written, counted against upstream and published only if complete."
for p in team_defense_game_summary upcoming_player_game_context upcoming_team_game_context; do
    run_summary "$p" "${RANGE[@]}"
done

screen "4. Phase 4 over the full range, in dependency order" "Bootstrap days are skipped, not missing."
for p in "${PHASE4[@]}"; do
    run_summary "$p" "${RANGE[@]}"
done

screen "5. The silent partial save" \
"The old nightly run saved 2 of 16 team rows on some dates and still said 'successful';
player_game_summary then computed NULL usage rates from the missing rows."
dates=$(bin/nba_warehouse --db var/demo.db --incident b | sed 's/.* on //')
$BF -q --no-progress run player_game_summary --dates "$dates" --no-resume >/dev/null
nulls() { sqlite3 var/demo.db "SELECT count(*) FROM player_game_summary WHERE usage_rate IS NULL"; }
echo "player rows with a NULL usage rate: $(nulls)"
echo
echo "Phase 4 does not pass them on: its quality check rolls those dates back, keeping their rows:"
$BF -q --no-progress run player_composite_factors --dates "$dates" --no-resume --keep-going --retries 0 2>/dev/null |
    grep -m 2 -E '^  20'
echo
echo "An audit validates what is published, as a run would before publishing:"
audit=$($BF verify team_offense_game_summary "${RANGE[@]}" --audit)
grep -m 3 -E '^  20' <<<"$audit"
echo "  ..."
grep -A 2 '^audit of' <<<"$audit"
echo
echo "Re-running exactly those dates, then the table that read them:"
run_summary team_offense_game_summary --dates "$dates" --no-resume
run_summary player_game_summary --dates "$dates" --no-resume
run_summary player_composite_factors --dates "$dates" --no-resume
echo "player rows with a NULL usage rate: $(nulls)"

screen "6. Final audit: every table, every expected date" "Every published date validated again; each table needs >= 95 % and has 100 %."
for p in "${PHASE3[@]}" "${PHASE4[@]}"; do
    $BF verify "$p" "${RANGE[@]}" --audit | grep '^audit of'
done
echo
echo "demo finished in $(($(date +%s) - t0)) s. Try: $BF status ml_feature_store"
