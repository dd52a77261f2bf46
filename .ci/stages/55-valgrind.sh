#!/usr/bin/env bash
# Valgrind: portolan-cli (list, list --json, port and range reports, a
# report on a real loopback listener) under memcheck, with no memory error
# and no definite or indirect leak allowed. A plain build of its own:
# valgrind cannot run the ASan build.
set -uo pipefail

builddir=build-ci-valgrind

. .ci/install-missing.sh
ci_install_missing gcc meson ninja-build python3 pkg-config libglib2.0-dev libjson-glib-dev valgrind \
    clang bpftool libbpf-dev || exit 1

rm -rf "$builddir"
# As root portolan-cli loads the BPF iterator: memcheck sees that path too
# (it warns about bpf() commands it does not know; they are not errors).
if ! out=$(meson setup "$builddir" -Dtests=enabled -Dvalgrind=enabled -Dwerror=true -Dbpf=enabled 2>&1); then
    echo "$out"
    echo "55-valgrind: meson setup failed"
    exit 1
fi
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    cat "$builddir/compile.log"
    echo "55-valgrind: the build failed"
    exit 1
fi

meson test -C "$builddir" --no-rebuild --print-errorlogs --suite valgrind
status=$?
echo "$builddir/meson-logs/testlog.json" >>"$CI_LOGS"
exit $status
