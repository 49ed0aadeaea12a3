#!/usr/bin/env bash
# backfill signoff: a handoff document of what the judge measured over a
# range of a group's tables (the waivers relied on, skipped pre-flights,
# last runs, every judged date, and a fingerprint of all these facts), and
# signoff --check, which judges the range again and reports exactly the
# dates that changed since, and any edit of the facts.
. "$(dirname "$0")/lib.sh"
plan 33
write_config <<'CONF'
groups = { both = [ "copy", "follow" ]; };
waivers = ( { table = "upstream"; dates = "2024-01-02..2024-01-05"; reason = "feed lost"; approved_by = "Ana Ruiz"; expires = "2099-01-01"; } );
CONF
seed_calendar 2024-01-01 10
RANGE=(--start-date 2024-01-04 --end-date 2024-01-10)
run_bf run copy "${RANGE[@]}" --skip-preflight --reason "vendor late, checked by hand"
run_bf run follow "${RANGE[@]}"
check "built: follow exit 0" 0 "$RC"

run_bf signoff "${RANGE[@]}" --targets both --by "Bo Lee" --md "$TMP/signoff.md"
check "sign: exit 0 (every table complete)" 0 "$RC"
check "sign: says where" "wrote $TMP/signoff.md" "$OUT"
doc=$(cat "$TMP/signoff.md")
check_contains "document: title with the range" "# Sign-off: both, 2024-01-04..2024-01-10" "$doc"
check_contains "document: who signed" "Signed by Bo Lee at" "$doc"
check_contains "document: per table, the judge's figures" "| copy | 7 of 7 | 100.0 % | - | complete |" "$doc"
check "document: a waiver covering an input that nothing relied on is not listed" "- none" \
    "$(grep -A2 '^## Waivers relied on over the range' <<<"$doc" | tail -n 1)"
check_contains "document: the skipped pre-flight and its reason" "copy: exit 0 at" "$(grep 'PRE-FLIGHT SKIPPED (vendor late, checked by hand)' <<<"$doc")"
check_contains "document: the run's command" "run follow --start-date 2024-01-04 --end-date 2024-01-10\`" "$doc"
check "document: the facts, every judged date" "14" \
    "$(grep -A2 'backfill-signoff facts' "$TMP/signoff.md" | grep '^{' | jq '[.tables[].dates | length] | add')"

run_bf signoff --check "$TMP/signoff.md"
check "check right after: exit 0" 0 "$RC"
check_contains "check right after: nothing changed" "judged again now: 14 dates unchanged, 0 lost, 0 gained, 0 other changes" "$OUT"

# Who signed, and over what range, are facts too: an edit of either is seen.
facts=$(grep '^{"backfill_signoff"' "$TMP/signoff.md")
for edit in '.signed_by = "Someone Else"' '.range.first = "2024-01-08"'; do
    { echo "<!-- backfill-signoff facts -->"; jq -c "$edit" <<<"$facts"; } >"$TMP/edited.md"
    run_bf signoff --check "$TMP/edited.md"
    check "edited ($edit): exit 1, said" "1 EDITED" "$RC $(grep -o '^EDITED' <<<"$OUT")"
done

# A document of version 1, whose fingerprint covered the dates only, still
# checks, and says what its fingerprint does not cover.
python3 - "$facts" >"$TMP/v1.md" <<'PY'
import json, sys
facts = json.loads(sys.argv[1])
h = 14695981039346656037
def fnv(h, s):
    for b in s.encode():
        h = ((h ^ b) * 1099511628211) % 2**64
    return h
for t in facts["tables"]:
    h = fnv(h, t["table"] + "\n")
    for date, (state, rows) in t["dates"].items():
        h = fnv(h, "%s %s %d\n" % (date, state, rows))
facts.update(backfill_signoff=1, signed_by="Someone Else", fingerprint="%016x" % h)
print("<!-- backfill-signoff facts -->")
print(json.dumps(facts))
PY
run_bf signoff --check "$TMP/v1.md"
check "version 1: exit 0, not edited, says what it does not cover" \
    "0 0 (an older sign-off: its fingerprint covers its dates and range checks, not who signed, when or over what range)" \
    "$RC $(grep -c EDITED <<<"$OUT") $(sed -n 2p <<<"$OUT")"

