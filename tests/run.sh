#!/usr/bin/env bash
# Runs every test program named on the command line and sums their results.
# A test program first prints its plan, "1..N" (the number of checks it
# makes: `plan N` in tests/e2e, UNIT_MAIN(N, ...) in tests/unit), then "ok - NAME"
# or "not ok - NAME: why" per check. One that exits non-zero without
# printing a failure, has no plan, or reports another number of checks than
# it planned (it stopped early or skipped some) counts one more failure.
set -u
passed=0
failed=0
# UNIT_WRAPPER (e.g. valgrind) runs in front of each compiled test program.
read -ra wrap <<<"${UNIT_WRAPPER:-}"
for t in "$@"; do
    start=$SECONDS
    case "$t" in
    *.sh) out=$("$t" 2>&1) ;;
    *) out=$("${wrap[@]}" "$t" 2>&1) ;;
    esac
    rc=$?
    p=$(grep -c '^ok - ' <<<"$out")
    f=$(grep -c '^not ok - ' <<<"$out")
    grep -E '^(not ok - |ok - )' <<<"$out" | sed "s|^|$(basename "$t"): |" | grep -v ': ok - ' || true
    ran=$((p + f))
    planned=$(grep -m1 -E '^1\.\.[0-9]+$' <<<"$out")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        printf '%s: exited %d without reporting a failure\n%s\n' "$t" "$rc" "$(tail -n 20 <<<"$out")"
    fi
    if [ -z "$planned" ]; then
        f=$((f + 1))
        printf '%s: no plan line (1..N) before its checks\n' "$(basename "$t")"
    elif [ "${planned#1..}" -ne "$ran" ]; then
        f=$((f + 1))
        printf '%s: planned %d checks, ran %d\n' "$(basename "$t")" "${planned#1..}" "$ran"
    fi
    printf '%-40s %3d passed, %d failed  %4d s\n' "$(basename "$t")" "$p" "$f" $((SECONDS - start))
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
