#!/usr/bin/python3
"""Portolan's benchmark: portolan-cli against ss and lsof under load.

Starts its own load (tools/bench/ptl-bench-load: one big process with N
loopback connection pairs, UDP sockets, a listener halfway through its fds
and a last one at its highest fd; M idle processes; one small server started
last), runs the commands of each figure alternately, prints one line per
figure and writes a markdown table. It ends every process it started, by PID, on exit or interruption.

portolan-cli finds owners two ways: as root through the BPF task-file
iterator (for the whole table and busy ports; a few sockets still go to a
/proc scan first), or by scanning /proc alone (unprivileged users, kernels
without BPF, and PORTOLAN_TEST_NO_BPF=1). Each figure times both, "BPF on"
and "BPF off", side by side with the command it is compared with, in one
alternating series.

Run it through tools/bench/run.sh, which builds what it needs first.
Only Debian's python3 standard library is used.
"""

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time

NOBODY = ["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups"]

# The two owner paths: the environment each runs portolan-cli with.
PATHS = {
    "BPF on": {"PORTOLAN_TEST_NO_BPF": "0"},
    "BPF off": {"PORTOLAN_TEST_NO_BPF": "1"},
}


class Load:
    """The processes the benchmark starts, and nothing else."""

    def __init__(self, loader):
        self.loader = loader
        self.procs = []  # our direct children, in start order
        self.idle_kids = []  # children of the idle spawner (it reaps them)
        self.starts = {}  # pid -> start time, to check the cleanup

    def start(self, *args):
        p = subprocess.Popen([self.loader, *args], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
        self.procs.append(p)
        line = p.stdout.readline().split()
        if not line or line[0] != args[0]:
            raise RuntimeError(f"ptl-bench-load {args[0]} did not start")
        for pid in [p.pid] + [int(x) for x in (line[2:] if args[0] == "idle" else [])]:
            self.starts[pid] = start_time(pid)
        return line

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.stdin.close()  # the helpers and the idle children end at EOF
                p.send_signal(signal.SIGTERM)  # by PID, our own child
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.procs = []

    def leftovers(self):
        """PIDs we started that still run as the same process."""
        deadline = time.monotonic() + 5
        while True:
            left = [pid for pid, st in self.starts.items()
                    if st is not None and start_time(pid) == st]
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.05)


