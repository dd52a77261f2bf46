#!/usr/bin/env bash
# The desktop app's figures (tools/bench/gui.py) in one command, under a
# private X server, session bus and window manager (openbox, which keeps
# _NET_WM_STATE as desktops do), in private network, PID and mount
# namespaces: the socket and process tables hold only what the benchmark
# starts, whatever else runs on the machine. Takes about 15 minutes with
# the defaults (60 s per CPU figure, GL and cairo). Not run in CI. Run it
# as root (namespaces; the load raises its fd limit).
#
#   tools/bench/run-gui.sh [--build DIR]... [--seconds S] [--runs N]
#                          [--renderer gl,cairo] [--only FIGURES]
#
# Two --build directories (say a build of main and one of a branch) are
# measured figure by figure, one after the other.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${PORTOLAN_BENCH_NS:-}" != 1 ]; then
    builds=()
    args=("$@")
    for ((i = 0; i < ${#args[@]}; i++)); do
        case "${args[$i]}" in
            --build) builds+=("${args[$((i + 1))]:-build}") ;;
            --build=*) builds+=("${args[$i]#--build=}") ;;
        esac
    done
    [ ${#builds[@]} -gt 0 ] || builds=(build)

    . .ci/install-missing.sh
    ci_install_missing xvfb xauth dbus openbox xdotool x11-utils iproute2 util-linux || exit 1
    for b in "${builds[@]}"; do
        if [ ! -f "$b/build.ninja" ]; then
            meson setup "$b" --buildtype=release >/dev/null
        fi
        # The settings schema too: without it the app ignores the last
        # view the benchmark sets and opens on the Port view.
        meson compile -C "$b" portolan portolan-cli ptl-bench-load \
            gsettings-compile-resources >/dev/null
    done
    PORTOLAN_BENCH_NS=1 exec unshare --net --pid --fork --mount-proc -- "$0" "$@"
fi

# Inside the namespaces: loopback up, then the X server and the bus. This
# shell stays PID 1 of the namespace (xvfb-run as PID 1 would never see
# the X server's ready signal).
ip link set lo up
rc=0
xvfb-run -a -s "-screen 0 1280x860x24 -noreset" dbus-run-session -- \
    /usr/bin/python3 tools/bench/gui.py "$@" || rc=$?
# The namespace's processes die with this shell: let the X server remove
# its lock file first (the private /proc shows only ours).
for _ in $(seq 50); do pgrep -x Xvfb >/dev/null || break; sleep 0.1; done
exit $rc
