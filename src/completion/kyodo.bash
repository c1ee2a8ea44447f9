# bash completion for kyodo. Installed as
# $(PREFIX)/share/bash-completion/completions/kyodo; bash-completion loads it
# on the first <TAB> after "kyodo". It works without bash-completion too.
#
# Commands and options are read from kyodo's own help (kyodo --help and
# kyodo COMMAND --help), so that they are always those of the kyodo that
# runs; template names from `kyodo templates`.

# The commands, from the Commands: section of kyodo --help.
_kyodo_commands()
{
    "$1" --help 2> /dev/null | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p'
    echo help
}

# The options of a command: every option its help names ("-o," at the
# start of a line for the short ones).
_kyodo_options()
{
    "$1" "$2" --help 2> /dev/null | grep -oE -- '^  -[a-zA-Z],|--[a-z][a-z-]*' |
        sed 's/^  //; s/,$//' | sort -u
}

# The templates kyodo finds (with the --template-dir options already typed).
_kyodo_templates()
{
    local kyodo=$1
    shift
    "$kyodo" templates "$@" 2> /dev/null | sed -n 's/^\([^ ][^ ]*\) .*/\1/p'
}

_kyodo()
{
    local kyodo=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev="" command="" prefix="" i
    local -a dirs=()
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # "--layout=par": with "=" in COMP_WORDBREAKS (the default) bash makes it
    # three words, "--layout" "=" "par" (or two, "--layout" "=", when nothing
    # follows); otherwise one word, whose "--layout=" each reply must keep.
    if [[ $cur == = ]]; then
        cur=""
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        prefix=$prev=
        cur=${cur#*=}
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            --template-dir) dirs+=(--template-dir "${COMP_WORDS[i + 1]}") ;;
            -*) ;;
            *) [[ -z $command && ${COMP_WORDS[i - 1]} != = ]] && command=${COMP_WORDS[i]} ;;
        esac
    done
    COMPREPLY=()
    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "--help --version" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$(_kyodo_commands "$kyodo")" -- "$cur")
        fi
        return 0
    fi
    case $prev in
        --layout)
            if [[ $command == build ]]; then
                # A comma-separated list: complete its last item.
                local head=""
                [[ $cur == *,* ]] && head=${cur%,*},
                mapfile -t COMPREPLY < <(compgen -P "$prefix$head" -W "sequential parallel en ja" -- "${cur##*,}")
            else
                mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "sequential parallel en ja" -- "$cur")
            fi
            return 0 ;;
        --first) mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "en ja" -- "$cur"); return 0 ;;
        --standard) mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "pdfa-2u none" -- "$cur"); return 0 ;;
        --format) mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "text json" -- "$cur"); return 0 ;;
        --encoding)
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "UTF-8 SHIFT_JIS CP932 EUC-JP ISO-2022-JP UTF-16" -- "$cur")
            return 0 ;;
        --template)
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "$(_kyodo_templates "$kyodo" "${dirs[@]}")" -- "$cur")
            return 0 ;;
        --template-dir)
            compopt -o filenames 2> /dev/null
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -d -- "$cur")
            return 0 ;;
        -o | --output)
            compopt -o filenames 2> /dev/null
            if [[ $command == build ]]; then
                mapfile -t COMPREPLY < <(compgen -P "$prefix" -d -- "$cur")
            else
                mapfile -t COMPREPLY < <(compgen -P "$prefix" -f -- "$cur")
            fi
            return 0 ;;
        --fontset | --changes-since)
            compopt -o filenames 2> /dev/null
            mapfile -t COMPREPLY < <(compgen -P "$prefix" -f -- "$cur")
            return 0 ;;
        -j | --jobs | --copy | --name) return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_kyodo_options "$kyodo" "$command")" -- "$cur")
        return 0
    fi
    case $command in
        help) mapfile -t COMPREPLY < <(compgen -W "$(_kyodo_commands "$kyodo")" -- "$cur") ;;
        fonts | templates) ;;
        *)
            # Drafts: *.xml, and directories to go into (build and check
            # take directories themselves).
            compopt -o filenames 2> /dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X '!*.xml' -- "$cur")
            ;;
    esac
    return 0
}
complete -F _kyodo kyodo
