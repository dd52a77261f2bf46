#!/usr/bin/env bash
# The shell completions of portolan-cli, driven as each shell would, as TAP:
#   bash: `complete -p` after sourcing and after bash-completion's own
#         loader finds the file, then _portolan_cli through COMP_WORDS and
#         COMP_CWORD, compared with what the CLI's --help and the tables say;
#   zsh:  the autoloaded _portolan-cli with _describe recorded;
#   fish: `complete -C`.
# A shell that is not installed is a printed skip.
#
# usage: test-completion.sh PORTOLAN_CLI COMPLETION_DIR PTL_TEST_HOLDER
set -u
cli=$1 dir=$2 holder=$3

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; shift; printf '# %s\n' "$@"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "${holder_pid:-}" ] && kill "$holder_pid" 2>/dev/null' EXIT
mkdir -p "$tmp/bin" "$tmp/bash/completions"
ln -s "$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")" "$tmp/bin/portolan-cli"
ln -s "$(cd "$dir" && pwd)/portolan-cli.bash" "$tmp/bash/completions/portolan-cli"
export PATH="$tmp/bin:$PATH"

# A listener of our own for `kill <TAB>`.
coproc HOLDER { "$holder" tcp4-listen; }
holder_pid=$HOLDER_PID
read -r _ port <&"${HOLDER[0]}"
read -r ready <&"${HOLDER[0]}"
[ "$ready" = ready ] || { echo "Bail out! the holder did not start"; exit 1; }

# What each shell should offer, from the CLI itself.
list_options=$(portolan-cli list --help | sed -n 's/^  \(-., \)\{0,1\} *\(--[a-z0-9-]*\).*/\2/p' | sort)
ss_services=$(portolan-cli __complete services ss | cut -f1 | sort)
[ -n "$list_options" ] && [ -n "$ss_services" ] || { echo "Bail out! the CLI answers nothing"; exit 1; }

# expect NAME GOT WANT-LINES...: every wanted line is in GOT.
expect() {
    local name=$1 got=$2 w missing=()
    shift 2
    for w in "$@"; do
        grep -qxF -- "$w" <<<"$got" || missing+=("$w")
    done
    if [ "${#missing[@]}" = 0 ] && [ -n "$got" ]; then ok "$name"; else
        not_ok "$name" "missing: ${missing[*]}" "got: $(head -c 300 <<<"$got" | tr '\n' ' ')"
    fi
}

# expect_none NAME GOT: nothing offered.
expect_none() {
    if [ -z "$2" ]; then ok "$1"; else not_ok "$1" "got: $(head -c 300 <<<"$2" | tr '\n' ' ')"; fi
}

# ---- bash ------------------------------------------------------------------------------

