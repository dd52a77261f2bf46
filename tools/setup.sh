#!/usr/bin/env bash
# Installs what Portolan needs on Debian/Ubuntu, then configures and builds
# it in ./build. With --tests it also installs the test dependencies.
# Safe to run again: an existing build directory is reused.
set -euo pipefail

cd "$(dirname "$0")/.."

want_tests=0
builddir=build
for arg in "$@"; do
    case "$arg" in
        --tests) want_tests=1 ;;
        --builddir=*) builddir=${arg#--builddir=} ;;
        -h|--help)
            echo "usage: tools/setup.sh [--tests] [--builddir=DIR]"
            exit 0 ;;
        *) echo "setup.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

packages=(gcc meson ninja-build python3 pkg-config)
if [ "$want_tests" = 1 ]; then
    packages+=(libglib2.0-dev libjson-glib-dev iproute2 lsof util-linux procps clang-format)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

tests_opt=auto
[ "$want_tests" = 1 ] && tests_opt=enabled
if [ -f "$builddir/build.ninja" ]; then
    meson configure "$builddir" -Dtests="$tests_opt" >/dev/null
else
    meson setup "$builddir" -Dtests="$tests_opt" ${MESON_EXTRA_ARGS:-} >/dev/null
fi
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    cat "$builddir/compile.log" >&2
    echo "setup.sh: the build failed (log above)" >&2
    exit 1
fi
echo "Built: $builddir/app/cli/portolan-cli"
