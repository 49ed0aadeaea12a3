#!/usr/bin/env bash
# Processors written in SQL alone (model files, NAME.sql on the plugin
# path): every guarantee of a C plugin. A model is listed, graphed, run,
# checked, guarded and recorded like a C plugin; a bad model is refused
# before any date with one line naming the file and the line; config keys
# bind as values; the code recorded is the declared version, else the
# file's hash; a model beside a .so of its name is reported as a duplicate.
. "$(dirname "$0")/lib.sh"
plan 126
P="$TMP/p"
mkdir -p "$P"
chmod 755 "$P"
cat >"$TMP/backfill.conf" <<CONF
store = { driver = "sqlite"; path = "store.db"; };
plugin_dir = "$P";
state_dir = "state";
calendar = { table = "cal"; date_column = "d"; };
run = { workers = 2; retries = 0; };
CONF
sql "CREATE TABLE cal (d TEXT); INSERT INTO cal VALUES ('2024-01-01'), ('2024-01-02');
     CREATE TABLE src (d TEXT, v INTEGER);
     INSERT INTO src VALUES ('2024-01-01', 1), ('2024-01-01', 2), ('2024-01-02', 5);
     CREATE TABLE other (d TEXT, v INTEGER); INSERT INTO other VALUES ('2024-01-01', 9);"
GOOD='-- agg - one row per date: how many src rows, and their sum
-- description: sum of v per date
-- date_column: d
-- depends: src required
-- config: min_v int 0 min=0 max=100 "the smallest v counted"
-- check: total_positive range column=total min=0 max=1000
-- columns: d TEXT, n INTEGER, total INTEGER

-- @process
INSERT INTO {{table}}
SELECT d, count(*), sum(v) FROM src WHERE d = {{date}} AND v >= {{config.min_v}} GROUP BY d

-- @expected
SELECT count(DISTINCT d) FROM src WHERE d = {{date}}'
model() { printf '%s\n' "$1" >"$P/agg.sql"; chmod 644 "$P/agg.sql"; }
RANGE=(--start-date 2024-01-01 --end-date 2024-01-02)

model "$GOOD"
run_bf --no-progress run agg "${RANGE[@]}"
check "a model runs: exit 0" 0 "$RC"
check "a model runs: its rows published" "2024-01-01|2|3,2024-01-02|1|5" "$(sql "SELECT * FROM agg ORDER BY d" | paste -sd,)"
check "a model's checkpoint records each date complete" "complete complete" \
    "$(jq -r '[.dates[].status] | join(" ")' "$TMP/state/agg.json")"
check "a model's check is measured and recorded" 1 \
    "$(jq -r '.dates["2024-01-01"].checks | tostring' "$TMP/state/agg.json" | grep -c total_positive)"
run_bf list -v agg
check_contains "list -v: the model file" "file: $P/agg.sql" "$OUT"
check "list -v: code is the file's hash" 1 "$(grep -cE '^ +code: file [0-9a-f]{16}$' <<<"$OUT")"
check_contains "list -v: its config key" "min_v" "$OUT"
check_contains "list -v: its check" "total_positive" "$OUT"

# Config keys are bound values, checked by the core like a C plugin's.
cat >>"$TMP/backfill.conf" <<'CONF'
processors = { agg = { min_v = 2; }; };
CONF
run_bf --no-progress run agg "${RANGE[@]}"
check "a config value changes the rows: the dates are outdated and redone" "2024-01-01|1|2" \
    "$(sql "SELECT * FROM agg WHERE d = '2024-01-01'")"
sed -i 's/min_v = 2;/min_v = "two";/' "$TMP/backfill.conf"
run_bf --no-progress run agg "${RANGE[@]}"
check "a config value of the wrong type: exit 2" 2 "$RC"
check_contains "a config value of the wrong type: named" "min_v" "$ERR"
sed -i '/^processors/d' "$TMP/backfill.conf"

