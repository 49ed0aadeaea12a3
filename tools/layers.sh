#!/usr/bin/env bash
# layers.sh - the layer rule of core/, checked over the code itself.
#
#   tools/layers.sh [BUILD_DIR]
#
# core/ has one folder per layer; a layer may use only the layers listed for
# it below (its own included). Two graphs are checked:
#   - includes: every #include "layer/name.h" in core/ and every include of
#     the SDK (backfill/plugin.h);
#   - calls: for each object in BUILD_DIR/core (default build/core), the
#     objects defining the symbols it uses (nm), so a call through a header
#     of another file (or no header at all) is seen too.
# It prints one line per arrow that goes up a layer and per circle between
# files (a.c uses b.c and b.c uses a.c, at any distance), then a total;
# exit 1 if there is any. docs/ARCHITECTURE.md draws the same picture.
set -u
cd "$(dirname "$0")/.."
build=${1:-build/core}

declare -A may=(
    [base]="base sdk"
    [config]="config base"
    [state]="state base"
    [stores]="stores state base sdk"
    [plugin]="plugin stores config base sdk"
    [engine]="engine plugin stores state config base sdk"
    [report]="report engine plugin stores state config base sdk"
    [cli]="cli report engine plugin stores state config base sdk"
)
bad=0
allowed() { [[ " ${may[$1]:-} " == *" $2 "* ]]; }

# A file's name under core/: core/engine/judge.c -> engine/judge.c.
modof() { echo "${1#core/}"; }

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

# Include arrows (one grep over every file: few processes, so that the
# check stays quick on a loaded machine).
for f in core/*/*.[ch]; do
    layer=$(modof "$f")
    layer=${layer%%/*}
    [ -n "${may[$layer]:-}" ] || { echo "$f: folder $layer is no known layer"; bad=$((bad + 1)); }
done
while IFS=: read -r f line inc; do
    from=$(modof "$f")
    layer=${from%%/*}
    [ -n "${may[$layer]:-}" ] || continue
    inc=${inc#\#include \"}
    inc=${inc%%\"*}
    case "$inc" in
    backfill/plugin.h) to=sdk; tolayer=sdk ;;
    */*.h) to=$inc; tolayer=${to%%/*} ;;
    *) continue ;;
    esac
    if ! allowed "$layer" "$tolayer"; then
        echo "$f:$line: includes $inc: $layer may not use $tolayer" >&3
        bad=$((bad + 1))
    fi
    [ "$to" != sdk ] && [ "$to" != "$from" ] && echo "$from $to"
done < <(grep -Hn '^#include "' core/*/*.[ch]) 3>&1 >>"$edges"

# Call arrows, from the objects' symbol tables (one nm for all objects).
if [ -d "$build" ]; then
    declare -A def=()
    # core/LAYER/NAME.o whose source still exists (a stale object is no code).
    objs=()
    while read -r o; do
        m=${o#"$build"/}
        [ -f "core/${m%.o}.c" ] && objs+=("$o")
    done < <(find "$build" -mindepth 2 -name '*.o' | sort)
    # "OBJECT: ADDRESS TYPE SYMBOL", or "OBJECT: U SYMBOL" for a use.
    srcof() { m=${1%%:*}; m=${m#"$build"/}; m=${m%.o}.c; }
    while read -r o type sym; do
        [[ "$type" == [TDBR] ]] || continue
        srcof "$o"
        def[$sym]=$m
    done < <(nm -A --defined-only -g "${objs[@]}")
    while read -r o _ sym; do
        srcof "$o"
        layer=${m%%/*}
        to=${def[$sym]:-}
        [ -n "$to" ] && [ "$to" != "$m" ] || continue
        tolayer=${to%%/*}
        if ! allowed "$layer" "$tolayer"; then
            echo "core/$m: calls $sym (core/$to): $layer may not use $tolayer" >&3
            bad=$((bad + 1))
        fi
        echo "$m $to"
    done < <(nm -A --undefined-only -g "${objs[@]}") 3>&1 >>"$edges"
else
    echo "$build: not built; only the includes were checked"
fi

# Circles: files that reach each other (a header is a file of its own: a
# driver that includes store.h and is called by store.c is no circle). tsort
# names the files of each loop it finds.
sort -u "$edges" -o "$edges"
while read -r loop; do
    [ -n "$loop" ] || continue
    echo "circle: $loop"
    bad=$((bad + 1))
done < <(tsort "$edges" 2>&1 >/dev/null | awk '/input contains a loop/ { if (l != "") print l; l = ""; next }
                                             { sub(/^tsort: /, ""); l = l (l == "" ? "" : " -> ") $0 }
                                             END { if (l != "") print l }')
echo "layers: $bad violation(s)"
[ "$bad" -eq 0 ]
