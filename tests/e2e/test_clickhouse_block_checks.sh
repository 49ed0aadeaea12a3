#!/usr/bin/env bash
# Blocks of dates on a two-shard ClickHouse cluster: the declared checks
# of a block are measured for the whole block at once (one statement per
# check, grouped by date, not one per date), each date is still judged on
# its own figures, a date whose check fails in its block runs again alone
# while the rest of its block publishes, the block's staging table
# persists from block to block (emptied by DETACH, never made again), and
# a later block that writes an earlier block's date is refused. The
# requests are counted from BACKFILL_CH_TRACE.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ch_lib.sh"
if ! ch_available; then
    plan 1
    ok "clickhouse block check tests skipped: clickhouse-server is not installed"
    exit 0
fi
plan 19
ch_start "$TMP/ch" || { not_ok "cluster starts" "$(tr '\n' ' ' <"$CH_DIR/why" 2>/dev/null)"; exit 0; }
ch_seed bft 2024-01-01 20
# in_block fails 2024-01-09 only where it is judged in its block (the
# staging table it reads is then the block's): alone it passes. by_date
# fails the date FAILS (none at first), a whole block in one statement.
FAILS=none
configure() {
    ch_config cluster <<CONF
processors = { batched = { bad_date = ""; outside_date = ""; block_fails = 0;
                           crash_after_block = ""; log_file = "$TMP/calls";
                           pause_date = ""; handshake_dir = "$TMP";
  checks = {
    v_in_range = { kind = "range"; column = "v"; min = 1; max = 2; };
    in_block = { kind = "sql";
                 sql = "SELECT count(*) FROM %s WHERE game_date = ?1 AND toString(game_date) = '2024-01-09' AND position('%s', 'bf_block') > 0"; };
    by_date = { kind = "sql_by_date";
                sql = "SELECT game_date, count(*) FROM %s WHERE game_date BETWEEN ?1 AND ?2 AND toString(game_date) = '$FAILS' GROUP BY game_date"; };
  }; }; };
CONF
}
configure
per_date() { ch_sql 1 "SELECT concat(toString(game_date), ':', toString(count())) FROM bft.batched
                       GROUP BY game_date ORDER BY game_date" | paste -sd' '; }
TRACE="$TMP/trace"
# 2024-01-04..20 (01-01..03 bootstrap): blocks 04-11 and 12-19; 20, a
# block of one, runs alone, as does 09 once it failed in its block.
BACKFILL_CH_TRACE="$TRACE" run_bf run batched --start-date 2024-01-01 --end-date 2024-01-20 \
    --batch 8 --workers 1
check "exit 0, 17 dates complete" "0 17" \
    "$RC $(jq '[.dates[] | select(.status == "complete")] | length' "$TMP/state/batched.json")"
check "the date failing its check in its block ran again alone (2 attempts), its neighbour once" \
    "2 1" "$(jq -r '[.dates["2024-01-09"].attempts, .dates["2024-01-10"].attempts] | join(" ")' "$TMP/state/batched.json")"
check "every date published with its 2 rows" 17 "$(per_date | tr ' ' '\n' | grep -c ':2$')"
check "the rest of its block published in the block" 7 \
    "$(cat "$TMP"/state/runs/*.jsonl | jq -s '[.[] | select(.event == "date_committed" and .block and .date >= "2024-01-04" and .date <= "2024-01-11")] | length')"
# statements LINE-PATTERN: how many requests the trace holds of it.
statements() { grep -c "^[^${TAB}]*${TAB}[^${TAB}]*${TAB}$1" "$TRACE"; }
TAB=$'\t'
check "range check: one grouped statement per block, one per date alone" "2 2" \
    "$(statements 'SELECT `game_date`, count(\*), sum(CASE WHEN `v` < 1 OR `v` > 2 THEN 1 ELSE 0 END) FROM bft.bf_block_') $(statements 'SELECT `game_date`, count(\*), sum(CASE WHEN `v` < 1 OR `v` > 2 THEN 1 ELSE 0 END) FROM bft.bf_stage_')"
check "sql check: one statement of every date per block, one per date alone" "2 2" \
    "$(statements "SELECT 0 AS bf_k, (SELECT count(\*) FROM bft.bf_block_[^ ]* WHERE game_date = '2024-01-[0-9]*' AND toString") $(statements "SELECT count(\*) FROM bft.bf_stage_[^ ]* WHERE game_date = '2024-01-[0-9]*' AND toString")"
check "sql_by_date check: one statement per block, one per date alone" "2 2" \
    "$(statements "SELECT game_date, count(\*) FROM bft.bf_block_[^ ]* WHERE game_date BETWEEN '2024-01-[0-9]*' AND '2024-01-[0-9]*' AND toString") $(statements "SELECT game_date, count(\*) FROM bft.bf_stage_[^ ]* WHERE game_date BETWEEN '2024-01-[0-9]*' AND '2024-01-[0-9]*' AND toString")"
check "no check statement of one date of a block" 0 \
    "$(statements "SELECT count(\*) FROM bft.bf_block_[^ ]* WHERE game_date = '2024-01-[0-9]*' AND toString")"
# The block's table: made once per server, then emptied for the second
# block by one DETACH per server.
check "the block's table made once per server, then emptied by DETACH" "2 2" \
    "$(statements 'CREATE TABLE bft.bf_block_batched_[^ ]* AS ') $(statements 'ALTER TABLE bft.bf_block_batched_[^ ]* DETACH PARTITION')"
check "the block's tables dropped once, the local one on each server and the Distributed one on the entry" "2 1" \
    "$(statements 'DROP TABLE IF EXISTS bft.bf_block_batched_[0-9a-f]*_[0-9]*_[0-9]*$') $(statements 'DROP TABLE IF EXISTS bft.bf_block_batched_[^ ]*_all$')"
check "no staging table left behind" 0 \
    "$(ch_sql 1 "SELECT count() FROM system.tables WHERE name LIKE 'bf\\_%'")$(ch_sql 2 "SELECT count() FROM system.tables WHERE name LIKE 'bf\\_%'" | sed 's/^0$//')"

# by_date failing one date of a block: that date alone is refused, named
# with what it counted; the rest of the block publishes.
FAILS=2024-01-05
configure
run_bf run batched --dates 2024-01-05,2024-01-06,2024-01-07 --batch 8 --workers 1 --no-resume \
    --retries 0 --keep-going
check "sql_by_date: the failing date fails the run" 1 "$RC"
check_contains "sql_by_date: the date named with what it counted" \
    "2024-01-05 check-failed check by_date: sql_by_date(by_date): 2 failing rows, limit 0" "$OUT"
check "sql_by_date: the rest of its block published in the block" "2024-01-06 2024-01-07" \
    "$(jq -rs '[.[] | select(.event == "date_committed" and .block) | .date] | sort | join(" ")' "$(ls -t "$TMP"/state/runs/*.jsonl | head -1)")"

# An earlier block's date written again by a later block: that block is
# refused as writing outside itself, and its dates run again alone.
FAILS=none
configure
sed -i 's/outside_date = "";/outside_date = "2024-01-05";/' "$TMP/backfill.conf"
run_bf run batched --start-date 2024-01-04 --end-date 2024-01-19 --batch 8 --workers 1 --no-resume
check "an earlier block's date written again: exit 0, every date with its 2 rows" "0 16" \
    "$RC $(per_date | tr ' ' '\n' | grep -c '^2024-01-\(0[4-9]\|1[0-9]\):2$')"
check_contains "the later block refused, the date named" \
    "process_dates wrote rows for 2024-01-05, outside its block 2024-01-12..2024-01-19" "$ERR"
check "its dates published alone, none from the block" 0 \
    "$(jq -s '[.[] | select(.event == "date_committed" and .block and .date >= "2024-01-12")] | length' "$(ls -t "$TMP"/state/runs/*.jsonl | head -1)")"

# 280 more days in blocks of 100: the block's table, made once, is
# emptied by one DETACH per server before each later block.
for s in 1 2; do
    ch_sql $s "INSERT INTO bft.schedule SELECT concat('h', toString(number)), toDate('2024-01-21') + number
               FROM system.numbers LIMIT 280"
    ch_sql $s "INSERT INTO bft.upstream SELECT game_date, v FROM bft.schedule
               ARRAY JOIN [1, 2] AS v WHERE game_date >= '2024-01-21'"
done
configure
: >"$TRACE"
BACKFILL_CH_TRACE="$TRACE" run_bf run batched --start-date 2024-01-21 --end-date 2024-10-26 \
    --batch 100 --workers 1 --no-resume
check "280 days in 3 blocks: exit 0, every date with its 2 rows" "0 280" \
    "$RC $(ch_sql 1 "SELECT count() FROM (SELECT game_date FROM bft.batched
                       WHERE game_date >= '2024-01-21' GROUP BY game_date HAVING count() = 2)")"
check "the block's table made once per server, emptied by one DETACH per server twice" "2 4" \
    "$(statements 'CREATE TABLE bft.bf_block_batched_[^ ]* AS ') $(statements 'ALTER TABLE bft.bf_block_batched_[^ ]* DETACH PARTITION')"