# bash_complete LINE: what _portolan_cli offers at the end of LINE.
bash_complete() {
    bash --norc --noprofile -c '
        source "$1"
        COMP_LINE=$2 COMP_POINT=${#2}
        read -ra COMP_WORDS <<<"$2"
        [[ $2 == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _portolan_cli portolan-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"' _ "$dir/portolan-cli.bash" "$1" | sed '/^$/d' | sort
}

got=$(bash --norc --noprofile -c 'source "$1"; complete -p portolan-cli' _ "$dir/portolan-cli.bash")
if [ "$got" = "complete -F _portolan_cli portolan-cli" ]; then ok "bash: complete -p portolan-cli"
else not_ok "bash: complete -p portolan-cli" "got: $got"; fi

loader=/usr/share/bash-completion/bash_completion
if [ -f "$loader" ]; then
    got=$(BASH_COMPLETION_USER_DIR="$tmp/bash" bash --norc --noprofile -c '
        source "$1"; __load_completion portolan-cli; complete -p portolan-cli' _ "$loader" 2>&1)
    if [ "$got" = "complete -F _portolan_cli portolan-cli" ]; then
        ok "bash: bash-completion loads it from completions/portolan-cli"
    else not_ok "bash: bash-completion loads it from completions/portolan-cli" "got: $got"; fi
else
    skip "bash: bash-completion loads it" "bash-completion is not installed ($loader)"
fi

expect "bash: the commands" "$(bash_complete 'portolan-cli ')" port list free check kill help
expect "bash: 'li' is list" "$(bash_complete 'portolan-cli li')" list
expect "bash: 'list --' gives every option of list --help" "$(bash_complete 'portolan-cli list --')" \
    $list_options
expect "bash: a query completes service names from our table" "$(bash_complete 'portolan-cli ss')" \
    $ss_services
expect "bash: 'port ircu' completes" "$(bash_complete 'portolan-cli port irc')" ircu
expect "bash: 'list --port ss' completes service names" "$(bash_complete 'portolan-cli list --port ss')" \
    ssh
expect "bash: 'kill' offers the live port $port" "$(bash_complete 'portolan-cli kill ')" "$port"
expect "bash: 'check 80 --w' is --wait" "$(bash_complete 'portolan-cli check 80 --w')" --wait
expect "bash: 'help k' is kill" "$(bash_complete 'portolan-cli help k')" kill
expect "bash: '--v' is --version" "$(bash_complete 'portolan-cli --v')" --version
expect_none "bash: nothing for the value of --pid" "$(bash_complete 'portolan-cli list --pid ')"
expect_none "bash: nothing after a query" "$(bash_complete 'portolan-cli ssh ')"
expect_none "bash: 'list' takes no operand" "$(bash_complete 'portolan-cli list ')"
got=$(bash_complete 'portolan-cli kill ')
if grep -qv '^[0-9]*$' <<<"$got"; then not_ok "bash: 'kill' offers port numbers only" "got: $got"
else ok "bash: 'kill' offers port numbers only"; fi

# ---- zsh -------------------------------------------------------------------------------

# zsh_complete WORDS...: what _portolan-cli hands _describe for the last word.
zsh_complete() {
    zsh -f -c '
        fpath=("$1" $fpath); shift
        autoload -Uz _portolan-cli
        _describe() { local e; for e in "${(@P)4}"; do print -r -- "${e%%:*}"; done; }
        words=("$@"); CURRENT=$#
        _portolan-cli' _ "$dir" "$@" | grep -- "^${*: -1}" | sort -u
}

if command -v zsh >/dev/null; then
    expect "zsh: the commands" "$(zsh_complete portolan-cli '')" port list free check kill help
    expect "zsh: 'list --' gives every option of list --help" "$(zsh_complete portolan-cli list --)" \
        $list_options
    expect "zsh: a query completes service names" "$(zsh_complete portolan-cli ss)" $ss_services
    expect "zsh: 'kill' offers the live port $port" "$(zsh_complete portolan-cli kill '')" "$port"
    expect_none "zsh: nothing for the value of --wait" "$(zsh_complete portolan-cli check 80 --wait '')"
else
    skip "zsh completion" "zsh is not installed"
fi

# ---- fish ------------------------------------------------------------------------------

fish_complete() {
    fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$dir/portolan-cli.fish" "$1" |
        cut -f1 | sort -u
}

if command -v fish >/dev/null; then
    expect "fish: the commands" "$(fish_complete 'portolan-cli ')" port list free check kill help
    expect "fish: 'list --' gives every option of list --help" "$(fish_complete 'portolan-cli list --')" \
        $list_options
    expect "fish: a query completes service names" "$(fish_complete 'portolan-cli ss')" $ss_services
    expect "fish: 'kill' offers the live port $port" "$(fish_complete 'portolan-cli kill ')" "$port"
    expect "fish: 'list --port ss' completes service names" \
        "$(fish_complete 'portolan-cli list --port ss')" ssh
    expect_none "fish: nothing after a query" "$(fish_complete 'portolan-cli ssh ')"
else
    skip "fish completion" "fish is not installed"
fi

echo "1..$n"
exit $failed
