#!/usr/bin/env bash
# backfill gaps --html on a matrix too large for one page of cells (more
# than 40,000: here 13,334 dates x 3 tables): a page of months, each cell
# the worst state of its month with every state counted in its hover
# text, each month a link to its own page of dates where every cell is as
# on the one-page heatmap. Checked in a real headless browser (chromium).
. "$(dirname "$0")/lib.sh"
if command -v chromium >/dev/null; then plan 14; else plan 7; fi
mkdir -p "$TMP/plugins"
cp "$ROOT"/tests/plugins/{copy,follow,always_fails}.so "$TMP/plugins/"
write_config "$TMP/plugins"
seed_calendar 2024-01-01 13334
MONTHS=$(sql "SELECT count(DISTINCT substr(game_date, 1, 7)) FROM schedule")
LAST=$(sql "SELECT max(game_date) FROM schedule")
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-20
sql "DELETE FROM copy WHERE rowid = (SELECT min(rowid) FROM copy WHERE game_date = '2024-01-05')"

run_bf gaps --start-date 2024-01-01 --end-date "$LAST" --html "$TMP/gaps.html"
check "html exits 1 (gaps)" 1 "$RC"
check "html: the page and the month pages" \
    "wrote $TMP/gaps.html: 13334 dates x 3 tables, 39977 cells not complete
by month: $MONTHS pages of dates in $TMP/gaps.html.d" "$OUT"
check "one page per month" "$MONTHS" "$(ls "$TMP/gaps.html.d" | grep -c '^[0-9]\{4\}-[0-9]\{2\}\.html$')"
check "self-contained (no script, link, src, url)" 0 \
    "$(cat "$TMP/gaps.html" "$TMP"/gaps.html.d/*.html | grep -ciE '<script|<link|src=|url\(|https?:')"
# January: copy complete 1-20 but the 5th (partial), missing after; the
# first three days are bootstrap.
check_contains "a month's cell: its worst state, every state counted" \
    '<td class=p title="2024-01 c: 1 partial, 11 missing, 16 complete, 3 skipped">' \
    "$(cat "$TMP/gaps.html")"
check_contains "a month links to its page" '<a href="gaps.html.d/2024-01.html">2024-01</a>' \
    "$(cat "$TMP/gaps.html")"
check_contains "the month page links back" '<a href="../gaps.html">all months</a>' \
    "$(cat "$TMP/gaps.html.d/2024-01.html")"

if ! command -v chromium >/dev/null; then
    exit 0
fi
t0=$(date +%s.%N)
browser --dump-dom "file://$TMP/gaps.html" >"$TMP/dom.html"
t1=$(date +%s.%N)
echo "# page of months: $(du -k "$TMP/gaps.html" | cut -f1) KB, dump-dom in $(echo "$t1 - $t0" | bc) s"
check "browser: rendered the months" 1 "$(grep -c '<table class="hm mv">' "$TMP/dom.html")"
check "browser: one row per month" "$MONTHS" "$(grep -o '<tr class="mo"><th><a href=' "$TMP/dom.html" | wc -l)"
check "browser: three cells per month" "$((MONTHS * 3))" "$(grep -oE '<td class="?[a-z]"? title="[0-9]{4}-[0-9]{2} ' "$TMP/dom.html" | wc -l)"
check "browser: the month after is all missing" 1 \
    "$(grep -c '<td class="m" title="2024-02 c: 29 missing">' "$TMP/dom.html")"
browser --dump-dom "file://$TMP/gaps.html.d/2024-01.html" >"$TMP/month.html"
check "browser: the month page has its 31 dates x 3 tables" 93 \
    "$(grep -oE '<td class="?[a-z]"? title="2024-01-[0-9]{2} ' "$TMP/month.html" | wc -l)"
check_contains "browser: the partial cell, as on the one-page heatmap" \
    'title="2024-01-05 c partial 1/2; last run' "$(cat "$TMP/month.html")"
check "browser: the month's missing dates, ready for --dates" \
    "2024-01-21,2024-01-22,2024-01-23,2024-01-24,2024-01-25,2024-01-26,2024-01-27,2024-01-28,2024-01-29,2024-01-30,2024-01-31" \
    "$(sed -n 's|.*<pre id="\?missing-c"\?>\([^<]*\)</pre>.*|\1|p' "$TMP/month.html")"
