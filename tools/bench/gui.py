#!/usr/bin/python3
"""The desktop app's figures, by its own command (tools/bench/run-gui.sh),
under an X server with a session bus, never in CI:

- first frame: `portolan` launched, the first frame painted (the app says
  when, on CLOCK_MONOTONIC, with PORTOLAN_DEBUG_TIMING), median of runs;
- busy port: a port with 9,001 sockets (ptl-bench-load), from the search to
  the painted page, beside `portolan-cli PORT --json` for the same port;
  the UI thread's longest stall meanwhile; the app's peak RSS;
- refresh CPU: the app's user+system time from /proc/PID/stat over a window
  (60 s by default) with the Connections view in front at about 300 and
  18,000 sockets, with the Port view in front, and minimised (this needs a
  window manager: twm, started here for that figure only).

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

    def wait_for(self, pattern, timeout=60):
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

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # our own child, by PID
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def app_env(work, view=None):
    conf = os.path.join(work, "glib-2.0", "settings")
    os.makedirs(conf, exist_ok=True)
    with open(os.path.join(conf, "keyfile"), "w") as f:
        f.write("[io/github/portolan/Portolan]\nwindow-width=1200\nwindow-height=800\n")
        if view:
            f.write(f"last-view='{view}'\n")
    env = dict(os.environ, GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=work,
               PORTOLAN_DEBUG_TIMING="1", NO_AT_BRIDGE="1")
    return env


def first_frame(exe, build, runs):
    times = []
    for i in range(runs + 1):  # the first run warms the caches
        with tempfile.TemporaryDirectory() as work:
            env = app_env(work)
            env["GSETTINGS_SCHEMA_DIR"] = os.path.join(build, "resources")
            app = App(exe, [], env)
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


def busy_port(exe, build, cli, port, runs):
    pages, stalls, rss = [], [], None
    with tempfile.TemporaryDirectory() as work:
        env = app_env(work)
        env["GSETTINGS_SCHEMA_DIR"] = os.path.join(build, "resources")
        app = App(exe, ["1644"], env)
        try:
            app.wait_for(r"timing: search 1644: page painted")
            for i in range(runs):
                # A second launch hands the query to the running app.
                before = len(re.findall(rf"timing: search {port}:", app.text()))
                subprocess.run([exe, str(port if i % 2 == 0 else port)], env=env, check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                deadline = time.monotonic() + 120
                while len(re.findall(rf"timing: search {port}:", app.text())) <= before:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the busy port's page never came")
                    time.sleep(0.05)
                line = re.findall(rf"timing: search {port}: page painted ([\d.]+) ms.*?longest "
                                  rf"stall ([\d.]+) ms", app.text())[-1]
                pages.append(float(line[0]))
                stalls.append(float(line[1]))
                subprocess.run([exe, "1644"], env=env, check=False,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)
            rss = app.peak_rss_kb()
        finally:
            app.stop()
    return statistics.median(pages), max(stalls), rss, pages, stalls


def cpu_share(exe, build, view, seconds, minimise=False):
    with tempfile.TemporaryDirectory() as work:
        env = app_env(work, view)
        env["GSETTINGS_SCHEMA_DIR"] = os.path.join(build, "resources")
        app = App(exe, [], env)
        wm = None
        try:
            app.wait_for(r"timing: first frame")
            if minimise:
                wm = subprocess.Popen(["twm"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(2)
                wid = subprocess.run(["xdotool", "search", "--sync", "--pid", str(app.proc.pid)],
                                     capture_output=True, text=True).stdout.split()
                for w in wid:
                    subprocess.run(["xdotool", "windowminimize", w], check=False)
            time.sleep(6)  # the first table and its frames are not the steady state
            t, c = time.monotonic(), app.cpu_ticks()
            time.sleep(seconds)
            used = (app.cpu_ticks() - c) / HZ
            return 100.0 * used / (time.monotonic() - t)
        finally:
            app.stop()
            if wm is not None:
                wm.terminate()  # our own child, by PID
                wm.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--seconds", type=float, default=60, help="CPU window per figure (60)")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    exe = os.path.join(build, "app", "gui", "portolan")
    cli = os.path.join(build, "app", "cli", "portolan-cli")
    loader = os.path.join(build, "tools", "bench", "ptl-bench-load")

    ms, runs = first_frame(exe, build, args.runs)
    print(f"first frame: {ms:.0f} ms after launch (median of {len(runs)}; "
          f"{', '.join(f'{r * 1000:.0f}' for r in runs)} ms)", flush=True)

    for pairs, label in ((150, "about 300"), (9000, "about 18,000")):
        load = Load(loader)
        try:
            line = load.start("big", str(pairs), "0")
            port = int(line[2])
            if pairs == 9000:
                page, stall, rss, pages, stalls = busy_port(exe, build, cli, port, args.runs)
                cli_ms = cli_time(cli, port, args.runs)
                print(f"busy port ({pairs + 1} sockets): page painted {page:.0f} ms after the "
                      f"search (median of {len(pages)}); portolan-cli {port} --json {cli_ms:.0f} ms; "
                      f"target <= {cli_ms + 150:.0f} ms: {'pass' if page <= cli_ms + 150 else 'MISS'}",
                      flush=True)
                print(f"busy port: the UI thread's longest stall {stall:.0f} ms (target <= 50): "
                      f"{'pass' if stall <= 50 else 'MISS'}; peak RSS {rss / 1024:.0f} MiB "
                      f"(target < 150): {'pass' if rss < 150 * 1024 else 'MISS'}", flush=True)
            share = cpu_share(exe, build, "connections", args.seconds)
            target = 10 if pairs == 9000 else 2
            print(f"refresh CPU, Connections view, {label} sockets on the machine: {share:.2f} % of "
                  f"one core over {args.seconds:.0f} s (target <= {target}): "
                  f"{'pass' if share <= target else 'MISS'}", flush=True)
            if pairs == 9000:
                share = cpu_share(exe, build, "port", args.seconds)
                print(f"refresh CPU, Port view in front, {label} sockets: {share:.2f} % "
                      f"(target <= 0.5): {'pass' if share <= 0.5 else 'MISS'}", flush=True)
                if shutil.which("twm") and shutil.which("xdotool"):
                    share = cpu_share(exe, build, "connections", args.seconds, minimise=True)
                    print(f"refresh CPU, Connections view minimised, {label} sockets: "
                          f"{share:.2f} % (target <= 0.5): {'pass' if share <= 0.5 else 'MISS'}",
                          flush=True)
                else:
                    print("refresh CPU, minimised: not measured (needs twm and xdotool)")
        finally:
            load.stop()
    # The machine's own sockets are part of the figure: say how many.
    n = len(subprocess.run(["ss", "-Htanu"], capture_output=True, text=True).stdout.splitlines())
    print(f"(the machine itself held {n} TCP/UDP sockets at the end)")


if __name__ == "__main__":
    main()
