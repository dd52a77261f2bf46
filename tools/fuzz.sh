#!/usr/bin/env bash
# The long fuzzing campaign, for anyone who wants more than CI's 30 s per
# target: every target in tests/fuzz/ (libFuzzer, clang with ASan and
# UBSan) and the Python readers' fuzzer, SECONDS each (default 600), two
# at a time. The working corpora persist in build-fuzz/tests/fuzz/run-*/,
# so each campaign starts where the last one stopped; crash inputs land in
# run-TARGET/artifacts/ (replay one: build-fuzz/tests/fuzz/fuzz-TARGET FILE).
#
#   tools/fuzz.sh [SECONDS] [meson test args, e.g. fuzz-query]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
[ $# -gt 0 ] && shift
case $seconds in
    '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;;
esac
builddir=build-fuzz

. .ci/install-missing.sh
ci_install_missing clang libclang-rt-14-dev python3 meson ninja-build

if [ -f "$builddir/build.ninja" ]; then
    meson configure "$builddir" -Dfuzz_seconds="$seconds" >/dev/null
else
    CC=clang meson setup "$builddir" -Dfuzzing=true -Dtests=disabled -Dgui=disabled \
        -Db_sanitize=address,undefined -Db_lundef=false -Dfuzz_seconds="$seconds" >/dev/null
fi
meson compile -C "$builddir" >"$builddir/compile.log" 2>&1 || { cat "$builddir/compile.log"; exit 1; }
targets=$(meson test -C "$builddir" --list --suite fuzz 2>/dev/null | wc -l)
echo "Fuzzing $targets targets for $seconds s each, two at a time (about $(( (targets + 1) / 2 * seconds / 60 )) min)"
meson test -C "$builddir" --no-rebuild --suite fuzz --num-processes 2 --print-errorlogs "$@"
