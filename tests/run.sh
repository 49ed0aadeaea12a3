#!/usr/bin/env bash
# Runs every test program named on the command line and sums their results.
# A test program prints "ok - NAME" or "not ok - NAME: why" per check; one
# that exits non-zero without printing a failure counts as one failure.
set -u
passed=0
failed=0
# UNIT_WRAPPER (e.g. valgrind) runs in front of each compiled test program.
read -ra wrap <<<"${UNIT_WRAPPER:-}"
for t in "$@"; do
    case "$t" in
    *.sh) out=$("$t" 2>&1) ;;
    *) out=$("${wrap[@]}" "$t" 2>&1) ;;
    esac
    rc=$?
    p=$(grep -c '^ok - ' <<<"$out")
    f=$(grep -c '^not ok - ' <<<"$out")
    grep -E '^(not ok - |ok - )' <<<"$out" | sed "s|^|$(basename "$t"): |" | grep -v ': ok - ' || true
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        printf '%s: exited %d without reporting a failure\n%s\n' "$t" "$rc" "$(tail -n 20 <<<"$out")"
    fi
    printf '%-40s %3d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
