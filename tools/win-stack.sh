#!/usr/bin/env bash
# Cross-builds the GTK 4 stack for 64-bit Windows (mingw-w64) from Debian's
# own source packages, into one prefix that the Windows build of the desktop
# app links against:
#
#   tools/win-stack.sh [--jobs=N] [--print-prefix] [--key]
#
# - Sources: the .orig tarballs of the versions this Debian release ships,
#   fetched by apt itself through a private configuration (its own sources
#   list with deb-src lines derived from the machine's apt sources, its own
#   lists and cache). The system's apt configuration is only read. Only the
#   .orig tarballs are used: Debian's patches are not applied.
# - Lean: shared libraries only, -O2 without debug info, no introspection,
#   docs, tests, demos, examples, media or print backends, no X11/Wayland,
#   no fontconfig/FreeType (Windows fonts through GDI/DirectWrite), JPEG
#   without its SIMD code (no nasm), libtiff with only zlib and JPEG.
# - libintl: a tiny static stand-in built here (no translations; Portolan
#   ships none), since GLib's own fallback is a download.
# - Cache: the prefix lives in ${PORTOLAN_WIN_STACK_CACHE:-${XDG_CACHE_HOME:-
#   $HOME/.cache}/portolan/win-stack}/stack, valid while its .complete file
#   holds KEY, a hash of the source versions, the compiler's version and
#   this script. Otherwise it is built anew. The downloads stay beside it.
#
# Build tools it needs (Debian packages): mingw-w64, meson, ninja-build,
# cmake, pkg-config, python3, sassc (GTK's theme: Debian's GTK source has
# no pre-built CSS), libglib2.0-dev-bin (glib-mkenums, glib-genmarshal,
# glib-compile-resources run natively), xz-utils, bzip2.
#
# The last line printed is the prefix. --print-prefix prints only that;
# --key prints only the key (both still build when the prefix is missing,
# except --key, which only resolves versions). The prefix holds
# portolan-cross.ini, a meson cross file to pass after
# tools/cross/x86_64-w64-mingw32.ini.
set -euo pipefail

host=x86_64-w64-mingw32
jobs=$(nproc)
mode=normal
for arg in "$@"; do
    case "$arg" in
        --jobs=*) jobs=${arg#--jobs=} ;;
        --print-prefix) mode=prefix ;;
        --key) mode=key ;;
        -h|--help)
            sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
            exit 0 ;;
        *) echo "win-stack.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

# The source packages, in build order.
packages=(zlib libffi pcre2 glib2.0 fribidi pixman libpng1.6 libjpeg-turbo tiff
    harfbuzz cairo pango1.0 gdk-pixbuf graphene libepoxy gtk4)

cache=${PORTOLAN_WIN_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portolan/win-stack}
script=$(readlink -f "$0")
mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial" "$cache/sources"

say() { [ "$mode" = prefix ] || echo "win-stack: $*"; }
die() { echo "win-stack: $*" >&2; exit 1; }

# --- private apt configuration -------------------------------------------

# Prints one deb-src line for every deb line of the machine's apt sources
# (one-line .list files and deb822 .sources files alike).
derive_sources() {
    python3 - "$@" <<'PY'
import glob, sys

def one_line(path):
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line.startswith("deb "):
            print("deb-src " + line[4:])

def deb822(path):
    for stanza in open(path, encoding="utf-8").read().split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line or line[:1].isspace():
                continue
            key, value = line.split(":", 1)
            fields[key.strip().lower()] = value.strip()
        if "deb" not in fields.get("types", "").split():
            continue
        if fields.get("enabled", "yes").lower() == "no":
            continue
        opts = ""
        if "signed-by" in fields:
            opts = " [signed-by=%s]" % fields["signed-by"]
        for uri in fields.get("uris", "").split():
            for suite in fields.get("suites", "").split():
                print("deb-src%s %s %s %s" % (opts, uri, suite, fields.get("components", "")))

etc = "/etc/apt"
for path in [etc + "/sources.list"] + sorted(glob.glob(etc + "/sources.list.d/*.list")):
    try:
        one_line(path)
    except FileNotFoundError:
        pass
for path in sorted(glob.glob(etc + "/sources.list.d/*.sources")):
    deb822(path)
PY
}

