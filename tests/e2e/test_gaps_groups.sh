#!/usr/bin/env bash
# backfill gaps --html on a matrix of many tables (more than 24) and too
# many cells for one page: the page of months sums up by group. A grid of
# months x groups, each cell the worst state of the group's tables that
# month counting the cells not complete, its link opening the group; each
# group a collapsed <details> of its months x tables; each month a page of
# its dates. The counts agree with gaps --json; one bad cell deep in a
# group is reached through the grid, the group and the month page in a
# real headless browser (chromium). The groups are the configured ones
# (a group holding every table is the page's own total and left out; the
# tables in no group make "other"), else the graph's layers; the dates that
# need work are listed on the month pages only. 24 tables or
# fewer keep the page of months x tables.
. "$(dirname "$0")/lib.sh"
if command -v chromium >/dev/null; then plan 20; else plan 14; fi
# 32 processors in 8 layers of 4 (tests/bench/scale.sh), groups tier0..7
# (one per layer) and "everything"; 1,700 dates.
BENCH_SCALE_MAKE="$TMP 32 1700" "$ROOT/tests/bench/scale.sh"
sed -i 's/layer\([0-7]\) = \[/tier\1 = [/' "$TMP/backfill.conf"
DB="$TMP/scale.db"
LAST=$(sql "SELECT max(game_date) FROM schedule")
run_bf -q --no-progress pipeline --start-date 2000-01-01 --end-date "$LAST"
check "the graph is filled" 0 "$RC"
# One bad cell deep in the sixth group: l5_p002 (code l5p3) loses 2002-07-15.
sql "DELETE FROM l5_p002 WHERE game_date = '2002-07-15'"

run_bf gaps --start-date 2000-01-01 --end-date "$LAST" --html "$TMP/gaps.html"
check "html exits 1 (gaps)" 1 "$RC"
check "html: the page and the month pages" \
    "wrote $TMP/gaps.html: 1700 dates x 32 tables, 16 cells not complete
by month: 56 pages of dates in $TMP/gaps.html.d" "$OUT"
PAGE=$(cat "$TMP/gaps.html")
check "self-contained (no script, link, src, url)" 0 \
    "$(cat "$TMP/gaps.html" "$TMP"/gaps.html.d/*.html | grep -ciE '<script|<link|src=|url\(|https?:')"
check_contains "the grid: the bad cell's group and month, counted, linking into the group" \
    '<td class=m title="2002-07 tier5: 1 of 124 not complete; 1 missing, 123 complete"><a href="#tier5-2002-07">1</a>' \
    "$PAGE"
# Per group: cells not complete, from the summaries and from gaps --json.
html_counts() { grep -o '<summary><b>[^<]*</b>: [0-9]* tables\?, [0-9]*' | sed 's/<summary><b>//; s|</b>: .* tables\?, | |'; }
run_bf gaps --start-date 2000-01-01 --end-date "$LAST" --json
JSON=$(echo "$OUT" | jq -r '.tables[] | "tier\(.processor[1:2]) \(.expected - .covered)"' |
    awk '{ n[$1] += $2 } END { for (g in n) print g, n[g] }' | sort)
check "each group's count agrees with gaps --json" "$JSON" "$(echo "$PAGE" | html_counts | sort)"
check "a group of every table is left out" 0 "$(grep -c 'id=g-everything' "$TMP/gaps.html")"
# The dates that need work: on the month pages, not millions on this one.
check "the page lists no dates, it points to the month pages and --json" "0 1" \
    "$(grep -c '<h2>Dates that need work' "$TMP/gaps.html") $(grep -c 'backfill gaps --json</code> lists them' "$TMP/gaps.html")"
check "the month page lists the bad date, ready for --dates" 1 \
    "$(grep -c '<pre id=missing-l5p3>2002-07-15</pre>' "$TMP/gaps.html.d/2002-07.html")"

