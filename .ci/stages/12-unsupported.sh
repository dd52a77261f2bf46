#!/usr/bin/env bash
# platform-unsupported/, forced on Linux: the tree a new port starts from
# must build (with -Werror) and pass the core suite.
set -uo pipefail

builddir=build-ci-unsupported
. .ci/install-missing.sh
ci_install_missing gcc meson ninja-build python3 pkg-config libglib2.0-dev libjson-glib-dev || exit 1

rm -rf "$builddir"
if ! out=$(meson setup "$builddir" -Dplatform=unsupported -Dgui=disabled -Dtests=enabled \
        -Dwerror=true 2>&1); then
    echo "$out"
    echo "12-unsupported: meson setup failed"
    exit 1
fi
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    cat "$builddir/compile.log"
    echo "12-unsupported: the build failed"
    exit 1
fi
echo "12-unsupported: portolan-cli 1644 says: $("$builddir/app/cli/portolan-cli" 1644 2>&1)"
meson test -C "$builddir" --no-rebuild --print-errorlogs --suite core
status=$?
echo "$builddir/meson-logs/testlog.json" >>"$CI_LOGS"
exit $status
