#!/usr/bin/env python3
"""One version everywhere, as TAP: `portolan-cli --version`, `portolan
--version`, the AppStream metainfo's newest <release> and the man pages'
footers all carry the version meson.build declares.

usage: check-version.py VERSION PORTOLAN_CLI MANDIR [PORTOLAN METAINFO]
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET


def main():
    if len(sys.argv) not in (4, 6):
        print(__doc__, file=sys.stderr)
        return 2
    version, cli, mandir = sys.argv[1:4]
    checks = []
    out = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout
    checks.append((out == f"portolan-cli {version}\n", "portolan-cli --version", out))
    for page in sorted(os.listdir(mandir)):
        if re.search(r"\.\d$", page):
            th = next((l for l in open(os.path.join(mandir, page), encoding="utf-8")
                       if l.startswith(".TH ")), "")
            checks.append((f'"Portolan {version}"' in th, f"{page}: .TH names Portolan {version}", th))
    if len(sys.argv) == 6:
        gui, metainfo = sys.argv[4:6]
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        out = subprocess.run([gui, "--version"], capture_output=True, text=True, env=env).stdout
        checks.append((out == f"portolan {version}\n", "portolan --version", out))
        release = ET.parse(metainfo).getroot().find("releases/release")
        got = release.get("version") if release is not None else None
        checks.append((got == version, "the metainfo's newest <release>", str(got)))
    for n, (ok, name, detail) in enumerate(checks, 1):
        print(f"{'ok' if ok else 'not ok'} {n} {name} is {version}")
        if not ok:
            print(f"# got: {detail!r}")
    print(f"1..{len(checks)}")
    return 0 if all(ok for ok, _, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
