#!/usr/bin/env bash
# Installs what Portolan needs on Debian/Ubuntu, then configures and builds
# it in ./build: the console tool always, the desktop app when GTK 4.8 or
# newer can be installed. With --tests it also installs the test
# dependencies (and, with --ui-tests, what the Xvfb UI suite needs).
# With --no-gui it builds the console tool only. With --bpf (implied by
# --tests) it also installs what the BPF owner source needs to build
# (clang, bpftool, the libbpf headers; see -Dbpf in meson_options.txt).
# Safe to run again: an existing build directory is reused.
set -euo pipefail

cd "$(dirname "$0")/.."

want_tests=0
want_ui_tests=0
want_gui=1
want_bpf=0
builddir=build
for arg in "$@"; do
    case "$arg" in
        --tests) want_tests=1; want_bpf=1 ;;
        --ui-tests) want_tests=1; want_ui_tests=1; want_bpf=1 ;;
        --bpf) want_bpf=1 ;;
        --no-gui) want_gui=0 ;;
        --builddir=*) builddir=${arg#--builddir=} ;;
        -h|--help)
            echo "usage: tools/setup.sh [--tests] [--ui-tests] [--no-gui] [--bpf] [--builddir=DIR]"
            exit 0 ;;
        *) echo "setup.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

packages=(gcc meson ninja-build python3 pkg-config)
if [ "$want_tests" = 1 ]; then
    packages+=(libglib2.0-dev libjson-glib-dev iproute2 lsof util-linux procps clang-format)
fi

# The BPF owner source (-Dbpf=auto builds it when these are present).
if [ "$want_bpf" = 1 ]; then
    packages+=(clang bpftool libbpf-dev)
fi

if [ "$want_ui_tests" = 1 ]; then
    packages+=(xvfb xauth dbus dbus-x11 at-spi2-core python3-pyatspi imagemagick)
fi
# The desktop app: GTK 4 and what its build runs (resources, schemas,
# translations, desktop-file and metainfo checks). Where the archive has
# no GTK 4, the console tool still builds.
gui_packages=()
# json-glib reads portolan-cli's JSON when the app shows owners read as root.
[ "$want_gui" = 1 ] && gui_packages=(libgtk-4-dev libjson-glib-dev gettext desktop-file-utils appstream libglib2.0-bin)

missing_in() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
    done
}
mapfile -t missing < <(missing_in "${packages[@]}")
mapfile -t gui_missing < <(missing_in "${gui_packages[@]}")
if [ "${#missing[@]}" -gt 0 ] || [ "${#gui_missing[@]}" -gt 0 ]; then
    sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "Installing: ${missing[*]}"
        $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    if [ "${#gui_missing[@]}" -gt 0 ]; then
        echo "Installing for the desktop app: ${gui_missing[*]}"
        $sudo apt-get install -y -qq --no-install-recommends "${gui_missing[@]}" >/dev/null ||
            echo "setup.sh: GTK 4 could not be installed; building the console tool only" >&2
    fi
fi

tests_opt=auto
[ "$want_tests" = 1 ] && tests_opt=enabled
gui_opt=auto
[ "$want_gui" = 0 ] && gui_opt=disabled
if [ -f "$builddir/build.ninja" ]; then
    meson configure "$builddir" -Dtests="$tests_opt" -Dgui="$gui_opt" >/dev/null
else
    meson setup "$builddir" -Dtests="$tests_opt" -Dgui="$gui_opt" ${MESON_EXTRA_ARGS:-} >/dev/null
fi
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    cat "$builddir/compile.log" >&2
    echo "setup.sh: the build failed (log above)" >&2
    exit 1
fi
echo "Built: $builddir/app/cli/portolan-cli"
if [ -x "$builddir/app/gui/portolan" ]; then
    echo "Built: $builddir/app/gui/portolan (run it with tools/portolan)"
fi