derive_sources >"$cache/apt/sources.list"
[ -s "$cache/apt/sources.list" ] || die "no deb lines in the machine's apt sources"
apt_opts=(-o "Dir::Etc::SourceList=$cache/apt/sources.list" -o "Dir::Etc::SourceParts=-"
    -o "Dir::State::Lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache"
    -o "Dir::State::status=/var/lib/dpkg/status" -o "Dir::Etc::Preferences=/dev/null"
    -o "Dir::Etc::PreferencesParts=-" -o "APT::Sandbox::User=root")

apt_quiet() { "$@" >"$cache/apt/last.log" 2>&1 || { cat "$cache/apt/last.log" >&2; return 1; }; }

say "reading the source package lists (private apt configuration in $cache/apt)"
apt_quiet apt-get "${apt_opts[@]}" update || die "apt-get update (private configuration) failed"

# orig_uris PKG: "URI FILE HASH" of the main .orig tarball of every version of
# PKG the lists know, the version apt would pick first. A mirror may lack
# one version's files (a security update whose .orig lives in the main
# archive), so the other versions with the same tarball are fallbacks.
orig_uris() {
    local pkg=$1 v
    {
        apt-get "${apt_opts[@]}" source --print-uris "$pkg" 2>/dev/null
        for v in $(apt-cache "${apt_opts[@]}" showsrc "$pkg" 2>/dev/null | awk '/^Version:/ {print $2}'); do
            apt-get "${apt_opts[@]}" source --print-uris "$pkg=$v" 2>/dev/null
        done
    } | awk '$1 ~ /^\x27/ && $2 ~ /\.orig\.tar\.[a-z0-9]+$/ {gsub(/\x27/, "", $1); print $1, $2, $4}'
}

declare -A tarball
versions=""
for pkg in "${packages[@]}"; do
    mapfile -t uris < <(orig_uris "$pkg")
    [ "${#uris[@]}" -gt 0 ] || die "no source package '$pkg' in the lists (is there a deb-src for it?)"
    read -r _ file _ <<<"${uris[0]}"
    tarball[$pkg]=$file
    versions+="$file"$'\n'
    if [ -s "$cache/sources/$file" ]; then
        continue
    fi
    [ "$mode" = key ] && continue
    got=0
    for line in "${uris[@]}"; do
        read -r uri f hash <<<"$line"
        [ "$f" = "$file" ] || continue
        if /usr/lib/apt/apt-helper "${apt_opts[@]}" download-file "$uri" \
                "$cache/sources/$file.part" "$hash" >"$cache/apt/last.log" 2>&1; then
            mv "$cache/sources/$file.part" "$cache/sources/$file"
            got=1
            break
        fi
        say "$file: $(grep -m1 -oE '[0-9]{3} [A-Za-z ]+' "$cache/apt/last.log" || echo failed) at one" \
            "version's location; trying the next"
    done
    [ "$got" = 1 ] || die "could not download $file from any version of $pkg"
    say "fetched $file"
done

compiler=$($host-gcc --version | head -1)
key=$(printf '%s\n%s\n' "$versions" "$compiler" | cat - "$script" | sha256sum | cut -c1-16)
# One stack at a time in a fixed place (the .pc files name it), valid when
# its .complete file holds the key.
prefix=$cache/stack
if [ "$mode" = key ]; then
    echo "$key"
    exit 0
fi
say "key $key ($(echo "$versions" | sed -E 's/\.orig.*//' | tr '\n' ' '))"

if [ "$(cat "$prefix/.complete" 2>/dev/null)" = "$key" ]; then
    say "cached: $prefix"
    echo "$prefix"
    exit 0
fi

# --- build ------------------------------------------------------------------

build=$cache/build
# PORTOLAN_WIN_STACK_RESUME=1 (a developer's aid while changing this script,
# never used by CI) keeps the steps a failed run finished.
if [ "${PORTOLAN_WIN_STACK_RESUME:-0}" = 1 ] && [ -d "$build" ]; then
    say "resuming the partial build in $build"
    rm -f "$prefix/.complete"