def start_time(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def child_env(extra):
    env = dict(os.environ)
    env.update(extra or {})
    return env


def run_timed(argv, env=None):
    """Wall time of one run, output to /dev/null; raises on failure."""
    t0 = time.perf_counter()
    rc = subprocess.call(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=child_env(env))
    dt = time.perf_counter() - t0
    if rc not in (0, 1):  # 1: ss/lsof/portolan "nothing found" is not an error
        raise RuntimeError(f"{shlex.join(argv)} exited with {rc}")
    return dt


def side_by_side(cmds, runs):
    """Runs the (argv, env) commands in turn, the order rotating from one
    run to the next, after one warm-up each. Returns each one's median and
    the median of its per-run ratio to the last command."""
    for argv, env in cmds:
        run_timed(argv, env)
    times = [[] for _ in cmds]
    for i in range(runs):
        for k in range(len(cmds)):
            j = (i + k) % len(cmds)
            times[j].append(run_timed(*cmds[j]))
    base = times[-1]
    return [(statistics.median(t), statistics.median([x / y for x, y in zip(t, base)]))
            for t in times]


def peak_rss_kb(argv, runs, env=None):
    values = []
    for _ in range(runs):
        r = subprocess.run(["/usr/bin/time", "-v", *argv], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, env=child_env(env))
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        if not m:
            raise RuntimeError(f"/usr/bin/time -v {shlex.join(argv)} gave no RSS")
        values.append(int(m.group(1)))
    return statistics.median(values)


def check_owner(cli, port, want_pid, want_sockets, as_nobody=False, env=None):
    """The answer must be right before its speed counts."""
    argv = (NOBODY if as_nobody else []) + [cli, str(port), "--json"]
    out = json.loads(subprocess.run(argv, capture_output=True, text=True,
                                    env=child_env(env)).stdout)
    socks = out["reports"][0]["sockets"] if "reports" in out else out["sockets"]
    if len(socks) != want_sockets:
        return f"expected {want_sockets} sockets on {port}, got {len(socks)}"
    for s in socks:
        pids = [p["pid"] for p in s["processes"]]
        if as_nobody and (pids or s["owner_note"] != "owner hidden: needs root"):
            return f"as nobody, port {port} shows owners {pids} / {s['owner_note']!r}"
        if not as_nobody and pids != [want_pid]:
            return f"port {port}: owners {pids}, expected [{want_pid}]"
    return None


def owner_source(cli, env):
    """Which source gives the whole table's owners with @env, as
    portolan-cli says on stderr with PORTOLAN_DEBUG_OWNERS=1: ("BPF on" or
    "BPF off", its line)."""
    r = subprocess.run([cli, "list"], capture_output=True, text=True,
                       env=child_env({**env, "PORTOLAN_DEBUG_OWNERS": "1"}))
    line = next((x for x in r.stderr.splitlines() if x.startswith("portolan: owners:")), "")
    return ("BPF on" if "BPF task-file iterator" in line else "BPF off"), line


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    def first(path, key):
        try:
            with open(path) as f:
                for line in f:
                    if line.startswith(key):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "?"
    mem_kb = first("/proc/meminfo", "MemTotal").split()[0]
    nprocs = sum(1 for d in os.listdir("/proc") if d.isdigit())
    socks = subprocess.run(["ss", "-tanuH"], capture_output=True, text=True).stdout.count("\n")
    load = loadavg()
    return {
        "cpu": first("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "ram": f"{int(mem_kb) / 1048576:.1f} GiB" if mem_kb.isdigit() else "?",
        "processes": nprocs,
        "sockets": socks,
        "load": load,
    }


def find_diff_bench(builddir):
    for root, _dirs, files in os.walk(builddir):
        if "portolan-bench-diff" in files:
            path = os.path.join(root, "portolan-bench-diff")
            if os.access(path, os.X_OK):
                return path
    return None


def busy(load):
    """Whether the 1-minute load average says other jobs shared the machine."""
    try:
        return float(load.split()[0]) >= 1.0
    except (ValueError, IndexError):
        return False


def gui_diff(builddir):
    """(line, median ms) from portolan-bench-diff, or (reason, None)."""
    exe = find_diff_bench(builddir)
    if exe is None:
        return ("skipped: no portolan-bench-diff in the build directory "
                "(the GTK app and its benchmark are not built here)", None)
    r = subprocess.run([exe], capture_output=True, text=True)
    m = re.search(r"median ([0-9.]+) ms", r.stdout)
    if r.returncode != 0 or not m:
        return (f"skipped: portolan-bench-diff failed (exit {r.returncode}): "
                f"{(r.stdout + r.stderr).strip()[:200]}", None)
    return (r.stdout.strip().splitlines()[0], float(m.group(1)))


# Targets per owner path. The BPF path's are issue 13's; the /proc path
# keeps the targets it had before there was a faster path.
TARGETS = {
    "full table": {"BPF on": 0.25, "BPF off": 0.35},
    "table alone": {"BPF on": 1.5, "BPF off": None},
    "small server": {"BPF on": 0.1, "BPF off": 0.2},
    "small server lsof": {"BPF on": 0.07, "BPF off": 0.07},
    "worst case": {"BPF on": 0.1, "BPF off": 0.5},
    "busy port": {"BPF on": 0.25, "BPF off": 0.4},
    "deep listener": {"BPF on": None, "BPF off": None},
    "peak RSS": {"BPF on": 1.5, "BPF off": 2},
}


def figures(cli, big, server):
    """(name, target key, ours, theirs, their name, port, owner pid, sockets)."""
    big_pid, big_port, last_port, mid_port = int(big[1]), int(big[2]), int(big[3]), int(big[5])
    srv_pid, srv_port = int(server[1]), int(server[2])
    ss = ["ss", "-tanup"]

    def sport(p):
        return ss + [f"sport = :{p}"]
    return [
        ("full table", "full table", [cli, "list", "--json"], ss, "ss -tanup", None, None, None),
        ("full table", "table alone", [cli, "list", "--json"], ["ss", "-tan"],
         "ss -tan (no owners)", None, None, None),
        ("small server", "small server", [cli, str(srv_port), "--json"], sport(srv_port),
         "ss 'sport = :P'", srv_port, srv_pid, 1),
        ("small server", "small server lsof", [cli, str(srv_port), "--json"],
         ["lsof", "-nP", f"-i:{srv_port}"], "lsof -nP -i :P", srv_port, srv_pid, 1),
        ("worst case", "worst case", [cli, str(last_port), "--json"], sport(last_port),
         "ss 'sport = :P'", last_port, big_pid, 1),
        ("deep listener", "deep listener", [cli, str(mid_port), "--json"], sport(mid_port),
         "ss 'sport = :P'", mid_port, big_pid, 1),
        ("busy port", "busy port", [cli, str(big_port), "--json"], sport(big_port),
         "ss 'sport = :P'", big_port, big_pid, None),
        ("unprivileged", None, NOBODY + [cli, str(srv_port), "--json"], NOBODY + sport(srv_port),
         "ss 'sport = :P' (both as nobody)", srv_port, "nobody", 1),
    ]


def verdict(value, target):
    if target is None:
        return "-"
    return "pass" if value <= target else f"miss (x{value / target:.2f} the target)"


def usable_paths(cli):
    """The owner paths that really run here; says why one does not."""
    paths = []
    for name, env in PATHS.items():
        got, line = owner_source(cli, env)
        if got == name:
            paths.append(name)
        else:
            print(f"owners via {name}: not available here ({line or 'no PORTOLAN_DEBUG_OWNERS line'})"
                  "; its figures are skipped")
    return paths


def measure(args, cli, load_info, paths):
    big, server = load_info
    rows = []
    for name, key, ours, theirs, their_name, port, owner, n in figures(cli, big, server):
        if ours[0] == "setpriv" and os.geteuid() != 0:
            print(f"{name:13} skipped: setpriv --reuid nobody needs root")
            continue
        if shutil.which(theirs[0] if theirs[0] != "setpriv" else "ss") is None:
            print(f"{name:13} skipped: {theirs[0]} is not installed")
            continue
        # As nobody there is one path: nothing is loaded without privileges.
        mine = ["BPF off"] if owner == "nobody" else paths
        for path in mine:
            if port is not None:
                want = n if n is not None else args.pairs + 1  # listener + accepted ends
                err = check_owner(cli, port, owner, want, as_nobody=owner == "nobody",
                                  env=PATHS[path])
                if err:
                    raise RuntimeError(f"{name} ({path}): wrong answer: {err}")
        cmds = [(ours, PATHS[p]) for p in mine] + [(theirs, None)]
        timed = side_by_side(cmds, args.runs)
        t_theirs = timed[-1][0]
        for path, (t_ours, ratio) in zip(mine, timed):
            target = TARGETS[key][path] if key else None
            rows.append((name, path, shlex.join(ours), t_ours, their_name, t_theirs, ratio, target))
            print(f"{name:13} {path:7} portolan {t_ours * 1000:8.1f} ms   {their_name:33} "
                  f"{t_theirs * 1000:8.1f} ms   ratio {ratio:.3f}"
                  + (f" (target <= {target}) {verdict(ratio, target)}" if target else ""),
                  flush=True)
    return rows


def measure_rss(args, cli, paths):
    if not os.access("/usr/bin/time", os.X_OK):
        print("peak RSS      skipped: /usr/bin/time is missing (Debian package 'time')")
        return []
    runs = max(3, args.runs // 2)
    theirs = peak_rss_kb(["ss", "-tanup"], runs)
    rows = []
    for path in paths:
        ours = peak_rss_kb([cli, "list", "--json"], runs, PATHS[path])
        ratio, target = ours / theirs, TARGETS["peak RSS"][path]
        rows.append((path, ours, theirs, ratio, target))
        print(f"peak RSS      {path:7} portolan-cli list --json {ours} KiB   ss -tanup {theirs} KiB"
              f"   ratio {ratio:.2f} (target <= {target}) {verdict(ratio, target)}", flush=True)
    return rows


def cpu_ticks(pid):
    """utime + stime of @pid (all its threads), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def child_cpu_seconds(argv, runs):
    """Median CPU time (user + system) of one run of @argv."""
    values = []
    for _ in range(runs):
        before = os.times()
        subprocess.call(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = os.times()
        values.append((after.children_user - before.children_user)
                      + (after.children_system - before.children_system))
    return statistics.median(values)


def watch_cpu(cli, args, seconds):
    """CPU seconds per hour of `portolan-cli watch ARGS`, measured over
    @seconds after its first poll (the ready line), output to a file."""
    import tempfile
    with tempfile.NamedTemporaryFile(prefix="ptl-watch-", suffix=".jsonl") as out:
        p = subprocess.Popen([cli, "watch", *args, "--json", "--interval", "1000"],
                             stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with open(out.name, "rb") as f:
                    if b'{"event": "ready"' in f.read():
                        break
                time.sleep(0.05)
            else:
                raise RuntimeError(f"watch {args} printed no ready line")
            t0, c0 = time.monotonic(), cpu_ticks(p.pid)
            time.sleep(seconds)
            t1, c1 = time.monotonic(), cpu_ticks(p.pid)
        finally:
            p.send_signal(signal.SIGTERM)
            rc = p.wait(timeout=30)
        if rc != 0:
            raise RuntimeError(f"watch {args} exited with {rc} on SIGTERM")
    return (c1 - c0) / os.sysconf("SC_CLK_TCK") / (t1 - t0) * 3600


def ratio_text(a, b):
    """a / b to three places, or '-' when b is below the clock's tick (a tiny load)."""
    return f"{a / b:.3f}" if b > 0 else "-"


def measure_watch(args, cli, server):
    """The CPU an hour of watching costs, next to polling ss once a second."""
    port = int(server[2])
    rows = []
    for name, watch_args, ss in (
            ("watch one port", [str(port)], ["ss", "-tanup", f"sport = :{port}"]),
            ("watch one port -l", [str(port), "--listening"],
             ["ss", "-tlnup", f"sport = :{port}"]),
            ("watch whole table", [], ["ss", "-tanup"])):
        per_hour = watch_cpu(cli, watch_args, args.watch_seconds)
        ss_hour = child_cpu_seconds(ss, args.runs) * 3600
        rows.append((name, per_hour, ss_hour))
        print(f"{name:17} {per_hour:7.1f} s CPU per hour ({per_hour / 36:.3f} % of a core) with a "
              f"1 s poll; ss once a second: {ss_hour:7.1f} s per hour; ratio "
              f"{ratio_text(per_hour, ss_hour)}", flush=True)
    return rows


def measure_remote(args, cli, server):
    """A remote port report and list over a loopback sshd, side by side with local ones."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "tests"))
    import ptl_sshd
    why = ptl_sshd.missing_tools()
    if why:
        print(f"remote        skipped: {why}")
        return []
    rows = []
    with ptl_sshd.Sshd() as sshd:
        remote = [cli, "--host", sshd.destination, "--ssh-config", sshd.config,
                  "--remote-cli", cli]
        for name, cmd in (("remote report", [server[2], "--json"]),
                          ("remote list", ["list", "--json"])):
            (t_remote, _), (t_local, _) = side_by_side([(remote + cmd, None), ([cli, *cmd], None)],
                                                       args.runs)
            rows.append((name, t_remote, t_local))
            print(f"{name:13} over ssh {t_remote * 1000:8.1f} ms   local {t_local * 1000:8.1f} ms"
                  f"   round trip {(t_remote - t_local) * 1000:.1f} ms", flush=True)
    return rows


def measure_series(cli):
    """How many series `metrics` writes for the load, and whether promtool takes them."""
    text = subprocess.run([cli, "metrics"], capture_output=True, text=True, check=True).stdout
    lines = [x for x in text.splitlines() if x and not x.startswith("#")]
    listeners = sum(x.startswith("portolan_listening{") for x in lines)
    verdict_text = "promtool not installed"
    if shutil.which("promtool"):
        r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                           text=True)
        verdict_text = "promtool check metrics: ok" if r.returncode == 0 and not (
            r.stdout + r.stderr).strip() else f"promtool: {(r.stdout + r.stderr).strip()[:200]}"
    print(f"metrics       {len(lines)} series ({listeners} listener series), {len(text):,} bytes; "
          f"{verdict_text}", flush=True)
    return len(lines), listeners, len(text), verdict_text


GENERATED_END = "<!-- end of the measured part: notes below are kept by bench.py -->"


def write_doc(path, args, info, buildtype, rows, rss, diff, extra):
    cmd = os.environ.get("PTL_BENCH_COMMAND") or (
        "tools/bench/bench.py" + ("" if not args.argv_text else " " + args.argv_text))
    out = [
        "# Performance",
        "",
        "Measured by `tools/bench/bench.py` on "
        + time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()) + ", with",
        "",
        "```sh",
        cmd,
        "```",
        "",
        f"**Machine:** {info['cpu']}, {info['cores']} cores, {info['ram']} RAM, "
        f"Linux {info['kernel']}; during the run {info['processes']} processes and "
        f"{info['sockets']} TCP/UDP sockets; load average {info['load']} at the start and "
        f"{info['load_end']} at the end"
        + (" (other jobs were running: the medians and the median of per-run ratios are "
           "meant to see through that noise)." if busy(info['load']) or busy(info['load_end'])
           else "."),
        "",
        f"**Load:** one process holding {args.pairs:,} loopback TCP connection pairs made "
        f"through its own listener (so that port has {args.pairs + 1:,} sockets), "
        f"{args.udp} UDP sockets, a listener halfway through its fds and a last one at its "
        f"highest fd; {args.idle} idle "
        "processes; one small server with one listener, started last. "
        f"portolan-cli built with buildtype={buildtype}; {args.runs} runs of each command, "
        "alternating, output to /dev/null, after one warm-up run each.",
        "",
        "**Owners:** `BPF on` is portolan-cli as root: the BPF task-file iterator for the "
        "whole table and busy ports, a /proc scan first for a few sockets; `BPF off` is the "
        "same binary with `PORTOLAN_TEST_NO_BPF=1`, scanning `/proc/PID/fd` only, as it does "
        "for users without privileges. Both are timed in the same alternating series as the "
        "command they are compared with.",
        "",
        "| Figure | owners | portolan-cli | median | compared with | median "
        "| ratio (median of runs) | target | result |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, owners, ours, t_ours, their_name, t_theirs, ratio, target in rows:
        ours = re.sub(r" [0-9]+ --json", " P --json", ours.replace(args.cli, "portolan-cli"))
        out.append(f"| {name} | {owners} | `{ours}` | "
                   f"{t_ours * 1000:.1f} ms | `{their_name}` | {t_theirs * 1000:.1f} ms | "
                   f"{ratio:.3f} | {'<= ' + str(target) if target else '-'} | "
                   f"{verdict(ratio, target)} |")
    for owners, ours, theirs, ratio, target in rss:
        out.append(f"| peak RSS | {owners} | `list --json` | {ours:,} KiB | `ss -tanup` | "
                   f"{theirs:,} KiB | {ratio:.2f} | <= {target} | {verdict(ratio, target)} |")
    diff_ms = diff[1]
    out.append("| GUI diff, 20,000 rows, 1% changed | - | `portolan-bench-diff` | "
               + (f"{diff_ms:.2f} ms | - | - | - | <= 5 ms | "
                  f"{'pass' if diff_ms <= 5 else 'miss'} |" if diff_ms is not None
                  else f"- | - | - | - | <= 5 ms | {diff[0]} |"))
    watch_rows, remote_rows, series = extra
    for name, per_hour, ss_hour in watch_rows:
        one, listening = "one" in name, name.endswith("-l")
        ss_cmd = ("ss -tlnup 'sport = :P'" if listening else "ss -tanup 'sport = :P'" if one
                  else "ss -tanup")
        out.append(f"| {name}, 1 s poll, {args.watch_seconds:.0f} s | - | `watch "
                   f"{'P ' if one else ''}{'--listening ' if listening else ''}--json` | "
                   f"{per_hour:.1f} s CPU per hour | "
                   f"`{ss_cmd}` once a second | {ss_hour:.1f} s CPU per hour | "
                   f"{ratio_text(per_hour, ss_hour)} | - | - |")
    for name, t_remote, t_local in remote_rows:
        cmd = "P --json" if "report" in name else "list --json"
        out.append(f"| {name} over a loopback sshd | - | `--host U@127.0.0.1:P {cmd}` | "
                   f"{t_remote * 1000:.1f} ms | `{cmd}` here | {t_local * 1000:.1f} ms | "
                   f"{t_remote / t_local:.2f} | - | round trip {(t_remote - t_local) * 1000:.1f} ms |")
    if series:
        out.append(f"| metrics series for this load | - | `metrics` | {series[0]} series "
                   f"({series[1]} listeners), {series[2]:,} bytes | - | - | - | - | {series[3]} |")
    out += ["", GENERATED_END, "", ""]
    notes = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
        if GENERATED_END in old:
            notes = old.split(GENERATED_END, 1)[1].lstrip("\n")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + notes)
    print(f"wrote {path}")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build", help="meson build directory")
    ap.add_argument("--pairs", type=int, default=9000)
    ap.add_argument("--udp", type=int, default=200)
    ap.add_argument("--idle", type=int, default=400)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--watch-seconds", type=float, default=60,
                    help="how long each watch figure is measured (CPU per hour)")
    ap.add_argument("--output", default="docs/performance.md",
                    help="markdown file to write ('-' for none)")
    ap.add_argument("--hold", type=float, metavar="SECONDS",
                    help="only set up the load, print its PIDs and ports, keep it for "
                    "SECONDS (to profile by hand), then clean up")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny load, 1 run, no file written: checks that it works and cleans up")
    args = ap.parse_args()
    args.argv_text = shlex.join(sys.argv[1:])
    if args.smoke:
        args.pairs, args.udp, args.idle, args.runs, args.output = 20, 3, 5, 1, "-"
        args.watch_seconds = 2
    return args


def buildtype_of(builddir):
    try:
        r = subprocess.run(["meson", "introspect", "--buildoptions", builddir],
                           capture_output=True, text=True)
        for opt in json.loads(r.stdout):
            if opt["name"] == "buildtype":
                return opt["value"]
    except (OSError, ValueError):
        pass
    return "unknown"


def main():
    args = parse_args()
    args.cli = os.path.abspath(os.path.join(args.build, "app", "cli", "portolan-cli"))
    loader = os.path.abspath(os.path.join(args.build, "tools", "bench", "ptl-bench-load"))
    for exe in (args.cli, loader):
        if not os.access(exe, os.X_OK):
            sys.exit(f"bench.py: {exe} is not built (run tools/bench/run.sh)")
    if os.geteuid() != 0:
        print("note: not root, so owners of other users' processes stay hidden and the "
              "unprivileged figure is skipped")
    load = Load(loader)
    # End everything we started even when interrupted.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    try:
        big = load.start("big", str(args.pairs), str(args.udp))
        load.start("idle", str(args.idle))
        server = load.start("server")
        if args.hold:
            print(f"load: big PID {big[1]} port {big[2]} last listener {big[3]} "
                  f"middle listener {big[5]} ({big[4]} fds); small server PID {server[1]} "
                  f"port {server[2]}; "
                  f"holding {args.hold:.0f} s", flush=True)
            time.sleep(args.hold)
            return 0
        info = machine()
        print(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram']}, Linux "
              f"{info['kernel']}, {info['processes']} processes, {info['sockets']} sockets, "
              f"load {info['load']}", flush=True)
        paths = usable_paths(args.cli)
        rows = measure(args, args.cli, (big, server), paths)
        rss = measure_rss(args, args.cli, paths)
        diff = gui_diff(args.build)
        print(f"GUI diff      {diff[0]}")
        extra = (measure_watch(args, args.cli, server), measure_remote(args, args.cli, server),
                 measure_series(args.cli))
        info["load_end"] = loadavg()
        print(f"load average at the end: {info['load_end']}", flush=True)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        load.stop()
        left = load.leftovers()
        if left:
            print(f"error: still running after cleanup: {left}", file=sys.stderr)
    if left:
        return 1
    if args.hold:
        return 0
    print(f"cleanup: the {len(load.starts)} processes started are gone")
    if args.output != "-":
        write_doc(args.output, args, info, buildtype_of(args.build), rows, rss, diff, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
