#!/usr/bin/python3
"""portolan-cli --host against a real sshd on 127.0.0.1 (TAP).

The test makes a host key and a client key, starts `sshd -D -f CONFIG` on a
port the kernel picked, and compares what portolan-cli answers over SSH with
what it answers here, for a listener and a UDP socket it holds itself. Then
every failure it must name, each with exit code 3: a port nobody serves, a
key the server refuses, a host key not known here, portolan-cli missing on
the other side, ssh missing on this side. sshd is stopped by its PID.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ptl_sshd  # noqa: E402
from ptl_tap import Tap  # noqa: E402

CLI = os.environ.get("PORTOLAN_CLI") or sys.exit("PORTOLAN_CLI is not set")
tap = Tap()
CLI = os.path.abspath(CLI)


def run(args, env=None, timeout=60):
    r = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=timeout,
                       stdin=subprocess.DEVNULL)
    return r.returncode, r.stdout, r.stderr


def remote(sshd, args, config=None, cli=CLI, extra=(), env=None):
    return run(["--host", sshd.destination, "--ssh-config", config or sshd.config,
                "--remote-cli", cli, *extra, *args], env=env)


# The other network namespaces are the machine's, not ours: containers and
# `unshare --net` come and go between the two runs (none at one moment, a
# few at the next), so that section is set aside when comparing.
NETNS_SECTION = re.compile(r"Inside containers and other network namespaces\n(?:  .*\n)*\n")


def same_text(text):
    return NETNS_SECTION.sub("", text)


def same_json(name, local, over):
    try:
        a, b = json.loads(local[1]), json.loads(over[1])
    except ValueError as e:
        tap(False, name, f"not JSON: {e}\nlocal: {local}\nremote: {over}")
        return None
    for doc in (a, b):
        if isinstance(doc, dict):
            doc.pop("other_namespaces", None)
    tap(local[0] == over[0] == 0 and a == b, name,
        f"exit {local[0]} / {over[0]}\nlocal:  {local[1][:800]}\nremote: {over[1][:800]}"
        f"\nstderr: {over[2]}")
    return b


def check_answers(sshd, tcp_port, udp_port):
    me = os.getpid()
    for args in (["list", "--port", str(tcp_port), "--json"],
                 ["list", "--port", str(udp_port), "--udp", "--json"]):
        got = same_json(f"{' '.join(args[:2])} {args[2] if len(args) > 2 else ''} --json over "
                        "SSH equals the local answer", run(args), remote(sshd, args))
        socks = (got or {}).get("sockets", [])
        tap(len(socks) == 1 and [p["pid"] for p in socks[0]["processes"]] == [me],
            f"  and it names this test (PID {me}) as the owner", json.dumps(socks)[:800])
    # The whole table over SSH has the same shape and holds our listener.
    code, out, err = remote(sshd, ["list", "--json"])
    try:
        table = json.loads(out)
    except ValueError:
        table = {}
    ours = [s for s in table.get("sockets", [])
            if s["local_port"] == tcp_port and s["state"] == "LISTEN"]
    # other_namespaces: the count of other network namespaces (README's JSON tables)
    tap(code == 0 and {"notes", "sockets"} <= set(table) <= {"notes", "sockets", "other_namespaces"}
        and len(ours) == 1
        and ours[0]["processes"][0]["pid"] == me,
        "list --json (whole table) over SSH has sockets and notes, with our listener",
        f"exit {code} {err}")
    same_json("port report --json over SSH equals the local one",
              run([str(tcp_port), "--json"]), remote(sshd, [str(tcp_port), "--json"]))
    local, over = run([str(tcp_port)]), remote(sshd, [str(tcp_port)])
    local, over = ((c, same_text(o), e) for c, o, e in (local, over))
    tap(local == over, "port report as text over SSH equals the local one", f"{local}\n{over}")
    for args, want in ((["check", str(tcp_port)], 1), (["65536"], 2), (["nosuchservice"], 1)):
        local, over = run(args), remote(sshd, args)
        tap(over == local and over[0] == want,
            f"'{' '.join(args)}': exit code {want} and the same words over SSH", f"{local}\n{over}")
    code, out, err = run(["--host", sshd.destination, "--ssh-config", sshd.config,
                          "--remote-cli", CLI, "list", "--port", "2 3"])
    local = run(["list", "--port", "2 3"])
    tap(code == local[0] == 2 and err == local[2],
        "an argument with a space arrives as one argument (quoted for the remote shell)",
        f"{code} {err!r} vs {local}")


def check_failures(sshd):
    code, out, err = run(["--host", f"{sshd.user}@127.0.0.1:{ptl_sshd.free_port()}",
                          "--ssh-config", sshd.config, "list"])
    tap(code == 3 and "Cannot reach 127.0.0.1 over SSH" in err and out == "",
        "wrong port: exit 3, 'Cannot reach … over SSH'", f"{code} {err}")
    stranger = sshd.client_config("stranger_config", key=sshd.stranger_key)
    code, out, err = remote(sshd, ["list"], config=stranger)
    tap(code == 3 and "refused the SSH login (authentication failed)" in err and out == "",
        "refused key: exit 3, 'refused the SSH login'", f"{code} {err}")
    empty = os.path.join(sshd.dir, "empty_known_hosts")
    open(empty, "w").close()
    code, out, err = remote(sshd, ["list"], config=sshd.client_config("nokey", known_hosts=empty))
    tap(code == 3 and "host key of 127.0.0.1 is not known" in err,
        "unknown host key: exit 3, never accepted silently", f"{code} {err}")
    missing = os.path.join(sshd.dir, "no-such-dir", "portolan-cli")
    code, out, err = remote(sshd, ["list"], cli=missing)
    tap(code == 3 and f"{missing} is not installed on 127.0.0.1" in err and out == "",
        "missing remote binary: exit 3, 'is not installed on'", f"{code} {err}")
    with tempfile.TemporaryDirectory() as nowhere:
        env = dict(os.environ, PATH=nowhere)
        code, out, err = remote(sshd, ["list"], env=env)
    tap(code == 3 and "ssh (the OpenSSH client) is not installed here" in err,
        "ssh missing: exit 3, 'ssh … is not installed here'", f"{code} {err}")


def remote_watchers(port):
    """PIDs of `portolan-cli watch PORT` processes (the remote side is this machine)."""
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            if len(argv) > 2 and argv[0] == CLI.encode() and argv[1:3] == [b"watch", str(port).encode()]:
                pids.append(int(d))
    return pids


def check_watch(sshd, port):
    p = subprocess.Popen([CLI, "--host", sshd.destination, "--ssh-config", sshd.config,
                          "--remote-cli", CLI, "watch", str(port), "--json", "--interval", "200"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         stdin=subprocess.DEVNULL)
    first = json.loads(p.stdout.readline() or "{}")
    ready = json.loads(p.stdout.readline() or "{}")
    tap(first.get("event") == "added" and first.get("initial") is True
        and first["socket"]["local_port"] == port and ready.get("event") == "ready",
        "watch over SSH streams its lines as they come", f"{first} {ready}")
    remote_pids = remote_watchers(port)
    p.send_signal(signal.SIGTERM)
    try:
        code = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        code = p.wait()
    tap(code == 0, "SIGTERM ends a remote watch with exit code 0", f"exit {code} {p.stderr.read()}")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(pid in remote_watchers(port) for pid in remote_pids):
        time.sleep(0.1)
    left = [pid for pid in remote_pids if pid in remote_watchers(port)]
    tap(remote_pids and not left,
        "the remote watch ends when the SSH session goes away (no process left behind)",
        f"remote watch PIDs {remote_pids}, still running {left}")


def main():
    why = ptl_sshd.missing_tools()
    if why:
        tap.skip(why)
        return tap.done()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    with ptl_sshd.Sshd() as sshd:
        print(f"# sshd PID {sshd.proc.pid} on 127.0.0.1:{sshd.port}, user {sshd.user}")
        check_answers(sshd, listener.getsockname()[1], udp.getsockname()[1])
        check_failures(sshd)
        check_watch(sshd, listener.getsockname()[1])
        pid = sshd.proc.pid
    tap(not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z",
        f"sshd (PID {pid}) is stopped")
    listener.close()
    udp.close()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
