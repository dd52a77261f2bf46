#!/usr/bin/env bash
# Fails when a C file is not formatted with the repository's .clang-format.
set -u
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null; then
    echo "1..0 # SKIP clang-format is not installed"
    exit 0
fi
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find core platform-* app tests -name '*.[ch]')
bad=0
n=0
for f in $files; do
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
