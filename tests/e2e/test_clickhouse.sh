#!/usr/bin/env bash
# The core's guarantees on ClickHouse: a real two-shard cluster of user
# processes on loopback (tests/e2e/ch_lib.sh), driven by bin/backfill.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 70
ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
ok "two-shard cluster started"
ALL_ERR="$TMP/all_err"

# Every stderr of every run, for the password check at the end.
run_ch() {
    run_bf "$@"
    printf '%s\n%s\n' "$ERR" "$OUT" >>"$ALL_ERR"
}

per_date() { # TABLE: "date:rows ..." through the Distributed table
    ch_sql 1 "SELECT arrayStringConcat(groupArray(concat(toString(d), ':', toString(c))), ' ') FROM (SELECT game_date AS d, count() AS c FROM bft.$1 GROUP BY d ORDER BY d)"
}

ch_seed bft 2024-01-01 10
ch_config cluster <<'CONF'
processors = { copy = { crash_date = ""; }; };
CONF

# --- a whole run, published shard by shard
run_ch run copy --start-date 2024-01-01 --end-date 2024-01-10
check "cluster run exits 0" 0 "$RC"
check "every date published with its 2 rows" \
    "2024-01-04:2 2024-01-05:2 2024-01-06:2 2024-01-07:2 2024-01-08:2 2024-01-09:2 2024-01-10:2" "$(per_date copy)"
check "the output is a Distributed table" "Distributed" \
    "$(ch_sql 1 "SELECT engine FROM system.tables WHERE database = 'bft' AND name = 'copy'")"
check "each shard holds its dates locally" "8 6" \
    "$(ch_sql 1 "SELECT count() FROM bft.copy_local") $(ch_sql 2 "SELECT count() FROM bft.copy_local")"
check "staging tables dropped when the run ends" "0 0" \
    "$(ch_sql 1 "SELECT count() FROM system.tables WHERE name LIKE 'bf_stage_%'") $(ch_sql 2 "SELECT count() FROM system.tables WHERE name LIKE 'bf_stage_%'")"
check "checkpoint: complete" "complete 2 2" \
    "$(jq -r '.dates["2024-01-05"] | "\(.status) \(.expected) \(.actual)"' "$TMP/state/copy.json")"

# --- a store that is not the one configured is refused before any date
# (one request checks the database and the cluster's shards)
cp "$TMP/backfill.conf" "$TMP/good.conf"
sed -i 's/database = "bft";/database = "nope";/' "$TMP/backfill.conf"
run_ch run copy --start-date 2024-01-01 --end-date 2024-01-10
check "no such database: exit 2 (nothing ran)" 2 "$RC"
check_contains "no such database: refused, named" "cannot open store" "$ERR"
check_contains "no such database: the server's reason" "Database nope doesn't exist" "$ERR"
cp "$TMP/good.conf" "$TMP/backfill.conf"
sed -i "s#, \"http://127.0.0.1:$CH_HTTP2\" ]#]#" "$TMP/backfill.conf"
run_ch run copy --start-date 2024-01-01 --end-date 2024-01-10
check "cluster of 2 shards, 1 listed: exit 2 (nothing ran)" 2 "$RC"
check_contains "cluster of 2 shards, 1 listed: refused" \
    "cluster bf has 2 shards on that server, shard_urls lists 1" "$ERR"
cp "$TMP/good.conf" "$TMP/backfill.conf"

