#!/usr/bin/env bash
# Every pre-flight refusal prints its fix, in order: the command filling
# each blocking upstream (or the raw feed that is late), the waiver, then
# --skip-preflight --reason. The printed command, pasted, makes the
# refused run pass.
. "$(dirname "$0")/lib.sh"
plan 14
write_config </dev/null
seed_calendar 2024-01-01 10
RANGE=(--start-date 2024-01-04 --end-date 2024-01-08)

run_bf run follow "${RANGE[@]}"
check "downstream of an empty processor: refused" 3 "$RC"
fix=$(grep -A1 '^  fill the upstream' <<<"$OUT" | tail -n 1 | sed 's/^ *//')
check "the fix: a pipeline over the blocking processor, the same dates" \
    "$BF pipeline --targets copy --start-date 2024-01-04 --end-date 2024-01-08" "$fix"
check "then the waiver, then the gate off, in that order" \
    "to go on, one of:|fill the upstream|waive the missing dates|or run anyway" \
    "$(grep -oE '^(to go on, one of:|  fill the upstream|  waive the missing dates|  or run anyway)' <<<"$OUT" | sed 's/^ *//' | paste -sd'|')"
check_contains "the gate-off command names the run" \
    "$BF run follow --start-date 2024-01-04 --end-date 2024-01-08 --skip-preflight --reason 'WHY'" "$OUT"
run_bf verify follow "${RANGE[@]}"
check "verify refused too: exit 3" 3 "$RC"
check_contains "verify prints the same fix" "$fix" "$OUT"

# Pasted, the fix fills the upstream and the refused run passes.
eval "$fix" >"$TMP/fix.out" 2>&1
check "the pasted fix exits 0" 0 "$?"
run_bf run follow "${RANGE[@]}"
check "the refused run now passes" 0 "$RC"
check "and wrote its dates" 5 "$(sql "SELECT count(DISTINCT game_date) FROM follow")"

# A raw table that is late: named, with the command that waits for it.
sql "DELETE FROM upstream WHERE game_date = '2024-01-09'"
run_bf run copy --start-date 2024-01-04 --end-date 2024-01-10
check "late raw feed: refused" 3 "$RC"
check_contains "late raw feed: named with its figures" \
    "raw table upstream is late (6/7 dates, needs 7): no processor writes it; wait for its feed:" "$OUT"
check_contains "late raw feed: the command that waits for it" \
    "$BF run copy --start-date 2024-01-04 --end-date 2024-01-10 --wait-for-upstream 2h" "$OUT"
check "late raw feed: no pipeline offered for a raw table" "" "$(grep -F 'pipeline --targets' <<<"$OUT")"
# The config named with -c comes back in the command, quoted for the shell.
cp "$TMP/backfill.conf" "$TMP/my conf.conf"
run_bf -c "$TMP/my conf.conf" verify copy --start-date 2024-01-04 --end-date 2024-01-10
check_contains "a config path with a space is quoted" "$BF -c '$TMP/my conf.conf' run copy" "$OUT"
