# bash completion for portolan-cli.
#
# The commands, options and service names come from the program itself
# ('portolan-cli __complete ...', made from its command table), so this
# file has no list of its own to keep in step.

# Prints the first tab-separated field of each line of 'portolan-cli __complete ARGS'.
_portolan_cli_ask()
{
    local line
    while IFS= read -r line; do
        printf '%s\n' "${line%%$'\t'*}"
    done < <("${_portolan_cli_prog:-portolan-cli}" __complete "$@" 2>/dev/null)
}

# Whether OPTION of COMMAND takes a value ('--port N'): its second field is not empty.
_portolan_cli_takes_value()
{
    local line
    while IFS= read -r line; do
        [[ "${line%%$'\t'*}" == "$2" ]] || continue
        line=${line#*$'\t'}
        [[ -n "${line%%$'\t'*}" ]]
        return
    done < <("${_portolan_cli_prog:-portolan-cli}" __complete options "$1" 2>/dev/null)
    return 1
}

_portolan_cli()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    local cmd= i word n_operands=0
    local -a words=()
    _portolan_cli_prog=${COMP_WORDS[0]}
    [[ $COMP_CWORD -gt 0 ]] && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # "--port=80" arrives as "--port" "=" "80"
    if [[ $cur == "=" ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]} cur=
    elif [[ $prev == "=" ]] && [[ $COMP_CWORD -gt 1 ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    # The command is the first word; anything else there is a query for 'port'.
    if [[ $COMP_CWORD -gt 1 ]]; then
        word=${COMP_WORDS[1]}
        if [[ $word == help ]] || _portolan_cli_ask commands | grep -qxF -- "$word"; then
            cmd=$word
        elif [[ $word == -* ]]; then
            cmd=port
        else
            cmd=port n_operands=1
        fi
        for ((i = 2; i < COMP_CWORD; i++)); do
            word=${COMP_WORDS[i]}
            [[ $word == -* || $word == "=" ]] && continue
            [[ ${COMP_WORDS[i - 1]} == -* ]] && _portolan_cli_takes_value "$cmd" "${COMP_WORDS[i - 1]}" && continue
            [[ ${COMP_WORDS[i - 1]} == "=" ]] && continue
            n_operands=$((n_operands + 1))
        done
    fi

    COMPREPLY=()
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            words=(--help --version $(_portolan_cli_ask options port))
        elif [[ -n $cur ]]; then
            words=($(_portolan_cli_ask commands) help $(_portolan_cli_ask services "$cur"))
        else
            words=($(_portolan_cli_ask commands) help)
        fi
    elif [[ $cmd == help ]]; then
        [[ $COMP_CWORD -eq 2 ]] && words=($(_portolan_cli_ask commands))
    elif [[ $prev == -* ]] && _portolan_cli_takes_value "$cmd" "$prev"; then
        # a value: only --port takes a query; numbers are the person's to type
        [[ $prev == --port || $prev == -p ]] && [[ $cmd == list ]] && [[ -n $cur ]] &&
            words=($(_portolan_cli_ask services "$cur"))
    elif [[ $cur == -* ]]; then
        words=($(_portolan_cli_ask options "$cmd"))
    elif [[ $n_operands -eq 0 ]]; then
        case $cmd in
            kill) words=($(_portolan_cli_ask ports)) ;;
            port | check | watch) [[ -n $cur ]] && words=($(_portolan_cli_ask services "$cur")) ;;
        esac
    fi
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "${words[*]}" -- "$cur"))
}

complete -F _portolan_cli portolan-cli
