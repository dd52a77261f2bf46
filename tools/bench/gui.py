#!/usr/bin/python3
"""The desktop app's figures, by its own command (tools/bench/run-gui.sh),
under an X server with a session bus and a window manager, never in CI.

run-gui.sh starts this in private network, PID and mount namespaces: the
socket table then holds only the benchmark's sockets and the process table
only its processes (the load's idle processes stand in for a desktop's),
whatever else runs on the machine. Each figure line ends with what the
machine was doing: the load average and the sockets and processes seen.

- first frame: `portolan` launched, the first frame painted (the app says
  when, on CLOCK_MONOTONIC, with PORTOLAN_DEBUG_TIMING), median of runs;
- busy port: a port with 9,001 sockets (ptl-bench-load), from the search to
  the painted page, beside `portolan-cli PORT --json` for the same port;
  the UI thread's longest stall meanwhile; the app's peak RSS;
- CPU (user+system time from /proc/PID/stat over a window, 60 s by
  default): an idle window, and the Connections view's refreshes at about
  300 and 18,000 sockets, with the Port view in front and minimised (the
  window manager's own iconify, checked in its _NET_WM_STATE and in the
  app's "refreshes off" line).

A window that took the focus blinks its text cursor for GTK's
gtk-cursor-blink-timeout (10 s) and paints a frame for each step of the
fade; the CPU windows start after that (--settle), and the blink is one
figure of its own.

Every figure is taken for each build and renderer given, one after the
other in the same minute: `--build A --build B --renderer gl,cairo`.
Every process it starts it ends by PID. Only the standard library.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Load  # noqa: E402  (the load generator's keeper)

HZ = os.sysconf("SC_CLK_TCK")
BLINK_S = 10  # GTK's default gtk-cursor-blink-timeout


def machine():
    """The load average and what the benchmark's namespaces hold."""
    la = " ".join(f"{x:.2f}" for x in os.getloadavg())
    socks = subprocess.run(["ss", "-Htanu"], capture_output=True, text=True).stdout.count("\n")
    procs = sum(1 for d in os.listdir("/proc") if d.isdigit())
    return f"[load average {la}; {socks} TCP/UDP sockets, {procs} processes]"


