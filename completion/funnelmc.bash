# bash completion for funnelmc(1); needs the bash-completion package.
#
# The commands and each command's options are read from the program itself
# ('funnelmc --help', 'funnelmc COMMAND --help') at every Tab, so they can
# never fall behind it; the program answers in a few milliseconds.  File
# names are completed by what each place expects: scenarios (.yaml, .yml),
# results files (.h5), pages (.html), directories for --charts.

# The commands 'PROGRAM --help' lists, one a line under "commands:".
_funnelmc_commands()
{
    LC_ALL=C "$(dequote "$1")" --help 2>/dev/null |
        sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p'
}

_funnelmc()
{
    local cur prev words cword split
    _init_completion -s || return

    # the command is the first word that is not an option
    local i command=
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} != -* ]]; then
            command=${words[i]}
            break
        fi
    done

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '--version --help' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_funnelmc_commands "$1")" -- "$cur"))
        fi
        return
    fi

    # the value of an option
    case $prev in
        -o | --output)
            if [[ $command == report ]]; then
                _filedir html
            else
                _filedir h5
            fi
            return
            ;;
        --report)
            # only as --report=FILE: a word after a bare --report is a scenario
            if $split; then
                _filedir html
                return
            fi
            ;;
        --charts)
            _filedir -d
            return
            ;;
        --format)
            COMPREPLY=($(compgen -W 'svg png pdf' -- "$cur"))
            return
            ;;
        --sampling)
            COMPREPLY=($(compgen -W 'mc lhs qmc' -- "$cur"))
            return
            ;;
        -k | --kind)
            COMPREPLY=($(compgen -W 'rate positive real growth' -- "$cur"))
            return
            ;;
        -n | --samples | -j | --threads | -r | --repeats | --seed | --replicates | \
            --base-samples | --precision-mean | --precision-sobol | --sweep | --scenario | \
            -c | --column | -l | --laws)
            # a number or a name funnelmc cannot guess
            return
            ;;
    esac
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_parse_help "$1" "$command --help")" -- "$cur"))
        return
    fi

    case $command in
        run | check | sweep | batch) _filedir '@(yaml|yml)' ;;
        show | report) _filedir h5 ;;
        fit) _filedir ;;
    esac
} &&
    complete -F _funnelmc funnelmc
