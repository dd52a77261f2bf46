#!/usr/bin/env python3
"""Packages the Windows build of Portolan: the portable zip and the MSI.

    tools/win-package.py --build BUILD_DIR --stack PREFIX --out OUT_DIR

BUILD_DIR is a meson cross build with the GUI (app/gui/portolan.exe and
app/cli/portolan-cli.exe); PREFIX is the GTK stack from tools/win-stack.sh.
OUT_DIR receives:

  portolan-VERSION-windows-x64/      the tree the zip holds
  portolan-VERSION-windows-x64.zip
  portolan-VERSION-windows-x64.msi   (built with wixl)
  dlls.txt                           the bundled DLLs, one a line

The tree is flat, as admins expect: both .exe files and exactly the DLLs
they need next to each other (found by walking the imports recursively,
never from a list kept by hand), share/ with the compiled GSettings
schemas and the icons GTK looks up (Adwaita's symbolic icons as PNG and
ours), licences/ with the licence of every bundled library, README.txt.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import uuid
import zipfile

HOST = "x86_64-w64-mingw32"
APP_ID = "io.github.portolan.Portolan"
# The sizes GTK asks for symbolic icons at 100 % and 200 %; GTK scales
# PNGs between them.
SYMBOLIC_SIZES = ("16x16", "24x24", "32x32")
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
# One fixed UpgradeCode: every version of the MSI upgrades the one before.
UPGRADE_CODE = "7D6C1F1A-5C1E-4B7E-9A56-2F5E1B0C9D41"


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


def imports(path):
    """The DLL names @path imports (objdump's import table)."""
    out = run([HOST + "-objdump", "-p", path])
    return re.findall(r"^\s*DLL Name: (\S+)", out, re.M)


def toolchain_runtime(name):
    """@name from the compiler's own runtime (libgcc_s_seh-1.dll, which a
    libtool-linked library such as Cairo imports), or None."""
    path = run([HOST + "-gcc", "-print-file-name=" + name]).strip()
    return path if os.path.isabs(path) and os.path.exists(path) else None


def walk_dlls(exes, stack_bin):
    """Every DLL that @exes need, directly or through another DLL, from
    the stack or the compiler's runtime. Other names are Windows' own
    (KERNEL32.dll, …); a lib*.dll found nowhere stops the packaging."""
    available = {name.lower(): os.path.join(stack_bin, name) for name in os.listdir(stack_bin)
                 if name.lower().endswith(".dll")}
    found, todo = {}, list(exes)
    while todo:
        for name in imports(todo.pop()):
            key = name.lower()
            if key in found:
                continue
            path = available.get(key) or (toolchain_runtime(name) if key.startswith("lib") else None)
            if path is None and key.startswith("lib"):
                sys.exit("win-package: %s is imported but found neither in the stack nor in the "
                         "compiler's runtime" % name)
            if path:
                found[key] = path
                todo.append(path)
    return sorted(found.values(), key=lambda p: os.path.basename(p).lower())


def version_of(build):
    info = run(["meson", "introspect", "--projectinfo", build])
    return re.search(r'"version":\s*"([^"]+)"', info).group(1)


def strip_copy(src, dst):
    shutil.copy2(src, dst)
    subprocess.run([HOST + "-strip", "--strip-unneeded", dst], check=True)


def add_schemas(tree, stack, source):
    schemas = os.path.join(tree, "share", "glib-2.0", "schemas")
    os.makedirs(schemas)
    stack_schemas = os.path.join(stack, "share", "glib-2.0", "schemas")
    for name in os.listdir(stack_schemas):
        if name.endswith(".xml"):
            shutil.copy2(os.path.join(stack_schemas, name), schemas)
    shutil.copy2(os.path.join(source, "resources", APP_ID + ".gschema.xml"), schemas)
    subprocess.run(["glib-compile-schemas", schemas], check=True)
    for name in os.listdir(schemas):
        if name.endswith(".xml"):
            os.remove(os.path.join(schemas, name))


def add_icons(tree, source, adwaita):
    icons = os.path.join(tree, "share", "icons")
    # Adwaita's symbolic icons, pre-rendered: there is no SVG loader here.
    dst = os.path.join(icons, "Adwaita")
    os.makedirs(dst)
    shutil.copy2(os.path.join(adwaita, "index.theme"), dst)
    for size in SYMBOLIC_SIZES:
        for root, _, files in os.walk(os.path.join(adwaita, size)):
            for name in files:
                if name.endswith(".symbolic.png"):
                    rel = os.path.relpath(root, adwaita)
                    os.makedirs(os.path.join(dst, rel), exist_ok=True)
                    shutil.copy2(os.path.join(root, name), os.path.join(dst, rel, name))
    # Ours, in hicolor: the app icon as PNGs, the symbolic one encoded for GTK.
    hicolor = os.path.join(icons, "hicolor")
    shutil.copytree(os.path.join(os.path.dirname(adwaita), "hicolor"), hicolor,
                    ignore=lambda d, names: [n for n in names if n != "index.theme"])
    svg = os.path.join(source, "resources", "icons", "hicolor", "scalable", "apps",
                       APP_ID + ".svg")
    for size in APP_ICON_SIZES:
        out = os.path.join(hicolor, "%dx%d" % (size, size), "apps")
        os.makedirs(out, exist_ok=True)
        subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size), "-o",
                        os.path.join(out, APP_ID + ".png"), svg], check=True)
    symbolic = os.path.join(source, "resources", "icons", "hicolor", "symbolic", "apps",
                            APP_ID + "-symbolic.svg")
    for size in SYMBOLIC_SIZES:
        out = os.path.join(hicolor, size, "apps")
        os.makedirs(out, exist_ok=True)
        subprocess.run(["gtk4-encode-symbolic-svg", "-o", out, symbolic, size], check=True,
                       stdout=subprocess.DEVNULL)
    for theme in ("Adwaita", "hicolor"):
        subprocess.run(["gtk4-update-icon-cache", "-q", "-f", "-t",
                        os.path.join(icons, theme)], check=True)


