# bash completion for backfill: commands, their options, and processor names
# as `backfill list` prints them (with the -c FILE already typed).
# Installed as share/bash-completion/completions/backfill.

# The processors `backfill list` finds, one per line.
_backfill_processors()
{
    "$1" "${@:2}" list 2>/dev/null | sed -n 's/^\([a-z0-9_][a-z0-9_]*\)  *-> .*/\1/p'
}

_backfill()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local bf=${COMP_WORDS[0]} cmd="" i nargs=0
    local -a config=()
    local dates="--start-date --end-date --dates --dates-file"
    local run_opts="--workers --retries --skip-preflight --reason --keep-going --max-failures
        --max-failure-rate --no-resume --no-stale --purge-orphans --dry-run --reverse
        --wait-for-upstream --poll"

    # The command is the first word that is neither an option nor a value.
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -c | --config)
            config=(-c "${COMP_WORDS[i + 1]}")
            ((i++))
            ;;
        --config=*) config=(-c "${COMP_WORDS[i]#--config=}") ;;
        --start-date | --end-date | --dates | --dates-file | --workers | --retries | \
            --max-failures | --max-failure-rate | --reason | --targets | --outputs | --dir | \
            --wait-for-upstream | --poll | --by | --md | --html | --check)
            ((i++))
            ;;
        -*) ;;
        *)
            if [ -z "$cmd" ]; then cmd=${COMP_WORDS[i]}; else ((nargs++)); fi
            ;;
        esac
    done

    case $prev in
    -c | --config | --dates-file | --md | --html | --check)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    --dir)
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    --targets | --outputs)
        COMPREPLY=($(compgen -W "$(_backfill_processors "$bf" "${config[@]}")" -- "$cur"))
        return
        ;;
    --start-date | --end-date | --dates)
        COMPREPLY=($(compgen -W "today yesterday today-1 today-7 season" -- "$cur"))
        return
        ;;
    --wait-for-upstream)
        COMPREPLY=($(compgen -W "90s 15m 2h" -- "$cur"))
        return
        ;;
    --workers | --retries | --max-failures | --max-failure-rate | --reason | --poll)
        return
        ;;
    esac

    local opts="" wants_processor=0
    case $cmd in
    "")
        opts="-c --config -v --verbose -q --quiet --json --no-progress --allow-insecure-plugins --help"
        [[ $cur == -* ]] || opts="list run pipeline verify status new gaps ps watch signoff"
        ;;
    list)
        opts="--graph --dot -v --help"
        [ "$prev" = -v ] && wants_processor=1
        ;;
    run) opts="$dates $run_opts --help" wants_processor=1 ;;
    pipeline) opts="$dates $run_opts --targets --help" ;;
    verify) opts="$dates --verbose --audit --adopt --outputs --help" wants_processor=1 ;;
    status) opts="--help" wants_processor=1 ;;
    ps | watch) opts="--json --help" ;;
    signoff) opts="$dates --targets --by --md --html --check --help" ;;
    gaps) opts="$dates --targets --compact --csv --json --html --help" ;;
    new) opts="--dir --help" ;;
    esac

    if [[ $cur != -* && $wants_processor == 1 && $nargs == 0 ]]; then
        COMPREPLY=($(compgen -W "$(_backfill_processors "$bf" "${config[@]}")" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    fi
}

complete -F _backfill backfill
