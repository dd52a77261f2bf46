#!/usr/bin/python3
"""The app as a screen reader meets it: `portolan 1644` started for real,
its accessibility tree read over AT-SPI (python3-pyatspi, the a11y bus of
at-spi2-core under the session bus of dbus-run-session). TAP output.

Checks: controls have names a person would say (no "GtkImage", no mnemonic
underscore, no name said twice); the status banner is a status named by its
answer, early in the page; the port map is a slider whose description names
the selected port and whose AT-SPI Value is the port; the Connections
view's filter, toggles and column titles are named, focusable and say
their sort state; dialogs have names.
And the right view at once: with Connections as the last view,
`portolan 1644` shows the Port view without the Connections view ever
scanning (PORTOLAN_DEBUG_TIMING would say so).
"""

import os
import re
import subprocess
import sys
import tempfile
import time

results = []


def check(ok, what):
    results.append((bool(ok), what))
    return ok


def finish():
    print(f"1..{len(results)}")
    failed = 0
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {what}")
        failed += not ok
    sys.exit(1 if failed else 0)


try:
    import pyatspi
except ImportError as e:
    # Debian's pyatspi belongs to Debian's python3; another python3 first
    # on PATH (a pyenv) cannot import it.
    debian = "/usr/bin/python3"
    if os.path.exists(debian) and os.path.realpath(sys.executable) != os.path.realpath(debian):
        os.execv(debian, [debian] + sys.argv)
    print(f"1..0 # SKIP python3-pyatspi is not installed ({e})")
    sys.exit(0)

APP = os.environ.get("PORTOLAN_APP") or sys.argv[1]


def walk(obj, depth=0, out=None):
    """Every accessible under obj, in tree order, as (role, name, obj)."""
    if out is None:
        out = []
    try:
        out.append((obj.getRoleName(), obj.name or "", obj))
        n = obj.childCount
    except Exception:  # an object that went away while we read
        return out
    for i in range(n):
        try:
            child = obj.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None and depth < 60:
            walk(child, depth + 1, out)
    return out