def add_licences(tree, stack, source, dlls, adwaita_copyright):
    """Portolan's licence, and for each source package one of whose DLLs
    is bundled, the licence files the stack build kept (with the list of
    that package's DLLs)."""
    licences = os.path.join(tree, "licences")
    os.makedirs(licences)
    shutil.copy2(os.path.join(source, "LICENSE"), os.path.join(licences, "portolan-LICENSE.txt"))
    kept = os.path.join(stack, "share", "licenses")
    bundled = {os.path.basename(d).lower() for d in dlls}
    covered = set()
    for pkg in sorted(os.listdir(kept)):
        with open(os.path.join(kept, pkg, "dlls.txt"), encoding="utf-8") as f:
            owned = {line.strip().lower() for line in f if line.strip()}
        if owned & bundled:
            shutil.copytree(os.path.join(kept, pkg), os.path.join(licences, pkg))
            covered |= owned & bundled
    runtime = {os.path.basename(d).lower() for d in dlls if not d.startswith(stack)}
    if runtime:
        # GCC's runtime library exception covers these; Debian's copyright
        # file of the toolchain carries it.
        shutil.copy2("/usr/share/doc/gcc-mingw-w64-base/copyright",
                     os.path.join(licences, "gcc-runtime-copyright.txt"))
        with open(os.path.join(licences, "gcc-runtime-dlls.txt"), "w", encoding="utf-8") as f:
            f.write("".join(name + "\n" for name in sorted(runtime)))
        covered |= runtime
    missing = bundled - covered
    if missing:
        sys.exit("win-package: no licence recorded for " + ", ".join(sorted(missing)))
    shutil.copy2(adwaita_copyright, os.path.join(licences, "adwaita-icon-theme-copyright.txt"))


README = """Portolan {version} for Windows (64-bit)
=====================================

What is on port N? Portolan tells what a port means (its IANA assignment,
known unofficial uses, its range) and what this computer does with it:
every socket on it, the process that owns it, and whether it is free.

  portolan.exe        the desktop app; "portolan.exe 1644" opens on port 1644
  portolan-cli.exe    the console tool: "portolan-cli 1644", "portolan-cli list",
                      "portolan-cli /?" for help

Nothing to install: unzip anywhere and start portolan.exe. Keep the files
together; the DLLs and the share folder belong to portolan.exe.
portolan-cli.exe needs none of them and can be copied on its own.

Run as administrator to see the owners of other users' and services'
sockets. Portolan never ends the System processes or critical Windows
processes such as lsass.exe.

The licences of Portolan (MIT) and of the bundled libraries are in
licences\\.
"""


def make_zip(tree, path):
    top = os.path.basename(tree)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for root, dirs, files in os.walk(tree):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(root, name)
                z.write(full, os.path.join(top, os.path.relpath(full, tree)))


def wxs_id(prefix, rel):
    return prefix + "_" + re.sub(r"[^A-Za-z0-9_]", "_", rel)[-60:] + "_" + \
        uuid.uuid5(uuid.NAMESPACE_URL, rel).hex[:8]


