#!/usr/bin/env bash
# Range quality checks (scope = "range"): measured over the published rows
# of the requested dates with one grouped query, per season or month and in
# total, each group held to the threshold; verify --quality prints a line
# per group and exits 1 when one fails; run reports a failing one after its
# dates (exit 1, nothing un-published); signoff records them and signoff
# --check measures them again; a bad declaration is refused with FILE:LINE.
. "$(dirname "$0")/lib.sh"
plan 40
SEASONS='( { start = "2024-01-01"; end = "2024-01-10"; }, { start = "2024-01-11"; end = "2024-01-20"; } )'
# conf CHECK-LINES : checked's checks (line 10 on), per-date v_present relaxed
# so that only the range checks judge the NULLs.
conf() {
    write_config <<CONF
processors = { checked = { checks = {
$1
v_present = { max_null_share = 0.5; }; }; }; };
CONF
    sed -i "s|^seasons = .*|seasons = $SEASONS;|" "$TMP/backfill.conf"
}
GOOD='v_overall = { kind = "not_null"; column = "v"; max_null_share = 0.2; scope = "range"; by = "season"; };
v_month = { kind = "range"; column = "v"; min = 0; max = 100; scope = "range"; by = "month"; };'
conf "$GOOD"
seed_calendar 2024-01-01 20
RANGE=(--start-date 2024-01-01 --end-date 2024-01-20)

run_bf --no-progress run checked "${RANGE[@]}"
check "clean: run exit 0" 0 "$RC"
run_bf list -v checked
check_contains "list -v: the range check" "v_overall            not_null(v) over the range by season, limit 20 %" "$OUT"
run_bf verify --quality checked "${RANGE[@]}"
check "clean: verify --quality exit 0" 0 "$RC"
check "clean: one line per season and the total" \
"  v_overall              not_null(v) over the range by season, limit 20 %
    season 2024-01-01..2024-01-10  ok   0.0 % NULL (0 of 20 rows), limit 20 %
    season 2024-01-11..2024-01-20  ok   0.0 % NULL (0 of 20 rows), limit 20 %
    all                            ok   0.0 % NULL (0 of 40 rows), limit 20 %" \
    "$(grep -A3 '^  v_overall' <<<"$OUT")"
check_contains "clean: by month" "    2024-01                        ok   0 rows outside the range (of 40), limit [0, 100]" "$OUT"
run_bf signoff "${RANGE[@]}" --targets checked --by "Bo Lee" --md "$TMP/signed.md"
check "signed while clean: exit 0" 0 "$RC"
check_contains "signed: the quality section, per season" \
    "| checked | v_overall: not_null(v) | season 2024-01-11..2024-01-20 | 10 | 0.0 % NULL (0 of 20 rows), limit 20 % | passed |" \
    "$(cat "$TMP/signed.md")"

# A corrupted value: five NULLs in the second season, none in the first.
sql "UPDATE checked SET v = NULL WHERE id = 1 AND game_date BETWEEN '2024-01-11' AND '2024-01-15'"
before=$(dump)
# The figures as independent SQL computes them, per season and in total.
s1=$(sql "SELECT sum(v IS NULL) || ' of ' || count(*) FROM checked WHERE game_date BETWEEN '2024-01-01' AND '2024-01-10'")
s2=$(sql "SELECT sum(v IS NULL) || ' of ' || count(*) FROM checked WHERE game_date BETWEEN '2024-01-11' AND '2024-01-20'")
all=$(sql "SELECT sum(v IS NULL) || ' of ' || count(*) FROM checked")
check "independent SQL: the figures" "0 of 20|5 of 20|5 of 40" "$s1|$s2|$all"
run_bf verify --quality checked "${RANGE[@]}"
check "corrupted: verify --quality exit 1" 1 "$RC"
check "corrupted: the second season fails, the total passes" \
"    season 2024-01-01..2024-01-10  ok   0.0 % NULL ($s1 rows), limit 20 %
    season 2024-01-11..2024-01-20  FAIL 25.0 % NULL ($s2 rows), limit 20 %
    all                            ok   12.5 % NULL ($all rows), limit 20 %" \
    "$(grep -A3 '^  v_overall' <<<"$OUT" | tail -n 3)"
check_contains "corrupted: counted" "range quality: 1 of 2 checks fail" "$OUT"
check_contains "corrupted: the per-date checks pass" "quality: 0 of 5 checks fail on some date" "$OUT"
check "verify --quality writes nothing" "$before" "$(dump)"
run_bf --json verify --quality checked "${RANGE[@]}"
check "--json: exit 1" 1 "$RC"
check "--json: every group with its figures" \
    "season 2024-01-01..2024-01-10 20 0 0 true|season 2024-01-11..2024-01-20 20 5 0.25 false|all 40 5 0.125 true" \
    "$(jq -r '[.range_checks[] | select(.name == "v_overall") | .groups[] | "\(.group) \(.rows) \(.failing) \(.value) \(.passed)"] | join("|")' <<<"$OUT")"