else
    rm -rf "$prefix" "$build"
fi
mkdir -p "$prefix"/{bin,lib/pkgconfig,include,share} "$build"
logs=$build/logs
mkdir -p "$logs"

cflags="-O2 -g0 -pipe -I$prefix/include"
ldflags="-L$prefix/lib -static-libgcc -static-libstdc++"
export PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig:$prefix/share/pkgconfig
export PKG_CONFIG_PATH=
unset PKG_CONFIG_SYSROOT_DIR

cat >"$build/cross.ini" <<EOF
[binaries]
c = '$host-gcc'
cpp = '$host-g++'
ar = '$host-ar'
strip = '$host-strip'
windres = '$host-windres'
pkgconfig = 'pkg-config'

[properties]
pkg_config_libdir = ['$prefix/lib/pkgconfig', '$prefix/share/pkgconfig']

[built-in options]
c_args = ['-I$prefix/include']
cpp_args = ['-I$prefix/include']
c_link_args = ['-L$prefix/lib', '-static-libgcc']
cpp_link_args = ['-L$prefix/lib', '-static-libgcc', '-static-libstdc++']

[host_machine]
system = 'windows'
cpu_family = 'x86_64'
cpu = 'x86_64'
endian = 'little'
EOF

cat >"$build/toolchain.cmake" <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER $host-gcc)
set(CMAKE_CXX_COMPILER $host-g++)
set(CMAKE_RC_COMPILER $host-windres)
set(CMAKE_FIND_ROOT_PATH /usr/$host $prefix)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
EOF

# unpack PKG: extracts PKG's tarball into $build and cds into it.
unpack() {
    local pkg=$1 dir
    dir=$(tar -tf "$cache/sources/${tarball[$pkg]}" | awk -F/ 'NR == 1 {print $1}')
    rm -rf "${build:?}/$dir"
    tar -C "$build" -xf "$cache/sources/${tarball[$pkg]}"
    echo "$build/$dir" >"$build/.src-$pkg"
    cd "$build/$dir"
}

# keep_licence PKG: the licence files of PKG's source and the DLLs its
# step added (before.txt lists bin/ before the step), for the packages
# that bundle them (tools/win-package.py).
keep_licence() {
    local pkg=$1 src dst f
    src=$(cat "$build/.src-$pkg")
    dst=$prefix/share/licenses/$pkg
    mkdir -p "$dst"
    for f in "$src"/COPYING* "$src"/LICENSE* "$src"/LICENCE* "$src"/COPYRIGHT* "$src"/README.ijg; do
        [ -f "$f" ] && cp "$f" "$dst/"
    done
    # zlib's licence is the notice in its README and zlib.h.
    [ "$pkg" = zlib ] && cp "$src/README" "$dst/README"
    { ls "$prefix/bin" | grep -i '\.dll$' || true; } | sort | comm -13 "$build/before.txt" - \
        >"$dst/dlls.txt"
    [ -n "$(ls "$dst" | grep -v dlls.txt)" ] || { echo "no licence file found for $pkg" >&2; return 1; }
}

run_meson() {
    meson setup _build --cross-file "$build/cross.ini" --prefix="$prefix" --libdir=lib \
        --wrap-mode=nofallback -Ddefault_library=shared -Doptimization=2 -Ddebug=false \
        -Db_ndebug=if-release -Dstrip=true "$@"
    meson compile -C _build -j "$jobs"
    meson install -C _build --no-rebuild
}

run_cmake() {
    cmake -S . -B _build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$build/toolchain.cmake" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE="-O2 -g0 -DNDEBUG" \
        -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
        -DCMAKE_PREFIX_PATH="$prefix" -DBUILD_SHARED_LIBS=ON "$@"
    cmake --build _build -j "$jobs"
    cmake --install _build --strip
}

run_autotools() {
    ./configure --host=$host --prefix="$prefix" --enable-shared --disable-static \
        CFLAGS="$cflags" CPPFLAGS="-I$prefix/include" LDFLAGS="$ldflags" "$@"
    make -j "$jobs"
    make install-strip
}