def make_wxs(tree, version, path):
    """One component per file (its GUID derived from its path, so upgrades
    keep them) and a Start-menu shortcut. No PATH entry: wixl (msitools
    0.101) has no Environment element, and writing PATH's registry value
    whole would clobber the rest of it."""
    lines = []
    w = lines.append

    def tree_dirs(rel, indent):
        full = os.path.join(tree, rel)
        for name in sorted(os.listdir(full)):
            sub = os.path.join(rel, name) if rel else name
            if os.path.isdir(os.path.join(tree, sub)):
                w('%s<Directory Id="%s" Name="%s">' % (indent, wxs_id("D", sub), name))
                tree_dirs(sub, indent + "  ")
                w("%s</Directory>" % indent)
            else:
                cid = wxs_id("C", sub)
                components.append(cid)
                w('%s<Component Id="%s" Guid="%s" Win64="yes">' %
                  (indent, cid, uuid.uuid5(uuid.NAMESPACE_URL, "portolan:" + sub)))
                # wixl takes sources relative to the .wxs file
                w('%s  <File Id="%s" Source="%s" KeyPath="yes"/>' %
                  (indent, wxs_id("F", sub),
                   os.path.relpath(os.path.join(tree, sub), os.path.dirname(path))))
                w("%s</Component>" % indent)

    components = []
    w('<?xml version="1.0" encoding="utf-8"?>')
    w('<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">')
    w('  <Product Id="*" Name="Portolan" Language="1033" Version="%s" '
      'Manufacturer="The Portolan authors" UpgradeCode="%s">' % (version, UPGRADE_CODE))
    w('    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" '
      'Description="Portolan: what is on port N?"/>')
    w('    <MajorUpgrade DowngradeErrorMessage="A newer Portolan is already installed."/>')
    w('    <Media Id="1" Cabinet="portolan.cab" EmbedCab="yes"/>')
    w('    <Directory Id="TARGETDIR" Name="SourceDir">')
    w('      <Directory Id="ProgramFiles64Folder">')
    w('        <Directory Id="INSTALLDIR" Name="Portolan">')
    tree_dirs("", "          ")
    w('        </Directory>')
    w('      </Directory>')
    w('      <Directory Id="ProgramMenuFolder">')
    w('        <Component Id="StartMenuShortcut" Guid="%s" Win64="yes">' %
      uuid.uuid5(uuid.NAMESPACE_URL, "portolan:start-menu"))
    w('          <Shortcut Id="PortolanShortcut" Name="Portolan" '
      'Description="What is on port N?" Target="[INSTALLDIR]portolan.exe" '
      'WorkingDirectory="INSTALLDIR"/>')
    w('          <RegistryValue Root="HKLM" Key="Software\\Portolan" Name="StartMenuShortcut" '
      'Type="integer" Value="1" KeyPath="yes"/>')
    w('        </Component>')
    w('      </Directory>')
    w('    </Directory>')
    w('    <Feature Id="Main" Title="Portolan" Level="1">')
    for cid in components:
        w('      <ComponentRef Id="%s"/>' % cid)
    w('      <ComponentRef Id="StartMenuShortcut"/>')
    w('    </Feature>')
    w('  </Product>')
    w('</Wix>')
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--stack", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--adwaita", default="/usr/share/icons/Adwaita")
    ap.add_argument("--adwaita-copyright",
                    default="/usr/share/doc/adwaita-icon-theme/copyright")
    args = ap.parse_args()
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    version = version_of(args.build)
    name = "portolan-%s-windows-x64" % version
    tree = os.path.join(args.out, name)
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)

    exes = []
    for rel in ("app/gui/portolan.exe", "app/cli/portolan-cli.exe"):
        dst = os.path.join(tree, os.path.basename(rel))
        strip_copy(os.path.join(args.build, rel), dst)
        exes.append(dst)
    dlls = walk_dlls(exes, os.path.join(args.stack, "bin"))
    for dll in dlls:
        strip_copy(dll, os.path.join(tree, os.path.basename(dll)))
    add_schemas(tree, args.stack, source)
    add_icons(tree, source, args.adwaita)
    add_licences(tree, args.stack, source, dlls, args.adwaita_copyright)
    with open(os.path.join(tree, "README.txt"), "w", encoding="utf-8", newline="\r\n") as f:
        f.write(README.format(version=version))
    with open(os.path.join(args.out, "dlls.txt"), "w", encoding="utf-8") as f:
        f.write("".join(os.path.basename(d) + "\n" for d in dlls))

    zip_path = os.path.join(args.out, name + ".zip")
    make_zip(tree, zip_path)
    wxs = os.path.join(args.out, name + ".wxs")
    make_wxs(tree, version, wxs)
    msi = os.path.join(args.out, name + ".msi")
    subprocess.run(["wixl", "-a", "x64", "-o", os.path.abspath(msi), os.path.basename(wxs)],
                   check=True, cwd=args.out)
    for path in (zip_path, msi):
        print("%s %d bytes" % (path, os.path.getsize(path)))
    print("bundled DLLs (%d): %s" % (len(dlls), " ".join(os.path.basename(d) for d in dlls)))


if __name__ == "__main__":
    main()
