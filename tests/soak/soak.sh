#!/usr/bin/env bash
# soak.sh [KILLS] - kill -9 at random instants, resume, and check that no
# date is ever half-written (make soak: 100 kills; tests/e2e/test_soak.sh:
# a short form).
#
# The store holds 500 calendar dates whose output already has an old set
# (10 rows a date, v 1001..1010); the run replaces it with the new set (the
# 20 upstream rows, v 1..20), on 2 workers, each committing the dates it
# validated every 10 ms (checkpoint_interval_ms) or 256 dates: many group
# commits per run, so kills land between them too. Each attempt is
# SIGKILLed after a random share of a clean run's wall time: the instant
# is meant to be random, and no check depends on it. After every kill:
# each date holds exactly its old set or its new set (count, sum and
# sum of squares), PRAGMA integrity_check is ok, and the checkpoint (if
# written yet) parses. An attempt that finishes ends a round: the table
# must then equal the clean run's, and the next round starts again from
# the old set. Prints one summary line: kills, rounds, dates seen old and
# new, and partial dates found (must be 0).
#
# Every third attempt is paused: the processor pauses once a date still
# holding its old set is staged (copy's handshake_after, batched's
# pause_date: a FIFO handshake), and the kill lands there, once the
# checkpoint records a date published (this attempt or an earlier one): each
# such kill leaves old and new dates side by side, whatever the load does to
# the random instants. A round with no old date left is first finished by a
# resume (checked like any round's end).
#
# SOAK_PROCESSOR=batched soaks blocks of dates (process_dates): the
# attempts take turns at three kinds, blocks of SOAK_BATCH dates (default
# 32) killed at a random instant, one date at a time (--batch 1) killed at
# a random instant, and paused blocks: the kill lands inside a block, the
# block staged and none of it published. Each resume so also changes the
# block size.
. "$(dirname "$0")/../e2e/lib.sh"
# Kills at random instants test crash consistency, not memory errors, and
# the instants are shares of a clean run's time: under valgrind the soak
# runs natively (test_resume.sh and test_interrupt_and_lock.sh kill under memcheck).
[[ "${WRAP[*]:-}" == *valgrind* ]] && WRAP=()
KILLS=${1:-${SOAK_KILLS:-100}}
# The processor killed: copy (one date at a time), or batched (blocks).
P=${SOAK_PROCESSOR:-copy}
B=${SOAK_BATCH:-32}
plan 10
# The key that pauses the processor once a date's rows are staged.
PAUSE=handshake_after
[ "$P" = batched ] && PAUSE=pause_date
DATES=500
RANGE=(--start-date 2024-01-01 --end-date 2025-05-14)

cat >"$TMP/backfill.conf" <<CONF
store = { driver = "sqlite"; path = "store.db"; };
plugin_dir = "$ROOT/tests/plugins";
state_dir = "state";
calendar = { table = "schedule"; date_column = "game_date"; };
bootstrap_days = 0;
run = { workers = 2; retries = 2; retry_backoff_ms = 0; checkpoint_interval_ms = 10; };
processors = { batched = { bad_date = ""; outside_date = ""; block_fails = 0;
                           crash_after_block = ""; log_file = ""; pause_date = "";
                           handshake_dir = "$TMP"; };
               copy = { handshake_after = ""; handshake_dir = "$TMP"; }; };
CONF
BATCH=()
[ "$P" = batched ] && BATCH=(--batch "$B")
mkfifo "$TMP/ready" "$TMP/go"
sqlite3 "$DB" "
  CREATE TABLE schedule (game_id TEXT, game_date TEXT);
  CREATE TABLE upstream (game_date TEXT, v INTEGER);
  CREATE TABLE $P (game_date TEXT, v INTEGER);
  WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i + 1 < $DATES),
       r(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM r WHERE v < 20)
  INSERT INTO upstream SELECT date('2024-01-01', '+' || i || ' days'), v FROM d, r;
  INSERT INTO schedule SELECT DISTINCT 'g' || game_date, game_date FROM upstream;
  INSERT INTO $P SELECT game_date, v + 1000 FROM upstream WHERE v <= 10;
  CREATE INDEX upstream_date ON upstream (game_date);"
cp "$DB" "$TMP/seed.db"

