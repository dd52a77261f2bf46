#!/usr/bin/env python3
"""Runs portolan-cli under valgrind (memcheck) and fails on any memory
error or any definite or indirect leak. TAP output.

Cases: list, list --json, a report on 1644, a range report, reports (text
and JSON) on a port held by ptl-test-holder, so the owner lookup runs over
a real loopback listener, and metrics. Each run must end with the exit code
the same command gives without valgrind, and valgrind's error count of 0.
Then `watch` on the holder's port and on every port, a few polls each
(owners carried from one poll to the next), ended by SIGTERM: exit 0.

Usage: valgrind-cli.py VALGRIND PORTOLAN_CLI PTL_TEST_HOLDER
"""

import re
import signal
import subprocess
import sys
import time

VALGRIND_ARGS = ["--leak-check=full", "--show-leak-kinds=definite,indirect",
                 "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99",
                 "--track-origins=yes"]


def start_holder(holder):
    proc = subprocess.Popen([holder, "tcp4-listen"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    port = None
    for line in proc.stdout:
        words = line.split()
        if words and words[0] == "tcp4-listen":
            port = words[1]
        if line.strip() == "ready":
            break
    if port is None:
        sys.exit("Bail out! ptl-test-holder did not print its port")
    return proc, port


def run_case(n, valgrind, cli, args, expect_in_stdout=None):
    plain = subprocess.run([cli, *args], capture_output=True, text=True, check=False)
    checked = subprocess.run([valgrind, *VALGRIND_ARGS, cli, *args], capture_output=True,
                             text=True, check=False)
    summary = re.findall(r"ERROR SUMMARY: (\d+) errors", checked.stderr)
    name = "portolan-cli " + " ".join(args)
    problems = []
    if checked.returncode != plain.returncode:
        problems.append(f"exit {checked.returncode} under valgrind, {plain.returncode} without")
    if plain.returncode not in (0, 1):
        problems.append(f"exit {plain.returncode} ({plain.stderr.strip()})")
    if summary != ["0"]:
        problems.append(f"valgrind error summary {summary or 'missing'}")
    if expect_in_stdout and expect_in_stdout not in checked.stdout:
        problems.append(f"'{expect_in_stdout}' not in the output")
    if problems:
        print(f"not ok {n} {name}: " + "; ".join(problems))
        for line in checked.stderr.splitlines():
            print("# " + line)
        return False
    print(f"ok {n} {name} (exit {plain.returncode}, 0 valgrind errors)")
    return True


def run_watch_case(n, valgrind, cli, args):
    """watch under memcheck: its ready line, a few polls, SIGTERM, exit 0."""
    p = subprocess.Popen([valgrind, *VALGRIND_ARGS, cli, "watch", *args, "--interval", "200"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = False
    for line in p.stdout:
        if "  ready  " in line:
            ready = True
            break
    time.sleep(2)  # about ten polls, slowed by valgrind
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=120)
    summary = re.findall(r"ERROR SUMMARY: (\d+) errors", err)
    name = "portolan-cli watch " + (" ".join(args) or "(every port)")
    if ready and p.returncode == 0 and summary == ["0"]:
        print(f"ok {n} {name} (SIGTERM after its ready line: exit 0, 0 valgrind errors)")
        return True
    print(f"not ok {n} {name}: ready line {ready}, exit {p.returncode}, summary {summary}")
    for line in err.splitlines():
        print("# " + line)
    return False


def main():
    valgrind, cli, holder = sys.argv[1:4]
    proc, port = start_holder(holder)
    pid = str(proc.pid)
    cases = [
        (["list"], None),
        (["list", "--json"], None),
        (["1644"], None),
        (["6660-6669"], None),
        ([port], "ptl-test-holder (PID " + pid),
        ([port, "--json"], '"pid": ' + pid),
        (["metrics"], "portolan_up 1"),
    ]
    watches = [[port], []]
    print(f"1..{len(cases) + len(watches)}")
    try:
        results = [run_case(i + 1, valgrind, cli, args, want)
                   for i, (args, want) in enumerate(cases)]
        results += [run_watch_case(len(cases) + i + 1, valgrind, cli, args)
                    for i, args in enumerate(watches)]
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