# No group configured: the graph's layers.
sed -i '/^groups = /,/}; *$/d' "$TMP/backfill.conf"
run_bf gaps --start-date 2000-01-01 --end-date "$LAST" --html "$TMP/layers.html"
check "no groups: html exits 1 (gaps)" 1 "$RC"
check "no groups: one group per layer, counted as by the groups" \
    "$(echo "$JSON" | sed 's/^tier/layer/')" "$(html_counts <"$TMP/layers.html" | sort)"
# Groups of some tables: the rest are "other" ("other_" when a group has
# that name).
echo 'groups = { tier5 = [ "l5_p000", "l5_p001", "l5_p002", "l5_p003" ]; other = [ "l0_p000" ]; };' \
    >>"$TMP/backfill.conf"
run_bf gaps --start-date 2000-01-01 --end-date "$LAST" --html "$TMP/other.html"
check "two groups: them and the other tables" \
    "tier5: 4 tables, 1 of 6800 cells not complete
other: 1 table, 0 of 1700 cells not complete
other_: 27 tables, 15 of 45900 cells not complete" \
    "$(grep -o '<summary><b>[^<]*</b>[^<]*' "$TMP/other.html" | sed 's|<summary><b>||; s|</b>||')"
# 24 tables x 1,700 dates: months, but every table across as before.
run_bf gaps --start-date 2000-01-01 --end-date "$LAST" --html "$TMP/few.html" \
    --targets "$(sql "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master
        WHERE type = 'table' AND name GLOB 'l[0-5]_p*' ORDER BY name)")"
check "24 tables: months x tables, no groups" "1 0" \
    "$(grep -c '<h2>Months &times; tables</h2>' "$TMP/few.html") $(grep -c '<details' "$TMP/few.html")"
check "24 tables: the bad cell's month, as before" 1 \
    "$(grep -c '<td class=m title="2002-07 l5p3: 1 missing, 30 complete">' "$TMP/few.html")"

if ! command -v chromium >/dev/null; then
    exit 0
fi
t0=$(date +%s.%N)
browser --dump-dom "file://$TMP/gaps.html" >"$TMP/dom.html"
t1=$(date +%s.%N)
echo "# page of months by group: $(du -k "$TMP/gaps.html" | cut -f1) KB, dump-dom in $(echo "$t1 - $t0" | bc) s"
check "browser: the grid has 56 months x 8 groups, and the total" $((57 * 8)) \
    "$(grep -oE '<td class="?[a-z]"? title="(all|[0-9]{4}-[0-9]{2}) tier[0-7]: ' "$TMP/dom.html" | wc -l)"
check "browser: 8 groups, all collapsed" "8 0" \
    "$(grep -c '<details id="g-tier[0-7]">' "$TMP/dom.html") $(grep -c '<details[^>]* open' "$TMP/dom.html")"
check_contains "browser: the bad cell's month, inside its group" \
    '<tr class="mo" id="tier5-2002-07"><th><a href="gaps.html.d/2002-07.html">2002-07</a></th><td class="c" title="2002-07 l5p: 31 complete"></td><td class="c" title="2002-07 l5p2: 31 complete"></td><td class="m" title="2002-07 l5p3: 1 missing, 30 complete">' \
    "$(cat "$TMP/dom.html")"
browser --dump-dom "file://$TMP/gaps.html#tier5-2002-07" >"$TMP/open.html"
check "browser: following the grid's cell opens its group, only that one" \
    '<details id="g-tier5" open="">' "$(grep -o '<details[^>]* open[^>]*>' "$TMP/open.html")"
browser --dump-dom "file://$TMP/gaps.html.d/2002-07.html" >"$TMP/month.html"
check "browser: the month page has its 31 dates x 32 tables" $((31 * 32)) \
    "$(grep -oE '<td class="?[a-z]"? title="2002-07-[0-9]{2} ' "$TMP/month.html" | wc -l)"
check_contains "browser: the bad cell itself on the month page" \
    '<td class="m" title="2002-07-15 l5p3 missing 0/1; last run' "$(cat "$TMP/month.html")"