# per_date DB : one line per date of the output: date, rows, sum, sum of squares.
per_date() { sqlite3 "$1" "SELECT game_date, count(*), sum(v), sum(v * v) FROM $P GROUP BY 1 ORDER BY 1"; }
# classify DB : how many dates hold their old set, their new set, and
# anything else (a part, a mix, nothing).
classify() {
    per_date "$1" | awk -F'|' '
        FILENAME == ARGV[1] { old[$1] = $0; next }
        FILENAME == ARGV[2] { new[$1] = $0; next }
        { seen[$1] = 1
          if ($0 == old[$1]) o++; else if ($0 == new[$1]) n++; else p++ }
        END { for (d in old) if (!(d in seen)) p++; print o + 0, n + 0, p + 0 }' \
        "$TMP/old" "$TMP/new" -
}
fresh() {
    rm -rf "$DB" "$DB"-* "$TMP/state"
    cp "$TMP/seed.db" "$DB"
}

# The clean run: what every date must hold once it is new.
t0=$(date +%s%N)
run_bf --no-progress run $P "${RANGE[@]}" "${BATCH[@]}"
clean_ms=$((($(date +%s%N) - t0) / 1000000))
check "clean run completes" 0 "$RC"
per_date "$TMP/seed.db" >"$TMP/old"
per_date "$DB" >"$TMP/new"
sqlite3 "$DB" "SELECT * FROM $P ORDER BY 1, 2" >"$TMP/clean.rows"

# The checker itself: a new date missing a row, an old date given a new
# row, and a date emptied are three partial dates.
cp "$DB" "$TMP/broken.db"
sqlite3 "$TMP/broken.db" "DELETE FROM $P WHERE game_date = '2024-01-02' AND v = 7;
  DELETE FROM $P WHERE game_date = '2024-01-03';
  DELETE FROM $P WHERE game_date = '2024-01-04';
  INSERT INTO $P SELECT game_date, v FROM upstream WHERE game_date = '2024-01-04' AND v <= 10;
  INSERT INTO $P VALUES ('2024-01-04', 1001);"
check "the checker sees partial dates" "0 497 3" "$(classify "$TMP/broken.db")"

# complete_dates : the dates the checkpoint records complete.
complete_dates() {
    [ -e "$TMP/state/$P.json" ] &&
        jq -r '.dates | to_entries[] | select(.value.status == "complete") | .key' \
            "$TMP/state/$P.json" 2>/dev/null
}

# old_date : a date the store still holds old (so neither published nor
# recorded complete: a resume runs it), at random; nothing once none is left.
old_date() {
    per_date "$DB" | grep -xF -f "$TMP/old" | cut -d'|' -f1 | shuf -n 1
}

# end_round : the resume that ends a round, its table checked, and a fresh
# store for the next.
end_round() {
    rounds=$((rounds + 1))
    sqlite3 "$DB" "SELECT * FROM $P ORDER BY 1, 2" | cmp -s - "$TMP/clean.rows" ||
        bad_round=$((bad_round + 1))
    fresh
}

