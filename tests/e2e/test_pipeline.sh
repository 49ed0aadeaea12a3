#!/usr/bin/env bash
# backfill pipeline: the processor graph in one command. Every processor
# starts after everything it reads finished complete, with its pre-flight
# judged then; a failure leaves its dependents not started while the
# independent branches go on (--keep-going); --dry-run writes nothing.
. "$(dirname "$0")/lib.sh"
plan 35

# A small plugin_dir: copy -> follow, and partial_save on its own.
mkdir "$TMP/plugins"
for p in copy follow partial_save; do cp "$ROOT/tests/plugins/$p.so" "$TMP/plugins/"; done
write_config "$TMP/plugins" <<'CONF'
processors = { copy = { fail_dates = "2024-01-06"; }; };
CONF
seed_calendar 2024-01-01 10
RANGE=(--start-date 2024-01-01 --end-date 2024-01-10)

# --dry-run: the order and the plan, nothing written, no state.
before=$(dump | sha256sum)
run_bf pipeline "${RANGE[@]}" --dry-run
check "dry run: exit 0" 0 "$RC"
check "dry run: in graph order" "copy follow partial_save" "$(awk '/^  [a-z_]+ +[0-9]/ {print $1}' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
check_contains "dry run: copy would run its 7 dates" "copy                                  7        0        0        0" "$OUT"
check_contains "dry run: follow would be refused now" "pre-flight would refuse it now" "$OUT"
check "dry run: store byte-identical" "$before" "$(dump | sha256sum)"
check "dry run: no state written" 0 "$(ls "$TMP/state" 2>/dev/null | wc -l)"

# A failure: copy fails a date, follow is not started; with --keep-going
# the independent partial_save completes.
run_bf pipeline "${RANGE[@]}" --keep-going --workers 2
check "failure: exit 1 (the worst)" 1 "$RC"
check_contains "failure: dependents not started, naming why" "not started: copy failed" "$OUT"
check "failure: follow wrote nothing" 0 "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'follow'")"
check "failure: the independent branch completed" 14 "$(sql "SELECT count(*) FROM partial_save")"
check_contains "summary: a row per processor" "partial_save                   0            7        0        0        0        3" "$OUT"
check_contains "summary: the failed one" "copy                           1            6        1        0        0        3  1 failed, 0 check-failed, 0 partial, 0 blocked" "$OUT"

# Repaired: the pipeline resumes copy, then runs follow; exit 0.
sed -i 's/fail_dates = "2024-01-06"/fail_dates = ""/' "$TMP/backfill.conf"
run_bf pipeline "${RANGE[@]}"
cp "$DB" "$TMP/alone.db"
check "repaired: exit 0" 0 "$RC"
check_contains "repaired: copy resumed its 6 dates" "resuming: 6 dates already complete" "$OUT"
check "repaired: follow holds every copied row" "$(sql "SELECT count(*) FROM copy")" "$(sql "SELECT count(*) FROM follow")"
# The pipeline's last connection to close is read-only, which cannot fold
# the WAL into the file: its writers must have, or a copy of the file alone
# (a backup, a scp) lacks the published rows. Copied before any other
# connection opens it.
check "repaired: the store file alone holds every published row" \
    "$(sql "SELECT count(*) FROM follow")" "$(sqlite3 "$TMP/alone.db" "SELECT count(*) FROM follow" 2>&1)"

# --targets: the named processor and what it needs, nothing else.
sql "DROP TABLE follow; DROP TABLE partial_save"
rm -f "$TMP/state/follow.json" "$TMP/state/partial_save.json"
run_bf pipeline "${RANGE[@]}" --targets follow
check "targets: exit 0" 0 "$RC"
check "targets: follow ran" 14 "$(sql "SELECT count(*) FROM follow")"
check "targets: partial_save did not" 0 "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'partial_save'")"
run_bf pipeline "${RANGE[@]}" --targets nosuch
check "targets: unknown name exit 2" 2 "$RC"
run_bf pipeline "${RANGE[@]}" --skip-preflight
check "skip-preflight needs a reason here too" 2 "$RC"

# The demo on a small league: from nothing, the ten processors complete in
# one command, each gate judged once its upstream finished.
demo_config
rm -rf "$TMP/state" "$DB"
"$ROOT/bin/demo_gen" --db "$DB" --teams 6 --start 2024-10-22 --end 2024-11-24 --seed 7 >/dev/null
run_bf pipeline --start-date 2024-10-22 --end-date 2024-11-24 --workers 2
check "demo pipeline: exit 0" 0 "$RC"
check "demo pipeline: ten processors, each exit 0" 10 "$(grep -cE '^  [a-z_]+ +0 +[0-9]+' <<<"$OUT")"
check "demo pipeline: player summaries as the box scores say" \
    "$(sql "SELECT count(*) FROM player_boxscores WHERE minutes > 0")" "$(sql "SELECT count(*) FROM player_game_summary")"
check "demo pipeline: the feature store filled" \
    "$(sql "SELECT count(*) FROM player_game_summary WHERE game_date >= '2024-11-05'")" "$(sql "SELECT count(*) FROM ml_feature_store")"
rm -f "$TMP"/state/runs/*.jsonl
run_bf pipeline --start-date 2024-10-22 --end-date 2024-11-24 --workers 2
check "demo pipeline again: exit 0" 0 "$RC"
check "demo pipeline again: every processor ran, no date redone" "10 0" \
    "$(cat "$TMP"/state/runs/*.jsonl | jq -rs '"\([.[] | select(.event == "run_started")] | length) \([.[] | select(.event == "date_committed")] | length)"')"

# verify --outputs: is every output table complete? Then one tampered date.
run_bf verify --outputs phase3,phase4 --start-date 2024-10-22 --end-date 2024-11-24
check "outputs: all complete, exit 0" 0 "$RC"
check "outputs: a line per table, each ok" 10 "$(grep -c ' ok$' <<<"$OUT")"
T=2024-11-19
sql "DELETE FROM player_composite_factors WHERE game_date = '$T' AND rowid IN
     (SELECT rowid FROM player_composite_factors WHERE game_date = '$T' LIMIT 3)"
run_bf verify --outputs phase4 --start-date 2024-10-22 --end-date 2024-11-24
check "outputs: a tampered table fails, exit 1" 1 "$RC"
check "outputs: its date counted partial" "player_composite_factors 20 19 1" \
    "$(awk '$1 == "player_composite_factors" {print $1, $2, $3, $4}' <<<"$OUT")"
check "outputs: the date that read it is orphaned (its input is partial now)" \
    "ml_feature_store 20 19 0 0 0 0 1" "$(awk '$1 == "ml_feature_store" {print $1, $2, $3, $4, $5, $6, $7, $8}' <<<"$OUT")"
run_bf verify --outputs phase3 --start-date 2024-10-22 --end-date 2024-11-24
check "outputs: phase 3 is untouched, exit 0" 0 "$RC"

# The next pipeline redoes exactly that date and the one that read it.
rm -f "$TMP"/state/runs/*.jsonl
run_bf pipeline --start-date 2024-10-22 --end-date 2024-11-24
check "after tampering: exit 0" 0 "$RC"
check "after tampering: exactly the tampered date and its reader redone" \
    "ml_feature_store $T,player_composite_factors $T" \
    "$(jq -r 'select(.event == "date_committed") | "\(input_filename | split("/") | last | split("-") | first) \(.date)"' "$TMP"/state/runs/*.jsonl | sort | paste -sd, -)"
