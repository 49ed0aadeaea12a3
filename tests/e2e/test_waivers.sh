#!/usr/bin/env bash
# Waivers: a waived upstream date counts as covered for pre-flight and
# blocking; a waived date of a processor's own table is judged "waived"
# (gaps, verify) and not run; a run relying on a waiver records it in its
# checkpoint and event log; an expired waiver is refused with its line.
. "$(dirname "$0")/lib.sh"
plan 23
write_config </dev/null
seed_calendar 2024-01-01 10 # 2024-01-04..10 expected
sql "DELETE FROM upstream WHERE game_date = '2024-01-09'"
RANGE=(--start-date 2024-01-04 --end-date 2024-01-10)
cp "$TMP/backfill.conf" "$TMP/base.conf"

run_bf run copy "${RANGE[@]}"
check "without a waiver: refused" 3 "$RC"

# waiver LINE... : the base config and these waivers.
waivers() {
    { cat "$TMP/base.conf"; echo "waivers = ("; printf '%s\n' "$@"; echo ");"; } >"$TMP/backfill.conf"
}
waivers '  { table = "upstream"; dates = "2024-01-09..2024-01-09"; reason = "vendor lost the feed";' \
    '    approved_by = "Ana Ruiz"; expires = "2099-03-01"; }'
run_bf verify copy "${RANGE[@]}"
check "waived upstream date: pre-flight passes" 0 "$RC"
check_contains "waived upstream date: counted and said" "ok   upstream 7/7 (100.0%)  0 missing  0 partial  0 unverified  1 waived  required" "$OUT"
run_bf run copy "${RANGE[@]}"
check "run relying on the waiver: exit 0" 0 "$RC"
check_contains "the run says what it relies on" "relying on the waiver of upstream 2024-01-09..2024-01-09 (1 dates): vendor lost the feed; approved by Ana Ruiz, until 2099-03-01" "$OUT"
check "not blocked: the waived date ran" "1" "$(jq -r '.dates["2024-01-09"] | if .status == "complete" then 1 else 0 end' "$TMP/state/copy.json")"
check "checkpoint records the waiver" "upstream 2024-01-09..2024-01-09 Ana Ruiz 2099-03-01 1 $TMP/backfill.conf:10" \
    "$(jq -r '.run.waivers[0] | "\(.table) \(.dates) \(.approved_by) \(.expires) \(.dates_waived) \(.config):\(.line)"' "$TMP/state/copy.json")"
check "event log records the waiver" "vendor lost the feed" \
    "$(jq -r 'select(.event == "waivers_relied_on") | .waivers[0].reason' "$TMP"/state/runs/copy-*.jsonl)"

# A waived date of a processor's own table: judged waived, not run.
# (The feed of 2024-01-09 lands after all; copy's 2024-01-10 is lost.)
sql "INSERT INTO upstream VALUES ('2024-01-09', 1), ('2024-01-09', 2)"
run_bf run copy "${RANGE[@]}" --no-resume
sql "DELETE FROM copy WHERE game_date = '2024-01-10'"
waivers '  { table = "upstream"; dates = "2024-01-09"; reason = "vendor lost the feed"; approved_by = "Ana Ruiz"; expires = "2099-03-01"; },' \
    '  { table = "follow"; dates = "2024-01-10..2024-01-10"; reason = "copy is redone next week"; approved_by = "Bo"; expires = "2099-01-01"; }'
run_bf gaps "${RANGE[@]}" --targets follow --json
check "gaps: the waived date of follow is waived" "waived" \
    "$(jq -r '.cells[] | select(.table == "follow" and .date == "2024-01-10") | .state' <<<"$OUT")"
run_bf gaps "${RANGE[@]}" --targets follow
check_contains "gaps text: wvd in the legend" "wvd waived" "$OUT"
check "gaps text: the cell" "2024-01-10  wvd" "$(grep '^2024-01-10' <<<"$OUT")"
run_bf verify --outputs follow "${RANGE[@]}"
check_contains "verify --outputs has a waived column" "waived" "$(head -n 1 <<<"$OUT")"
run_bf run follow "${RANGE[@]}"
check "follow with its blocked date waived: exit 0" 0 "$RC"
check_contains "said: waived, not run" "1 date waived (config waivers): not run" "$OUT"
check "the waived date was not written" "0" "$(sql "SELECT count(*) FROM follow WHERE game_date = '2024-01-10'")"
check "recorded: the follow waiver" "follow 1" "$(jq -r '.run.waivers[] | "\(.table) \(.dates_waived)"' "$TMP/state/follow.json")"

# An expired waiver is refused with its line; nothing runs.
waivers '  { table = "upstream"; dates = "2024-01-09..2024-01-09"; reason = "vendor lost the feed";' \
    '    approved_by = "Ana Ruiz"; expires = "2024-01-31"; }'
before=$(dump)
BACKFILL_TODAY=2024-02-01 run_bf run copy "${RANGE[@]}" --no-resume
check "expired waiver: exit 2" 2 "$RC"
check "expired waiver: one line with its config line" "backfill: $TMP/backfill.conf:10: waivers[0]: expired on 2024-01-31: the waiver of upstream 2024-01-09..2024-01-09 (approved by Ana Ruiz) no longer holds; renew its expires or remove it" "$ERR"
check "expired waiver: nothing written" "$before" "$(dump)"
BACKFILL_TODAY=2024-01-31 run_bf verify copy "${RANGE[@]}"
check "a waiver holds through its expires day" 0 "$RC"

# Bad waivers: one line each, exit 2.
waivers '  { table = "upstream"; dates = "2024-01-09..2024-01-09"; reason = "x"; expires = "2099-01-01"; }'
run_bf verify copy "${RANGE[@]}"
check "waiver without approved_by" "2 backfill: $TMP/backfill.conf:10: waivers[0].approved_by: missing (a waiver needs table, dates, reason, approved_by and expires)" "$RC $ERR"
waivers '  { table = "upstream"; dates = "2024-01-10..2024-01-09"; reason = "x"; approved_by = "y"; expires = "2099-01-01"; }'
run_bf verify copy "${RANGE[@]}"
check "reversed waiver dates" "2 backfill: $TMP/backfill.conf:10: waivers[0].dates: 2024-01-10 is after 2024-01-09" "$RC $ERR"
waivers '  { table = "upstream"; dates = "2024-01-09"; reason = "x"; approved_by = "y"; expires = "2099-01-01"; ok = 1; }'
run_bf verify copy "${RANGE[@]}"
check "unknown key in a waiver" "2 backfill: $TMP/backfill.conf:10: ok: unknown key in waivers[0]" "$RC $ERR"