def find_app(timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for app in pyatspi.Registry.getDesktop(0):
            if app is not None and app.name == "portolan":
                return app
        time.sleep(0.2)
    return None


def wait_for(pred, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = pred()
        if got:
            return got
        time.sleep(0.2)
    return pred()


def named(nodes, role, name):
    return [o for r, n, o in nodes if r == role and n == name]


def main():
    work = tempfile.mkdtemp(prefix="portolan-atspi-")
    conf = os.path.join(work, "glib-2.0", "settings")
    os.makedirs(conf)
    with open(os.path.join(conf, "keyfile"), "w") as f:
        # The longest refresh interval: the test reads names, and AT-SPI's
        # calls are answered from the app's main loop. With the 2 s default
        # and 18,000 sockets on a loaded machine that loop was always
        # applying a refresh, and one walk of the tree took minutes.
        f.write("[io/github/portolan/Portolan]\nlast-view='connections'\n"
                "refresh-interval=uint32 60000\n")
    env = dict(os.environ, GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=work,
               PORTOLAN_DEBUG_TIMING="1")
    env.pop("NO_AT_BRIDGE", None)  # the ui suite sets it for the C tests
    log = open(os.path.join(work, "app.log"), "w+")
    # Starting the a11y bus connects to the X server and leaves it; an X
    # server with no client left resets, and a client that connects during
    # the reset is refused ("cannot open display"). So the bus comes first.
    pyatspi.Registry.getDesktop(0)
    time.sleep(1.5)
    app_proc = subprocess.Popen([APP, "1644"], env=env, stderr=log, stdout=log)
    app_proc.args_env = env
    try:
        run(app_proc, log)
    finally:
        app_proc.terminate()  # our own child, by PID
        try:
            app_proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app_proc.kill()
            app_proc.wait()
    finish()


def app_log(log):
    log.flush()
    log.seek(0)
    return log.read()


def run(app_proc, log):
    app = find_app(30)
    if not check(app is not None, "the app is on the accessibility bus"):
        sys.stderr.write(app_log(log))
        return
    page_line = wait_for(lambda: re.search(r"timing: search 1644: page painted", app_log(log)), 30)
    check(page_line, "the Port view painted the answer for 1644")
    time.sleep(1.0)
    text = app_log(log)
    # The Connections view logs each refresh it applies; none ran.
    check("timing: apply" not in text,
          "portolan 1644 opened on the Port view: the last view (Connections) never scanned")

    nodes = wait_for(lambda: [x for x in walk(app)
                              if x[0] == "status bar"] and walk(app), 20)
    names = [n for r, n, o in nodes]
    check(named(nodes, "push button", "Refresh"), "Refresh is named 'Refresh'")
    check(named(nodes, "toggle button", "Main Menu") or named(nodes, "push button", "Main Menu"),
          "the main menu is named 'Main Menu'")
    check([o for r, n, o in nodes if n == "Search for a port"], "the search entry is named")
    gtk_names = sorted({n for r, n, o in nodes
                        if r in ("push button", "toggle button", "entry", "text", "slider")
                        and n.startswith("Gtk")})
    check(not gtk_names, f"no control is named after its class ({gtk_names})")
    mnemonic = [n for n in names if re.search(r"(^|\s)_[^\s_]", n)]
    check(not mnemonic, f"no name carries a mnemonic underscore ({mnemonic[:3]})")
    doubled = [n for n in names if n and len(n.split()) % 2 == 0
               and n.split()[:len(n.split()) // 2] == n.split()[len(n.split()) // 2:]]
    check(not doubled, f"no name repeats itself ({doubled[:3]})")

    status = [(i, n) for i, (r, n, o) in enumerate(nodes) if r == "status bar"]
    check(status and (status[0][1] == "Free" or status[0][1].startswith("In use")
                      or status[0][1].startswith("Free,")),
          f"the status banner is a status named by the answer ({status[:1]})")
    first_button = next((i for i, (r, n, o) in enumerate(nodes)
                         if r == "push button" and n.startswith("Copy")), None)
    check(status and first_button is not None and status[0][0] < first_button,
          "the status comes before the page's buttons")

    sliders = [o for r, n, o in nodes if r == "slider"]
    check(sliders and sliders[0].name == "Map of all 65,536 ports", "the port map is a named slider")
    desc = sliders[0].description if sliders else ""
    check(desc.startswith("Port 1644"), f"the map's description names the port ({desc!r})")
    try:
        value = sliders[0].queryValue()
        got = (value.currentValue, value.minimumValue, value.maximumValue)
    except Exception as e:  # no Value interface
        got = repr(e)
    check(got == (1644.0, 0.0, 65535.0),
          f"the map's value over AT-SPI's Value interface is the port, of 0-65535 ({got})")

    tabs = [n for r, n, o in nodes if r == "page tab"]
    check("Port" in tabs and "Connections" in tabs, f"the view switcher's tabs are named ({tabs})")
    # A second launch reaches the running app, which shows the view asked.
    subprocess.run([APP, "--view=connections"], env=app_proc.args_env, timeout=30,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Wait for the rows to be bound, not just made: on a slow run (ASan) the
    # first walk can meet rows the list has made but not yet named.
    def rows_named():
        nodes = walk(app)
        rows = [n for r, n, o in nodes if r == "table row"]
        unnamed = [n for n in rows if n.count(",") < 3]
        return nodes if rows and len(unnamed) <= 1 else None

    conn = wait_for(rows_named, 20) or walk(app)

    check([o for r, n, o in conn if n == "Filter sockets"], "the Connections filter is named")
    for label in ("Listening only", "TCP", "Pause", "Export…"):
        check([o for r, n, o in conn if n == label and "button" in r],
              f"the Connections view has a control named {label!r}")
    tables = [o for r, n, o in conn if r in ("table", "tree table")
              and n == "Sockets on this computer"]
    check(tables, "the table is named")
    # GTK 4.8 maps a column view title's column-header role to AT-SPI's
    # "filler" (gtk/a11y/gtkatspiutils.c has no case for it) and exports no
    # sort property: each title is named by its column and its sort state
    # is its description.
    nodes_t = walk(tables[0]) if tables else []
    check({"Process", "PID", "State", "Local port"} <= {n for r, n, o in nodes_t},
          "the table's column titles are exposed by name")
    heads = {n: o for r, n, o in nodes_t if r == "filler" and n}
    sorts = {n: heads[n].description for n in ("Process", "State") if n in heads}
    check(sorts and all(d in ("Not sorted", "Sorted ascending", "Sorted descending")
                        for d in sorts.values()),
          f"each column title says its sort state ({sorts})")
    check(heads.get("Process") is not None
          and heads["Process"].getState().contains(pyatspi.STATE_FOCUSABLE),
          "the column titles take the keyboard focus")
    rows = [n for r, n, o in conn if r == "table row"]
    by_content = [n for n in rows if n.count(",") >= 3]
    # One row of GTK's own is left: the header row, which has no socket.
    check(by_content and len(rows) - len(by_content) <= 1,
          f"the table's rows are named by their content ({by_content[:1]}, "
          f"{len(rows) - len(by_content)} of {len(rows)} not)")

if __name__ == "__main__":
    main()