# --- pre-flight refusal leaves every table on every shard as it was
sleep_until_mutated() { # mutations are asynchronous: wait until they are done
    local s
    for s in 1 2; do
        for _ in $(seq 200); do
            [ "$(ch_sql $s "SELECT count() FROM system.mutations WHERE is_done = 0")" = 0 ] && break
            sleep 0.05
        done
    done
}
for s in 1 2; do ch_sql $s "ALTER TABLE bft.upstream DELETE WHERE game_date = '2024-01-09'"; done
sleep_until_mutated
before=$(ch_fingerprint bft)
run_ch run copy --start-date 2024-01-04 --end-date 2024-01-10 --no-resume
check "refused run exits 3" 3 "$RC"
check "store unchanged after refusal (rows and checksums per table and shard)" "$before" "$(ch_fingerprint bft)"
run_ch run copy --start-date 2024-01-04 --end-date 2024-01-10 --no-resume --dry-run
check "dry run of a refused run exits 3 and writes nothing" "3 same" \
    "$RC $([ "$before" = "$(ch_fingerprint bft)" ] && echo same || echo changed)"

# --- a blocked date is never processed
sed -i 's/min_coverage = 0.95/min_coverage = 0.5/' "$TMP/backfill.conf"
run_ch run copy --start-date 2024-01-04 --end-date 2024-01-10 --no-resume
check "run with a blocked date exits 1" 1 "$RC"
check_contains "blocked date named" "2024-01-09 blocked" "$OUT"
check "blocked date keeps its published rows" "2" "$(ch_sql 1 "SELECT count() FROM bft.copy WHERE game_date = '2024-01-09'")"
for s in 1 2; do ch_sql $s "INSERT INTO bft.upstream VALUES ('2024-01-09', 1), ('2024-01-09', 2)"; done

# --- an incomplete write is rolled back; published rows stay
ch_config cluster <<'CONF'
processors = { partial_save = { always_partial = 0; }; };
CONF
run_ch run partial_save --start-date 2024-01-04 --end-date 2024-01-08
check "short first attempts retried to complete" "0 10" \
    "$RC $(ch_sql 1 "SELECT count() FROM bft.partial_save")"
sed -i 's/always_partial = 0/always_partial = 1/' "$TMP/backfill.conf"
before=$(ch_fingerprint bft)
run_ch run partial_save --start-date 2024-01-04 --end-date 2024-01-08 --no-resume
check "always-short writes fail the run" 1 "$RC"
check "an injected partial write is never published" "$before" "$(ch_fingerprint bft)"
check "checkpoint: incomplete with its figures" "2 1" \
    "$(jq -r '.dates["2024-01-04"] | "\(.expected) \(.actual)"' "$TMP/state/partial_save.json")"

# --- isolation: the guard refuses what a plugin may not do
ch_config cluster <<'CONF'
processors = { rogue = { mode = "none"; }; };
CONF
run_ch run rogue --dates 2024-01-05
check "rogue in mode none publishes" "0 2" "$RC $(ch_sql 1 "SELECT count() FROM bft.rogue")"
before=$(ch_fingerprint bft)
for mode in insert_published update_calendar drop create multi validate_writes delete_published; do
    sed -i "s/mode = \"[a-z_]*\"/mode = \"$mode\"/" "$TMP/backfill.conf"
    run_ch run rogue --dates 2024-01-05 --no-resume
    check "rogue $mode: the date fails" 1 "$RC"
    case $mode in
    multi) want="more than one statement in one call" ;;
    validate_writes) want="readonly mode" ;;
    *) want="refused " ;;
    esac
    check_contains "rogue $mode: the reason" "$want" "$OUT$ERR"
done
# worker_init and worker_fini are read-only too, and a refusal the plugin
# ignores fails the date (exit 1) or, outside a date, the run (exit 2).
while IFS='|' read -r mode rc want; do
    sed -i "s/mode = \"[a-z_]*\"/mode = \"$mode\"/" "$TMP/backfill.conf"
    run_ch run rogue --dates 2024-01-05 --no-resume
    check "rogue $mode: exit $rc" "$rc" "$RC"
    check_contains "rogue $mode: the reason" "$want" "$ERR"
