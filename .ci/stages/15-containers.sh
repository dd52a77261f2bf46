#!/usr/bin/env bash
# Containers: portolan-cli on a real Docker host. The test
# (tests/test-containers-docker.c) starts its own dockerd from Debian's
# docker.io with every path in a temporary directory, builds a one-file
# image from busybox-static offline (docker import), runs httpd in a
# container published on a loopback port, and ends dockerd by its PID.
# Against the build of stage 10 (build-ci; built here when missing).
set -uo pipefail

builddir=build-ci

. .ci/install-missing.sh
# docker.io starts the system's own dockerd when installed; the test needs
# none (it runs its own), so the install asks for no service to start:
# policy-rc.d, as Debian's container images do, only for this install.
policy=/usr/sbin/policy-rc.d
made_policy=0
if ! dpkg-query -W -f='${Status}' docker.io 2>/dev/null | grep -q 'install ok installed' &&
    [ ! -e "$policy" ] && [ "$(id -u)" = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
fi
ci_install_missing docker.io busybox-static tar iproute2 util-linux
installed=$?
[ "$made_policy" = 1 ] && rm -f "$policy"
[ "$installed" = 0 ] || exit 1

MESON_EXTRA_ARGS="-Dwerror=true -Dbpf=enabled" tools/setup.sh --tests --no-install --builddir="$builddir" || exit 1
meson test -C "$builddir" --no-rebuild --print-errorlogs --suite containers \
    --logbase testlog-containers
status=$?
echo "$builddir/meson-logs/testlog-containers.json" >>"$CI_LOGS"
exit $status