# Provenance: a declared version, else the file's hash; an edit outdates.
before=$(jq -r '.dates["2024-01-01"].code' "$TMP/state/agg.json")
model "$GOOD
-- an edit that changes the file's bytes"
run_bf --no-progress run agg "${RANGE[@]}"
after=$(jq -r '.dates["2024-01-01"].code' "$TMP/state/agg.json")
check "an edited model: its dates are rebuilt under the new hash" 1 "$([ "$before" != "$after" ] && echo 1)"
model "${GOOD/-- date_column: d/-- date_column: d
-- version: 2024.1}"
run_bf --no-progress run agg "${RANGE[@]}"
check "a declared version is recorded" "version 2024.1" "$(jq -r '.dates["2024-01-01"].code' "$TMP/state/agg.json")"

# A model beside a .so of the same name, or later on the path: a duplicate.
mkdir -p "$TMP/dup"
chmod 755 "$TMP/dup"
cp "$ROOT/tests/plugins/copy.so" "$TMP/dup/agg.so" 2>/dev/null || cp "$ROOT/plugins/team_defense_game_summary.so" "$TMP/dup/agg.so"
cp "$P/agg.sql" "$TMP/dup/agg.sql"
sed -i "s|plugin_dir = \"$P\";|plugin_dir = [ \"$P\", \"$TMP/dup\" ];|" "$TMP/backfill.conf"
run_bf list
check_contains "a model later on the path: reported, not loaded" \
    "$TMP/dup/agg.sql: processor 'agg' is already provided by $P/agg.sql, earlier in plugin_dir; not loaded" "$ERR"
check_contains "a .so later on the path than a model: reported, not loaded" \
    "$TMP/dup/agg.so: processor 'agg' is already provided by $P/agg.sql" "$ERR"
sed -i "s|plugin_dir = \[ \"$P\", \"$TMP/dup\" \];|plugin_dir = \"$TMP/dup\";|" "$TMP/backfill.conf"
run_bf list
check_contains "a model beside a .so of its name: reported, not loaded" \
    "$TMP/dup/agg.sql: processor 'agg' is already provided by $TMP/dup/agg.so" "$ERR"
sed -i "s|plugin_dir = \"$TMP/dup\";|plugin_dir = \"$P\";|" "$TMP/backfill.conf"

# refused NAME MODEL WHERE WHAT : the model is refused before any date: exit
# 2, one line naming FILE:LINE (WHERE) and WHAT, no table created.
refused() {
    sql "DROP TABLE IF EXISTS agg"
    rm -rf "$TMP/state"
    model "$2"
    run_bf --no-progress run agg "${RANGE[@]}"
    check "$1: exit 2" 2 "$RC"
    check_contains "$1: one line naming the file and line" "$P/agg.sql$3: $4" "$(grep -v '^  \|^pre-flight\|^agg:' <<<"$ERR")"
    check "$1: in one line, no table created" "1 0" "$(grep -c . <<<"$ERR") $(sql "SELECT count(*) FROM sqlite_master WHERE name = 'agg'")"
}
refused "unknown key" "${GOOD/-- description:/-- descripton:}" ":2" "unknown key 'descripton'; did you mean 'description'?"
refused "missing statement" "${GOOD%%-- @process*}" "" "no '-- @process' statement"
refused "misspelt placeholder" "${GOOD/v >= \{\{config.min_v\}\}/v >= \{\{config.minv\}\}}" ":11" \
    "unknown placeholder {{config.minv}}; did you mean {{config.min_v}}?"
refused "a '?' parameter" "${GOOD/\{\{config.min_v\}\}/?2}" ":11" "a '?' parameter"
refused "a dependency without its table" "${GOOD/depends: src required/depends: min_coverage=0.5}" ":4" \
    "depends: no table first; write depends: TABLE"
refused "dependency cycle on itself" "${GOOD/depends: src required/depends: agg required}" ":4" \
    "depends on its own output table agg"
refused "SQL that does not prepare" "${GOOD/FROM src WHERE d = \{\{date\}\} AND/FROM srcx WHERE d = \{\{date\}\} AND}" \
    ":9" "the @process statement does not prepare on sqlite: no such table: srcx"
refused "a statement writing another table" "${GOOD/INSERT INTO \{\{table\}\}/INSERT INTO other}" ":10" \
    "the statement writes 'other'; a model writes only {{table}}"
