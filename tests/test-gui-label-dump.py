#!/usr/bin/env python3
"""The PORTOLAN_DUMP_LABELS test mode on Linux (the Windows CI stage reads
the installed portolan.exe through it): `portolan 1644` writes what its
window shows once it has settled, and quits. Runs in the ui suite, under
Xvfb. Prints TAP."""
import os
import subprocess
import sys
import tempfile


def main():
    app = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "labels.txt")
        env = dict(os.environ, PORTOLAN_DUMP_LABELS=path, PORTOLAN_DUMP_LABELS_TIMEOUT="90")
        proc = subprocess.run([app, "1644"], env=env, timeout=120, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        labels = open(path, encoding="utf-8").read().splitlines() if os.path.exists(path) else []
    checks = [
        ("the app exits 0 after the dump", proc.returncode == 0),
        ("it wrote the labels", len(labels) > 5),
        ("the window settled (no 'did not settle' message)", "did not settle" not in proc.stdout),
        ("the Port view names port 1644", any("1644" in l for l in labels)),
        ("IANA's saiseh is shown", any(l.split() and "saiseh" in l.split() for l in labels)),
        ("its description is shown",
         any("Satellite-data Acquisition System 4" in l for l in labels)),
    ]
    for i, (what, ok) in enumerate(checks, 1):
        print(("ok %d %s" if ok else "not ok %d %s") % (i, what))
    if not all(ok for _, ok in checks):
        print("# app output: " + proc.stdout.replace("\n", "\n# "))
        print("# labels: " + " | ".join(labels[:40]))
    print("1..%d" % len(checks))
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
