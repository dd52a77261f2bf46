#!/usr/bin/env python3
"""Reads meson testlog.json files and prints one closing line for CI:
'N passed, N failed, N skipped', counting TAP subtests one by one and
other tests as one each. --extra-failed=N adds failures that left no log
(a stage that could not build). Exits 1 when anything failed."""
import json
import sys


def count(entry):
    passed = failed = skipped = 0
    result = entry.get("result", "")
    lines = (entry.get("stdout") or "").splitlines()
    tap = [l for l in lines if l.startswith("ok ") or l.startswith("not ok ")]
    if not tap:
        if result in ("OK", "EXPECTEDFAIL"):
            return 1, 0, 0
        if result == "SKIP":
            return 0, 0, 1
        return 0, 1, 0
    for line in tap:
        if line.startswith("not ok"):
            failed += 1
        elif "# SKIP" in line or "# skip" in line:
            skipped += 1
        else:
            passed += 1
    # A crash or timeout after some subtests still fails the test.
    if result not in ("OK", "EXPECTEDFAIL", "SKIP") and failed == 0:
        failed = 1
    return passed, failed, skipped


def read_log(path, totals):
    try:
        with open(path, encoding="utf-8") as f:
            for raw in f:
                if raw.strip():
                    for i, n in enumerate(count(json.loads(raw))):
                        totals[i] += n
    except OSError as e:
        print(f"ci-summary: cannot read {path}: {e.strerror}", file=sys.stderr)
        totals[1] += 1


def main():
    totals = [0, 0, 0]
    paths = []
    for arg in sys.argv[1:]:
        if arg.startswith("--extra-failed="):
            totals[1] += int(arg.split("=", 1)[1])
        else:
            paths.append(arg)
    if not paths and not totals[1]:
        print("usage: ci-summary.py [--extra-failed=N] TESTLOG.json...", file=sys.stderr)
        print("0 passed, 1 failed, 0 skipped")
        return 1
    for path in paths:
        read_log(path, totals)
    print(f"{totals[0]} passed, {totals[1]} failed, {totals[2]} skipped")
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main())