class App:
    """One `portolan` process with its stderr in a file."""

    def __init__(self, exe, args, env):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([exe, *args], env=env, stdout=self.log, stderr=self.log)

    def text(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def wait_for(self, pattern, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(pattern, self.text())
            if m:
                return m
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"portolan never said /{pattern}/:\n{self.text()[-2000:]}")

    def cpu_ticks(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def peak_rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return None

    def rows_seen(self):
        """The rows of the Connections view's last refresh, as the app says."""
        rows = re.findall(r"timing: apply [\d.]+ ms, (\d+) rows", self.text())
        return int(rows[-1]) if rows else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # our own child, by PID
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Variant:
    """One build with one renderer."""

    def __init__(self, build, renderer, label):
        self.build = build
        self.renderer = renderer
        self.label = label
        self.exe = os.path.join(build, "app", "gui", "portolan")

    def check(self):
        schema = os.path.join(self.build, "resources", "gschemas.compiled")
        if not os.path.exists(schema):
            sys.exit(f"gui.py: {schema} is missing (the app would not read the view the "
                     f"benchmark sets); run-gui.sh builds it")

    def env(self, work, view=None):
        conf = os.path.join(work, "glib-2.0", "settings")
        os.makedirs(conf, exist_ok=True)
        with open(os.path.join(conf, "keyfile"), "w") as f:
            f.write("[io/github/portolan/Portolan]\nwindow-width=1200\nwindow-height=800\n")
            if view:
                f.write(f"last-view='{view}'\n")
        return dict(os.environ, GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=work,
                    GSETTINGS_SCHEMA_DIR=os.path.join(self.build, "resources"),
                    PORTOLAN_DEBUG_TIMING="1", GSK_RENDERER=self.renderer)


def first_frame(v, runs):
    times = []
    for i in range(runs + 1):  # the first run warms the caches
        with tempfile.TemporaryDirectory() as work:
            app = App(v.exe, [], v.env(work))
            try:
                m = app.wait_for(r"timing: first frame at (\d+) us")
                if i > 0:
                    times.append(int(m.group(1)) / 1e6 - app.t0)
            finally:
                app.stop()
    return statistics.median(times) * 1000, times


def cli_time(cli, port, runs):
    walls = []
    for _ in range(runs):
        t = time.monotonic()
        subprocess.run([cli, str(port), "--json"], stdout=subprocess.DEVNULL, check=False)
        walls.append(time.monotonic() - t)
    return statistics.median(walls) * 1000


def busy_port(v, port, runs):
    pages, stalls, built, cpus = [], [], [], []
    with tempfile.TemporaryDirectory() as work:
        env = v.env(work)
        app = App(v.exe, ["1644"], env)
        try:
            app.wait_for(r"timing: search 1644: page painted")
            time.sleep(1)
            base = app.peak_rss_kb()  # the app on a small port, before the busy one
            for _ in range(runs):
                # A second launch hands the query to the running app.
                before = len(re.findall(rf"timing: search {port}:", app.text()))
                subprocess.run([v.exe, str(port)], env=env, check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                deadline = time.monotonic() + 120
                while len(re.findall(rf"timing: search {port}:", app.text())) <= before:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the busy port's page never came")
                    time.sleep(0.05)
                line = re.findall(rf"timing: search {port}: page painted ([\d.]+) ms.*?built in "
                                  rf"([\d.]+) ms.*?longest stall ([\d.]+) ms.*?longest frame "
                                  rf"[\d.]+ ms(?: \(CPU: UI thread ([\d.]+) ms, all threads "
                                  rf"([\d.]+) ms\))?", app.text())[-1]
                pages.append(float(line[0]))
                built.append(float(line[1]))
                stalls.append(float(line[2]))
                cpus.append((float(line[3]), float(line[4])) if line[3] else None)
                subprocess.run([v.exe, "1644"], env=env, check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)
            rss = app.peak_rss_kb()
        finally:
            app.stop()
    return statistics.median(pages), max(stalls), (base, rss), pages, stalls, built, cpus


def window_ids():
    r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Portolan"],
                       capture_output=True, text=True)
    return r.stdout.split()


def minimise(app):
    """The window manager's iconify, as a user's click on minimise."""
    deadline = time.monotonic() + 30
    ids = []
    while not ids and time.monotonic() < deadline:
        ids = window_ids()
        time.sleep(0.2)
    if not ids:
        raise RuntimeError("the app's window was never seen by xdotool")
    for w in ids:
        subprocess.run(["xdotool", "windowminimize", w], check=False)
    try:
        app.wait_for(r"timing: refreshes off \(minimised\)", timeout=20)
        said = "the app stopped its refreshes"
    except RuntimeError:
        said = "the app never said it stopped its refreshes"
    state = subprocess.run(["xprop", "-id", ids[0], "_NET_WM_STATE"], capture_output=True,
                           text=True).stdout.strip()
    return f"{state.split('=', 1)[-1].strip() or '(empty)'}; {said}"


def cpu_share(v, view, seconds, settle, minimised=False, args=()):
    """Share of one core over `seconds`, `settle` seconds after the first frame."""
    with tempfile.TemporaryDirectory() as work:
        app = App(v.exe, list(args), v.env(work, view))
        try:
            app.wait_for(r"timing: first frame")
            t_first = time.monotonic()
            state = minimise(app) if minimised else None
            time.sleep(max(0.0, t_first + settle - time.monotonic()))
            t, c = time.monotonic(), app.cpu_ticks()
            time.sleep(seconds)
            used = (app.cpu_ticks() - c) / HZ
            share = 100.0 * used / (time.monotonic() - t)
            return share, app.rows_seen(), state
        finally:
            app.stop()


def blink_cost(v):
    """CPU over the first BLINK_S seconds after the first frame, and after."""
    with tempfile.TemporaryDirectory() as work:
        app = App(v.exe, [], v.env(work, "port"))
        try:
            app.wait_for(r"timing: first frame")
            c = app.cpu_ticks()
            time.sleep(BLINK_S)
            during = 100.0 * (app.cpu_ticks() - c) / HZ / BLINK_S
            time.sleep(2)
            c = app.cpu_ticks()
            time.sleep(BLINK_S)
            after = 100.0 * (app.cpu_ticks() - c) / HZ / BLINK_S
            return during, after
        finally:
            app.stop()


def verdict(value, target, below=False):
    ok = value < target if below else value <= target
    return "pass" if ok else "MISS"


def say(text):
    print(f"{text} {machine()}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", action="append", help="a build directory (repeat to compare)")
    ap.add_argument("--renderer", default="gl,cairo", help="GSK_RENDERER values (gl,cairo)")
    ap.add_argument("--seconds", type=float, default=60, help="CPU window per figure (60)")
    ap.add_argument("--settle", type=float, default=BLINK_S + 3,
                    help="seconds after the first frame before a CPU window (13)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--idle", type=int, default=300, help="idle processes beside the app (300)")
    ap.add_argument("--only", default="", help="comma-separated: first,blink,idle,busy,cpu300,"
                    "cpu18k,port,minimised")
    args = ap.parse_args()
    builds = [os.path.abspath(b) for b in (args.build or ["build"])]
    variants = [Variant(b, r, f"{os.path.basename(b)}/{r}" if len(builds) > 1 else r)
                for b in builds for r in args.renderer.split(",")]
    only = set(filter(None, args.only.split(",")))
    for v in variants:
        v.check()

    def want(name):
        return not only or name in only

    cli = os.path.join(builds[-1], "app", "cli", "portolan-cli")
    loader = os.path.join(builds[-1], "tools", "bench", "ptl-bench-load")
    wm = subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    idle = Load(loader)
    try:
        time.sleep(1)
        if args.idle:
            idle.start("idle", str(args.idle))
        say(f"window manager: openbox; {args.idle} idle processes; builds: "
            f"{', '.join(builds)}; renderers: {args.renderer}; before the load:")
        run_figures(args, variants, want, cli, loader)
    finally:
        idle.stop()
        wm.terminate()  # our own child, by PID
        wm.wait()


def run_figures(args, variants, want, cli, loader):
    for v in variants:
        if want("first"):
            ms, runs = first_frame(v, args.runs)
            say(f"{v.label}: first frame {ms:.0f} ms after launch (median of {len(runs)}: "
                f"{', '.join(f'{r * 1000:.0f}' for r in runs)} ms; target <= 500): "
                f"{verdict(ms, 500)}")
    for v in variants:
        if want("blink"):
            during, after = blink_cost(v)
            say(f"{v.label}: idle window, first {BLINK_S} s after it took the focus (GTK's cursor "
                f"blink): {during:.2f} % of one core; the {BLINK_S} s after it: {after:.2f} %")
    for v in variants:
        if want("idle"):
            share, _, _ = cpu_share(v, "port", args.seconds, args.settle)
            say(f"{v.label}: idle window (welcome page): {share:.2f} % of one core over "
                f"{args.seconds:.0f} s")
    for pairs, label in ((150, "about 300"), (9000, "about 18,000")):
        key = "cpu300" if pairs == 150 else "cpu18k"
        if not any(want(k) for k in ([key] if pairs == 150 else [key, "busy", "port", "minimised"])):
            continue
        load = Load(loader)
        try:
            line = load.start("big", str(pairs), "0")
            port = int(line[2])
            for v in variants:
                load_figures(args, v, want, cli, pairs, label, port)
        finally:
            load.stop()


def load_figures(args, v, want, cli, pairs, label, port):
    if pairs == 9000 and want("busy"):
        page, stall, (base, rss), pages, stalls, built, cpus = busy_port(v, port, args.runs)
        cli_ms = cli_time(cli, port, args.runs)
        say(f"{v.label}: busy port ({pairs + 1} sockets): page painted {page:.0f} ms after the "
            f"search (median of {len(pages)}: {', '.join(f'{p:.0f}' for p in pages)}; built in "
            f"{statistics.median(built):.1f} ms); portolan-cli {port} --json {cli_ms:.0f} ms; "
            f"target <= {cli_ms + 150:.0f} ms: {verdict(page, cli_ms + 150)}")
        cpu = ("; CPU in the longest frame, UI thread / all threads: "
               + ", ".join(f"{a:.0f}/{b:.0f}" for a, b in cpus) + " ms" if None not in cpus else "")
        say(f"{v.label}: busy port: the UI thread's longest stall {stall:.0f} ms (of "
            f"{', '.join(f'{s:.0f}' for s in stalls)}{cpu}; target <= 50): {verdict(stall, 50)}")
        say(f"{v.label}: busy port: peak RSS {rss / 1024:.0f} MiB (target < 150): "
            f"{verdict(rss, 150 * 1024, True)}; {base / 1024:.0f} MiB before it, on port 1644")
    key = "cpu300" if pairs == 150 else "cpu18k"
    if want(key):
        share, rows, _ = cpu_share(v, "connections", args.seconds, args.settle)
        if rows is None:
            raise RuntimeError(f"{v.label}: the Connections view never refreshed")
        target = 10 if pairs == 9000 else 2
        say(f"{v.label}: refresh CPU, Connections view, {label} sockets ({rows} rows in the "
            f"app's table): {share:.2f} % of one core over {args.seconds:.0f} s "
            f"(target <= {target}): {verdict(share, target)}")
    if pairs == 9000 and want("port"):
        share, _, _ = cpu_share(v, "port", args.seconds, args.settle, args=[str(port)])
        say(f"{v.label}: refresh CPU, Port view in front (port {port}), {label} sockets: "
            f"{share:.2f} % (target <= 0.5): {verdict(share, 0.5)}")
    if pairs == 9000 and want("minimised"):
        share, _, state = cpu_share(v, "connections", args.seconds, args.settle, minimised=True)
        say(f"{v.label}: refresh CPU, Connections view minimised (openbox; _NET_WM_STATE "
            f"{state}), {label} sockets: {share:.2f} % (target <= 0.5): {verdict(share, 0.5)}")


if __name__ == "__main__":
    if not shutil.which("openbox") or not shutil.which("xdotool"):
        sys.exit("gui.py: needs openbox and xdotool (tools/bench/run-gui.sh installs them)")
    main()
