#!/usr/bin/env bash
# Screenshots of the desktop app for the README and the metainfo: starts the
# app under Xvfb (1280x860) and saves docs/screenshots/{port,map,
# connections,free,narrow,dark,busy-port,russian}.png. Needs xvfb, xauth, dbus, imagemagick, xdotool and a build
# with the app (tools/setup.sh). Run it from anywhere:
#   tools/screenshots.sh [BUILDDIR]     (default: build)
# The script starts its own helpers (a listener on 1644 when the port is
# free, a child holding ~50 loopback sockets, tools/bench's load with a
# 9,001-socket port) and ends them by PID.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
builddir="$(cd "${1:-$root/build}" && pwd)"
out="$root/docs/screenshots"
mkdir -p "$out"

if [ -z "${PORTOLAN_SCREENSHOTS_INNER:-}" ]; then
    export PORTOLAN_SCREENSHOTS_INNER=1
    exec xvfb-run -a -s "-screen 0 1280x860x24" dbus-run-session -- "$0" "$builddir"
fi

app="$builddir/app/gui/portolan"
[ -x "$app" ] || { echo "screenshots.sh: $app is not built" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# The window fills the screen: settings come from a key file of our own.
export XDG_CONFIG_HOME="$work/config"
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
cat >"$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<KEYS
[io/github/portolan/Portolan]
window-width=1280
window-height=860
KEYS
export GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$builddir/resources"
export NO_AT_BRIDGE=1 GTK_THEME=Adwaita

# Starts the app with "$@", waits, runs $prepare (a shell snippet, may be
# empty), saves the root window (cropped to $crop when set) as $shot, and
# ends the app.
snap() {
    local shot=$1 wait=$2 prepare=$3 crop=$4
    shift 4
    "$app" "$@" >"$work/app.log" 2>&1 &
    local pid=$!
    sleep "$wait"
    # The pointer rests in a corner, so no tooltip covers the window.
    xdotool mousemove 1279 859
    [ -n "$prepare" ] && eval "$prepare"
    sleep 1.5
    if [ -n "$crop" ]; then
        import -window root -crop "$crop" +repage "$out/$shot"
    else
        import -window root "$out/$shot"
    fi
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "saved docs/screenshots/$shot"
}
command -v xdotool >/dev/null || { echo "screenshots.sh: needs xdotool" >&2; exit 1; }

# A listener on 1644, like the README's example, when the port is free.
if ! ss -Htanl 'sport = :1644' | grep -q .; then
    /usr/bin/python3 -m http.server 1644 --bind 127.0.0.1 >/dev/null 2>&1 &
    pids+=($!)
    sleep 1
fi
snap port.png 4 "" "" 1644

# The port map beside the Port view, with the pointer on a cell so its
# tooltip shows (the map's own column, cropped).
snap map.png 4 "xdotool mousemove 860 200" "592x712+688+50" 6667

# About 50 sockets held by one child: listeners, connected pairs, UDP.
/usr/bin/python3 - >"$work/holder.out" <<'PY' &
import socket, sys, time
socks = []
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    for _ in range(4):
        l = socket.socket(fam, socket.SOCK_STREAM)
        l.bind((host, 0))
        l.listen(16)
        socks.append(l)
        for _ in range(2):
            c = socket.socket(fam, socket.SOCK_STREAM)
            c.connect(l.getsockname()[:2])
            a, _ = l.accept()
            socks += [c, a]
    for _ in range(3):
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((host, 0))
        socks.append(u)
print(len(socks), flush=True)
time.sleep(600)
PY
pids+=($!)
sleep 1
echo "holder: $(cat "$work/holder.out") sockets"
# This machine may carry thousands of other sockets: the filter entry
# narrows the table to the python3 helpers (about 50 rows).
snap connections.png 6 "xdotool mousemove 360 74 click 1 sleep 0.3 type --delay 60 python3; sleep 3; xdotool mousemove 1279 859" "" --view=connections

# Find a Free Port, moved off the main window's corner (no window manager
# places it under Xvfb).
snap free.png 8 "xdotool search --name 'Find a Free Port' windowmove 380 100" "" 1644 --free-ports

set_size() {
    printf '[io/github/portolan/Portolan]\nwindow-width=%s\nwindow-height=%s\n' "$1" "$2" \
        >"$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
}

# A window 360 px wide, GNOME's narrowest: the view switcher under the
# views, the map folded into the Port Map button.
set_size 360 760
snap narrow.png 4 "" "360x760+0+0" 1644
set_size 1280 860

# The Russian UI (the build tree's catalogs; needs the ru_RU.UTF-8 locale).
if locale -a | grep -qix 'ru_RU.utf8'; then
    LC_ALL=ru_RU.UTF-8 LANGUAGE= PORTOLAN_LOCALEDIR="$builddir/po" snap russian.png 4 "" "" 1644
else
    echo "screenshots.sh: no ru_RU.UTF-8 locale (localedef -i ru_RU -f UTF-8 ru_RU.UTF-8): no russian.png" >&2
fi

# The dark theme: the page's colours and the map's dark palette.
GTK_THEME=Adwaita:dark snap dark.png 4 "" "" 6667

# A busy port: one listener and 9,000 connections through it, summarised
# (tools/bench's load generator; it ends when its stdin closes).
loader="$builddir/tools/bench/ptl-bench-load"
if [ -x "$loader" ]; then
    coproc LOAD { exec "$loader" big 9000 0; }
    pids+=("$LOAD_PID")
    read -r _ _ busy_port _ <&"${LOAD[0]}"
    snap busy-port.png 8 "" "" "$busy_port"
else
    echo "screenshots.sh: $loader is not built: no busy-port.png" >&2
fi
