#!/usr/bin/env bash
# Fails when a C file is not formatted with the repository's .clang-format.
set -u
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
    echo "1..0 # SKIP clang-format is not installed"
    exit 0
fi
# Tracked and new (not ignored) files, as they are in the working tree: a
# file deleted or added since the last commit counts as it will once committed.
files=$(git ls-files --cached --others --exclude-standard '*.c' '*.h' 2>/dev/null \
    || find core platform-* app tests -name '*.[ch]')
bad=0
n=0
for f in $files; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    if clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "ok $n $f"
    else
        echo "not ok $n $f is not clang-format clean (run clang-format -i $f)"
        bad=1
    fi
done
echo "1..$n"
exit $bad
