#!/usr/bin/env bash
# Pre-flight: refusal writes nothing; blocked dates; verify; the escape hatch.
. "$(dirname "$0")/lib.sh"
plan 39
write_config </dev/null
seed_calendar 2024-01-01 10   # 2024-01-01..03 are bootstrap days: 7 expected
sql "DELETE FROM upstream WHERE game_date = '2024-01-06'"
sqlite3 "$DB" "CREATE TABLE copy (game_date TEXT, v INTEGER); INSERT INTO copy VALUES ('2024-01-05', 99);"
before_hash=$(sha256sum "$DB")
before_dump=$(dump)

run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "refused run exits 3" 3 "$RC"
check_contains "report: covered/expected, pct, missing" "FAIL upstream 6/7 (85.7%)  1 missing  0 partial  0 unverified  required, needs 95.0%" "$OUT"
check_contains "optional table only warns" "warn extra    0/7 (0.0%)  7 missing  0 partial  0 unverified  optional" "$OUT"
check_contains "says nothing written" "nothing written" "$OUT"
check "store byte-identical after refusal" "$before_hash" "$(sha256sum "$DB")"
check "dump identical after refusal" "$before_dump" "$(dump)"
check "no WAL left behind" "absent" "$([ -e "$DB-wal" ] && echo present || echo absent)"
check "no checkpoint after refusal" "absent" "$([ -e "$TMP/state/copy.json" ] && echo present || echo absent)"

run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --dry-run
check "dry run of a refused run exits 3" 3 "$RC"
check "dry run wrote nothing" "$before_hash" "$(sha256sum "$DB")"

run_bf verify copy --start-date 2024-01-01 --end-date 2024-01-10
check "verify refused exits 3" 3 "$RC"
check_contains "verify shows the same line" "FAIL upstream 6/7 (85.7%)  1 missing" "$OUT"
check_contains "verify counts dates" "copy: 10 calendar dates, 3 skipped as bootstrap, 7 expected" "$OUT"
run_bf verify copy --start-date 2024-01-01 --end-date 2024-01-10 --verbose
check_contains "verify --verbose lists the missing date" "missing 2024-01-06" "$OUT"
run_bf verify copy --start-date 2024-01-07 --end-date 2024-01-10
check "verify of a covered range exits 0" 0 "$RC"
check_contains "verify ready" "ready" "$OUT"
check "verify wrote nothing" "$before_hash" "$(sha256sum "$DB")"

# A dependency's threshold overridden in the config, without recompiling.
sed -i 's/preflight = { min_coverage = 0.95; };/preflight = { min_coverage = 0.95; thresholds = { copy = { upstream = 0.8; }; }; };/' "$TMP/backfill.conf"
run_bf verify copy --start-date 2024-01-01 --end-date 2024-01-10
check "threshold override: passes" 0 "$RC"
check_contains "threshold override: shown" "ok   upstream 6/7 (85.7%)  1 missing  0 partial  0 unverified  required, needs 80.0%" "$OUT"
sed -i 's/thresholds = { copy = { upstream = 0.8; }; }/thresholds = { copy = { upstreem = 0.8; }; }/' "$TMP/backfill.conf"
run_bf verify copy --start-date 2024-01-01 --end-date 2024-01-10
check "threshold override of no dependency: exit 2" 2 "$RC"
check_contains "threshold override of no dependency: file:line" "$TMP/backfill.conf:7: preflight.thresholds.copy.upstreem: copy has no such dependency" "$ERR"
sed -i 's/thresholds = { copy = { upstreem = 0.8; }; }/thresholds = { copy = { upstream = 1.8; }; }/' "$TMP/backfill.conf"
run_bf verify copy --start-date 2024-01-01 --end-date 2024-01-10
check "threshold override out of range: exit 2" 2 "$RC"
check_contains "threshold override out of range: named" "preflight.thresholds.copy.upstream: 1.8 is out of range 0-1" "$ERR"
sed -i 's/ thresholds = { copy = { upstream = 1.8; }; };//' "$TMP/backfill.conf"

# A lower threshold passes the range, but the empty date is still blocked.
sed -i 's/min_coverage = 0.95/min_coverage = 0.8/' "$TMP/backfill.conf"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10
check "run with a blocked date exits 1" 1 "$RC"
check_contains "blocked date named with its table" "2024-01-06 blocked      blocked: required upstream upstream has no rows for 2024-01-06" "$OUT"
check "blocked date never processed: keeps nothing" 0 "$(sql "SELECT count(*) FROM copy WHERE game_date='2024-01-06'")"
check "other dates complete" 12 "$(sql "SELECT count(*) FROM copy")"
check "bootstrap dates not written" 0 "$(sql "SELECT count(*) FROM copy WHERE game_date < '2024-01-04'")"
check "re-run names just the blocked date" "1" "$(grep -c -- '--dates 2024-01-06$' <<<"$OUT")"
check "checkpoint: blocked" "blocked" "$(jq -r '.dates["2024-01-06"].status' "$TMP/state/copy.json")"
check "checkpoint: bootstrap skipped, not missing" "skipped" "$(jq -r '.dates["2024-01-02"].status' "$TMP/state/copy.json")"

# --skip-preflight runs despite the gate, loudly, and says so in the checkpoint.
sed -i 's/min_coverage = 0.8/min_coverage = 0.95/' "$TMP/backfill.conf"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --skip-preflight --no-resume
check "skip-preflight without a reason: exit 2" 2 "$RC"
check_contains "skip-preflight needs a reason" "--skip-preflight needs --reason TEXT" "$ERR"
run_bf run copy --start-date 2024-01-01 --end-date 2024-01-10 --skip-preflight --reason "feed late, ok'd by ops" --no-resume
check "skip-preflight runs (blocked date still exits 1)" 1 "$RC"
check_contains "skip-preflight warns loudly" "*** --skip-preflight (feed late, ok'd by ops): the coverage gate is OFF" "$ERR"
check "skip-preflight recorded" "true" "$(jq -r '.run.skip_preflight' "$TMP/state/copy.json")"
check "skip-preflight reason recorded" "feed late, ok'd by ops" "$(jq -r '.run.skip_preflight_reason' "$TMP/state/copy.json")"
check "skip-preflight reason in the event log" "feed late, ok'd by ops" \
    "$(cat "$TMP"/state/runs/copy-*.jsonl | jq -r 'select(.event == "run_started") | .skip_preflight_reason' | tail -1)"
run_bf status copy
check_contains "status shows the skipped pre-flight" "PRE-FLIGHT SKIPPED" "$OUT"
