#!/usr/bin/python3
"""portolan-cli metrics through the real engines (TAP).

`promtool check metrics` validates the output. Then the test starts
prometheus-node-exporter with only its textfile collector, on a loopback
port, and prometheus with a config that scrapes it every second, writes the
file with `metrics --output`, and asks Prometheus's HTTP API on loopback for
a listener the test holds. The three PromQL examples of the README are run
too. Both servers are stopped by their PIDs.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ptl_tap import Tap, free_port  # noqa: E402

tap = Tap()
CLI = os.path.abspath(os.environ.get("PORTOLAN_CLI") or sys.exit("PORTOLAN_CLI is not set"))


def tool(name):
    return shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)


def series(text, name):
    """{labels-string: value} of metric @name in exposition text."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^" + name + r"(\{[^}]*\})? (\S+)$", line)
        if m:
            out[m.group(1) or ""] = float(m.group(2))
    return out


def check_output(port, udp_port, ephemeral_udp_port):
    r = subprocess.run([CLI, "metrics"], capture_output=True, text=True, timeout=60)
    tap(r.returncode == 0 and r.stderr == "", "metrics: exit 0, nothing on stderr", r.stderr)
    listening = series(r.stdout, "portolan_listening")
    key = f'{{protocol="tcp",address="127.0.0.1",port="{port}",process="python3"}}'
    tap(listening.get(key) == 1.0, f"our listener is a series: {key} 1",
        "\n".join(k for k in listening if f'"{port}"' in k) or r.stdout[:1500])
    tap(not any(re.search(r"pid|remote", k) for k in listening),
        "no PID and no remote port among the labels")
    udp = [k for k in listening if f'port="{udp_port}"' in k and 'protocol="udp"' in k]
    tap(len(udp) == 1, "our bound UDP socket (outside the ephemeral range) is a series", udp)
    tap(not any(f'port="{ephemeral_udp_port}"' in k for k in listening),
        "our UDP socket on a kernel-picked (ephemeral) port is not a series of its own")
    est = series(r.stdout, "portolan_established")
    tap(est.get(f'{{protocol="tcp",port="{port}"}}') == 1.0,
        "one established connection on our listening port is counted on that port", est)
    tap(series(r.stdout, "portolan_up") == {"": 1.0}, "portolan_up 1")
    promtool = tool("promtool")
    if promtool is None:
        tap.skip("promtool check metrics: promtool is not installed (package prometheus)")
    else:
        c = subprocess.run([promtool, "check", "metrics"], input=r.stdout, capture_output=True,
                           text=True, timeout=60)
        tap(c.returncode == 0 and c.stdout.strip() == "" and c.stderr.strip() == "",
            "promtool check metrics: valid, no lint complaint", c.stdout + c.stderr)
    r = subprocess.run([CLI, "metrics", "--max-series", "1"], capture_output=True, text=True,
                       timeout=60)
    kept = len(series(r.stdout, "portolan_listening")) + len(series(r.stdout, "portolan_established"))
    dropped = series(r.stdout, "portolan_series_dropped").get("", -1)
    tap(r.returncode == 0 and kept == 1 and dropped >= 2,
        f"--max-series 1 keeps one series and counts the {dropped:.0f} left out", r.stdout[-600:])


def check_output_file(textdir):
    path = os.path.join(textdir, "portolan.prom")
    r = subprocess.run([CLI, "metrics", "--output", path], capture_output=True, text=True,
                       timeout=60)
    names = sorted(os.listdir(textdir))
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else None
    tap(r.returncode == 0 and r.stdout == "" and names == ["portolan.prom"] and mode == 0o644,
        "--output FILE: written (0644), no temporary file left beside it",
        f"{r.returncode} {r.stderr} {names} {mode and oct(mode)}")
    r = subprocess.run([CLI, "metrics", "--output", os.path.join(textdir, "no", "dir.prom")],
                       capture_output=True, text=True, timeout=60)
    tap(r.returncode == 3 and "Cannot create a file beside" in r.stderr,
        "--output into a missing directory: exit 3 with a sentence", r.stderr)
    return path


