#!/usr/bin/python3
"""portolan-cli watch against real sockets on loopback (TAP).

Every socket here is opened by this test on a port the kernel picked; the
watch runs as a child and its lines are read as they come. Waits are for a
line, with a generous deadline, never a fixed sleep that a busy machine
could outrun.
"""

import collections
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptl_tap import Tap  # noqa: E402

tap = Tap()
CLI = os.path.abspath(os.environ.get("PORTOLAN_CLI") or sys.exit("PORTOLAN_CLI is not set"))


class Watch:
    def __init__(self, *args):
        self.p = subprocess.Popen([CLI, "watch", *args], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        self.buf = b""
        self.pending = collections.deque()  # whole lines read but not yet taken
        self.lines = []

    def line(self, timeout=20.0):
        """The next line (str), or None after @timeout seconds."""
        deadline = time.monotonic() + timeout
        while not self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.p.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.p.stdout.fileno(), 1 << 20)
            if not chunk:
                return None
            *whole, self.buf = (self.buf + chunk).split(b"\n")
            self.pending.extend(whole)
        self.lines.append(self.pending.popleft().decode())
        return self.lines[-1]

    def event(self, want, timeout=20.0):
        """The next JSON line for which want(obj) holds; the others are skipped."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.line(max(0.0, deadline - time.monotonic()))
            if line is None:
                return None
            obj = json.loads(line)
            if want(obj):
                return obj

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            code = self.p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            code = self.p.wait()
        rest = self.buf + self.p.stdout.read()
        self.lines += [x.decode() for x in self.pending] + rest.decode().splitlines()
        return code


def listener(family=socket.AF_INET, kind=socket.SOCK_STREAM):
    s = socket.socket(family, kind)
    s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
    if kind == socket.SOCK_STREAM:
        s.listen()
    return s


# TCP and UDP number their ports apart: on a busy machine another program's
# socket of the other protocol may have the test's port number, so the
# watches of a TCP listener ask for --tcp and the whole-table watch matches
# the protocol too.
def on(port, event=None, state=None, protocol=None):
    def want(o):
        s = o.get("socket") or {}
        return (s.get("local_port") == port and (event is None or o["event"] == event)
                and (state is None or s.get("state") == state)
                and (protocol is None or s.get("protocol") == protocol))
    return want


RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$")


def test_json_stream():
    lst = listener()
    port = lst.getsockname()[1]
    w = Watch(str(port), "--tcp", "--json", "--interval", "100")
    first = w.event(lambda o: True)
    ready = w.event(lambda o: True)
    tap(first is not None and first["event"] == "added" and first["initial"] is True
        and first["socket"]["state"] == "LISTEN" and RFC3339.match(first["time"])
        and [p["pid"] for p in first["socket"]["processes"]] == [os.getpid()],
        "the first line is the current state: our listener, added, initial, with its owner "
        "and an RFC 3339 time", first)
    tap(ready is not None and ready["event"] == "ready" and ready["sockets"] == 1
        and ready["watching"] == f"port {port}" and ready["interval_ms"] == 100,
        "then a ready line with the count", ready)
    client = socket.create_connection(("127.0.0.1", port))
    conn, _ = lst.accept()
    added = w.event(on(port, "added", "ESTABLISHED"))
    tap(added is not None and added["initial"] is False
        and added["socket"]["remote_port"] == client.getsockname()[1],
        "a new connection on the port: added, ESTABLISHED", added)
    client.close()
    changed = w.event(on(port, "changed"))
    tap(changed is not None and changed["socket"]["state"] == "CLOSE_WAIT"
        and "state" in changed["changes"] and changed["before"]["state"] == "ESTABLISHED",
        "the peer closes: changed, state CLOSE_WAIT, before ESTABLISHED", changed)
    conn.close()
    gone = w.event(on(port, "removed"))
    tap(gone is not None and gone["socket"]["remote_port"] != 0,
        "our end closes too: removed", gone)
    code = w.stop(signal.SIGTERM)
    tap(code == 0, "SIGTERM: exit code 0", f"exit {code} {w.p.stderr.read()}")
    lst.close()


def test_close_notification():
    lst = listener()
    port = lst.getsockname()[1]
    w = Watch(str(port), "--tcp", "--json", "--interval", "60000")
    ready = w.event(lambda o: o["event"] == "ready")
    if ready is None or not ready["close_notifications"]:
        tap(True, "# SKIP closes at once: the kernel refused its close notifications here")
        w.stop()
        return
    t0 = time.monotonic()
    lst.close()
    gone = w.event(on(port, "removed"), timeout=30)
    took = time.monotonic() - t0
    tap(gone is not None and gone["notified"] is True and took < 30,
        f"with a 60 s poll a closed listener is reported at once from the kernel's "
        f"notification ({took * 1000:.0f} ms)", gone)
    code = w.stop(signal.SIGINT)
    tap(code == 0, "Ctrl+C (SIGINT): exit code 0", f"exit {code}")


def test_owner_change():
    """A listener whose owner forks and exits: the child inherits it."""
    lst = listener()
    port = lst.getsockname()[1]
    r, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # first child: holds the socket, forks a grandchild, waits to be told
        os.close(wfd)
        os.read(r, 1)
        if os.fork() == 0:
            os.read(r, 1)  # the grandchild keeps the socket until the pipe closes
            os._exit(0)
        os._exit(0)
    os.close(r)
    lst.close()  # now only the child holds it
    w = Watch(str(port), "--tcp", "--json", "--interval", "100")
    first = w.event(on(port))
    owner = [p["pid"] for p in first["socket"]["processes"]] if first else None
    os.write(wfd, b"x")  # the child forks and exits
    os.waitpid(pid, 0)
    changed = w.event(on(port, "changed"))
    tap(owner == [pid] and changed is not None and changed["changes"] == ["owners"]
        and [p["pid"] for p in changed["before"]["processes"]] == [pid]
        and len(changed["socket"]["processes"]) == 1
        and changed["socket"]["processes"][0]["pid"] != pid,
        "the owner exits and its child keeps the socket: changed, owners", f"{owner} {changed}")
    os.close(wfd)  # the grandchild ends
    gone = w.event(on(port, "removed"))
    tap(gone is not None, "the last owner exits: removed", gone)
    w.stop()


def test_text_and_filters():
    lst = listener(socket.AF_INET6)
    port = lst.getsockname()[1]
    w = Watch(f"{port}/tcp", "--listening", "--interval", "100")
    first, ready = w.line(), w.line()
    stamp = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}  "
    tap(first is not None and re.match(stamp + r"now +tcp6 LISTEN +\[::1\]:%d " % port, first)
        and f"{os.getpid()}/" in first,
        "text: a timestamp, 'now', the socket on one line with its owner", first)
    tap(ready is not None and re.match(stamp + "ready +port %d: 1 socket now" % port, ready),
        "text: the ready line", ready)
    client = socket.create_connection(("::1", port))
    conn, _ = lst.accept()
    lst.close()
    line = w.line()
    tap(line is not None and re.match(stamp + r"removed +tcp6 LISTEN", line),
        "--listening: the connection is not shown; the closed listener is", line)
    client.close(), conn.close()
    code = w.stop()
    tap(code == 0, "exit code 0", code)


def test_whole_table():
    lst = listener(socket.AF_INET, socket.SOCK_DGRAM)
    port = lst.getsockname()[1]
    w = Watch("--json", "--interval", "300")
    # Another program's TCP connection may have the same local port number.
    mine = w.event(on(port, protocol="udp"))
    ready = w.event(lambda o: o["event"] == "ready", timeout=60)
    tap(mine is not None and mine["socket"]["protocol"] == "udp"
        and mine["socket"]["state"] == "UNCONN" and ready is not None
        and ready["watching"] == "every port" and ready["sockets"] >= 1,
        "no query: every socket, ours (bound UDP) among them", f"{mine} {ready}")
    lst.close()
    gone = w.event(on(port, "removed", protocol="udp"))
    tap(gone is not None, "and its close", gone)
    w.stop()


def test_bad_input():
    for args, words in ((["65536"], "65536"), (["--interval", "10"], "--interval"),
                        (["1", "2"], "one too many"), (["1644/sctp"], "tcp and udp sockets only"),
                        (["--bogus"], "Unknown option")):
        r = subprocess.run([CLI, "watch", *args], capture_output=True, text=True, timeout=20)
        tap(r.returncode == 2 and r.stdout == "" and words in r.stderr,
            f"watch {' '.join(args)}: exit 2, one sentence", f"{r.returncode} {r.stderr!r}")
    r = subprocess.run([CLI, "watch", "--help"], capture_output=True, text=True, timeout=20)
    tap(r.returncode == 0 and "Usage: portolan-cli watch" in r.stdout, "watch --help")


def test_reader_gone():
    """`watch | head -1`: the watch ends when its reader does, even on a quiet port."""
    lst = listener()
    rd, wr = os.pipe()
    p = subprocess.Popen([CLI, "watch", str(lst.getsockname()[1])], stdout=wr,
                         stdin=subprocess.DEVNULL)
    os.close(wr)
    with os.fdopen(rd, "rb") as f:
        f.readline()
    try:
        code = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        code = "still running 20 s after its reader left"
    tap(code == 0, "the reader closes the pipe: watch ends with exit code 0", code)
    lst.close()


def main():
    test_json_stream()
    test_close_notification()
    test_owner_change()
    test_text_and_filters()
    test_whole_table()
    test_bad_input()
    test_reader_gone()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