kills=0 rounds=0 attempts=0 partial=0 bad_integrity=0 bad_checkpoint=0 bad_round=0 claimed=0
paused=0
seen_old=0 seen_new=0 mixed=0 unmixed=0
fresh
while [ "$kills" -lt "$KILLS" ] && [ "$attempts" -lt $((KILLS * 4)) ]; do
    attempts=$((attempts + 1))
    ms=$((RANDOM % (clean_ms + clean_ms / 10 + 1)))
    kind=random args=()
    [ $((attempts % 3)) = 0 ] && kind=paused
    if [ "$P" = batched ]; then
        case $((attempts % 3)) in
        0 | 1) args=(--batch "$B") ;;
        2) args=(--batch 1) ;;
        esac
    fi
    # kind paused: pause once a date still old is staged (batched: its
    # block).
    if [ "$kind" = paused ]; then
        day=$(old_date)
        if [ -z "$day" ]; then
            "$BF" -q --no-progress run $P "${RANGE[@]}" "${BATCH[@]}" >/dev/null 2>&1 ||
                { not_ok "a resume with every date new completes" "exit $?"; break; }
            end_round
            day=$(old_date)
        fi
        sed -i "s|$PAUSE = [^;]*;|$PAUSE = \"$day\";|" "$TMP/backfill.conf"
    fi
    # The run in the background, SIGKILLed after ms (or once paused); wait
    # reaps it, so the next attempt starts only once its locks are gone. (timeout -s KILL killed its own process group, itself
    # first, and could return while a TSan run was still being torn down:
    # the next attempt found the lock held.) A run that ended before the
    # kill gives its own exit code.
    "$BF" -q --no-progress run $P "${RANGE[@]}" "${args[@]}" >/dev/null 2>&1 &
    pid=$!
    if [ "$kind" = paused ]; then
        BG=$pid
        await_ready
        sed -i "s|$PAUSE = [^;]*;|$PAUSE = \"\";|" "$TMP/backfill.conf"
        kill -0 "$pid" 2>/dev/null || kind=random # it ended before it paused
        # While one worker waits the other publishes the dates around
        # it: killed once the checkpoint records one, the store holds new
        # dates beside the paused one's old set.
        until complete_dates | grep -q . || ! kill -0 "$pid" 2>/dev/null; do
            sleep 0.01
        done
    else
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    fi
    kill -KILL "$pid" 2>/dev/null
    { wait "$pid"; rc=$?; } 2>/dev/null
    if [ "$rc" -eq 0 ]; then
        # The attempt finished: the round is over.
        end_round
        continue
    fi
    [ "$rc" -eq 137 ] || { not_ok "an attempt ended by itself" "exit $rc"; break; }
    kills=$((kills + 1))
    # Every date is its old set or its new set, never a mix or a part.
    read -r o n p < <(classify "$DB")
    partial=$((partial + p))
    seen_old=$((seen_old + o))
    seen_new=$((seen_new + n))
    if [ "$o" -gt 0 ] && [ "$n" -gt 0 ]; then mixed=$((mixed + 1)); elif [ "$kind" = paused ]; then
        unmixed=$((unmixed + 1)); fi
    [ "$kind" = paused ] && paused=$((paused + 1))
    [ "$(sqlite3 "$DB" "PRAGMA integrity_check")" = ok ] || bad_integrity=$((bad_integrity + 1))
    if [ -e "$TMP/state/$P.json" ] && ! jq -e . "$TMP/state/$P.json" >/dev/null 2>&1; then
        bad_checkpoint=$((bad_checkpoint + 1))
    fi
    # A date the checkpoint records complete holds its new set: it was
    # recorded only after its publish (its group's commit) returned.
    if [ -e "$TMP/state/$P.json" ]; then
        complete_dates >"$TMP/claimed"
        claimed=$((claimed + $(per_date "$DB" | awk -F'|' '
            FILENAME == ARGV[1] { new[$1] = $0; next }
            FILENAME == ARGV[2] { c[$1] = 1; next }
            ($1 in c) && $0 != new[$1] { n++ } END { print n + 0 }' "$TMP/new" "$TMP/claimed" -)))
    fi
done
run_bf --no-progress run $P "${RANGE[@]}" "${BATCH[@]}"
rounds=$((rounds + 1))
check "the last resume completes" 0 "$RC"
check "$kills kills made (of $KILLS)" "$KILLS" "$kills"
check "no date partial after any kill" 0 "$partial"
check "integrity_check ok and the checkpoint parses after every kill" "0 0" \
    "$bad_integrity $bad_checkpoint"
check "no date recorded complete without its new rows, after any kill" 0 "$claimed"
check "every round ends with the clean run's table" "0 $(cat "$TMP/clean.rows")" \
    "$bad_round $(sqlite3 "$DB" "SELECT * FROM $P ORDER BY 1, 2")"
check "kills landed mid-run: every kill while paused left old and new dates" "0 yes" \
    "$unmixed $([ "$mixed" -gt 0 ] && echo yes)"
if [ "$paused" -gt 0 ]; then ok "kills landed with a date staged ($paused while paused there)"; else
    not_ok "kills landed with a date staged" "no run paused with a date staged"; fi
echo "soak: $kills kills in $attempts attempts over $rounds rounds (clean run ${clean_ms} ms," \
    "$DATES dates${BATCH[*]:+, ${BATCH[*]}}), dates seen old $seen_old, new $seen_new," \
    "partial $partial, false complete $claimed, kills with a date staged $paused"
