#!/usr/bin/env bash
# The release tarball: `meson dist --no-tests` from this checkout, then the
# tarball alone is configured, built with -Werror, tested (every suite but
# ui, stress and bench, the long ones, which stages 10 and 20 run on the
# same code) and installed into a temporary prefix, where the
# programs must run from another directory and the man pages and shell
# completions must be where man and the shells look.
set -uo pipefail

builddir=build-ci-dist
. .ci/install-missing.sh
# git: meson dist archives the committed tree.
ci_install_missing git gcc meson ninja-build python3 pkg-config libglib2.0-dev libjson-glib-dev \
    xz-utils gettext || exit 1
# The cli suite's i18n test runs portolan-cli in Russian.
ci_generate_locales ru_RU.UTF-8 || exit 1

rm -rf "$builddir"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
if ! out=$(meson setup "$builddir" -Dgui=disabled -Dtests=disabled 2>&1 &&
        meson dist -C "$builddir" --no-tests --formats xztar 2>&1); then
    echo "$out"
    echo "15-dist: meson dist failed (it needs a git checkout without uncommitted changes)"
    exit 1
fi
tarball=$(ls "$builddir"/meson-dist/*.tar.xz)
echo "15-dist: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB, $(tar -tJf "$tarball" | wc -l) entries"
tar -xJf "$tarball" -C "$work" || exit 1
src=$(echo "$work"/portolan-*)
if ! out=$(meson setup "$work/build" "$src" -Dtests=enabled -Dwerror=true \
        --prefix="$work/prefix" 2>&1); then
    echo "$out"
    echo "15-dist: the tarball does not configure"
    exit 1
fi
if ! meson compile -C "$work/build" >"$work/compile.log" 2>&1; then
    cat "$work/compile.log"
    echo "15-dist: the tarball does not build"
    exit 1
fi
meson test -C "$work/build" --no-rebuild --print-errorlogs --num-processes 2 --no-suite ui \
    --no-suite stress --no-suite bench
status=$?
mkdir -p "$builddir/tarball-logs"
cp "$work/build/meson-logs/testlog.json" "$builddir/tarball-logs/testlog.json"
echo "$builddir/tarball-logs/testlog.json" >>"$CI_LOGS"

# Installed, the programs and their documents are where people look.
meson install -C "$work/build" --no-rebuild >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; echo "15-dist: meson install failed"; exit 1; }
missing=0
for f in bin/portolan-cli share/man/man1/portolan-cli.1 share/man/man5/portolan-json.5 \
    share/bash-completion/completions/portolan-cli share/zsh/site-functions/_portolan-cli \
    share/fish/vendor_completions.d/portolan-cli.fish; do
    [ -e "$work/prefix/$f" ] || { echo "15-dist: not installed: $f"; missing=1; }
done
if [ -x "$work/build/app/gui/portolan" ]; then
    for f in bin/portolan share/man/man1/portolan.1 share/applications/io.github.portolan.Portolan.desktop \
        share/metainfo/io.github.portolan.Portolan.metainfo.xml \
        share/glib-2.0/schemas/io.github.portolan.Portolan.gschema.xml \
        share/glib-2.0/schemas/gschemas.compiled; do
        [ -e "$work/prefix/$f" ] || { echo "15-dist: not installed: $f"; missing=1; }
    done
fi
version=$(cd / && "$work/prefix/bin/portolan-cli" --version) || missing=1
echo "15-dist: installed into a temporary prefix; from /, portolan-cli --version says: $version"
[ "$missing" = 0 ] || status=1
exit $status