refused "two statements" "${GOOD/GROUP BY d/GROUP BY d; DELETE FROM other}" ":11" "two statements in @process"
refused "DDL in a statement" "${GOOD/GROUP BY d/GROUP BY d
-- @fallback
DROP TABLE other}" ":13" "DROP in @fallback; a model statement may not run DDL"
FB='INSERT INTO {{table}} SELECT {{date}}, 0, 0'
refused "a fallback without an optional input" "${GOOD/GROUP BY d/GROUP BY d
-- @fallback
$FB}" ":12" "a @fallback but no optional dependency"

# Two models reading each other: the graph refuses the cycle, as for C.
model "$GOOD"
printf '%s\n' "${GOOD//agg/agh}" | sed -e 's/depends: src required/depends: agg required/' \
    -e 's/FROM src WHERE/FROM agg WHERE/' >"$P/agh.sql"
sed -i 's/depends: src required/depends: src required\n-- depends: agh optional/' "$P/agg.sql"
chmod 644 "$P/agh.sql"
run_bf --no-progress run agg "${RANGE[@]}"
check "a cycle between two models: exit 2" 2 "$RC"
check_contains "a cycle between two models: named" "cycle" "$ERR"
rm -f "$P/agh.sql"

# Isolation holds as for C, and earlier: each statement is probed under
# the store's read guard before any date, so a read of a table the model
# does not declare is refused by that guard, naming the file and line.
refused "an undeclared read" "${GOOD/FROM src WHERE d = \{\{date\}\} AND v >= \{\{config.min_v\}\} GROUP BY d/FROM other WHERE d = \{\{date\}\} GROUP BY d}" \
    ":9" "the @process statement does not prepare on sqlite: refused read of other"

# Blocks of dates: @process_block writes every date from {{first}} to
# {{last}} in one statement, @expected_block counts them as (date, rows);
# each date is still judged on its own. --batch 1 runs @process per date.
BLOCK="$GOOD

-- @process_block
INSERT INTO {{table}}
SELECT d, count(*), sum(v) FROM src WHERE d BETWEEN {{first}} AND {{last}} AND v >= {{config.min_v}} GROUP BY d

-- @expected_block
SELECT d, count(DISTINCT d) FROM src WHERE d BETWEEN {{first}} AND {{last}} GROUP BY d"
for batch in 8 1; do
    sql "DROP TABLE IF EXISTS agg"
    rm -rf "$TMP/state"
    model "$BLOCK"
    run_bf --no-progress run agg "${RANGE[@]}" --batch "$batch"
    check "a block model, --batch $batch: exit 0" 0 "$RC"
    check "a block model, --batch $batch: the rows of the per-date form" "2024-01-01|2|3,2024-01-02|1|5" \
        "$(sql "SELECT * FROM agg ORDER BY d" | paste -sd,)"
    check "a block model, --batch $batch: each date judged and recorded complete" "complete complete" \
        "$(jq -r '[.dates[].status] | join(" ")' "$TMP/state/agg.json")"
    blocks=$(cat "$TMP"/state/runs/agg-*.jsonl | jq -r 'select(.event == "date_started") | .block_first // "alone"' | sort -u | paste -sd' ')
    check "a block model, --batch $batch: dates computed $([ "$batch" = 1 ] && echo alone || echo 'in one block')" \
        "$([ "$batch" = 1 ] && echo alone || echo 2024-01-01)" "$blocks"
done
# {{dates}}: the block's own dates, as a list. Over --dates with a date
# between them, a block of BETWEEN {{first}} AND {{last}} writes that date
# too, fails and runs its dates alone; a block IN {{dates}} publishes whole.
sql "INSERT INTO cal VALUES ('2024-01-03'); INSERT INTO src VALUES ('2024-01-03', 7);"
LIST="${BLOCK//BETWEEN \{\{first\}\} AND \{\{last\}\}/IN \{\{dates\}\}}"
for form in BLOCK LIST; do
    sql "DROP TABLE IF EXISTS agg"
    rm -rf "$TMP/state"
    model "${!form}"
    run_bf --no-progress run agg --dates 2024-01-01,2024-01-03 --batch 8
    check "$form over two dates with one between: exit 0" 0 "$RC"
    check "$form over two dates with one between: their rows" "2024-01-01|2|3,2024-01-03|1|7" \
        "$(sql "SELECT * FROM agg ORDER BY d" | paste -sd,)"
    blocks=$(cat "$TMP"/state/runs/agg-*.jsonl | jq -r 'select(.event == "date_started") | .block_first // "alone"' | sort -u | paste -sd' ')
    check "$form over two dates with one between: $([ $form = LIST ] && echo 'one block' || echo 'the block fails, the dates run alone')" \
        "$([ $form = LIST ] && echo 2024-01-01 || echo '2024-01-01 alone')" "$blocks"
