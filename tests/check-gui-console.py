#!/usr/bin/env python3
"""`portolan QUERY` with no display: the console report of portolan-cli on
stdout, a sentence saying so on stderr, and portolan-cli's exit status.

usage: check-gui-console.py PORTOLAN
"""
import os
import subprocess
import sys

env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
env.update(GDK_BACKEND="x11", DISPLAY="")
app = sys.argv[1]
ok = subprocess.run([app, "1644"], capture_output=True, text=True, env=env, timeout=60)
bad = subprocess.run([app, "nosuchservicezz"], capture_output=True, text=True, env=env, timeout=60)
checks = [
    (ok.returncode == 0 and "Port 1644" in ok.stdout and "saiseh" in ok.stdout,
     "portolan 1644 prints the report", ok),
    ("no display" in ok.stderr, "and says why on stderr", ok),
    (bad.returncode == 1 and "nosuchservicezz" in bad.stderr,
     "an unknown service exits 1, as portolan-cli does", bad),
]
for n, (good, name, r) in enumerate(checks, 1):
    print(f"{'ok' if good else 'not ok'} {n} {name}")
    if not good:
        print(f"# exit {r.returncode}; stdout: {r.stdout[:300]!r}; stderr: {r.stderr[:300]!r}")
print(f"1..{len(checks)}")
sys.exit(0 if all(c[0] for c in checks) else 1)
