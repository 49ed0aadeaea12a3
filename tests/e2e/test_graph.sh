#!/usr/bin/env bash
# The processor graph: the demo's derived order, list --graph and --dot, and
# the faults refused at load (a cycle, two writers of one table, a writer of
# the calendar, a group naming no processor).
. "$(dirname "$0")/lib.sh"
plan 56
GRAPH="$ROOT/tests/plugins/graph"

# ---- the ten demo processors ----------------------------------------------
demo_config
run_bf list
check "demo list exits 0" 0 "$RC"
LISTED=$OUT
run_bf list --graph
check "list --graph exits 0" 0 "$RC"
ORDER=$(sed -n 's/^ *[0-9][0-9]* \([a-z_]*\).*/\1/p' <<<"$OUT" | tr '\n' ' ')
check "demo order: derived, ties by name" \
    "team_offense_game_summary player_game_summary player_daily_cache player_shot_zone_analysis \
team_defense_game_summary team_defense_zone_analysis upcoming_player_game_context \
upcoming_team_game_context player_composite_factors ml_feature_store " "$ORDER"

# Every processor comes after the writer of every table it reads, judged
# from the plain `list` (what each declares), not from the graph's output.
position() { tr ' ' '\n' <<<"$ORDER" | grep -nx "$1" | cut -d: -f1; }
declare -A writer
while read -r name _ table _; do writer[$table]=$name; done < <(grep -E '^[a-z_]+ +-> ' <<<"$LISTED")
misplaced="" edges=0
while read -r line; do
    case "$line" in
    requires* | optional*)
        table=${line#* }
        table=${table%.*}
        up=${writer[$table]:-}
        if [ -n "$up" ]; then
            edges=$((edges + 1))
            [ "$(position "$up")" -lt "$(position "$reader")" ] || misplaced="$misplaced $up>$reader"
        fi
        ;;
    *) reader=${line%% *} ;;
    esac
done <<<"$LISTED"
check "every demo processor after everything it reads" "" "$misplaced"
check "demo edges: one per dependency on a processor's table" 15 "$edges"

