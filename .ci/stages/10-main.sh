#!/usr/bin/env bash
# The main build: everything Linux builds, with -Werror, and every suite.
set -uo pipefail

builddir=build-ci
. .ci/install-missing.sh
# The --host and metrics tests (suite cli) start a real sshd, node_exporter
# and Prometheus of their own on loopback.
ci_install_missing_no_start openssh-server openssh-client prometheus prometheus-node-exporter \
    || exit 1
# The polkit suite: polkitd (it ships polkit's DTD; the tests start their
# own, so the system's copy is not started), pkexec, xmllint, and openssl
# for the test's root password.
ci_install_missing_no_start polkitd pkexec dbus libxml2-utils openssl || exit 1
# The i18n tests run portolan-cli in Russian.
ci_generate_locales ru_RU.UTF-8 || exit 1
rm -rf "$builddir"
# -Dbpf=enabled: a missing clang/bpftool/libbpf-dev fails here instead of
# quietly building the /proc path alone.
MESON_EXTRA_ARGS="-Dwerror=true -Dbpf=enabled" tools/setup.sh --tests --no-install --builddir="$builddir" || exit 1
# The ui suite needs a display: stage 20-ui runs it under Xvfb; the containers
# suite needs docker.io: stage 15-containers installs it and runs that suite.
meson test -C "$builddir" --no-rebuild --print-errorlogs --num-processes 2 --no-suite ui \
    --no-suite containers
status=$?
echo "$builddir/meson-logs/testlog.json" >>"$CI_LOGS"
exit $status