done
sql "DELETE FROM cal WHERE d = '2024-01-03'; DELETE FROM src WHERE d = '2024-01-03';"
refused "a block section naming no dates" "${BLOCK/BETWEEN \{\{first\}\} AND \{\{last\}\} AND v/>= '2024' AND v}" ":16" \
    "@process_block never uses {{first}}; it must write every date from {{first}} to {{last}}, or every date in {{dates}}"
refused "{{dates}} in a per-date section" "${GOOD/d = \{\{date\}\} AND v/d IN \{\{dates\}\} AND v}" ":11" \
    "unknown placeholder {{dates}}; did you mean {{date}}?"
# An @expected_block whose rows are not (date, rows): the block's dates are
# judged one by one by @expected, and the fault is named with its line.
sql "DROP TABLE IF EXISTS agg"
rm -rf "$TMP/state"
bad="SELECT d, 'many' FROM src"
model "${BLOCK/SELECT d, count(DISTINCT d) FROM src/$bad}"
run_bf --no-progress run agg "${RANGE[@]}" --batch 8
check "a malformed @expected_block: the dates still judged and published" "0 2024-01-01|2|3,2024-01-02|1|5" \
    "$RC $(sql "SELECT * FROM agg ORDER BY d" | paste -sd,)"
check_contains "a malformed @expected_block: named with its line" \
    "expected_dates failed: $P/agg.sql:20: @expected_block returned a row that is not (date, rows)" "$ERR"
refused "a misspelt block placeholder" "${BLOCK/BETWEEN \{\{first\}\} AND \{\{last\}\} AND v/BETWEEN \{\{frist\}\} AND \{\{last\}\} AND v}" \
    ":18" "unknown placeholder {{frist}}; did you mean {{first}}?"
refused "{{date}} in a block section" "${BLOCK/BETWEEN \{\{first\}\} AND \{\{last\}\} AND v/= \{\{date\}\} AND v}" ":18" \
    "{{date}} in @process_block; a block statement writes every date from {{first}} to {{last}}, each row with its own date"
NOPD="${BLOCK/-- @process
INSERT/-- @process.clickhouse
INSERT}"
refused "a block section without its per-date one" "${NOPD/-- @process_block/-- @process_block.sqlite}" ":16" \
    "@process_block without '-- @process' for sqlite; a block section stands beside the per-date one"
refused "@expected_block without @process_block" "${BLOCK%%-- @process_block*}-- @expected_block
SELECT d, 1 FROM src WHERE d BETWEEN {{first}} AND {{last}} GROUP BY d" ":16" \
    "@expected_block without '-- @process_block' for sqlite"
refused "block SQL that does not prepare" "${BLOCK/FROM src WHERE d BETWEEN/FROM srcx WHERE d BETWEEN}" ":16" \
    "the @process_block statement does not prepare on sqlite: no such table: srcx"
model "$GOOD"

