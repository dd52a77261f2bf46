#!/usr/bin/env bash
# Sanitizers: the whole test suite built with AddressSanitizer (leaks
# included) and UndefinedBehaviorSanitizer, the GUI's too: first every suite
# but ui, then the ui suite under Xvfb. Any report aborts the process it
# happens in, which fails the test; the CLI tests check exit codes, so a
# report inside portolan-cli fails them too.
set -uo pipefail

builddir=build-ci-asan

. .ci/install-missing.sh
ci_install_missing gcc meson ninja-build python3 pkg-config libglib2.0-dev libjson-glib-dev \
    iproute2 lsof util-linux procps clang-format clang bpftool libbpf-dev \
    libgtk-4-dev libglib2.0-bin gettext xvfb xauth dbus dbus-x11 at-spi2-core python3-pyatspi \
    || exit 1
ci_install_missing_no_start openssh-server openssh-client prometheus prometheus-node-exporter \
    || exit 1
ci_install_missing_no_start polkitd pkexec libxml2-utils openssl python3-gi || exit 1
# The i18n tests run portolan-cli and the app in Russian.
ci_generate_locales ru_RU.UTF-8 || exit 1

rm -rf "$builddir"
# -Dbpf=enabled: the BPF loader's user-space side runs under the sanitizers
# too (CI runs as root, so the CLI and the tests load the iterator).
if ! out=$(meson setup "$builddir" -Dtests=enabled -Dwerror=true -Dbpf=enabled \
        -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all 2>&1); then
    echo "$out"
    echo "50-asan: meson setup failed"
    exit 1
fi
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    cat "$builddir/compile.log"
    echo "50-asan: the sanitizer build failed"
    exit 1
fi

# Not run here: 'fuzz' and 'valgrind', which have stages of their own
# (valgrind cannot run ASan binaries; this build does not register either).
if [ ! -x "$builddir/app/gui/portolan" ]; then
    echo "50-asan: the desktop app was not built (GTK 4 missing?); see $builddir/meson-logs" >&2
    exit 1
fi
echo "50-asan: every suite but ui (fuzz, valgrind: stages 40 and 55)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
meson test -C "$builddir" --no-rebuild --print-errorlogs --num-processes 2 \
    --no-suite ui --no-suite fuzz --no-suite valgrind
status=$?
echo "$builddir/meson-logs/testlog.json" >>"$CI_LOGS"

# The ui suite: the GUI's model and scan tests, and the windows under Xvfb.
# Two things are not ours and are kept out, each said here:
# - fontconfig's configuration and font caches live until exit: suppressed
#   by tests/lsan-gui.supp (library frames only, never our code);
# - Mesa's GL driver leaks 128 bytes in a module it unloads at exit, so no
#   suppression can name it: GL is off (GDK_DEBUG=gl-disable; GTK then
#   draws with cairo, which the tests do not depend on).
echo "50-asan: the ui suite under Xvfb; LeakSanitizer suppressions for fontconfig's caches" \
    "(tests/lsan-gui.supp), and GL off (GDK_DEBUG=gl-disable) because Mesa's driver leaks" \
    "in a module it unloads at exit, where no suppression can match"
. .ci/ui-session.sh
LSAN_OPTIONS=suppressions=$PWD/tests/lsan-gui.supp:print_suppressions=1 GDK_DEBUG=gl-disable \
    ci_ui_session meson test -C "$builddir" --no-rebuild --print-errorlogs --suite ui \
    --logbase testlog-ui
ui_status=$?
echo "$builddir/meson-logs/testlog-ui.json" >>"$CI_LOGS"
[ "$status" = 0 ] && status=$ui_status
exit $status
