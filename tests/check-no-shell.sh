#!/usr/bin/env bash
# Fails when code could run a command through a shell or create a file
# with a guessable name (SECURITY.md, "No shell"):
#   C:      system(), popen(), the exec*() family, wordexp(),
#           g_spawn_command_line_*(), "/bin/sh", tmpnam(), tempnam(),
#           mktemp(), fopen() for writing;
#   Python: shell=True, os.system(), os.popen(), tempfile.mktemp().
# Programs run with argument vectors (posix_spawn, g_spawn_* with argv,
# subprocess with a list); temporary files come from mkstemp/mkdtemp.
set -u
cd "$(dirname "$0")/.."

# Calls are looked for outside string literals ("the system (…)" is prose);
# the two patterns that are about strings look at the raw line.
c_calls='(^|[^_[:alnum:]])(system|popen|execl|execlp|execle|execv|execvp|execvpe|wordexp|tmpnam|tempnam|mktemp)[[:space:]]*\(|g_spawn_command_line_'
c_strings='"/bin/sh"|fopen[[:space:]]*\([^;]*"[wa]'
py_pattern='shell[[:space:]]*=[[:space:]]*True|os\.system[[:space:]]*\(|os\.popen[[:space:]]*\(|tempfile\.mktemp[[:space:]]*\('

# Tracked and new files in a git checkout; outside one (a release tarball,
# or no git installed) every file under the tree, found by name.
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ]; then
    files() {
        git ls-files --cached --others --exclude-standard "$@"
    }
else
    echo "# not a git checkout (or git is missing): checking every file found by name"
    files() {
        local pattern
        for pattern in "$@"; do
            find . -path ./.git -prune -o -type f -path "./$pattern" -print | sed 's|^\./||'
        done | sort -u
    }
fi

n=0
bad=0
report() {
    local file=$1 hits=$2
    n=$((n + 1))
    # Comment lines that merely mention a call are not calls.
    hits=$(echo "$hits" | grep -vE '^[0-9]+:[[:space:]]*(/?\*|//|#)')
    if [ -n "$hits" ]; then
        echo "not ok $n $file"
        echo "$hits" | sed 's/^/# /'
        bad=1
    else
        echo "ok $n $file"
    fi
}

check_c() {
    local file=$1
    report "$file" "$(sed -E 's/"([^"\\]|\\.)*"/""/g' "$file" | grep -nE "$c_calls"
                     grep -nE "$c_strings" "$file")"
}

for f in $(files 'core/*.[ch]' 'platform-*/*.[ch]' 'app/*.[ch]' 'app/**/*.[ch]' 'tests/*.[ch]' 'tests/**/*.[ch]' 'tools/*.[ch]'); do
    [ -e "$f" ] && check_c "$f"
done
for f in $(files '*.py'); do
    [ -e "$f" ] && report "$f" "$(grep -nE "$py_pattern" "$f")"
done
if [ "$n" = 0 ]; then
    echo "1..0 # SKIP no source files found under $(pwd)"
    exit 0
fi
echo "1..$n"
exit $bad
