#!/usr/bin/env bash
# backfill gaps: the judge's verdict on every date of every table, in the
# terminal, as CSV and JSON, and as an HTML heatmap checked in a real
# headless browser (chromium) against the data.
. "$(dirname "$0")/lib.sh"
# 31 checks, and 14 in the browser (1 saying it was skipped without one).
if command -v chromium >/dev/null; then plan 45; else plan 32; fi
RANGE=(--start-date 2024-01-01 --end-date 2024-01-30)
seed_every_state

BACKFILL_SQL_TRACE="$TMP/trace" run_bf gaps "${RANGE[@]}" --json
check "gaps with gaps exits 1" 1 "$RC"
echo "$OUT" >"$TMP/gaps.json"
counts() { jq -r --arg t "$1" '.tables[] | select(.table == $t) | .states | to_entries
    | map(select(.value > 0) | "\(.key)=\(.value)") | join(" ")' "$TMP/gaps.json"; }
check "copy: states" "complete=16 partial=1 missing=10 skipped=3" "$(counts copy)"
check "follow: states" "complete=15 blocked=10 skipped=3 stale=1 orphaned=1" "$(counts follow)"
check "always_fails: states" "missing=22 skipped=3 failed=5" "$(counts always_fails)"
check "columns in graph order, with codes" "af:always_fails c:copy f:follow" \
    "$(jq -r '[.tables[] | "\(.code):\(.table)"] | join(" ")' "$TMP/gaps.json")"
check "partial: rows held / rows published" "1/2" \
    "$(jq -r '.cells[] | select(.table == "copy" and .state == "partial") | "\(.actual)/\(.expected)"' "$TMP/gaps.json")"
check "coverage against the threshold" "0.5925 0.95 false" \
    "$(jq -r '.tables[] | select(.table == "copy") | "\(.coverage * 10000 | floor / 10000) \(.threshold) \(.passed)"' "$TMP/gaps.json")"
# The calendar is read twice: its dates, and its rows' fingerprint (a raw
# input of every processor).
check "one grouped query per table for the whole command" "1 1 1 1 2" \
    "$(for t in copy follow always_fails upstream; do grep -c "FROM \`\\?$t\`\\? WHERE .* GROUP BY" "$TMP/trace"; done | tr '\n' ' ')$(grep -c 'FROM `\?schedule`\?' "$TMP/trace")"

run_bf gaps "${RANGE[@]}" --csv
check "csv exits as json" 1 "$RC"
check "csv header" "date,table,code,state,actual,expected" "$(head -n 1 <<<"$OUT")"
check "csv and json: the same cells" \
    "$(jq -r '.cells[] | "\(.date),\(.table),\(.state),\(.actual),\(.expected // "")"' "$TMP/gaps.json" | sort)" \
    "$(tail -n +2 <<<"$OUT" | awk -F, '{print $1","$2","$4","$5","$6}' | sort)"

run_bf gaps "${RANGE[@]}"
check "terminal: header" "date        af    c     f" "$(head -n 1 <<<"$OUT")"
check "terminal: a line per date" "2024-01-05  FAIL  1/2   orph" "$(grep '^2024-01-05' <<<"$OUT")"
check "terminal: 30 date lines" 30 "$(grep -c '^2024-' <<<"$OUT")"
check_contains "terminal: legend" "legend: ok complete, A/E partial" "$OUT"
check_contains "terminal: coverage line" "  c     copy                              16 of 27     59.3%  NOT COMPLETE (1 partial, 10 missing)" "$OUT"
check "terminal: no colour when not a terminal" 0 "$(grep -c $'\033' <<<"$OUT")"
run_bf gaps "${RANGE[@]}" --compact
check "compact: runs of identical dates" "2024-01-21 .. 2024-01-30  --    --    blk    (10 dates)" \
    "$(grep '^2024-01-21' <<<"$OUT")"
check "compact: fewer lines" 7 "$(grep -c '^2024-' <<<"$OUT")"
script -qec "$BF gaps --start-date 2024-01-01 --end-date 2024-01-30" /dev/null >"$TMP/tty.out"
check "colour on a terminal" 1 "$(grep -c $'2024-01-05  \033\\[1;31mFAIL' "$TMP/tty.out")"

run_bf gaps "${RANGE[@]}" --targets follow --json
check "--targets: only those" "follow" "$(jq -r '[.tables[].table] | join(",")' <<<"$OUT")"
run_bf gaps --dates 2024-01-04,2024-01-07 --targets copy
check "all complete exits 0" 0 "$RC"
run_bf gaps "${RANGE[@]}" --csv --json
check "--csv with --json: exit 2" 2 "$RC"
run_bf gaps "${RANGE[@]}" --targets nosuch
check "unknown target: exit 2" 2 "$RC"
run_bf gaps "${RANGE[@]}" --html "$TMP/no/such/dir/gaps.html"
check "unwritable --html: exit 2" 2 "$RC"
check_contains "unwritable --html: named" "--html $TMP/no/such/dir/gaps.html: No such file or directory" "$ERR"
run_bf run copy "${RANGE[@]}" --compact
check "--compact is for gaps" 2 "$RC"

# The heatmap.
run_bf gaps "${RANGE[@]}" --html "$TMP/gaps.html"
check "html exits as json" 1 "$RC"
check "html: one line" "wrote $TMP/gaps.html: 30 dates x 3 tables, 50 cells not complete" "$OUT"
check "html: self-contained (no script, link, src, url)" 0 \
    "$(grep -ciE '<script|<link|src=|url\(|https?:' "$TMP/gaps.html")"

if ! command -v chromium >/dev/null; then
    ok "browser checks skipped: chromium is not installed (tools/install-deps.sh --ci)"
    exit 0
fi
browser --dump-dom "file://$TMP/gaps.html" >"$TMP/dom.html"
check "browser: rendered the heatmap" 1 "$(grep -c '<table class="hm">' "$TMP/dom.html")"
for state in complete:c partial:p missing:m blocked:b skipped:s stale:t orphaned:o failed:f; do
    n=$(jq "[.cells[] | select(.state == \"${state%:*}\")] | length" "$TMP/gaps.json")
    check "browser: ${state%:*} cells as in the data ($n)" "$n" \
        "$(grep -o "<td class=\"\?${state#*:}\"\? " "$TMP/dom.html" | wc -l)"
done
check "browser: hover text on every cell" 90 \
    "$(grep -oE '<td class="?[a-z]"? title="2024-01-[0-9]{2} [a-z]+ [a-z]+[^"]*; last run [0-9-]+ [0-9:]+"' "$TMP/dom.html" | wc -l)"
check_contains "browser: hover on the partial cell" 'title="2024-01-05 c partial 1/2; last run' "$(cat "$TMP/dom.html")"
run_bf verify follow "${RANGE[@]}" --verbose --json
check "browser: copy's missing dates are verify's" \
    "$(jq -r '.preflight[] | select(.table == "copy") | .missing | join(",")' <<<"$OUT")" \
    "$(sed -n 's|.*<pre id="\?missing-c"\?>\([^<]*\)</pre>.*|\1|p' "$TMP/dom.html")"
check "browser: copy's missing dates, as rendered" "2024-01-21,2024-01-22,2024-01-23,2024-01-24,2024-01-25,2024-01-26,2024-01-27,2024-01-28,2024-01-29,2024-01-30" \
    "$(sed -n 's|.*<pre id="\?missing-c"\?>\([^<]*\)</pre>.*|\1|p' "$TMP/dom.html")"
browser --screenshot="$TMP/gaps.png" --window-size=1000,700 "file://$TMP/gaps.html" >/dev/null
check "browser: screenshot written" 1 "$([ -s "$TMP/gaps.png" ] && echo 1)"
# Kept for a look: the test's temp dir goes, the screenshot stays.
mkdir -p "$ROOT/build/tests" && cp "$TMP/gaps.png" "$ROOT/build/tests/gaps.png"
echo "# screenshot: $ROOT/build/tests/gaps.png (rendered from $TMP/gaps.html)"