build_intl() {
    # No translations: every lookup returns its msgid. Static, so no DLL.
    mkdir -p "$build/intl" && cd "$build/intl"
    cat >libintl.h <<'H'
#ifndef PORTOLAN_LIBINTL_H
#define PORTOLAN_LIBINTL_H
#ifdef __cplusplus
extern "C" {
#endif
/* format_arg: printf checks see through a lookup, as with GNU libintl. */
#define PTL_FA(n) __attribute__ ((__format_arg__ (n)))
char *gettext (const char *msgid) PTL_FA (1);
char *dgettext (const char *domain, const char *msgid) PTL_FA (2);
char *dcgettext (const char *domain, const char *msgid, int category) PTL_FA (2);
char *ngettext (const char *msgid, const char *plural, unsigned long n) PTL_FA (1) PTL_FA (2);
char *dngettext (const char *domain, const char *msgid, const char *plural, unsigned long n)
    PTL_FA (2) PTL_FA (3);
char *dcngettext (const char *domain, const char *msgid, const char *plural, unsigned long n,
                  int category) PTL_FA (2) PTL_FA (3);
char *textdomain (const char *domain);
char *bindtextdomain (const char *domain, const char *dir);
char *bind_textdomain_codeset (const char *domain, const char *codeset);
#ifdef __cplusplus
}
#endif
#endif
H
    cat >intl.c <<'C'
#include "libintl.h"
static char domain_name[] = "messages";
char *gettext (const char *m) { return (char *) m; }
char *dgettext (const char *d, const char *m) { (void) d; return (char *) m; }
char *dcgettext (const char *d, const char *m, int c) { (void) d; (void) c; return (char *) m; }
char *ngettext (const char *m, const char *p, unsigned long n) { return (char *) (n == 1 ? m : p); }
char *dngettext (const char *d, const char *m, const char *p, unsigned long n)
{ (void) d; return ngettext (m, p, n); }
char *dcngettext (const char *d, const char *m, const char *p, unsigned long n, int c)
{ (void) d; (void) c; return ngettext (m, p, n); }
char *textdomain (const char *d) { return d ? (char *) d : domain_name; }
char *bindtextdomain (const char *d, const char *dir) { (void) d; return (char *) dir; }
char *bind_textdomain_codeset (const char *d, const char *c) { (void) d; return (char *) c; }
C
    $host-gcc -O2 -c intl.c -o intl.o
    $host-ar rcs "$prefix/lib/libintl.a" intl.o
    cp libintl.h "$prefix/include/"
}

build_zlib() {
    unpack zlib
    # Debian's .orig has no win32/ folder (Makefile.gcc, .def, .rc): the
    # library's sources are compiled and linked into zlib1.dll here (a
    # mingw DLL without dllexport marks exports every global symbol).
    local src=(adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast
        inflate inftrees trees uncompr zutil)
    local f
    for f in "${src[@]}"; do
        echo "$f.c"
    done | xargs -P "$jobs" -I{} $host-gcc -O2 -g0 -Wall -c {}
    $host-gcc -shared -o zlib1.dll "${src[@]/%/.o}" -Wl,--out-implib,libz.dll.a -static-libgcc
    $host-strip zlib1.dll
    cp zlib1.dll "$prefix/bin/"
    cp libz.dll.a "$prefix/lib/"
    cp zlib.h zconf.h "$prefix/include/"
    local v
    v=$(sed -n 's/^#define ZLIB_VERSION "\(.*\)"/\1/p' zlib.h)
    printf 'prefix=%s\nlibdir=${prefix}/lib\nincludedir=${prefix}/include\n\nName: zlib\nDescription: zlib compression library\nVersion: %s\nLibs: -L${libdir} -lz\nCflags: -I${includedir}\n' \
        "$prefix" "$v" >"$prefix/lib/pkgconfig/zlib.pc"
}

build_libffi() {
    unpack libffi
    run_autotools --disable-docs --disable-multi-os-directory
}

