#!/usr/bin/env bash
# The demo behind `make demo-clickhouse`: the demo warehouse on a two-shard
# ClickHouse cluster of user processes on loopback (ports 18123/18124, see
# conf/clickhouse.conf), the ten processors run end to end with one
# pipeline command, the rows each table holds, and the servers stopped.
# The 2024-25 season by default (each date is a few round trips and a
# partition swap on disk: the five seasons take a while on a laptop);
# DEMO_START and DEMO_END choose another range, DEMO_WORKERS the workers.
set -u
cd "$(dirname "$0")/.."
. tests/e2e/ch_lib.sh
BF="bin/backfill"
DB=var/demo-clickhouse.db
export BACKFILL_CONFIG=conf/clickhouse.conf
RANGE=(--start-date "${DEMO_START:-2024-10-22}" --end-date "${DEMO_END:-2025-06-22}")
OUTPUTS="team_offense_game_summary team_defense_game_summary upcoming_team_game_context
         upcoming_player_game_context player_game_summary team_defense_zone_analysis
         player_shot_zone_analysis player_daily_cache player_composite_factors ml_feature_store"
t0=$(date +%s)

screen() { printf '\n\033[1m== %s\033[0m\n%s\n\n' "$1" "$2"; }
fail() { echo "demo-clickhouse: $*" >&2; exit 1; }
ch_available || fail "clickhouse-server is not installed (tools/install-deps.sh installs it)"

screen "1. A two-shard cluster" \
"Two clickhouse-server processes on 127.0.0.1 (HTTP 18123 and 18124), each with its own
directory under var/clickhouse, forming the cluster \"bf\". No service, no ZooKeeper."
rm -rf var/clickhouse var/state-clickhouse "$DB"
mkdir -p var
CH_HTTP1=18123 CH_HTTP2=18124 CH_TCP1=19123 CH_TCP2=19124
ch_start "$PWD/var/clickhouse" || fail "the cluster did not start (ports 18123, 18124, 19123, 19124 free?)"
echo "shard 1: pid $CH_PID1, shard 2: pid $CH_PID2"

screen "2. The warehouse" \
"bin/demo_gen writes five seasons of raw tables to SQLite; tools/ch_load.sh copies them
into database nba, a full copy on each shard."
bin/demo_gen --db "$DB" ${DEMO_GEN_ARGS:-} || fail "generator failed"
CH_USER=backfill CH_PASSWORD_FILE=var/clickhouse/password \
    tools/ch_load.sh "$DB" nba "http://127.0.0.1:$CH_HTTP1" "http://127.0.0.1:$CH_HTTP2" ||
    fail "loading the raw tables failed"

screen "3. The ten processors, end to end" \
"Each output is a Distributed table over <name>_local on both shards; a date lives on one
shard. Each date is staged, validated, then published with DETACH + ATTACH PARTITION."
echo "\$ $BF -c $BACKFILL_CONFIG pipeline ${RANGE[*]} --workers ${DEMO_WORKERS:-4}"
out=$($BF --no-progress pipeline "${RANGE[@]}" --workers "${DEMO_WORKERS:-4}" 2>&1)
rc=$?
echo "exit $rc"
sed -n '/^pipeline summary/,$p' <<<"$out"

screen "4. Rows per table" "Through the Distributed tables, and where they live."
printf '%-30s %10s %10s %10s\n' table rows shard1 shard2
for t in $OUTPUTS; do
    printf '%-30s %10s %10s %10s\n' "$t" "$(ch_sql 1 "SELECT count() FROM nba.$t" 2>/dev/null || echo -)" \
        "$(ch_sql 1 "SELECT count() FROM nba.${t}_local" 2>/dev/null || echo -)" \
        "$(ch_sql 2 "SELECT count() FROM nba.${t}_local" 2>/dev/null || echo -)"
done
ch_stop
echo
echo "servers stopped; demo finished in $(($(date +%s) - t0)) s (data left in var/clickhouse)"
exit "$rc"
