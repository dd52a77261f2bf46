# fish completion for portolan-cli.
#
# The commands, options and service names come from the program itself
# ('portolan-cli __complete ...', made from its command table), so this
# file has no list of its own to keep in step. fish reads "word<TAB>description".

function __portolan_cli_ask
    set -l prog (commandline -opc)[1]
    test -n "$prog"; or set prog portolan-cli
    $prog __complete $argv 2>/dev/null
end

# The command of the line being completed: a command name, or "port" for a query.
function __portolan_cli_command
    set -l words (commandline -opc)
    if test (count $words) -lt 2
        return 1
    end
    set -l names (__portolan_cli_ask commands | string replace -r '\t.*' '') help
    if contains -- $words[2] $names
        echo $words[2]
    else
        echo port
    end
end

# How many operands (not options nor their values) follow the command.
function __portolan_cli_operands
    set -l words (commandline -opc)
    set -l cmd (__portolan_cli_command)
    set -l n 0
    set -l takes (__portolan_cli_ask options $cmd | string match -r '^--[^\t]+\t[^\t]+' | string replace -r '\t.*' '')
    set -l start 3
    contains -- $words[2] (__portolan_cli_ask commands | string replace -r '\t.*' '') help; or set start 2
    for i in (seq $start (count $words))
        set -l w $words[$i]
        string match -q -- '-*' $w; and continue
        set -l before $words[(math $i - 1)]
        contains -- $before $takes; and continue
        set n (math $n + 1)
    end
    echo $n
end

# Options of the current command as "--name<TAB>help"; values are not fish's to guess.
function __portolan_cli_options
    __portolan_cli_ask options (__portolan_cli_command; or echo port) | string replace -r '\t[^\t]*\t' '\t'
end

# Whether the word being completed is the first operand of one of the commands given.
function __portolan_cli_operand_of
    set -l cmd (__portolan_cli_command)
    contains -- "$cmd" $argv; and test (__portolan_cli_operands) -eq 0
end

# Whether the word being completed is the value of 'list --port'.
function __portolan_cli_port_value
    set -l prev (commandline -opc)[-1]
    test "$(__portolan_cli_command)" = list; and contains -- "$prev" --port -p
end

function __portolan_cli_help_command
    test "$(__portolan_cli_command)" = help; and test (count (commandline -opc)) -eq 2
end

function __portolan_cli_services
    set -l cur (commandline -ct)
    test -n "$cur"; and __portolan_cli_ask services $cur
end

complete -c portolan-cli -f
complete -c portolan-cli -n 'not __portolan_cli_command' -a '(__portolan_cli_ask commands)'
complete -c portolan-cli -n 'not __portolan_cli_command' -a help -d "the list of commands, or a command's help"
complete -c portolan-cli -n 'not __portolan_cli_command' -a '(__portolan_cli_services)'
complete -c portolan-cli -n 'not __portolan_cli_command' -l version -d 'print the version'
complete -c portolan-cli -n 'string match -q -- "-*" (commandline -ct)' -a '(__portolan_cli_options)'
complete -c portolan-cli -n __portolan_cli_help_command -a '(__portolan_cli_ask commands)'
complete -c portolan-cli -n '__portolan_cli_operand_of port check watch' -a '(__portolan_cli_services)'
complete -c portolan-cli -n '__portolan_cli_operand_of kill' -a '(__portolan_cli_ask ports)'
complete -c portolan-cli -n __portolan_cli_port_value -a '(__portolan_cli_services)'
