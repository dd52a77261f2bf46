#!/usr/bin/env bash
# Installs what Portolan needs on Debian/Ubuntu (apt-get), builds it in
# ./build, and installs it with `meson install`: portolan-cli and portolan,
# their man pages and shell completions, the desktop file, icons and
# settings schema. Into /usr/local when run as root (or with sudo), into
# ~/.local otherwise; --prefix=DIR chooses. The desktop app is built when
# GTK 4.8 or newer can be installed (--no-gui: the console tool alone).
# With --bpf (implied by --tests) it also installs what the BPF owner
# source needs to build (clang, bpftool, the libbpf headers; see -Dbpf in
# meson_options.txt).
# Safe to run again: an existing build directory is reused.
set -euo pipefail

cd "$(dirname "$0")/.."

usage() {
    cat <<'EOF'
usage: tools/setup.sh [--prefix=DIR] [--no-gui] [--bpf] [--no-install] [--builddir=DIR]
       tools/setup.sh --uninstall [--builddir=DIR]
       tools/setup.sh --tests | --ui-tests [--no-install] ...

Installs the build tools with apt-get, builds Portolan in build/ and installs
portolan-cli and portolan (with man pages and shell completions) into
/usr/local when run as root or with sudo, into ~/.local otherwise.

  --prefix=DIR    install there instead
  --no-gui        build the console tool only
  --bpf           also install what the BPF owner source needs (clang, bpftool, libbpf-dev)
  --no-install    build only (run from the build dir with tools/portolan)
  --uninstall     remove what the last install from this build dir put in place
  --tests         also install what the test suites need, --bpf included (--ui-tests: and
                  the UI suite)
  --builddir=DIR  build in DIR instead of build/
EOF
}

want_tests=0 want_ui_tests=0 want_gui=1 want_bpf=0 want_install=1 uninstall=0
builddir=build prefix=
for arg in "$@"; do
    case "$arg" in
        --tests) want_tests=1 want_bpf=1 ;;
        --ui-tests) want_tests=1 want_ui_tests=1 want_bpf=1 ;;
        --bpf) want_bpf=1 ;;
        --no-gui) want_gui=0 ;;
        --no-install) want_install=0 ;;
        --uninstall) uninstall=1 ;;
        --prefix=*) prefix=${arg#--prefix=} ;;
        --builddir=*) builddir=${arg#--builddir=} ;;
        -h | --help) usage; exit 0 ;;
        *) echo "setup.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

started=$(date +%s)
# One line per step, with the time since the start: "[1:05] Compiling".
step() {
    local t=$(($(date +%s) - started))
    printf '[%d:%02d] %s\n' $((t / 60)) $((t % 60)) "$*"
}

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo

# ---- uninstall ----------------------------------------------------------------------

installed_prefix() {
    python3 -c 'import json, sys
opts = json.load(sys.stdin)
print(next(o["value"] for o in opts if o["name"] == "prefix"))' \
        < <(meson introspect --buildoptions "$builddir")
}