# The operators' own required-by edges (DESIGN.md), written out by hand.
bad=""
for e in player_game_summary:team_defense_zone_analysis player_game_summary:player_shot_zone_analysis \
    player_game_summary:player_composite_factors player_game_summary:player_daily_cache \
    player_game_summary:ml_feature_store team_defense_game_summary:team_defense_zone_analysis \
    team_offense_game_summary:player_daily_cache upcoming_player_game_context:player_composite_factors \
    upcoming_team_game_context:player_composite_factors team_defense_zone_analysis:ml_feature_store \
    player_shot_zone_analysis:ml_feature_store player_composite_factors:ml_feature_store \
    player_daily_cache:ml_feature_store; do
    [ "$(position "${e%%:*}")" -lt "$(position "${e##*:}")" ] || bad="$bad $e"
done
check "the operators' required-by edges hold" "" "$bad"

check_contains "--graph names upstream processors" \
    "     upstream  team_defense_game_summary, player_game_summary" "$OUT"
check_contains "--graph names raw inputs, optional marked" \
    "     raw       player_boxscores, schedule, player_props (optional)" "$OUT"
check_contains "--graph: a processor with no raw input" $'player_daily_cache\n     upstream  player_game_summary, team_offense_game_summary\n     raw       -' "$OUT"

run_bf list --dot
check "list --dot exits 0" 0 "$RC"
check "dot: one digraph, closed" "digraph backfill {|}" "$(head -1 <<<"$OUT")|$(tail -1 <<<"$OUT")"
check "dot: a box per processor" 10 "$(grep -cE '^    "[a-z_]+";$' <<<"$OUT")"
check "dot: a cylinder per raw table" 4 "$(grep -c 'shape=cylinder' <<<"$OUT")"
check "dot: an edge per dependency" "$(grep -cE '^    (requires|optional) ' <<<"$LISTED")" \
    "$(grep -c ' -> ' <<<"$OUT")"
check "dot: optional reads dashed" 2 "$(grep -c ' -> .*\[style=dashed\];$' <<<"$OUT")"
check_contains "dot: processor edge" '"team_offense_game_summary" -> "player_daily_cache";' "$OUT"
check_contains "dot: raw edge" '"table:schedule" -> "team_defense_game_summary";' "$OUT"
# Every quoted id used in an edge is declared as a node.
undeclared=$(grep ' -> ' <<<"$OUT" | grep -oE '"[^"]+"' | sort -u | while read -r id; do
    grep -qE "^    $id( \[.*\])?;$" <<<"$OUT" || echo "$id"
done)
check "dot: every edge end declared" "" "$undeclared"

run_bf list --graph --dot
check "--graph with --dot: exit 2" 2 "$RC"
run_bf run player_game_summary --graph --dates 2024-01-05
check "--graph is list's alone" 2 "$RC"
run_bf list --help
check "list --help names --graph" 1 "$(grep -cE '^ +--graph +the processors in the order they run' <<<"$OUT")"

# ---- groups ---------------------------------------------------------------
sed -i 's/"ml_feature_store" \]/"ml_feature_stor" ]/' "$TMP/backfill.conf"
line=$(grep -n '"ml_feature_stor" \]' "$TMP/backfill.conf" | cut -d: -f1)
run_bf list --graph
check "group naming no processor: exit 2" 2 "$RC"
check "group naming no processor: FILE:LINE" \
    "backfill: $TMP/backfill.conf:$line: groups.phase4: no processor 'ml_feature_stor' in $ROOT/plugins (see: backfill list)" \
    "$ERR"
run_bf list
check "plain list reports the group too" 2 "$RC"
demo_config
sed -i 's/^  phase3 = /  player_daily_cache = [ "player_game_summary" ];\n  phase3 = /' "$TMP/backfill.conf"
run_bf list --graph
check "group named like a processor: exit 2" 2 "$RC"
check_contains "group named like a processor: message" \
    "groups.player_daily_cache: a group may not be named like a processor" "$ERR"

# ---- faults ---------------------------------------------------------------
# plugin_dir DIR PLUGIN... : a plugin_dir holding copy.so and those plugins.
plugin_dir() {
    local dir="$TMP/$1"
    shift
    mkdir -p "$dir"
    cp "$ROOT/tests/plugins/copy.so" "$dir/"
    for p in "$@"; do cp "$GRAPH/$p.so" "$dir/"; done
    write_config "$dir" </dev/null
}
seed_calendar 2024-01-01 10
before=$(sha256sum "$DB")

# expect_refused NAME MESSAGE ARGS... : exit 2, exactly that one line.
expect_refused() {
    local name=$1 msg=$2
    shift 2
    run_bf "$@"
    check "$name: exit 2" 2 "$RC"
    check "$name: one line" "backfill: $msg" "$ERR"
}

plugin_dir cycle cycle_a cycle_b cycle_c
cycle="cycle: cycle_a -> cycle_b -> cycle_c -> cycle_a"
expect_refused "cycle: list --graph" "$cycle" list --graph
expect_refused "cycle: list --dot" "$cycle" list --dot
expect_refused "cycle: run a member" "$cycle" run cycle_b --dates 2024-01-05
expect_refused "cycle: verify a member" "$cycle" verify cycle_c --dates 2024-01-05
run_bf list
check "cycle: plain list exits 2" 2 "$RC"
check "cycle: plain list still lists" 4 "$(grep -c ' -> ' <<<"$OUT")"
check_contains "cycle: plain list names it" "$cycle" "$ERR"

plugin_dir self self_reader
expect_refused "self reader" \
    "cycle: self_reader -> self_reader (it reads its own output table)" list --graph

plugin_dir dup dup_one dup_two
dup="table shared is written by more than one processor: $TMP/dup/dup_one.so, $TMP/dup/dup_two.so"
expect_refused "duplicate writer: list --graph" "$dup" list --graph
expect_refused "duplicate writer: run the second" "$dup" run dup_two --dates 2024-01-05

plugin_dir mixed dup_one dup_two cycle_a cycle_b cycle_c
expect_refused "faults elsewhere too: only its own is said" \
    "table shared is written by more than one processor: $TMP/mixed/dup_one.so, $TMP/mixed/dup_two.so" \
    run dup_one --dates 2024-01-05

plugin_dir calendar writes_calendar
cal="$TMP/calendar/writes_calendar.so: output_table schedule is the calendar table (calendar.table): a processor never overwrites the data it is computed from"
expect_refused "calendar writer: list --graph" "$cal" list --graph
expect_refused "calendar writer: run" "$cal" run writes_calendar --dates 2024-01-05

check "refused runs leave the store byte-identical" "$before" "$(sha256sum "$DB")"
check "refused runs leave no state" "" "$(ls "$TMP/state" 2>/dev/null)"

# A fault among other processors is a warning to a sound one, not a refusal.
plugin_dir dup dup_one dup_two
run_bf verify copy --dates 2024-01-05
check "duplicate writer elsewhere: verify copy exits 0" 0 "$RC"
check_contains "duplicate writer elsewhere: warned" "(ignored: does not concern copy)" "$ERR"
plugin_dir cycle cycle_a cycle_b cycle_c
run_bf run copy --dates 2024-01-05
check "cycle elsewhere: run copy exits 0" 0 "$RC"
check "cycle elsewhere: one warning" \
    "backfill: warning: $cycle (ignored: does not concern copy)" "$(grep warning <<<"$ERR")"
check "cycle elsewhere: copy wrote its date" 2 "$(sql "SELECT count(*) FROM copy")"