build_pcre2() {
    unpack pcre2
    run_cmake -DPCRE2_BUILD_PCRE2_8=ON -DPCRE2_BUILD_PCRE2_16=OFF -DPCRE2_BUILD_PCRE2_32=OFF \
        -DPCRE2_BUILD_PCRE2GREP=OFF -DPCRE2_BUILD_TESTS=OFF -DPCRE2_SUPPORT_JIT=OFF \
        -DPCRE2_SUPPORT_LIBBZ2=OFF -DPCRE2_SUPPORT_LIBZ=OFF -DPCRE2_SUPPORT_LIBEDIT=OFF \
        -DPCRE2_SUPPORT_LIBREADLINE=OFF -DBUILD_STATIC_LIBS=OFF
}

build_glib2.0() {
    unpack glib2.0
    run_meson -Dtests=false -Dinstalled_tests=false -Dnls=disabled -Dman=false -Dgtk_doc=false \
        -Dlibmount=disabled -Dselinux=disabled -Dxattr=false -Dsysprof=disabled \
        -Dlibelf=disabled -Dglib_debug=disabled
}

build_fribidi() {
    unpack fribidi
    # The command-line tool and the test suite are not needed.
    sed -i -e "/subdir('bin')/d" -e "/subdir('test')/d" meson.build
    run_meson -Ddocs=false
}

build_pixman() {
    unpack pixman
    run_meson -Dtests=disabled -Dgtk=disabled -Dlibpng=disabled -Dopenmp=disabled -Dgnuplot=false
}

build_libpng1.6() {
    unpack libpng1.6
    run_cmake -DPNG_SHARED=ON -DPNG_STATIC=OFF -DPNG_EXECUTABLES=OFF -DPNG_TESTS=OFF \
        -DPNG_HARDWARE_OPTIMIZATIONS=ON -Dld-version-script=OFF
}

build_libjpeg-turbo() {
    unpack libjpeg-turbo
    # Its install rules take a relative CMAKE_INSTALL_LIBDIR as relative to
    # the build tree: the libdir is given whole.
    run_cmake -DENABLE_STATIC=OFF -DWITH_SIMD=OFF -DWITH_TURBOJPEG=OFF -DWITH_JAVA=OFF \
        -DCMAKE_INSTALL_LIBDIR="$prefix/lib"
}

build_tiff() {
    unpack tiff
    run_cmake -Dtiff-tools=OFF -Dtiff-tests=OFF -Dtiff-contrib=OFF -Dtiff-docs=OFF \
        -Dzlib=ON -Djpeg=ON -Djbig=OFF -Dlzma=OFF -Dzstd=OFF -Dwebp=OFF -Dlerc=OFF \
        -Dlibdeflate=OFF -Dpixarlog=OFF -Dold-jpeg=OFF -Dcxx=OFF
}

build_harfbuzz() {
    unpack harfbuzz
    # The library only (no hb-view/hb-shape tools), compiled as unity files:
    # HarfBuzz is written to build as one translation unit (harfbuzz.cc),
    # and its C++ headers dominate the build's time.
    sed -i "/^subdir('util')/d" meson.build
    run_meson --unity=on -Dglib=enabled -Dgobject=disabled -Dcairo=disabled -Dchafa=disabled -Dicu=disabled \
        -Dgraphite2=disabled -Dfreetype=disabled -Dgdi=disabled -Ddirectwrite=disabled \
        -Dtests=disabled -Dintrospection=disabled -Ddocs=disabled -Dbenchmark=disabled
}

build_cairo() {
    unpack cairo
    # Only the libraries (src, util/cairo-gobject): no tools, tests or docs.
    # The PDF surface stays: GTK's print operation includes cairo-pdf.h.
    ./configure --host=$host --prefix="$prefix" --enable-shared --disable-static \
        CFLAGS="$cflags" CPPFLAGS="-I$prefix/include" LDFLAGS="$ldflags" \
        --enable-win32 --enable-win32-font --enable-png --enable-gobject \
        --disable-xlib --disable-xlib-xrender --disable-xcb --disable-ft --disable-fc \
        --enable-pdf --disable-ps --disable-svg --disable-script --disable-interpreter \
        --disable-trace --disable-symbol-lookup --disable-gtk-doc --disable-valgrind \
        --disable-full-testing ax_cv_c_float_words_bigendian=no
    # configure adds _FORTIFY_SOURCE, whose checks mingw-w64 takes from
    # libssp-0.dll: one more DLL to ship for nothing the stack needs.
    sed -i 's/-Wp,-D_FORTIFY_SOURCE=2//g' src/Makefile util/cairo-gobject/Makefile
    make -C src -j "$jobs"
    make -C util/cairo-gobject -j "$jobs"
    make -C src install-strip
    make -C util/cairo-gobject install-strip
}

