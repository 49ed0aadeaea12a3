#!/usr/bin/env bash
# status, gaps, verify --outputs and pipeline --dry-run judge their
# processors on a pool of threads (BACKFILL_THREADS): their output, exit
# code and error are the same on one thread and on many, a broken
# checkpoint included (the first processor in order that fails is the one
# named, after the rows before it; the dry run names it at its place and
# goes on); and a command reads each checkpoint file once.
. "$(dirname "$0")/lib.sh"
plan 19
RANGE=(--start-date 2024-01-01 --end-date 2024-01-30)
seed_every_state

# Each read-only command's stdout, stderr and exit code (and the HTML
# pages), on THREADS threads.
outputs() {
    local dir="$TMP/html-$1"
    export BACKFILL_THREADS=$1
    run_bf gaps "${RANGE[@]}" --json && printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    run_bf gaps "${RANGE[@]}" && printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    mkdir -p "$dir"
    run_bf gaps "${RANGE[@]}" --html "$dir/gaps.html" && printf '%s\n%s\n' "$ERR" "$RC"
    cat "$dir/gaps.html" "$dir"/gaps.html.d/* 2>/dev/null
    run_bf status && printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    run_bf status --json && printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    run_bf verify --outputs copy,follow,always_fails "${RANGE[@]}" &&
        printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    unset BACKFILL_THREADS
}
one=$(outputs 1)
check_contains "the outputs hold an orphaned date" '"state":"orphaned"' "$one"
check_contains "the outputs hold a stale date" '"state":"stale"' "$one"
check "2 threads: the same bytes as 1" "$one" "$(outputs 2)"
check "8 threads (more than processors): the same bytes as 1" "$one" "$(outputs 8)"
check "a bad BACKFILL_THREADS is ignored" "$one" "$(outputs 0)"

# The dry run: every processor's line, the lines each judgement logs (a
# date off the calendar, warned of once per processor, prefixed with its
# name) and the exit code, on THREADS threads.
dry() {
    export BACKFILL_THREADS=$1
    run_bf pipeline "${RANGE[@]}" --dry-run && printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    run_bf pipeline --dates 2024-01-03,2024-02-15,2024-01-25 --dry-run &&
        printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    unset BACKFILL_THREADS
}
dry1=$(dry 1)
check "dry run: the warnings in graph order, one per processor" \
    "always_fails copy follow " \
    "$(grep 'is not a date of calendar' <<<"$dry1" | sed 's/^backfill: warning: \([a-z_]*\):.*/\1/' | tr '\n' ' ')"
check "dry run: copy redoes its partial date; follow would be refused" "1 1" \
    "$(grep -c '^  copy  *11  *16  *0  *1  estimate' <<<"$dry1") $(grep -c '^  follow .*pre-flight would refuse it now' <<<"$dry1" | awk '{print ($1 > 0)}')"
check "dry run: 2 threads, the same bytes as 1" "$dry1" "$(dry 2)"
check "dry run: 8 threads, the same bytes as 1" "$dry1" "$(dry 8)"

# Each checkpoint file opened once per command (on one thread: on more, a
# reader may scan its upstream's file while that processor's own scan is
# still to start).
opens() {
    BACKFILL_THREADS=1 strace -f -e trace=open,openat -o "$TMP/strace" "$BF" "$@" >/dev/null 2>&1
    for p in always_fails copy follow; do grep -c "state/$p\.json\"" "$TMP/strace"; done | tr '\n' ' '
}
check "status: each checkpoint read once" "1 1 1 " "$(opens status)"
check "gaps: each checkpoint read once" "1 1 1 " "$(opens gaps "${RANGE[@]}" --json)"
check "verify --outputs: each checkpoint read once" "1 1 1 " \
    "$(opens verify --outputs copy,follow,always_fails "${RANGE[@]}")"

# A broken checkpoint: copy's (follow, judged after it, reads it too).
echo '{"processor": "copy", "version": 1, "dates": {' >"$TMP/state/copy.json"
broken() {
    export BACKFILL_THREADS=$1
    run_bf status && printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    run_bf gaps "${RANGE[@]}" --json && printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    run_bf verify --outputs copy,follow,always_fails "${RANGE[@]}" &&
        printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    run_bf pipeline "${RANGE[@]}" --dry-run && printf '%s\n%s\n%s\n' "$OUT" "$ERR" "$RC"
    unset BACKFILL_THREADS
}
bad=$(broken 1)
check "broken: status names copy's checkpoint, exit 2" 2 \
    "$(BACKFILL_THREADS=1 run_bf status; grep -c "copy.json" <<<"$ERR" | awk -v rc="$RC" '$1 > 0 {print rc}')"
check "broken: the rows before it are printed" 1 "$(grep -c '^always_fails ' <<<"$bad" | awk '{print ($1 > 0)}')"
check "broken: the dry run names copy's checkpoint for copy and for follow, exit 0" "2 0" \
    "$(BACKFILL_THREADS=1 run_bf pipeline "${RANGE[@]}" --dry-run
       echo "$(grep -c 'copy.json' <<<"$ERR") $RC")"
check "broken: the dry run goes on past it" 1 "$(grep -c '^  follow ' <<<"$bad")"
check "broken: 2 threads, the same bytes as 1" "$bad" "$(broken 2)"
check "broken: 8 threads, the same bytes as 1" "$bad" "$(broken 8)"
