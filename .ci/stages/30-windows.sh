#!/usr/bin/env bash
# The Windows build: core, platform-win32 and portolan-cli.exe cross-built
# with mingw-w64, and the tests/win32 suites run under Wine in a throwaway
# prefix (meson runs each .exe through the cross file's exe_wrapper).
set -uo pipefail

builddir=build-ci-win
. .ci/install-missing.sh
ci_install_missing mingw-w64 wine wine64 meson ninja-build python3 iproute2 || exit 1
# The rest in a network namespace of its own (.ci/private-net.sh says why).
. .ci/private-net.sh
if [ -z "${CI_IN_PRIVATE_NET:-}" ]; then
    export CI_IN_PRIVATE_NET=1
    ci_private_net bash "$0"
    exit $?
fi

WINEPREFIX=$(mktemp -d) || exit 1
export WINEPREFIX WINEDEBUG=-all DISPLAY= WINEDLLOVERRIDES='mscoree,mshtml='
cleanup() {
    wineserver -k 2>/dev/null
    wineserver -w 2>/dev/null
    rm -rf "$WINEPREFIX"
}
trap cleanup EXIT

# The first wine command creates the prefix (a few seconds) and runs the
# prefix's init itself; an explicit 'wineboot -i' runs a second init, and
# the prefix then ran two or three services.exe, whose different answers
# failed /win32/process/services. A persistent server keeps every test
# from paying for the start again.
wine cmd /c exit >/dev/null 2>&1 || { echo "creating the Wine prefix failed"; exit 1; }
wineserver -p

rm -rf "$builddir"
meson setup --cross-file tools/cross/x86_64-w64-mingw32.ini -Dwerror=true -Dtests=enabled \
    "$builddir" >"$(mktemp)" || { echo "meson setup failed for $builddir"; exit 1; }
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    cat "$builddir/compile.log"
    exit 1
fi
echo "DLLs portolan-cli.exe imports:" \
    $(x86_64-w64-mingw32-objdump -p "$builddir/app/cli/portolan-cli.exe" | awk '/DLL Name/ {print $3}')
# Wine loads its network-table driver on the first socket-table call, which
# takes from seconds to a minute on a busy machine; pay for it once here.
wine "$builddir/app/cli/portolan-cli.exe" list >/dev/null 2>&1
meson test -C "$builddir" --no-rebuild --print-errorlogs
status=$?
echo "$builddir/meson-logs/testlog.json" >>"$CI_LOGS"
exit $status
