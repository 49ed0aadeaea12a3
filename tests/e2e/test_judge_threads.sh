#!/usr/bin/env bash
# status, gaps and verify --outputs judge their processors on a pool of
# threads (BACKFILL_THREADS): their output, exit code and error are the
# same on one thread and on many, a broken checkpoint included (the first
# processor in order that fails is the one named, after the rows before
# it); and a command reads each checkpoint file once.
. "$(dirname "$0")/lib.sh"
plan 13
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
    unset BACKFILL_THREADS
}
bad=$(broken 1)
check "broken: status names copy's checkpoint, exit 2" 2 \
    "$(BACKFILL_THREADS=1 run_bf status; grep -c "copy.json" <<<"$ERR" | awk -v rc="$RC" '$1 > 0 {print rc}')"
check "broken: the rows before it are printed" 1 "$(grep -c '^always_fails ' <<<"$bad" | awk '{print ($1 > 0)}')"
check "broken: 2 threads, the same bytes as 1" "$bad" "$(broken 2)"
check "broken: 8 threads, the same bytes as 1" "$bad" "$(broken 8)"
