#!/usr/bin/env bash
# Valgrind: portolan-cli (list, list --json, port and range reports, a
# report on a real loopback listener) under memcheck, with no memory error
# and no definite or indirect leak allowed. A plain build of its own:
# valgrind cannot run the ASan build.
set -uo pipefail

builddir=build-ci-valgrind

missing=()
for p in gcc meson ninja-build python3 pkg-config libglib2.0-dev libjson-glib-dev valgrind; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/dev/null || exit 1
fi

rm -rf "$builddir"
if ! out=$(meson setup "$builddir" -Dtests=enabled -Dvalgrind=enabled -Dwerror=true 2>&1); then
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
