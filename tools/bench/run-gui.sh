#!/usr/bin/env bash
# The desktop app's figures (tools/bench/gui.py) in one command, under a
# private X server and session bus: first frame, the busy port against
# portolan-cli, and the refresh CPU at about 300 and 18,000 sockets, on
# the Port view and minimised (twm and xdotool are installed for that).
# Takes about five minutes with the default 60 s per CPU figure. Not run
# in CI. Run it as root (the load raises its fd limit).
#
#   tools/bench/run-gui.sh [--build DIR] [--seconds S] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/../.."

builddir=build
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --build) builddir=${args[$((i + 1))]:-build} ;;
        --build=*) builddir=${args[$i]#--build=} ;;
    esac
done

. .ci/install-missing.sh
ci_install_missing xvfb xauth dbus twm xdotool iproute2 || exit 1
if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" --buildtype=release >/dev/null
fi
meson compile -C "$builddir" portolan portolan-cli ptl-bench-load >/dev/null
exec xvfb-run -a -s "-screen 0 1280x860x24 -noreset" dbus-run-session -- \
    /usr/bin/python3 tools/bench/gui.py --build "$builddir" "${args[@]}"