# The demo: three processors as models (a Phase 3 one, a windowed Phase 4
# one, one with an optional input and a fallback) against their C forms,
# every table compared row for row on one league.
"$ROOT/bin/demo_gen" --db "$TMP/c.db" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
cp "$TMP/c.db" "$TMP/m.db"
demo_conf() { # NAME DB PLUGIN_DIR
    sed -e "s|path = \"../var/demo.db\"|path = \"$2\"|" -e "s|plugin_dir = \"../plugins\"|plugin_dir = $3|" \
        -e "s|state_dir = \"../var/state\"|state_dir = \"$TMP/state-$1\"|" \
        -e 's|retry_backoff_ms = 200|retry_backoff_ms = 0|' "$ROOT/conf/backfill.conf" >"$TMP/$1.conf"
}
demo_conf c "$TMP/c.db" "\"$ROOT/plugins\""
demo_conf m "$TMP/m.db" "[ \"$ROOT/plugins/models\", \"$ROOT/plugins\" ]"
DEMO=(--start-date 2024-10-22 --end-date 2024-11-24)
# The C form runs date by date, the models in blocks of 8 dates (their
# @process_block sections): the rows must not differ.
warned=""
for form in c m; do
    codes=""
    batch=$([ "$form" = m ] && echo 8 || echo 1)
    for p in team_offense_game_summary player_game_summary team_defense_game_summary \
        upcoming_player_game_context upcoming_team_game_context team_defense_zone_analysis \
        player_shot_zone_analysis player_composite_factors player_daily_cache ml_feature_store; do
        run_bf -c "$TMP/$form.conf" --no-progress run "$p" "${DEMO[@]}" --workers 2 --batch "$batch"
        codes="$codes$RC"
        warned="$warned$(grep 'expected_dates failed\|process_dates returned\|running it alone' <<<"$ERR")"
    done
    check "demo ($form, --batch $batch): all ten processors run clean" 0000000000 "$codes"
done
check "demo: no block warned (expected rows from @expected_block, no block failed)" "" "$warned"
for t in player_game_summary team_defense_game_summary team_defense_zone_analysis; do
    ev=$(cat "$TMP"/state-m/runs/$t-*.jsonl)
    check "demo: the model $t computed its dates in blocks, none failed" "0 0" \
        "$(jq -r 'select(.event == "date_started" and .block_first == null) | .date' <<<"$ev" | grep -c .) $(grep -c '"block_failed"' <<<"$ev")"
done
run_bf -c "$TMP/m.conf" list -v team_defense_zone_analysis
check_contains "demo: the windowed processor comes from its model" "file: $ROOT/plugins/models/team_defense_zone_analysis.sql" "$OUT"
check_contains "demo: its window declared in the model" "requires team_defense_game_summary.game_date (window 30 days)" "$OUT"
for t in player_game_summary team_defense_game_summary team_defense_zone_analysis \
    team_offense_game_summary upcoming_player_game_context upcoming_team_game_context \
    player_shot_zone_analysis player_composite_factors player_daily_cache ml_feature_store; do
    a=$(sqlite3 "$TMP/c.db" "SELECT * FROM $t ORDER BY 1, 2, 3, 4" | sha256sum)
    b=$(sqlite3 "$TMP/m.db" "SELECT * FROM $t ORDER BY 1, 2, 3, 4" | sha256sum)
    n=$(sqlite3 "$TMP/m.db" "SELECT count(*) > 0 FROM $t")
    check "demo: $t identical rows from model and C" "1 $a" "$n $b"
done
check "demo: identical schemas (columns, indexes)" "$(sqlite3 "$TMP/c.db" .schema)" "$(sqlite3 "$TMP/m.db" .schema)"
run_bf -c "$TMP/c.conf" list --graph
cgraph=$(tail -n +2 <<<"$OUT")
run_bf -c "$TMP/m.conf" list --graph
check "demo: list --graph sees no difference (but the path in its title)" "$cgraph" "$(tail -n +2 <<<"$OUT")"
run_bf -c "$TMP/c.conf" gaps "${DEMO[@]}" --csv
cgaps=$OUT
run_bf -c "$TMP/m.conf" gaps "${DEMO[@]}" --csv
check "demo: gaps sees no difference" "$cgaps" "$OUT"
cp "$TMP/m.db" "$TMP/m.before"
run_bf -c "$TMP/m.conf" verify --inputs team_defense_zone_analysis "${DEMO[@]}" --sample 6
check "demo: verify --inputs proves the model's 30-day window, as for C" "0 6 of" \
    "$RC $(grep -o '6 of' <<<"$OUT" | head -n 1)"
