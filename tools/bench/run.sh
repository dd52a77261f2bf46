#!/usr/bin/env bash
# Portolan's benchmark in one command: installs what it compares against
# (ss, lsof, GNU time, setpriv) when missing, builds portolan-cli and the
# load generator, then runs tools/bench/bench.py, which prints one line per
# figure and writes docs/performance.md. Run it as root: setpriv and the
# owners of every process need it.
#
#   tools/bench/run.sh [--build DIR] [--runs N] [--pairs N] [--idle M] [--smoke] ...
#
# A missing build directory is configured with --buildtype=release.
set -euo pipefail
cd "$(dirname "$0")/../.."

builddir=build
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[$i]}" in
        --build) builddir=${args[$((i + 1))]:-build} ;;
        --build=*) builddir=${args[$i]#--build=} ;;
        -h|--help) exec /usr/bin/python3 tools/bench/bench.py --help ;;
    esac
done

need=()
command -v ss >/dev/null || need+=(iproute2)
command -v lsof >/dev/null || need+=(lsof)
[ -x /usr/bin/time ] || need+=(time)
command -v setpriv >/dev/null || need+=(util-linux)
command -v meson >/dev/null || need+=(meson ninja-build gcc pkg-config python3)
if [ "${#need[@]}" -gt 0 ]; then
    sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "Installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" --buildtype=release >/dev/null
fi
meson compile -C "$builddir" portolan-cli ptl-bench-load >/dev/null
# The Connections model's diff benchmark exists only where GTK is found;
# without it bench.py says why that figure is skipped.
meson compile -C "$builddir" portolan-bench-diff >/dev/null 2>&1 || true

# The command as typed, for docs/performance.md.
export PTL_BENCH_COMMAND="tools/bench/run.sh${*:+ $*}"
exec /usr/bin/python3 tools/bench/bench.py --build "$builddir" "${args[@]}"
