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
fix=2024-01-10 # the date screen 6 corrects
t0=$(date +%s)

screen() { printf '\n\033[1m== %s\033[0m\n%s\n\n' "$1" "$2"; }
fail() { echo "demo: $*" >&2; exit 1; }
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

screen "2. The nightly Phase 3 pipeline meets the late feed" \
"The operators' old runner saved 2 of 16 team rows on such dates and reported success.
backfill counts each date against the schedule (2 rows per game) before publishing it.
The order comes from what each processor reads (backfill list --graph):"
echo "\$ $BF pipeline ${RANGE[*]} --targets phase3 --keep-going"
out=$($BF --no-progress pipeline "${RANGE[@]}" --targets phase3 --keep-going 2>/dev/null)
echo "exit $?"
sed -n '/^pipeline summary/,$p' <<<"$out"
echo "team rows published on those dates: $(sqlite3 "$DB" "SELECT count(*) FROM team_offense_game_summary
    WHERE instr(',$dates,', ',' || game_date || ',') > 0") (nothing partial)"
echo "player_game_summary reads that table as optional (its fallback is a NULL usage rate),"
echo "so it ran; the quality check it declares refused those dates instead of publishing them:"
refused=$(grep -E '^  20[0-9-]+ failed +check usage_rate_coverage' <<<"$out")
[ "$(grep -c . <<<"$refused")" = 12 ] || fail "expected 12 player dates refused by the usage check"
head -n 3 <<<"$refused"
echo "  ... 12 dates, rolled back and retried"
echo "player rows with a NULL usage rate: $(nulls)"

screen "3. The feed catches up; the same command again" \
"The checkpoint knows which dates are incomplete or failed; no hand-copied --dates lists.
The team dates complete, then the 12 player-summary dates pass their usage check."
$GEN --db "$DB" --deliver-late || fail "deliver-late"
out=$($BF --no-progress pipeline "${RANGE[@]}" --targets phase3 2>/dev/null)
echo "exit $?"
grep -E '^resuming: 906 ' <<<"$out" | sed 's|conf/\.\./||' || true
sed -n '/^pipeline summary/,$p' <<<"$out"
echo "player rows with a NULL usage rate: $(nulls). Coverage over the range, in one command:"
echo "\$ $BF verify --quality player_game_summary ${RANGE[*]}"
$BF verify --quality player_game_summary "${RANGE[@]}" | grep -v '^    20'
echo "(exit ${PIPESTATUS[0]})"

screen "4. Phase 3 left incomplete, and pre-flight refuses Phase 4" \
"Then the warehouse is left as the operators found it on 2026-01-05: rows of three
Phase 3 tables deleted by hand. Phase 4 skips the first 14 days of each season:
918 game dates - 70 = 848 expected."
$GEN --db "$DB" --incident a >/dev/null || fail "incident a"
echo "\$ $BF verify player_composite_factors ${RANGE[*]}"
$BF verify player_composite_factors "${RANGE[@]}"
echo "(exit $?)"
before=$(sha256sum "$DB")
echo
echo "\$ $BF run player_composite_factors ${RANGE[*]}"
$BF --no-progress run player_composite_factors "${RANGE[@]}" 2>/dev/null | tail -n 1
echo "(exit ${PIPESTATUS[0]}; the store is $([ "$before" = "$(sha256sum "$DB")" ] && echo byte-identical || echo CHANGED))"
$BF gaps "${RANGE[@]}" --html var/gaps-incident.html | sed 's/^/gaps: /'

screen "5. The whole graph in one command" \
"The checkpoints are never trusted alone: the deleted dates are found changed in the store
and redone first; each Phase 4 processor starts once what it reads is complete, and its
gate is judged then. Processors whose inputs are ready run at once on shared workers."
echo "\$ $BF pipeline ${RANGE[*]}"
out=$($BF --no-progress pipeline "${RANGE[@]}" 2>/dev/null)
echo "exit $?"
grep -E '^== |changed in the store' <<<"$out" | grep -B1 'changed in the store' | grep -v '^--'
sed -n '/^pipeline summary/,$p' <<<"$out"

screen "6. A corrected box score: exactly what read it is redone" \
"On $fix one player's points are corrected in the raw box scores, and his team's line with
them (row counts unchanged). Every published date recorded a checksum of the raw rows its
windows read: the dates that read $fix are stale, and the dry run says so before anything runs."
sqlite3 "$DB" "UPDATE team_boxscores SET points = points + 1 WHERE game_date = '$fix' AND team =
    (SELECT team FROM player_boxscores WHERE rowid = (SELECT min(rowid) FROM player_boxscores
     WHERE game_date = '$fix' AND minutes > 0));
  UPDATE player_boxscores SET points = points + 1 WHERE game_date = '$fix' AND rowid =
    (SELECT min(rowid) FROM player_boxscores WHERE game_date = '$fix' AND minutes > 0)"
echo "\$ $BF pipeline ${RANGE[*]} --dry-run"
$BF pipeline "${RANGE[@]}" --dry-run | sed -n '2,12p'
echo "\$ $BF pipeline ${RANGE[*]}"
out=$($BF --no-progress pipeline "${RANGE[@]}" 2>/dev/null)
echo "exit $?"
grep -E '^== |stale' <<<"$out" | grep -B1 'stale' | grep -v '^--'

screen "7. A code fix ships as version 2: every date it built is outdated" \
"The usage-rate fix ships as version 2 of player_game_summary (its descriptor's version).
Every published date records the code and config that built it: all 918 player-summary
dates are outdated and redone, then the Phase 4 dates that read them are stale and redone."
rm -rf var/plugins
mkdir -p var/plugins
cp plugins/*.so var/plugins/
cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -fPIC -shared '-DNBA_VERSION="2"' \
    -o var/plugins/player_game_summary.so plugins/player_game_summary/player_game_summary.c ||
    fail "building version 2"
sed 's|plugin_dir = "../plugins"|plugin_dir = "../var/plugins"|' conf/backfill.conf >var/backfill-v2.conf
export BACKFILL_CONFIG=var/backfill-v2.conf
echo "\$ $BF pipeline ${RANGE[*]} --dry-run"
$BF pipeline "${RANGE[@]}" --dry-run | sed -n '2,12p'
echo "\$ $BF pipeline ${RANGE[*]}"
out=$($BF --no-progress pipeline "${RANGE[@]}" 2>/dev/null)
echo "exit $?"
grep -E '^== |outdated|stale' <<<"$out" | grep -B1 'outdated\|stale' | grep -v '^--'

screen "8. Coverage" \
"Every output table judged over the range: complete, partial, missing, stale, orphaned."
$BF verify --outputs phase3,phase4 "${RANGE[@]}"
echo "(exit $?)"
echo
echo "\$ $BF gaps ${RANGE[*]} --html var/gaps.html"
$BF gaps "${RANGE[@]}" --html var/gaps.html
echo "every date of every table, before the repair: $PWD/var/gaps-incident.html"
echo "and now:                                      $PWD/var/gaps.html"
echo
echo "demo finished in $(($(date +%s) - t0)) s. Try: $BF list --graph, $BF status ml_feature_store"
