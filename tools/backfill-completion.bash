# bash completion for backfill: its commands and their options, as the
# binary's own option table gives them (backfill help [COMMAND] --options),
# and processor names as `backfill list` prints them (with the -c FILE
# already typed). Installed as share/bash-completion/completions/backfill.

# The processors `backfill list` finds, one per line.
_backfill_processors()
{
    "$1" "${@:2}" list 2>/dev/null | sed -n 's/^\([a-z0-9_][a-z0-9_]*\)  *-> .*/\1/p'
}

_backfill()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local bf=${COMP_WORDS[0]} cmd="" i nargs=0 line
    local -a config=()
    # Options that take a value, from the table of the command (or global).
    local -A takes=()
    while read -r line; do
        [[ $line == *" "* ]] && takes[${line%% *}]=${line#* }
    done < <("$bf" help --options 2>/dev/null | while read -r c; do
        if [[ $c == -* ]]; then echo "$c"; else "$bf" help "$c" --options 2>/dev/null; fi
    done)

    # The command is the first word that is neither an option nor a value.
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -c | --config)
            config=(-c "${COMP_WORDS[i + 1]}")
            ((i++))
            ;;
        --config=*) config=(-c "${COMP_WORDS[i]#--config=}") ;;
        -*) [ -n "${takes[${COMP_WORDS[i]}]:-}" ] && ((i++)) ;;
        *)
            if [ -z "$cmd" ]; then cmd=${COMP_WORDS[i]}; else ((nargs++)); fi
            ;;
        esac
    done

    case ${takes[$prev]:-} in
    FILE | FILE\|-)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    DIR)
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    D | D1,D2,...)
        COMPREPLY=($(compgen -W "today yesterday today-1 today-7 season" -- "$cur"))
        return
        ;;
    DURATION)
        COMPREPLY=($(compgen -W "90s 15m 2h" -- "$cur"))
        return
        ;;
    A,B\|GROUP | GROUP\|A,B | NAME)
        COMPREPLY=($(compgen -W "$(_backfill_processors "$bf" "${config[@]}")" -- "$cur"))
        return
        ;;
    ?*) return ;;
    esac

    local opts
    if [ -z "$cmd" ]; then
        if [[ $cur == -* ]]; then
            opts=$("$bf" help --options 2>/dev/null | sed -n 's/^\(-[^ ]*\).*/\1/p')
        else
            opts=$("$bf" help --options 2>/dev/null | grep -v '^-')
        fi
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    if [[ $cur != -* && $nargs == 0 ]] && [[ $cmd == run || $cmd == verify || $cmd == status ]]; then
        COMPREPLY=($(compgen -W "$(_backfill_processors "$bf" "${config[@]}")" -- "$cur"))
        return
    fi
    if [[ $cur != -* && $cmd == help ]]; then
        COMPREPLY=($(compgen -W "$("$bf" help --options 2>/dev/null | grep -v '^-')" -- "$cur"))
        return
    fi
    opts=$("$bf" help "$cmd" --options 2>/dev/null | sed 's/ .*//')
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}

complete -F _backfill backfill