check "--json: the check's verdict" "false season range" \
    "$(jq -r '.range_checks[] | select(.name == "v_overall") | "\(.passed) \(.by) \(.scope)"' <<<"$OUT")"
run_bf verify --quality checked --dates 2024-01-05,2024-01-16
check "only the requested dates count: exit 0" 0 "$RC"
check_contains "only the requested dates count: figures" "season 2024-01-11..2024-01-20  ok   0.0 % NULL (0 of 2 rows), limit 20 %" "$OUT"

# run: the range is judged after the dates; it exits 1, nothing un-published.
run_bf --no-progress run checked "${RANGE[@]}"
check "run: a failing range check exits 1" 1 "$RC"
check_contains "run: names the group and its figures" \
    "range check v_overall: season 2024-01-11..2024-01-20: 25.0 % NULL (5 of 20 rows), limit 20 %" "$OUT"
check_contains "run: says the dates stay published" "they stay published" "$OUT"
check "run: every date stays published" "20 40" \
    "$(jq -r '[.dates[] | select(.status == "complete")] | length' "$TMP/state/checked.json") $(sql 'SELECT count(*) FROM checked')"

# signoff --check measures the quality again: exactly the lost group.
run_bf signoff --check "$TMP/signed.md"
check "signoff --check: a lost group exits 1" 1 "$RC"
check "signoff --check: exactly the season that fails now is lost" \
    "checked quality v_overall, season 2024-01-11..2024-01-20: passed (0.0 % NULL (0 of 20 rows), limit 20 %) -> FAILED (25.0 % NULL (5 of 20 rows), limit 20 %) LOST" \
    "$(grep 'LOST' <<<"$OUT" | tr -s ' ' | sed 's/^ //')"
check_contains "signoff --check: counted apart from the dates" "range quality measured again: 1 group lost, 1 other change" "$OUT"
run_bf signoff "${RANGE[@]}" --targets checked --html "$TMP/failing.html"
check "signed while failing: exit 1" 1 "$RC"
check_contains "html: said at the top" "every table is complete over the range. A range quality check FAILS: see Quality over the range." "$(cat "$TMP/failing.html")"
check_contains "html: the failing season" \
    "<td>season 2024-01-11..2024-01-20</td><td>10</td><td>25.0 % NULL (5 of 20 rows), limit 20 %</td><td>FAILED</td>" \
    "$(cat "$TMP/failing.html")"

# Bad declarations: exit 2, FILE:LINE, nothing run.
refused() { # NAME CHECK-LINE MESSAGE
    conf "$2"
    before=$(dump)
    run_bf --no-progress run checked "${RANGE[@]}" --no-resume
    check "$1: exit 2, one line" "2 1" "$RC $(grep -c . <<<"$ERR")"
    check "$1: message" "backfill: $TMP/backfill.conf:$3" "$ERR"
}
refused "a scope that is neither" 'x = { kind = "not_null"; column = "v"; scope = "week"; };' \
    '10: processors.checked.checks.x.scope: expected "date" (each date, the default) or "range" (the whole range)'
refused "a breakdown that is neither" 'x = { kind = "not_null"; column = "v"; scope = "range"; by = "week"; };' \
    '10: processors.checked.checks.x.by: by is "season" or "month"'
refused "a kind a range check does not take" 'x = { kind = "unique"; column = "v"; scope = "range"; };' \
    '10: processors.checked.checks.x.kind: a range check'"'"'s kind is not_null or range'
refused "by without scope range" 'x = { kind = "not_null"; column = "v"; by = "season"; };' \
    '10: processors.checked.checks.x.by: by groups a check with scope = "range" only'
refused "a declared check's name" 'v_small = { kind = "range"; column = "v"; scope = "range"; };' \
    '10: processors.checked.checks.v_small: the processor declares this check per date: a range check needs a name of its own'
conf 'x = { kind = "not_null"; column = "w"; scope = "range"; };'
run_bf verify --quality checked "${RANGE[@]}"
check_contains "a column the table lacks: exit 2, named" "2 backfill: checked: range check x: no such column: w" "$RC $ERR"
conf 'v_small = { min = 0; max = 100; scope = "date"; };'
run_bf --no-progress run checked "${RANGE[@]}"
check "scope = \"date\" is the per-date default" 0 "$RC"
