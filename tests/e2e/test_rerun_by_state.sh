#!/usr/bin/env bash
# One date has one state everywhere, and every re-run list holds every date
# that needs work, grouped by state: a published date whose rows were
# deleted is missing (not "partial 0/2") in gaps, status and pre-flight;
# gaps (text, JSON, HTML) and status (text, JSON) list the partial, missing
# and blocked dates, not only the missing ones; verify --json counts
# unverified dates as its text line does.
. "$(dirname "$0")/lib.sh"
plan 17
mkdir -p "$TMP/plugins"
cp "$ROOT"/tests/plugins/{copy,follow}.so "$TMP/plugins/"
write_config "$TMP/plugins" </dev/null
seed_calendar 2024-01-01 10
RANGE=(--start-date 2024-01-01 --end-date 2024-01-10)

# copy published 2024-01-04..08 (01..03 are bootstrap days); then 05 loses
# all its rows and 06 one of its two; 09 and 10 were never run.
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-08
check "setup: copy ran" 0 "$RC"
sql "DELETE FROM copy WHERE game_date = '2024-01-05';
     DELETE FROM copy WHERE rowid = (SELECT min(rowid) FROM copy WHERE game_date = '2024-01-06')"

run_bf gaps "${RANGE[@]}" --json
echo "$OUT" >"$TMP/gaps.json"
check "gaps: a published date with no rows left is missing" "missing" \
    "$(jq -r '.cells[] | select(.table == "copy" and .date == "2024-01-05") | .state' "$TMP/gaps.json")"
check "gaps json: copy's re-run list, by state" '{"partial":["2024-01-06"],"missing":["2024-01-05","2024-01-09","2024-01-10"]} 4' \
    "$(jq -c '.tables[] | select(.table == "copy") | .rerun, .needs_work' "$TMP/gaps.json" | paste -sd' ')"
check "gaps json: follow's blocked dates are in its re-run list" '{"missing":["2024-01-04","2024-01-07","2024-01-08"],"blocked":["2024-01-05","2024-01-06","2024-01-09","2024-01-10"]} 7' \
    "$(jq -c '.tables[] | select(.table == "follow") | .rerun, .needs_work' "$TMP/gaps.json" | paste -sd' ')"

run_bf gaps "${RANGE[@]}"
check_contains "gaps text: the counts by state" "  c     copy: 4 dates need work: 1 partial, 3 missing" "$OUT"
check "gaps text: one line per state, ready for --dates" \
    "partial      2024-01-06 missing      2024-01-05,2024-01-09,2024-01-10" \
    "$(awk '/^  c     copy: /{on=1; next} on && /^        /{sub(/^ +/, ""); print; next} {on=0}' <<<"$OUT" | paste -sd' ')"

run_bf gaps "${RANGE[@]}" --html "$TMP/gaps.html"
html=$(cat "$TMP/gaps.html")
check_contains "gaps html: follow needs work on 7 dates, not 0" "<div>f (follow): 7 need work<pre id=rerun-f>2024-01-04,2024-01-05,2024-01-06,2024-01-07,2024-01-08,2024-01-09,2024-01-10</pre>" "$html"
check_contains "gaps html: its blocked dates apart" "<div>4 blocked<pre id=blocked-f>2024-01-05,2024-01-06,2024-01-09,2024-01-10</pre></div>" "$html"

run_bf status copy
check_contains "status: judged now, the deleted date is missing" "in the store now: complete 3 partial 1 missing 1 skipped 3" "$OUT"
check_contains "status: its re-run list by state" "2 dates need work: 1 partial, 1 missing (judged now):" "$OUT"
check_contains "status: ready to paste" "run copy --dates 2024-01-05,2024-01-06" "$OUT"
run_bf status copy --json
check "status --json: the same figures and lists" '{"partial":1,"missing":1} {"partial":["2024-01-06"],"missing":["2024-01-05"]} ["2024-01-05","2024-01-06"]' \
    "$(jq -c '(.store_now | {partial, missing}), .rerun_by_state, .rerun' <<<"$OUT" | paste -sd' ')"

# Rows another tool wrote on 09 and 10: unverified, counted as covered by
# pre-flight, in its text line and in its JSON alike.
sql "INSERT INTO copy VALUES ('2024-01-09', 1), ('2024-01-10', 1)"
run_bf verify follow "${RANGE[@]}"
check_contains "verify text: 5 of 7 covered, 2 of them unverified" "FAIL copy  5/7 (71.4%)  1 missing  1 partial  2 unverified" "$OUT"
run_bf verify follow "${RANGE[@]}" --json
check "verify --json: the text line's figures" "5 7 0.714 3 2 1 1" \
    "$(jq -r '.preflight[] | select(.table == "copy") | "\(.covered) \(.expected) \(.coverage * 1000 | floor / 1000) \(.complete) \(.unverified) \(.partial) \(.missing_count)"' <<<"$OUT")"
check "verify --json: missing is the deleted date" '["2024-01-05"]' \
    "$(jq -c '.preflight[] | select(.table == "copy") | .missing' <<<"$OUT")"

# A run's JSON groups the dates it leaves needing work as status does:
# follow's dates whose copy is missing or partial stay blocked.
run_bf run follow "${RANGE[@]}" --skip-preflight --reason "test" --keep-going --json
check "run --json: blocked dates exit 1" 1 "$RC"
check "run --json: its re-run list by state, and the same dates flat" \
    '{"blocked":["2024-01-05","2024-01-06"]} ["2024-01-05:blocked","2024-01-06:blocked"]' \
    "$(jq -c '.rerun_by_state, [.rerun[] | "\(.date):\(.status)"]' <<<"$OUT" | paste -sd' ')"