done <<'CASES'
init_write|2|rogue.so: worker_init failed: refused INSERT: the server refused it in readonly mode (only process_date and prepare may write) (in: INSERT INTO upstream SELECT * FROM upstream LIMIT 1) (the plugin ignored the error)
fini_write|2|rogue.so: worker_fini failed: refused INSERT: the server refused it in readonly mode
ignore_refusal|1|refused INSERT upstream: process_date may only INSERT INTO its staging table bf_output_table(ctx) (in: INSERT INTO upstream SELECT * FROM upstream LIMIT 1) (the plugin ignored the error)
validate_ignores|1|refused INSERT: the server refused it in readonly mode (only process_date and prepare may write) (in: INSERT INTO upstream SELECT * FROM upstream LIMIT 1) (the plugin ignored the error)
CASES
# In a block of dates the guard holds as for one date, and names the call.
while IFS='|' read -r mode want; do
    sed -i "s/mode = \"[a-z_]*\"/mode = \"$mode\"/" "$TMP/backfill.conf"
    run_ch run rogue --dates 2024-01-04,2024-01-05,2024-01-06 --batch 3 --no-resume
    check "rogue $mode in a block: the dates fail" 1 "$RC"
    check_contains "rogue $mode in a block: the reason" "$want" "$ERR"
done <<'CASES'
insert_published|block 2024-01-04..2024-01-06: process_dates returned BF_ERROR_STORE: refused INSERT rogue: process_dates may only INSERT INTO its staging table bf_output_table(ctx)
multi|more than one statement in one call
ignore_refusal|refused INSERT upstream: process_dates may only INSERT INTO its staging table bf_output_table(ctx) (in: INSERT INTO upstream SELECT * FROM upstream LIMIT 1) (the plugin ignored the error)
CASES
check "rogue: nothing written anywhere" "$before" "$(ch_fingerprint bft)"

# --- resume after kill -9 in the middle of a date
ch_config cluster <<'CONF'
processors = { copy = { crash_date = "2024-01-07"; }; };
CONF
rm -f "$TMP/state/copy.json"
for s in 1 2; do ch_sql $s "ALTER TABLE bft.copy_local DROP PARTITION '2024-01-07'"; done
for s in 1 2; do ch_sql $s "INSERT INTO bft.copy_local SELECT '2024-01-07', 42 FROM system.one WHERE $s = 2"; done
run_ch run copy --start-date 2024-01-04 --end-date 2024-01-10 --no-resume
check "killed run dies by SIGKILL" 137 "$RC"
check "killed date keeps its old rows" "42" "$(ch_sql 1 "SELECT groupArray(v) FROM bft.copy WHERE game_date = '2024-01-07'" | tr -d '[]')"
sed -i 's/crash_date = "2024-01-07"/crash_date = ""/' "$TMP/backfill.conf"
run_ch run copy --start-date 2024-01-04 --end-date 2024-01-10
check "resumed run exits 0" 0 "$RC"
check_contains "resumed run skips what was done" "already complete in the checkpoint)" "$OUT"
check "killed date replaced, not appended" "1,2" \
    "$(ch_sql 1 "SELECT arrayStringConcat(arrayMap(x -> toString(x), arraySort(groupArray(v))), ',') FROM bft.copy WHERE game_date = '2024-01-07'")"