# One date tampered with in the store: exactly that date is reported.
sql "DELETE FROM follow WHERE game_date = '2024-01-07'"
run_bf signoff --check "$TMP/signoff.md"
check "tampered: exit 1" 1 "$RC"
check "tampered: exactly one date reported" "follow 2024-01-07 complete (2 rows) -> missing (0 rows) LOST" \
    "$(grep '^  ' <<<"$OUT" | tr -s ' ' | sed 's/^ //')"
check_contains "tampered: the count" "13 dates unchanged, 1 lost" "$OUT"

# The document's facts edited: the fingerprint says so.
sed -i '/^{"backfill_signoff"/s/"2024-01-05":\["complete",2\]/"2024-01-05":["missing",0]/' "$TMP/signoff.md"
run_bf signoff --check "$TMP/signoff.md"
check "edited document: exit 1" 1 "$RC"
check_contains "edited document: said" "EDITED: its facts do not match its fingerprint" "$OUT"

# Facts edited down to the range and the dates: what is gone reads "?".
{ echo "<!-- backfill-signoff facts -->"
  grep '^{"backfill_signoff"' "$TMP/signoff.md" | jq -c 'del(.targets, .signed_by, .signed_at, .tables[].table)'
} >"$TMP/stripped.md"
run_bf signoff --check "$TMP/stripped.md"
check "stripped facts: exit 1 (edited, a date lost)" 1 "$RC"
check "stripped facts: the header says what is gone" "sign-off of ?, 2024-01-04..2024-01-10 by ? at ?" "$(head -n 1 <<<"$OUT")"
check "stripped facts: the changed dates, no (null) anywhere" \
    "? 2024-01-05 missing (0 rows) -> complete (2 rows),? 2024-01-07 complete (2 rows) -> missing (0 rows) LOST,|0" \
    "$(grep '^  ' <<<"$OUT" | tr -s ' ' | sed 's/^ //' | tr '\n' ',')|$(grep -c 'null' <<<"$OUT")"

# HTML, and a range that is not complete.
run_bf signoff "${RANGE[@]}" --targets both --html "$TMP/signoff.html"
check "sign with a lost date: exit 1, written anyway" "1 yes" "$RC $([ -s "$TMP/signoff.html" ] && echo yes)"
check_contains "html: the verdict" "<td>follow</td><td>6 of 7</td><td>85.7 %</td><td>1 missing</td><td>NOT COMPLETE</td>" "$(cat "$TMP/signoff.html")"
run_bf signoff --check "$TMP/signoff.html"
check "html: checks as signed (nothing changed since)" "0" "$RC"

# A waiver for the lost date: judged waived, relied on by follow's run; the
# document lists it and who relied on it, and still not the unused one.
sed -i 's|^waivers = ( |waivers = ( { table = "follow"; dates = "2024-01-07"; reason = "rebuilt next week"; approved_by = "Cy Ng"; expires = "2099-01-01"; }, |' "$TMP/backfill.conf"
run_bf run follow "${RANGE[@]}"
check "a run relying on the waiver: exit 0" 0 "$RC"
run_bf signoff "${RANGE[@]}" --targets both --md "$TMP/waived.md"
check "the waived date: the table passes, exit 0" 0 "$RC"
doc=$(cat "$TMP/waived.md")
check_contains "the waiver relied on: listed with who relied on it" \
    "- follow 2024-01-07: rebuilt next week (approved by Cy Ng, expires 2099-01-01; $TMP/backfill.conf:10); waives 1 date in the range for follow; relied on by the last run of follow" "$doc"
check "a waiver nothing relied on: still not listed" 0 "$(grep -c 'feed lost' <<<"$doc")"
run_bf signoff --start-date 2024-01-08 --end-date 2024-01-10 --targets both --md "$TMP/later.md"
check "a range without the waived date lists no waiver" "- none" \
    "$(grep -A2 '^## Waivers relied on over the range' "$TMP/later.md" | tail -n 1)"

run_bf signoff "${RANGE[@]}"
check "no --targets: exit 2" 2 "$RC"
echo "# notes" >"$TMP/notes.md"
run_bf signoff --check "$TMP/notes.md"
check "a file without facts: one line, exit 2" "2 backfill: signoff --check $TMP/notes.md: no sign-off facts in it (written by backfill signoff --md or --html?)" "$RC $ERR"
