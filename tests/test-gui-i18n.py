#!/usr/bin/env python3
"""The desktop app in Russian (ru_RU.UTF-8, the build tree's catalog through
PORTOLAN_LOCALEDIR), through the PORTOLAN_DUMP_LABELS test mode: what its
Port view and Connections view show is translated, the app's own sentences
and the core's (the range, the notes, the namespaces) alike. Runs in the ui
suite, under Xvfb. Prints TAP."""

import os
import subprocess
import sys
import tempfile

from ptl_tap import Tap


def have_locale(name):
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout
    return name.lower().replace("utf-8", "utf8") in out.lower().split()


def dump(app, *args):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "labels.txt")
        env = dict(os.environ, LC_ALL="ru_RU.UTF-8", LANGUAGE="", PORTOLAN_DUMP_LABELS=path,
                   PORTOLAN_DUMP_LABELS_TIMEOUT="90")
        proc = subprocess.run([app, *args], env=env, timeout=120, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        labels = open(path, encoding="utf-8").read().splitlines() if os.path.exists(path) else []
    return proc, labels


def check(t, what, proc, labels, wanted, unwanted):
    t(proc.returncode == 0 and len(labels) > 5, f"{what}: the app wrote its labels and exited 0",
      proc.stdout)
    for text in wanted:
        t(any(text in l for l in labels), f"{what}: shows '{text}'", " | ".join(labels[:60]))
    for text in unwanted:
        t(not any(text in l for l in labels), f"{what}: no English '{text}' left",
          " | ".join(l for l in labels if text in l))


def main():
    app = sys.argv[1]
    t = Tap()
    if not have_locale("ru_RU.UTF-8"):
        t.skip("the ru_RU.UTF-8 locale is not generated here "
               "(localedef -i ru_RU -f UTF-8 ru_RU.UTF-8)")
        return t.done()
    proc, labels = dump(app, "1644")
    check(t, "Port view", proc, labels,
          ["Порт 1644", "Официальное назначение (IANA)", "Известное неофициальное использование",
           "Проверьте сами",
           # the core's sentence, through its translation hook
           "Зарегистрированные порты (1024-49151) IANA назначает приложениям по запросу",
           "Все 65 536 портов", "Соединения"],
          ["Official Assignment", "Check It Yourself", "Registered ports (1024-49151)",
           "On This Machine"])
    # The IANA description is data, not a sentence of ours: it stays as IANA wrote it.
    t(any("Satellite-data Acquisition System 4" in l for l in labels),
      "Port view: IANA's own description is not translated")
    # A listener of our own, so the table has a LISTEN row on any machine.
    holder = subprocess.Popen([os.environ["PORTOLAN_TEST_HOLDER"], "tcp4-listen"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for line in holder.stdout:
        if line.strip() == "ready":
            break
    try:
        proc, labels = dump(app, "--view", "connections")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    check(t, "Connections view", proc, labels,
          ["Фильтр по процессу, порту, адресу или состоянию", "Прослушивающие",
           "Локальный адрес", "Удалённый порт", "Состояние"],
          ["Local address", "Listening only", "Filter by process"])
    # TCP states are names, as ss prints them.
    t(any(l == "LISTEN" for l in labels), "Connections view: TCP states stay LISTEN, ESTABLISHED…")
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