# --- a shard killed mid-run and restarted
mkfifo "$TMP/ready" "$TMP/go"
ch_config cluster <<CONF
processors = { copy = { handshake_date = "2024-01-06"; handshake_dir = "$TMP"; }; };
CONF
"$BF" run copy --start-date 2024-01-04 --end-date 2024-01-10 --no-resume >"$TMP/out" 2>"$TMP/err" &
bf_pid=$!
read -r _ <"$TMP/ready"
ch_kill_shard 2
echo go >"$TMP/go"
wait "$bf_pid"
RC=$?
OUT=$(cat "$TMP/out") ERR=$(cat "$TMP/err")
printf '%s\n%s\n' "$ERR" "$OUT" >>"$ALL_ERR"
check "a run that loses a shard exits 1" 1 "$RC"
check_contains "the failure names the unreachable shard" "Connection refused" "$OUT$ERR"
ch_start_shard 2
# Each date: published complete (2 rows, recorded complete) or not
# recorded complete; no date holds a mix.
bad=""
for d in 2024-01-04 2024-01-05 2024-01-06 2024-01-07 2024-01-08 2024-01-09 2024-01-10; do
    rows=$(ch_sql 1 "SELECT count() FROM bft.copy WHERE game_date = '$d'")
    st=$(jq -r ".dates[\"$d\"].status // \"none\"" "$TMP/state/copy.json")
    [ "$st" = complete ] && [ "$rows" != 2 ] && bad="$bad $d:$st:$rows"
    [ "$st" != complete ] && [ "$rows" != 2 ] && [ "$rows" != 0 ] && bad="$bad $d:$st:$rows"
done
check "after the shard loss: every date recorded complete holds its 2 rows" "" "$bad"
sed -i 's/handshake_date = "2024-01-06"/handshake_date = ""/' "$TMP/backfill.conf"
run_ch run copy --start-date 2024-01-04 --end-date 2024-01-10
check "after the restart the same command finishes" 0 "$RC"
check "shards hold disjoint dates" "" \
    "$(ch_sql 1 "SELECT DISTINCT game_date FROM bft.copy_local WHERE game_date IN (SELECT game_date FROM remote('127.0.0.1:$CH_TCP2', bft.copy_local))")"
check "every date holds exactly its rows" \
    "2024-01-04:2 2024-01-05:2 2024-01-06:2 2024-01-07:2 2024-01-08:2 2024-01-09:2 2024-01-10:2" "$(per_date copy)"

# --- a single server, no cluster: same semantics on plain MergeTree
ch_seed single 2024-01-01 6
rm -rf "$TMP/state"
ch_config single <<'CONF'
processors = { copy = { crash_date = ""; }; };
CONF
run_ch run copy --start-date 2024-01-01 --end-date 2024-01-06 --workers 3
check "single-server run exits 0" "0 6" "$RC $(ch_sql 1 "SELECT count() FROM single.copy")"
check "single server: a MergeTree output" "MergeTree" \
    "$(ch_sql 1 "SELECT engine FROM system.tables WHERE database = 'single' AND name = 'copy'")"
ch_sql 1 "INSERT INTO single.copy VALUES ('2024-01-06', 99)"
for s in 1 2; do ch_sql $s "ALTER TABLE single.upstream DELETE WHERE game_date = '2024-01-06'"; done
sleep_until_mutated
sed -i 's/min_coverage = 0.95/min_coverage = 0.5/' "$TMP/backfill.conf"
ch_sql 1 "ALTER TABLE single.upstream DELETE WHERE game_date = '2024-01-05'"
sleep_until_mutated
ch_sql 1 "INSERT INTO single.upstream VALUES ('2024-01-05', 5)"
run_ch run copy --dates 2024-01-05 --no-resume
check "a date whose upstream shrank publishes its new, smaller set" "0 5" \
    "$RC $(ch_sql 1 "SELECT arrayStringConcat(arrayMap(x -> toString(x), groupArray(v)), ',') FROM single.copy WHERE game_date = '2024-01-05'")"

# --- errors: ClickHouse's own text and the HTTP status, one line
sed -i 's/user = "backfill"/user = "nobody"/' "$TMP/backfill.conf"
run_ch run copy --dates 2024-01-05 --no-resume
check "unknown user: exit 2" 2 "$RC"
check_contains "unknown user: status and exception text" "HTTP 401: Code: 192: Unknown user nobody" "$ERR"
check "error on one line" 1 "$(grep -c . <<<"$ERR")"

pw=$(cat "$CH_DIR/password")
check "the password never appears in output, errors, checkpoints or events" "" \
    "$(grep -rlF -- "$pw" "$ALL_ERR" "$TMP/state" 2>/dev/null)"