build_pango1.0() {
    unpack pango1.0
    # Only the libraries: utils, examples, tests and tools are not built.
    sed -i -E "/^subdir\('(utils|examples|tests|tools)'\)/d" meson.build
    run_meson -Dintrospection=disabled -Dgtk_doc=false -Dinstall-tests=false -Dfontconfig=disabled \
        -Dfreetype=disabled -Dxft=disabled -Dlibthai=disabled -Dcairo=enabled -Dsysprof=disabled
}

build_gdk-pixbuf() {
    unpack gdk-pixbuf
    # Every loader built into the library: no loaders.cache to generate or ship.
    run_meson -Dpng=enabled -Djpeg=enabled -Dtiff=disabled -Dbuiltin_loaders=all \
        -Dnative_windows_loaders=false -Dintrospection=disabled -Dman=false -Dgtk_doc=false \
        -Ddocs=false -Dtests=false -Dinstalled_tests=false -Dgio_sniffing=false -Drelocatable=true
}

build_graphene() {
    unpack graphene
    run_meson -Dtests=false -Dinstalled_tests=false -Dintrospection=disabled -Dgtk_doc=false \
        -Dgobject_types=true
}

build_libepoxy() {
    unpack libepoxy
    run_meson -Ddocs=false -Dtests=false -Dglx=no -Degl=no -Dx11=false
}

build_gtk4() {
    unpack gtk4
    # Only the library: its command-line tools are not built.
    sed -i "/^subdir('tools')/d" meson.build
    run_meson -Dx11-backend=false -Dwayland-backend=false -Dbroadway-backend=false \
        -Dwin32-backend=true -Dmacos-backend=false -Dmedia-ffmpeg=disabled \
        -Dmedia-gstreamer=disabled -Dprint-cups=disabled -Dvulkan=disabled \
        -Dcloudproviders=disabled -Dsysprof=disabled -Dtracker=disabled -Dcolord=disabled \
        -Dgtk_doc=false -Dman-pages=false -Dintrospection=disabled -Ddemos=false \
        -Dbuild-examples=false -Dbuild-tests=false -Dinstall-tests=false
}

start=$(date +%s)
say "building into $prefix with $jobs jobs (logs in $logs)"
for step in intl "${packages[@]}"; do
    [ -f "$build/.done-$step" ] && continue
    t0=$(date +%s)
    { ls "$prefix/bin" | grep -i '\.dll$' || true; } | sort >"$build/before.txt"
    # set -e holds inside the subshell only while its status is not tested
    # by an if or ||: take the status afterwards.
    set +e
    (set -e; "build_$step"; [ "$step" = intl ] || keep_licence "$step") >"$logs/$step.log" 2>&1
    status=$?
    set -e
    if [ "$status" != 0 ]; then
        tail -n 40 "$logs/$step.log" >&2
        die "$step failed after $(($(date +%s) - t0)) s; full log: $logs/$step.log"
    fi
    say "built $step in $(($(date +%s) - t0)) s"
    touch "$build/.done-$step"
done

# What the Windows build of Portolan passes after tools/cross/x86_64-w64-mingw32.ini.
cat >"$prefix/portolan-cross.ini" <<EOF
[binaries]
cpp = '$host-g++'
pkgconfig = 'pkg-config'

[properties]
pkg_config_libdir = ['$prefix/lib/pkgconfig', '$prefix/share/pkgconfig']
EOF
printf '%s\n' "$versions" >"$prefix/versions.txt"
cp -r "$logs" "$prefix/build-logs"
rm -rf "$build"
echo "$key" >"$prefix/.complete"
say "built the stack in $(($(date +%s) - start)) s; size $(du -sh "$prefix" | cut -f1)"
echo "$prefix"
