# ch_lib.sh - a two-shard ClickHouse cluster of user processes on loopback,
# for the end-to-end tests, the ClickHouse demo and the benchmark.
#
#   . tests/e2e/ch_lib.sh
#   ch_available || exit 0       # no clickhouse-server: say so and skip
#   ch_start DIR                 # two servers, each in DIR/shardN; sets
#                                # CH_HTTP1 CH_HTTP2 CH_TCP1 CH_TCP2 CH_PIDS
#                                # (free ports, unless already set)
#   ch_sql N "SQL"               # run SQL on shard N (1 or 2) over HTTP
#   ch_stop                      # stop both servers by PID (also at exit)
#   ch_config [cluster|single]   # $TMP/backfill.conf for the test plugins
#   ch_seed DB FIRST N           # schedule and upstream on both shards
#   ch_fingerprint DB            # rows and checksum per table and shard
#
# Each server runs under setsid from its own config XML, with its own data,
# tmp and log directories, listening on 127.0.0.1 only. The cluster is
# named "bf": shard 1 and shard 2, one replica each. User "default" has no
# password (the Distributed engine uses it between shards); user
# "backfill" has the password in DIR/password, as a deployment would, and
# at most CH_USER_LIMIT queries in flight (0: no limit; beyond it the
# server answers "too many simultaneous queries" at once). CH_QUERY_LOG=1
# logs user backfill's queries in system.query_log (SYSTEM FLUSH LOGS
# before reading it).
CH_SERVER=${CH_SERVER:-$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)}
CH_PIDS=""

ch_available() { [ -x "$CH_SERVER" ] && command -v curl >/dev/null; }

# A port nothing listens on now, below the kernel's ephemeral range (a port
# in it can be the local end of any outgoing connection, which no probe
# sees), and not handed out before by this shell. A server that still fails
# to bind it is reported by ch_start. Sets CH_PORT (no subshell, so that
# the ports handed out are remembered).
CH_USED_PORTS=" "
ch_free_port() {
    local p lo=32768
    read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null
    while :; do
        p=$((10000 + RANDOM % (lo - 10000)))
        case "$CH_USED_PORTS" in *" $p "*) continue ;; esac
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
        CH_USED_PORTS="$CH_USED_PORTS$p "
        CH_PORT=$p
        return
    done
}

# Both shards' configs on fresh ports (preset CH_HTTPn/CH_TCPn kept).
ch_write_configs() {
    local i v
    for v in CH_HTTP1 CH_TCP1 CH_HTTP2 CH_TCP2; do
        [ -n "${!v:-}" ] || { ch_free_port; printf -v "$v" %s "$CH_PORT"; }
    done
    for i in 1 2; do
        ch_free_port
        ch_write_config "$CH_DIR/shard$i" "$(eval echo "\$CH_HTTP$i")" "$(eval echo "\$CH_TCP$i")" "$CH_PORT"
    done
}

ch_write_config() { # DIR HTTP TCP INTERSERVER
    local d=$1
    mkdir -p "$d/data" "$d/tmp" "$d/log" "$d/user_files"
    cat >"$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$d/log/server.log</log>
    <errorlog>$d/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>$2</http_port>
  <tcp_port>$3</tcp_port>
  <interserver_http_port>$4</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <max_concurrent_queries>${CH_MAX_CONCURRENT:-100}</max_concurrent_queries>
  <mark_cache_size>67108864</mark_cache_size>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <remote_servers>
    <bf>
      <shard><replica><host>127.0.0.1</host><port>$CH_TCP1</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>$CH_TCP2</port></replica></shard>
    </bf>
  </remote_servers>
  <query_log><database>system</database><table>query_log</table>
    <flush_interval_milliseconds>7500</flush_interval_milliseconds></query_log>
</yandex>
XML
    cat >"$d/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default>
    <backfill><max_memory_usage>2000000000</max_memory_usage>
      <max_concurrent_queries_for_user>${CH_USER_LIMIT:-0}</max_concurrent_queries_for_user>
      <log_queries>${CH_QUERY_LOG:-0}</log_queries>
    </backfill></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile><quota>default</quota></default>
    <backfill><password>$(cat "$CH_DIR/password")</password>
      <networks><ip>127.0.0.1</ip></networks><profile>backfill</profile><quota>default</quota></backfill>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
XML
}

# ch_start_shard N : (re)start shard N from its config; waits until it answers.
ch_start_shard() {
    local n=$1 d="$CH_DIR/shard$1" http pid i
    http=$(eval echo "\$CH_HTTP$n")
    (cd "$d" && exec setsid "$CH_SERVER" --config-file="$d/config.xml" \
        >"$d/log/stdout" 2>&1) &
    pid=$!
    eval "CH_PID$n=$pid"
    CH_PIDS="$CH_PIDS $pid"
    for i in $(seq 1 1800); do
        if curl -sf "http://127.0.0.1:$http/ping" >/dev/null 2>&1; then return 0; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1 # polling a server's start-up: there is no handshake to wait on
    done
    # Said on stderr and kept in $CH_DIR/why, for a not_ok line to carry.
    { echo "clickhouse shard $n (http $http) did not start:"
      tail -n 5 "$d/log/error.log" "$d/log/stdout" 2>/dev/null; } | tee "$CH_DIR/why" >&2
    return 1
}

