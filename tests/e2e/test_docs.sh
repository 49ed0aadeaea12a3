#!/usr/bin/env bash
# The docs cannot fall behind the code: every command and every option of
# the command line's table (backfill help [COMMAND] --options) is in its
# --help, in backfill(1) and offered by the bash completion; every config
# key the parser accepts, and every key of conf/, is in backfill.conf(5).
. "$(dirname "$0")/lib.sh"
MAN1="$ROOT/man/backfill.1"
MAN5="$ROOT/man/backfill.conf.5"
COMPLETION="$ROOT/tools/backfill-completion.bash"

commands=$("$BF" help --options | grep -v '^-')
globals=$("$BF" help --options | grep '^--' | cut -d' ' -f1)
nopts=0
for c in $commands; do
    nopts=$((nopts + $("$BF" help "$c" --options | grep -c '^--')))
done
nglobal=$(wc -w <<<"$globals")
ncmd=$(wc -w <<<"$commands")
# Keys: the parser's own lists, and every key the shipped configs set.
keys=$(sed -n '/static const char \*const \(top\|keys\|cal_keys\|pre_keys\|run_keys\)\[\]/,/;/p' \
    "$ROOT"/core/config/config.c "$ROOT"/core/stores/sqlite.c "$ROOT"/core/stores/ch_config.c |
    grep -o '"[a-z_]*"' | tr -d '"'
    sed -n '/^} keys\[\] = {/,/^};/p' "$ROOT"/core/plugin/checks.c | grep -o '"[a-z_]*"' | tr -d '"'
    grep -ohE '\b[a-z_]+ *=' "$ROOT"/conf/*.conf | tr -d ' =')
keys=$(sort -u <<<"$keys")
nkeys=$(wc -w <<<"$keys")
plan $((4 + ncmd * 4 + nopts * 3 + nglobal * 3 + nkeys))

# The man pages themselves are clean.
check "backfill(1) lints clean" "" "$(mandoc -T lint -W warning "$MAN1" 2>&1)"
check "backfill.conf(5) lints clean" "" "$(mandoc -T lint -W warning "$MAN5" 2>&1)"

# What the completion offers after the words given ('' for the word typed).
complete_words() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _backfill
             printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$BF" "$@"
}
# "--dates-file" as mdoc writes it: Fl \-dates\-file
mdoc_flag() { printf 'Fl \\-%s' "$(sed 's/-/\\-/g' <<<"${1#--}")"; }
offered_commands=$(complete_words '')
check "the completion offers every command" "$commands" "$offered_commands"
check "help lists every command" "$ncmd" "$("$BF" --help | grep -cE "^  ($(tr '\n' '|' <<<"$commands" | sed 's/|$//'))( |$)")"

for c in $commands; do
    help=$("$BF" "$c" --help)
    check "$c: help $c is $c --help" "$help" "$("$BF" help "$c")"
    check_contains "$c: its --help names it" "usage: backfill $c" "$help"
    if grep -q "Cm $c\b" "$MAN1"; then ok "$c: in backfill(1)"; else not_ok "$c: in backfill(1)" "no .Cm $c"; fi
    offered=$(complete_words "$c" --)
    check "$c: the completion offers its options" \
        "$("$BF" help "$c" --options | grep '^--' | cut -d' ' -f1 | sort)" "$(sort <<<"$offered")"
    for opt in $("$BF" help "$c" --options | grep '^--' | cut -d' ' -f1); do
        check_contains "$c $opt: in its --help" " $opt" "$help"
        if grep -qF -- "$(mdoc_flag "$opt")" "$MAN1"; then
            ok "$c $opt: in backfill(1)"
        else
            not_ok "$c $opt: in backfill(1)" "no $(mdoc_flag "$opt")"
        fi
        check "$c $opt: offered once" 1 "$(grep -cx -- "$opt" <<<"$offered")"
    done
done

global_help=$("$BF" --help)
offered=$(complete_words --)
for opt in $globals; do
    check_contains "global $opt: in --help" " $opt" "$global_help"
    if grep -qF -- "$(mdoc_flag "$opt")" "$MAN1"; then
        ok "global $opt: in backfill(1)"
    else
        not_ok "global $opt: in backfill(1)" "no $(mdoc_flag "$opt")"
    fi
    check "global $opt: offered" 1 "$(grep -cx -- "$opt" <<<"$offered")"
done

for k in $keys; do
    if grep -qE "(Ic|Qq) ([a-z_]+\.)*$k\b|\b$k = " "$MAN5"; then
        ok "config key $k: in backfill.conf(5)"
    else
        not_ok "config key $k: in backfill.conf(5)" "not documented"
    fi
done
