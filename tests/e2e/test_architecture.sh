#!/usr/bin/env bash
# The house: the layer rule of docs/ARCHITECTURE.md holds over the
# includes and the calls of core/ (tools/layers.sh: 0 arrows up a layer,
# 0 circles), and no source file is over 600 lines nor a function over 80.
. "$(dirname "$0")/lib.sh"
plan 3
cd "$ROOT" || exit 1

out=$(tools/layers.sh build/core 2>&1)
check "layers: no arrow up a layer, no circle" "layers: 0 violation(s)" "$(tail -n 1 <<<"$out")"

sources=$(ls core/*/*.[ch] include/backfill/*.h plugins/*.h plugins/*/*.c tools/*.c \
    tests/unit/*.[ch] tests/fuzz/*.[ch] tests/faults/*.c tests/plugins/*.[ch] 2>/dev/null)
long_files=$(for f in $sources; do
    n=$(wc -l <"$f")
    [ "$n" -le 600 ] || echo "$f: $n lines"
done)
check "no source file over 600 lines" "" "$long_files"
# A function opens with '{' in column 0 and ends with '}' in column 0
# (.clang-format's Linux braces).
long_functions=$(awk 'FNR == 1 { start = 0 }
                      /^\{/ { start = FNR }
                      /^\}/ && start { if (FNR - start - 1 > 80) print FILENAME ":" start ": " FNR - start - 1 " lines"; start = 0 }' $sources)
check "no function over 80 lines" "" "$long_functions"