if [ "$uninstall" = 1 ]; then
    log="$builddir/meson-logs/install-log.txt"
    if [ ! -f "$log" ]; then
        echo "setup.sh: nothing to uninstall: $builddir has no install log (was it installed from here?)" >&2
        exit 1
    fi
    where=$(installed_prefix)
    run=
    [ -w "$where" ] || run=$sudo
    files=0
    while IFS= read -r f; do [ -f "$f" ] && files=$((files + 1)); done < <(grep -v '^#' "$log")
    step "Removing the $files files installed into $where"
    $run ninja -C "$builddir" uninstall >"$builddir/uninstall.log" 2>&1 ||
        { cat "$builddir/uninstall.log" >&2; echo "setup.sh: uninstall failed (log above)" >&2; exit 1; }
    # The caches that meson's install refreshed, refreshed again without us.
    schemas="$where/share/glib-2.0/schemas"
    if [ -d "$schemas" ] && command -v glib-compile-schemas >/dev/null; then
        if ls "$schemas"/*.xml >/dev/null 2>&1; then
            $run glib-compile-schemas "$schemas"
        else
            $run rm -f "$schemas/gschemas.compiled"
        fi
    fi
    if [ -d "$where/share/icons/hicolor" ] && command -v gtk-update-icon-cache >/dev/null; then
        $run gtk-update-icon-cache -q -t -f "$where/share/icons/hicolor" || true
    fi
    if [ -d "$where/share/applications" ] && command -v update-desktop-database >/dev/null; then
        $run update-desktop-database -q "$where/share/applications" || true
    fi
    step "Uninstalled: portolan-cli and portolan are no longer in $where/bin"
    exit 0
fi

# ---- packages -----------------------------------------------------------------------

# gettext: msgfmt builds the translations (the console tool uses them too).
packages=(gcc meson ninja-build python3 pkg-config gettext)
if [ "$want_tests" = 1 ]; then
    # git: the style suite lists the files; mandoc and groff lint the man
    # pages; bash-completion, zsh and fish run the completion test.
    packages+=(libglib2.0-dev libjson-glib-dev iproute2 lsof util-linux procps clang-format git
        mandoc groff-base bash-completion zsh fish)
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

# Turns apt-get's status lines (APT::Status-Fd) into a line at every tenth
# of each phase, and shows its errors.
apt_progress() {
    local kind pkg pct msg phase= last=-1 tenth
    while IFS=: read -r kind pkg pct msg; do
        case $kind in
            dlstatus) kind=downloading ;;
            pmstatus) kind=installing ;;
            pmerror) step "  error: $pkg: $msg"; continue ;;
            *) continue ;;
        esac
        tenth=${pct%%.*}
        tenth=$((${tenth:-0} / 10))
        if [ "$kind" != "$phase" ] || [ "$tenth" -gt "$last" ]; then
            phase=$kind last=$tenth
            step "  $kind: $((tenth * 10))% ($msg)"
        fi
    done
}

apt_log=$(mktemp)
trap 'rm -f "$apt_log"' EXIT

# apt_install PKG...: apt-get install with a progress line every 10%. The
# status lines come on fd 3 and everything else goes to the log: the
# packages' own scripts write to stdout, which must stay an ordinary file
# (as the status fd, fontconfig's postinst failed with "printf: I/O error").
# The shell runs under sudo, which closes every fd above 2 it is given.
apt_install() {
    $sudo env DEBIAN_FRONTEND=noninteractive APT_LOG="$apt_log" bash -c \
        'apt-get install -y --no-install-recommends -o APT::Status-Fd=3 -o Dpkg::Use-Pty=0 "$@" \
            3>&1 >>"$APT_LOG" 2>&1' apt-get "$@" | apt_progress
}

step "Checking the packages Portolan needs"
mapfile -t missing < <(missing_in "${packages[@]}")
mapfile -t gui_missing < <(missing_in "${gui_packages[@]}")
if [ "${#missing[@]}" -gt 0 ] || [ "${#gui_missing[@]}" -gt 0 ]; then
    step "Updating apt's package lists"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$apt_log" 2>&1 ||
        { cat "$apt_log" >&2; echo "setup.sh: apt-get update failed (log above)" >&2; exit 1; }
    if [ "${#missing[@]}" -gt 0 ]; then
        step "Installing ${#missing[@]} packages: ${missing[*]}"
        apt_install "${missing[@]}" ||
            { tail -n 30 "$apt_log" >&2; echo "setup.sh: apt-get install failed (log above)" >&2; exit 1; }
    fi
    if [ "${#gui_missing[@]}" -gt 0 ]; then
        step "Installing for the desktop app: ${gui_missing[*]} (and what they need)"
        if ! apt_install "${gui_missing[@]}"; then
            tail -n 15 "$apt_log"
            step "GTK 4 could not be installed (apt's last words above); building the console tool only"
        fi
    fi
else
    step "All there"
fi

# ---- build --------------------------------------------------------------------------

if [ -z "$prefix" ]; then
    prefix=/usr/local
    [ "$(id -u)" = 0 ] || prefix=$HOME/.local
fi
case $prefix in
    /*) ;;
    *) prefix=$(pwd)/$prefix ;;
esac

tests_opt=auto
[ "$want_tests" = 1 ] && tests_opt=enabled
gui_opt=auto
[ "$want_gui" = 0 ] && gui_opt=disabled
if [ -f "$builddir/build.ninja" ]; then
    step "Configuring $builddir again (prefix $prefix)"
    meson configure "$builddir" -Dtests="$tests_opt" -Dgui="$gui_opt" --prefix="$prefix" >/dev/null
else
    step "Configuring $builddir (prefix $prefix)"
    # shellcheck disable=SC2086 # MESON_EXTRA_ARGS is a list of options
    meson setup "$builddir" -Dtests="$tests_opt" -Dgui="$gui_opt" --prefix="$prefix" \
        ${MESON_EXTRA_ARGS:-} >"$apt_log" 2>&1 ||
        { cat "$apt_log" >&2; echo "setup.sh: meson setup failed (log above)" >&2; exit 1; }
fi
step "Compiling (log: $builddir/compile.log)"
if ! meson compile -C "$builddir" >"$builddir/compile.log" 2>&1; then
    cat "$builddir/compile.log" >&2
    echo "setup.sh: the build failed (log above)" >&2
    exit 1
fi
gui_built=0
[ -x "$builddir/app/gui/portolan" ] && gui_built=1

if [ "$want_install" = 0 ]; then
    step "Built: $builddir/app/cli/portolan-cli"
    [ "$gui_built" = 1 ] && step "Built: $builddir/app/gui/portolan (run it with tools/portolan)"
    exit 0
fi

# ---- install ------------------------------------------------------------------------

parent=$prefix
while [ ! -d "$parent" ]; do parent=$(dirname "$parent"); done
run=
if [ ! -w "$parent" ] || { [ -d "$prefix/bin" ] && [ ! -w "$prefix/bin" ]; }; then
    if [ -z "$sudo" ]; then
        echo "setup.sh: cannot write to $prefix" >&2
        exit 1
    fi
    if ! sudo -n true 2>/dev/null; then
        echo "setup.sh: $prefix is not writable for $(id -un): run 'sudo tools/setup.sh'," \
            "or choose another place with --prefix=DIR (the default without root is ~/.local)" >&2
        exit 1
    fi
    run=sudo
fi
step "Installing into $prefix"
if ! $run meson install -C "$builddir" --no-rebuild >"$builddir/install.log" 2>&1; then
    cat "$builddir/install.log" >&2
    echo "setup.sh: meson install failed (log above)" >&2
    exit 1
fi

programs=portolan-cli
[ "$gui_built" = 1 ] && programs="portolan-cli and portolan"
step "Done: $programs in $prefix/bin, with man pages (man portolan-cli) and shell completions"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "  $prefix/bin is not on your PATH yet: open a new login shell (Debian adds" \
        "~/.local/bin when it exists), or add: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
if [ "$prefix" != /usr/local ] && [ "$prefix" != /usr ]; then
    echo "  zsh finds the completion with: fpath=($prefix/share/zsh/site-functions \$fpath)"
fi
# fish looks in ~/.local/share and in the directories of XDG_DATA_DIRS,
# which desktop sessions set (with /usr/local/share) and a console may not.
case ":${XDG_DATA_DIRS:-}:" in
    *":$prefix/share:"* | *":$prefix/share/:"*) ;;
    *) [ "$prefix" = "$HOME/.local" ] || [ "$prefix" = /usr ] ||
        echo "  fish finds the completion when XDG_DATA_DIRS includes $prefix/share" \
            "(desktop sessions set it; else: set -gx XDG_DATA_DIRS $prefix/share /usr/share)" ;;
esac
if [ "$gui_built" = 0 ] && [ "$want_gui" = 1 ]; then
    echo "  The desktop app was not built (GTK 4.8 or newer is missing): portolan-cli alone."
fi
echo "  To remove it: tools/setup.sh --uninstall (or: ninja -C $builddir uninstall)"
