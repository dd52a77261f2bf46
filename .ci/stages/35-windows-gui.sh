#!/usr/bin/env bash
# The Windows desktop app, built and tested from Linux: the GTK 4 stack
# cross-built from Debian's sources (tools/win-stack.sh; cached outside the
# checkout, built cold on a fresh machine), portolan.exe and portolan-cli.exe
# in a release build, the portable zip and the MSI (tools/win-package.py).
# Then, under Wine and Xvfb: the MSI installed with msiexec /qn, the
# installed portolan.exe started on port 1644 and its visible labels checked
# for IANA's "saiseh" (PORTOLAN_DUMP_LABELS), a screenshot, the cross-built
# ui tests, the MSI uninstalled and Program Files checked empty.
set -uo pipefail

builddir=build-ci-wingui
out=$PWD/$builddir/dist
. .ci/install-missing.sh
ci_install_missing mingw-w64 wine wine64 meson ninja-build cmake pkg-config python3 sassc \
    xz-utils bzip2 libglib2.0-dev libglib2.0-dev-bin libglib2.0-bin gettext msitools \
    librsvg2-bin libgtk-4-bin adwaita-icon-theme hicolor-icon-theme xvfb xauth imagemagick fonts-wine \
    iproute2 \
    || exit 1
. .ci/private-net.sh

log() { echo "35-windows-gui: $*"; }
t0=$(date +%s)
cache=${PORTOLAN_WIN_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portolan/win-stack}
log "the GTK stack (cache: $cache)"
# CI runs of several checkouts on one machine share the cache: one at a
# time builds, the others wait and then find the stack built (a second
# build started meanwhile deleted the first one's tree). The lock is taken
# here, not in win-stack.sh, whose text is part of the cache key.
mkdir -p "$cache"
flock "$cache/.lock" tools/win-stack.sh --jobs="$(nproc)" >"$PWD/win-stack.log" 2>&1
status=$?
grep '^win-stack:' "$PWD/win-stack.log"
[ "$status" = 0 ] || { tail -n 30 "$PWD/win-stack.log"; log "the stack build failed"; exit 1; }
prefix=$(tail -n 1 "$PWD/win-stack.log")
log "stack ready after $(($(date +%s) - t0)) s: $prefix ($(du -sh "$prefix" | cut -f1))"

rm -rf "$builddir"
t1=$(date +%s)
if ! meson setup "$builddir" --cross-file tools/cross/x86_64-w64-mingw32.ini \
        --cross-file "$prefix/portolan-cross.ini" --buildtype=release -Dgui=enabled \
        -Dtests=enabled -Dwerror=true >"$PWD/wingui-setup.log" 2>&1; then
    tail -n 40 "$PWD/wingui-setup.log"
    log "meson setup failed"
    exit 1
fi
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    grep -E 'error|FAILED' -A5 "$builddir/compile.log" | head -n 60
    log "the Windows build failed"
    exit 1
fi
log "portolan.exe and portolan-cli.exe built in $(($(date +%s) - t1)) s"
python3 tools/win-package.py --build "$builddir" --stack "$prefix" --out "$out" || exit 1
msi=$(ls "$out"/*.msi)

# Everything below runs in a throwaway Wine prefix, inside one Xvfb.
WINEPREFIX=$(mktemp -d) || exit 1
export WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=;winedbg.exe=d'
export PTL_WINGUI_BUILD=$builddir PTL_WINGUI_MSI=$msi PTL_WINGUI_OUT=$out
cleanup() {
    wineserver -k 2>/dev/null
    wineserver -w 2>/dev/null
    rm -rf "$WINEPREFIX"
}
trap cleanup EXIT
# Under Wine in a network namespace of its own (.ci/private-net.sh says
# why): the stack's downloads above needed the machine's network.
ci_private_net xvfb-run -a -s "-screen 0 1280x860x24" bash .ci/wine-gui-check.sh
exit $?
