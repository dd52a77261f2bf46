#!/usr/bin/env bash
# The desktop app's UI suite under Xvfb, against the build of stage 10
# (build-ci; built again here when missing). Stage 10 runs every other
# suite; this one needs a display, a session bus and the a11y bus.
set -uo pipefail

builddir=build-ci
# ui-polkit: the app as nobody against a real polkitd (what the polkit
# suite needs, and python3-gi for its dismissing agent).
. .ci/install-missing.sh
ci_install_missing_no_start polkitd pkexec libxml2-utils openssl python3-gi || exit 1
# The i18n tests run the app in Russian.
ci_generate_locales ru_RU.UTF-8 || exit 1
MESON_EXTRA_ARGS="-Dwerror=true -Dbpf=enabled" tools/setup.sh --ui-tests --no-install --builddir="$builddir" || exit 1
if [ ! -x "$builddir/app/gui/portolan" ]; then
    echo "20-ui: the desktop app was not built (GTK 4 missing?); see $builddir/meson-logs" >&2
    exit 1
fi
# G_DEBUG=fatal-criticals is set per test in tests/meson.build; every
# critical fails the test.
. .ci/ui-session.sh
ci_ui_session meson test -C "$builddir" --no-rebuild --suite ui --print-errorlogs \
    --logbase testlog-ui
status=$?
echo "$builddir/meson-logs/testlog-ui.json" >>"$CI_LOGS"
exit $status