check "demo: verify --inputs on a model writes nothing" "same" \
    "$(cmp -s "$TMP/m.db" "$TMP/m.before" && echo same)"

# The model of the README and of backfill-model(5), as a new author
# writes it from either: one text, and it backfills the demo league.
awk '/^## Write a processor in SQL alone/ { on = 1 } on && /^```sql$/ { grab = 1; next } grab && /^```$/ { exit } grab' \
    "$ROOT/README.md" >"$TMP/readme.sql"
sed -n '/^\.Sh EXAMPLES/,/^\.Ed/p' "$ROOT/man/backfill-model.5" | sed -n '/^\.Bd -literal/,/^\.Ed/p' |
    sed -e '1d' -e '$d' >"$TMP/man.sql"
check "README and backfill-model(5): the same example model" "$(cat "$TMP/man.sql")" "$(cat "$TMP/readme.sql")"
mkdir -p "$TMP/mine"
chmod 755 "$TMP/mine"
cp "$TMP/readme.sql" "$TMP/mine/team_points_30d.sql"
demo_conf r "$TMP/m.db" "[ \"$ROOT/plugins\", \"$TMP/mine\" ]"
run_bf -c "$TMP/r.conf" --no-progress run team_points_30d "${DEMO[@]}"
check "the README's model backfills the league: exit 0" 0 "$RC"
check "the README's model: two rows per game after the bootstrap days" \
    "$(sqlite3 "$TMP/m.db" "SELECT 2 * count(*) FROM schedule WHERE game_date >= '2024-11-05'")" \
    "$(sqlite3 "$TMP/m.db" "SELECT count(*) FROM team_points_30d")"

# The fallback: without the optional table at all, the model runs its
# @fallback statement (in a block: once per date of the block) and fails
# the same check as the C form.
fallback_run() { # FORM PLUGIN_DIR : RC and the errors recorded, in $RC and $FERR
    "$ROOT/bin/demo_gen" --db "$TMP/f$1.db" --teams 6 --start 2024-10-22 --end 2024-10-25 --seed 7 >/dev/null
    demo_conf "f$1" "$TMP/f$1.db" "$2"
    run_bf -c "$TMP/f$1.conf" --no-progress run player_game_summary --start-date 2024-10-22 \
        --end-date 2024-10-25 --retries 0 --keep-going "${BATCH[@]}"
    FERR=$(jq -r '[.dates[].error] | unique | join("|")' "$TMP/state-f$1/player_game_summary.json")
}
BATCH=()
fallback_run c "\"$ROOT/plugins\""
RC_c=$RC
ERR_c=$FERR
BATCH=(--batch 4)
fallback_run m "[ \"$ROOT/plugins/models\", \"$ROOT/plugins\" ]"
check "fallback: the model exits as the C form" "$RC_c" "$RC"
check_contains "fallback: the statement ran and the declared check failed" "usage_rate_coverage" "$FERR"
check "fallback: the same error recorded as for the C form" "$ERR_c" "$FERR"
check "fallback: the model computed its 4 dates in one block first (@fallback per date)" \
    "2024-10-22" "$(cat "$TMP"/state-fm/runs/player_game_summary-*.jsonl | jq -r 'select(.event == "date_started") | .block_first // empty' | sort -u | paste -sd' ')"

# A new author with no compiler: `new --sql` writes a windowed model, a
# config and a test that passes as generated.
run_bf new rolling_total --sql --dir "$TMP/new"
check "new --sql: exit 0" 0 "$RC"
check "new --sql: says what it made" "created $TMP/new/rolling_total/: rolling_total.sql, backfill.conf, test.sh" "$(head -1 <<<"$OUT")"
check "new --sql: a model, a config, a test; no C, no Makefile" "backfill.conf rolling_total.sql test.sh" \
    "$(ls "$TMP/new/rolling_total" | paste -sd' ')"
out=$(BACKFILL="$BF" "$TMP/new/rolling_total/test.sh" 2>&1)
check "new --sql: its test passes as generated" 0 "$?"
check "new --sql: every check of its test passed" "7 0" "$(grep -c '^ok - ' <<<"$out") $(grep -c '^not ok' <<<"$out")"
