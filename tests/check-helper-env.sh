#!/usr/bin/env bash
# portolan-cli is the program the desktop app runs as root through pkexec
# (SECURITY.md, "Administrator rights"). pkexec passes on SHELL, LANG,
# LINGUAS, LANGUAGE, LC_*, TERM and COLORTERM from the person's
# environment and sets PATH, LOGNAME, USER, HOME and PKEXEC_UID; it clears
# everything else. So the code portolan-cli is built from (core/,
# platform-posix/, app/cli/) may read only variables pkexec clears: its
# own switches PORTOLAN_*, through getenv with a literal name. Fails
# on any other getenv, on secure_getenv or environ, and on setlocale,
# which reads LANG and LC_*. tests/test-polkit.py checks through a real
# pkexec that the test switches do not get through.
#
# One exception: platform-posix/ptl-posix-run.c hands `environ` on to the
# program it runs (ssh, for --host). That path starts only with a remote
# option as the first argument, which neither Portolan polkit action
# allows (their exec.argv1 is list or kill), so pkexec runs it only under
# its own action, with administrator authentication every time. And
# platform-posix/ptl-linux-engines.c hands `environ` on to a container
# engine's CLI (docker ps, to name containers), which list runs as root
# under read-owners: without the variables pkexec passes on from the
# person (SHELL, LANG, LANGUAGE, LINGUAS, LC_*, TERM, COLORTERM), so it
# sees only what pkexec set. And app/cli/portolan-cli-i18n.c calls
# setlocale once, for the language of the tool's sentences: pkexec refuses
# to run when a variable it keeps holds '/', '%' or '..', so those can name
# a language only, whose catalog comes from the install's own locale
# directory (PORTOLAN_LOCALEDIR, for the tests, is cleared by pkexec).
set -u
cd "$(dirname "$0")/.."

reads='(^|[^_[:alnum:]])(getenv|secure_getenv|setlocale|environ|__environ|getenv_s)([^_[:alnum:]]|$)'
allowed='getenv[[:space:]]*\("PORTOLAN_[A-Z_]+"\)'

n=0
bad=0
for f in core/*.[ch] platform-posix/*.[ch] app/cli/*.[ch]; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    # Comment lines that mention a call are not calls.
    # The allowed calls are taken out first; anything left is a read.
    strip="s/$allowed//g"
    case $f in
        platform-posix/ptl-posix-run.c | platform-posix/ptl-linux-engines.c)
            strip="$strip; s/(^|[^_[:alnum:]])environ([^_[:alnum:]]|$)/\1\2/g" ;;
        app/cli/portolan-cli-i18n.c)
            strip="$strip; s/setlocale[[:space:]]*\(LC_(ALL|NUMERIC), \"C?\"\)//g" ;;
    esac
    hits=$(sed -E "$strip" "$f" | grep -nE "$reads" |
           grep -vE '^[0-9]+:[[:space:]]*(/?\*|//)')
    if [ -n "$hits" ]; then
        echo "not ok $n $f reads the environment pkexec keeps or may keep"
        echo "$hits" | sed 's/^/# /'
        bad=1
    else
        echo "ok $n $f"
    fi
done
if [ "$n" = 0 ]; then
    echo "1..0 # SKIP no sources found next to tests/"
    exit 0
fi
echo "1..$n"
exit $bad
