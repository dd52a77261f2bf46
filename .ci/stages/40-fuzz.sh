#!/usr/bin/env bash
# Fuzzing: every libFuzzer target in tests/fuzz/ (and the Python readers'
# mutation fuzzer) for 30 s each (tools/fuzz.sh runs the long campaign), built by clang with ASan and
# UBSan, two at a time. Any crash, leak, sanitizer report or failed check
# fails its test. Prints the executions per target.
set -uo pipefail

builddir=build-ci-fuzz
seconds=${PTL_FUZZ_SECONDS:-30}

. .ci/install-missing.sh
ci_install_missing clang libclang-rt-14-dev python3 meson ninja-build || exit 1

rm -rf "$builddir"
if ! out=$(CC=clang meson setup "$builddir" -Dfuzzing=true -Dtests=disabled -Dgui=disabled -Dwerror=true \
        -Db_sanitize=address,undefined -Db_lundef=false -Dfuzz_seconds="$seconds" 2>&1); then
    echo "$out"
    echo "40-fuzz: meson setup failed"
    exit 1
fi
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    cat "$builddir/compile.log"
    echo "40-fuzz: the fuzz build failed"
    exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C "$builddir" --no-rebuild --suite fuzz --num-processes 2 --print-errorlogs
status=$?
echo "$builddir/meson-logs/testlog.json" >>"$CI_LOGS"

echo "Fuzz executions per target (${seconds} s each):"
python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    test = json.loads(line)
    found = re.findall(r"^(\S+: \d+ executions .*)$", test.get("stdout", ""), re.M)
    print("  " + (found[-1] if found else f"{test['name']}: {test['result']} (no count)"))
PY
exit $status