# ch_kill_shard N : kill -9 shard N (a crash); ch_start_shard N restarts it.
ch_kill_shard() {
    local pid
    pid=$(eval echo "\$CH_PID$1")
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

ch_start() { # DIR
    CH_DIR=$1
    mkdir -p "$CH_DIR"
    [ -f "$CH_DIR/password" ] || echo "pw-$RANDOM$RANDOM-secret" >"$CH_DIR/password"
    [ -n "${CH_HTTP1:-}" ] && CH_PRESET_PORTS=1
    ch_write_configs
    trap 'ch_stop; rm -rf "${TMP:-/nonexistent}"' EXIT
    # A free port can be taken between the probe and the server's bind:
    # up to twice more, start again on other ports (preset ports stay).
    local try
    for try in 1 2 3; do
        ch_start_shard 1 && ch_start_shard 2 && return 0
        ch_stop
        [ -n "${CH_PRESET_PORTS:-}" ] && return 1
        [ "$try" -eq 3 ] && return 1
        CH_HTTP1="" CH_TCP1="" CH_HTTP2="" CH_TCP2=""
        rm -rf "$CH_DIR/shard1" "$CH_DIR/shard2"
        ch_write_configs
    done
}

ch_stop() {
    local pid
    for pid in $CH_PIDS; do kill "$pid" 2>/dev/null; done
    for pid in $CH_PIDS; do wait "$pid" 2>/dev/null; done
    CH_PIDS=""
}

# ch_sql N SQL : SQL on shard N as user default; output on stdout, TSV.
ch_sql() {
    local http
    http=$(eval echo "\$CH_HTTP$1")
    curl -sS --fail-with-body "http://127.0.0.1:$http/" --data-binary "$2"
}

# --- for the end-to-end tests (lib.sh sourced first) -------------------

# ch_config [cluster|single] : the test config; processors from stdin.
ch_config() {
    {
        echo "store = { driver = \"clickhouse\"; url = \"http://127.0.0.1:$CH_HTTP1\";"
        echo "  user = \"backfill\"; password_file = \"$CH_DIR/password\"; request_retries = 1;"
        if [ "${1:-cluster}" = cluster ]; then
            echo "  database = \"bft\"; timeout_s = 20; cluster = \"bf\";"
            echo "  shard_urls = [ \"http://127.0.0.1:$CH_HTTP1\", \"http://127.0.0.1:$CH_HTTP2\" ]; };"
        else
            echo "  database = \"single\"; };"
        fi
        cat <<CONF
plugin_dir = "$ROOT/tests/plugins";
state_dir = "state";
calendar = { table = "schedule"; date_column = "game_date"; };
seasons = ( { start = "2024-01-01"; end = "2024-12-31"; } );
bootstrap_days = 3;
preflight = { min_coverage = 0.95; };
run = { workers = 2; retries = 2; retry_backoff_ms = 0; checkpoint_interval_ms = 0; };
CONF
        [ -t 0 ] || cat
    } >"$TMP/backfill.conf"
}

# Raw tables, a full copy on each shard: schedule and upstream with 2 rows
# on each of N days from FIRST.
ch_seed() { # DB FIRST N
    local s
    for s in 1 2; do
        ch_sql $s "CREATE DATABASE IF NOT EXISTS $1" || return 1
        ch_sql $s "CREATE TABLE $1.schedule (game_id String, game_date Date) ENGINE = MergeTree ORDER BY game_date"
        ch_sql $s "CREATE TABLE $1.upstream (game_date Date, v Int64) ENGINE = MergeTree ORDER BY game_date"
        ch_sql $s "INSERT INTO $1.schedule SELECT concat('g', toString(number)), toDate('$2') + number FROM system.numbers LIMIT $3"
        ch_sql $s "INSERT INTO $1.upstream SELECT game_date, v FROM $1.schedule ARRAY JOIN [1, 2] AS v"
    done
}

# One line per table and shard: rows and a checksum of every row.
ch_fingerprint() { # DB
    local s t
    for s in 1 2; do
        for t in $(ch_sql $s "SELECT name FROM system.tables WHERE database = '$1' AND engine != 'Distributed' ORDER BY name"); do
            echo "$s $t $(ch_sql $s "SELECT count(), sum(cityHash64(*)) FROM $1.$t")"
        done
    done
}

# ch_rounded_cols DB TABLE: TABLE's columns as a select list, each
# floating-point one rounded to 9 decimals: an average sums its values in
# the order they arrive from the shards, which may change its last bit from
# one run to the next (one date at a time or in blocks alike).
ch_rounded_cols() {
    ch_sql 1 "SELECT arrayStringConcat(groupArray(if(type LIKE '%Float%',
              concat('round(', name, ', 9)'), name)), ', ') FROM system.columns
              WHERE database = '$1' AND table = '$2_local'"
}