class Server:
    def __init__(self, argv, log):
        self.log = open(log, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # our own child, by PID
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode()


def query(api, promql):
    try:
        body = json.loads(get(f"{api}/api/v1/query?" + urllib.parse.urlencode({"query": promql})))
    except (OSError, ValueError) as e:
        return {"status": "error", "error": str(e)}
    return body


def wait_for(what, deadline_s):
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        got = what()
        if got:
            return got
        time.sleep(0.2)
    return None


def readme_queries():
    """The PromQL examples in the README, between the markers."""
    readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")
    with open(readme) as f:
        text = f.read()
    block = text.split("<!-- promql examples -->", 1)[-1].split("<!-- end promql examples -->")[0]
    return re.findall(r"^```promql\n(.*?)\n```", block, re.S | re.M)


def check_engines(tmp, textfile, port):
    exporter, prometheus = tool("prometheus-node-exporter"), tool("prometheus")
    if exporter is None or prometheus is None:
        tap.skip("node_exporter and Prometheus: packages prometheus-node-exporter and prometheus "
             "are not installed")
        return
    ne_port, prom_port = free_port(), free_port()
    ne = Server([exporter, f"--web.listen-address=127.0.0.1:{ne_port}",
                 "--collector.disable-defaults", "--collector.textfile",
                 f"--collector.textfile.directory={os.path.dirname(textfile)}"],
                os.path.join(tmp, "node_exporter.log"))
    config = os.path.join(tmp, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: node\n    static_configs:\n"
                f"      - targets: ['127.0.0.1:{ne_port}']\n")
    prom = Server([prometheus, f"--config.file={config}",
                   f"--storage.tsdb.path={os.path.join(tmp, 'tsdb')}",
                   f"--web.listen-address=127.0.0.1:{prom_port}"],
                  os.path.join(tmp, "prometheus.log"))
    api = f"http://127.0.0.1:{prom_port}"
    try:
        def exported():
            try:
                return f'port="{port}"' in get(f"http://127.0.0.1:{ne_port}/metrics")
            except OSError:
                return False
        tap(wait_for(exported, 60), "node_exporter's textfile collector serves our listener")
        promql = f'portolan_listening{{port="{port}",protocol="tcp"}}'

        def found():
            r = query(api, promql)
            return r.get("status") == "success" and r["data"]["result"]
        result = wait_for(found, 90)
        labels = result[0]["metric"] if result else {}
        tap(bool(result) and labels.get("process") == "python3"
            and labels.get("address") == "127.0.0.1" and result[0]["value"][1] == "1",
            f"Prometheus answers {promql} with our listener", query(api, promql))
        up = query(api, "portolan_up")
        tap(up.get("status") == "success" and up["data"]["result"]
            and up["data"]["result"][0]["value"][1] == "1", "portolan_up is 1 in Prometheus", up)
        examples = readme_queries()
        tap(len(examples) == 3, "the README has three PromQL examples", examples)
        for q in examples:
            r = query(api, q)
            tap(r.get("status") == "success", f"README example runs: {' '.join(q.split())[:70]}", r)
    finally:
        pids = (ne.proc.pid, prom.proc.pid)
        prom.stop()
        ne.stop()
    tap(all(not os.path.exists(f"/proc/{p}") for p in pids),
        f"node_exporter and Prometheus (PIDs {pids[0]}, {pids[1]}) are stopped")


def main():
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen()
    port = lst.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    conn, _ = lst.accept()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    # Unconnected UDP on an ephemeral port is left out on purpose; a UDP
    # server binds a port below the range, so the test takes the first free
    # one there.
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        first = int(f.read().split()[0])
    udp2 = None
    for candidate in range(first - 1, 1024, -1):
        udp2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp2.bind(("127.0.0.1", candidate))
            break
        except OSError:
            udp2.close()
    check_output(port, udp2.getsockname()[1], udp.getsockname()[1])
    with tempfile.TemporaryDirectory(prefix="ptl-prom-") as tmp:
        textdir = os.path.join(tmp, "textfile")
        os.mkdir(textdir)
        textfile = check_output_file(textdir)
        check_engines(tmp, textfile, port)
    for s in (client, conn, lst, udp, udp2):
        s.close()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
