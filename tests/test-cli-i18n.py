#!/usr/bin/env python3
"""portolan-cli in Russian (ru_RU.UTF-8, the build tree's catalog through
PORTOLAN_LOCALEDIR): its sentences are translated, with Russian plural
forms, while JSON, CSV, the metrics' numbers, option and command names and
the exit codes are the same bytes as in the C locale."""

import os
import re
import subprocess
import sys

from ptl_tap import Tap

CLI = os.environ["PORTOLAN_CLI"]
HOLDER = os.environ["PORTOLAN_TEST_HOLDER"]
LOCALEDIR = os.environ.get("PORTOLAN_LOCALEDIR", "")


def env_for(lang):
    env = dict(os.environ, LC_ALL=lang, LANGUAGE="", PORTOLAN_LOCALEDIR=LOCALEDIR)
    env.pop("LANG", None)
    return env


def run(lang, *args):
    return subprocess.run([CLI, *args], env=env_for(lang), capture_output=True, timeout=60)


def have_locale(name):
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout
    return name.lower().replace("utf-8", "utf8") in out.lower().split()


def text(p):
    return p.stdout.decode("utf-8") + p.stderr.decode("utf-8")


def translated(t):
    for args, rc, want in [
        (["99999"], 2, "Порт 99999 вне допустимых пределов: порты бывают от 0 до 65535."),
        (["nosuchservicexyz"], 1, "У IANA нет службы с именем «nosuchservicexyz»."),
        (["22"], 0, "Официальное назначение (IANA)"),
        (["22"], 0, "Порт 22: общеизвестный диапазон (0-1023)"),
        (["check", "0"], 2, "Порт 0 проверить нельзя"),
        (["list", "--bogus"], 2, "Неизвестный параметр «--bogus» команды «list»"),
    ]:
        ru, c = run("ru_RU.UTF-8", *args), run("C.UTF-8", *args)
        t(want in text(ru), f"{' '.join(args)}: '{want}' in Russian", text(ru))
        t(ru.returncode == c.returncode == rc,
          f"{' '.join(args)}: exit code {rc} in both (ru {ru.returncode}, C {c.returncode})")


def plurals(t):
    # ": N ports" heads a range's table: one, few and many in Russian.
    for query, want in [("20-21", "20-21: 2 порта"), ("20-24", "20-24: 5 портов"),
                        ("20-40", "20-40: 21 порт"), ("20-31", "20-31: 12 портов")]:
        out = text(run("ru_RU.UTF-8", query))
        t(out.startswith(want + "\n"), f"{query}: '{want}'", out[:200])


def names_kept(t):
    out = text(run("ru_RU.UTF-8", "--help"))
    t(out.startswith("Использование: portolan-cli [port] QUERY [--tcp] [--udp] [--json]\n"),
      "--help: the usage line is Russian, its options and operands are not", out[:300])
    for name in ["list [--listening]", "--all-namespaces", "--json|--csv", "\n  watch  ",
                 "\n  metrics  ", "Команды:"]:
        t(name in out, f"--help keeps {name.strip()!r}", out)
    out = text(run("ru_RU.UTF-8", "list", "--help"))
    t("  -l, --listening       только прослушивающие" in out,
      "list --help: option names as in C, their help in Russian", out)
    # Every line of the help fits in 79 columns (Cyrillic is 2 bytes a letter).
    wide = [l for l in out.splitlines() if len(l) > 79]
    t(not wide, "list --help: no line is wider than 79 columns", "\n".join(wide))


def sandwich(*args):
    """C, Russian, C again: when both C runs agree the machine held still
    (other programs open and close sockets, containers come and go), and
    the Russian run saw the same snapshot. A few tries for a quiet moment."""
    for _ in range(5):
        c1, ru, c2 = run("C.UTF-8", *args), run("ru_RU.UTF-8", *args), run("C.UTF-8", *args)
        if c1.stdout == c2.stdout and c1.returncode == c2.returncode:
            return c1, ru
    return None, ru


def same_bytes(t, ports):
    tcp_port, udp_port = ports[0], ports[1]
    for args in (["list", "--tcp", "--port", str(tcp_port), "--json"],
                 ["list", "--udp", "--port", str(udp_port), "--json"],
                 ["list", "--tcp", "--port", str(tcp_port), "--csv"],
                 ["list", "--udp", "--port", str(udp_port), "--csv"],
                 ["port", "--tcp", str(tcp_port), "--json"],
                 # its note is a sentence: in JSON it stays English
                 ["port", "--tcp", "0", "--json"],
                 ["list", "--pid", str(os.getpid()), "--csv"]):
        c, ru = sandwich(*args)
        if c is None:
            t.skip(f"{' '.join(args)}: the machine never held still for three runs")
            continue
        t(c.stdout == ru.stdout and c.returncode == ru.returncode and c.stdout,
          f"{' '.join(args)}: the same bytes in ru_RU.UTF-8 as in C",
          f"C:\n{c.stdout.decode()}\nru:\n{ru.stdout.decode()}")
    c, ru = sandwich("port", "--tcp", "0", "--json")
    t(ru is not None and b"Port 0 is not a port a program can use" in ru.stdout,
      "port 0 --json: its note in English in ru_RU.UTF-8", ru.stdout.decode() if ru else "")
    # The text table is translated, the addresses and states in it are not.
    out = text(run("ru_RU.UTF-8", "list", "--port", str(ports[0])))
    t(out.startswith("ПРОТ.") and f"127.0.0.1:{ports[0]}" in out and "LISTEN" in out,
      "list: Russian column titles, addresses and states as they are", out)


def metrics_numbers(t):
    # ru_RU writes 0,5 for one half; the metrics must keep Prometheus's 0.5.
    out = run("ru_RU.UTF-8", "metrics").stdout.decode()
    line = next((l for l in out.splitlines()
                 if l.startswith("portolan_scrape_duration_seconds ")), "")
    t(re.fullmatch(r"portolan_scrape_duration_seconds \d+\.\d{6}", line) is not None,
      f"metrics: the duration keeps its '.' in ru_RU.UTF-8 ({line!r})", out[-600:])
    t("# HELP" in out and "," not in line, "metrics: still the Prometheus text format")


def main():
    t = Tap()
    if not LOCALEDIR or not os.path.isdir(os.path.join(LOCALEDIR, "ru", "LC_MESSAGES")):
        t(False, f"the build tree's Russian catalog is missing (PORTOLAN_LOCALEDIR={LOCALEDIR!r})")
        return t.done()
    if not have_locale("ru_RU.UTF-8"):
        t.skip("the ru_RU.UTF-8 locale is not generated here "
               "(localedef -i ru_RU -f UTF-8 ru_RU.UTF-8)")
        return t.done()
    holder = subprocess.Popen([HOLDER, "tcp4-listen", "udp4", "tcp4-pair", "tcp6-listen"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ports = []
    try:
        for line in holder.stdout:
            if line.strip() == "ready":
                break
            ports.append(int(line.split()[1]))
        translated(t)
        plurals(t)
        names_kept(t)
        same_bytes(t, ports)
        metrics_numbers(t)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
