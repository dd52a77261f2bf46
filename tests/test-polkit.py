#!/usr/bin/python3
"""portolan-cli through pkexec, against a real polkitd. TAP.

There is no systemd here, so the test brings its own: in a private mount
namespace (unshare -m), /run/dbus, polkit's action and rules directories,
/etc/shadow and the directory where `meson install` puts portolan-cli are
bind mounts of a temporary directory, so the machine's own configuration
is never touched. In it: a system bus (dbus-daemon --system with a private
configuration that includes polkit's own bus policy), polkitd started by
hand, the policy as built, rules written for each case, the build's
portolan-cli at the installed path, and root's password set to a test
value. Both daemons are stopped by PID. The listener whose owner is hidden
belongs to root (tests/ptl-test-holder); the person is nobody (setpriv).

usage: test-polkit.py cli|ui HELPER_PATH BUILT_CLI POLICY HOLDER [UI_TEST]

cli: polkitd loads both actions with the policy's defaults; nobody reads the
root listener's owner through `pkexec portolan-cli list --json` when a rule
allows it, with PID, uid and start time right; variables pkexec clears do
not reach portolan-cli; `kill --pid --start-time` through pkexec refuses bad
arguments (2) and a wrong start time (1) and ends the process when right;
a denying rule gets 127 and runs nothing; with the policy's own defaults and
pkttyagent as the agent, one password reads owners twice (auth_admin_keep)
and ending asks again (auth_admin); an agent that dismisses gets 126.

ui: tests/test-ui-admin.c as nobody, under the display of the test run:
allow, no-pkexec, no-polkit, deny, password, lapse and cancel (see that
file).

PTL_ADMIN_SCREENSHOTS=DIR (ui) saves a screenshot at each step of each case;
PTL_ADMIN_VERBOSE=1 copies what the app prints to stderr as it comes.
"""

import json
import os
import pty
import pwd
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import threading
import time

MODE, HELPER = sys.argv[1:3]
BUILT_CLI, POLICY, HOLDER = (os.path.abspath(p) for p in sys.argv[3:6])
UI_TEST = os.path.abspath(sys.argv[6]) if len(sys.argv) > 6 else None
PASSWORD = "portolan-test-password"
READ = "io.github.portolan.Portolan.read-owners"
END = "io.github.portolan.Portolan.end-process"
POLKITD_PATHS = ["/usr/lib/polkit-1/polkitd", "/usr/libexec/polkitd", "/usr/lib/policykit-1/polkitd"]
SYSTEM_BIN = {"/bin", "/sbin", "/usr/bin", "/usr/sbin"}
NOBODY = pwd.getpwnam("nobody")
SETPRIV = ["setpriv", "--reuid", str(NOBODY.pw_uid), "--regid", str(NOBODY.pw_gid),
           "--clear-groups", "--"]

results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, "" if ok else str(detail)))
    return ok


def skip(what, why):
    results.append((True, f"{what} # SKIP {why}", ""))


def finish():
    print(f"1..{len(results)}")
    for i, (ok, what, detail) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {what}")
        for line in detail.splitlines():
            print(f"# {line}")
    sys.stdout.flush()
    sys.exit(0 if all(ok for ok, _, _ in results) else 1)


def skip_all(why):
    print(f"1..0 # SKIP {why}")
    sys.exit(0)


# ---- before the namespace ------------------------------------------------------------------

def preflight():
    if os.geteuid() != 0:
        skip_all("needs root: it starts polkitd and a system bus and bind-mounts over /run/dbus")
    need = ["unshare", "dbus-daemon", "dbus-send", "pkexec", "setpriv", "pkaction", "pkttyagent",
            "openssl"]
    missing = [p for p in need if shutil.which(p) is None]
    if not any(os.path.exists(p) for p in POLKITD_PATHS):
        missing.append("polkitd")
    if missing:
        skip_all(f"not installed: {', '.join(missing)} (Debian: polkitd pkexec dbus openssl)")
    if not os.stat(shutil.which("pkexec")).st_mode & 0o4000:
        skip_all("pkexec is not setuid root here")
    bindir = os.path.dirname(HELPER)
    if bindir in SYSTEM_BIN:
        skip_all(f"the build installs portolan-cli into {bindir}, which the test cannot replace "
                 "(configure with a prefix such as the default /usr/local)")
    if not os.path.isdir(bindir):
        skip_all(f"{bindir} (where meson installs portolan-cli) does not exist to mount over")
    if MODE == "ui" and not os.environ.get("DISPLAY"):
        skip_all("no display: run the ui suite under xvfb-run")
    r = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        skip_all(f"no private mount namespace here: {r.stderr.strip()}")


def enter_namespace():
    """Runs this script again in a private mount namespace."""
    env = dict(os.environ, PTL_POLKIT_NAMESPACE="1")
    r = subprocess.run(["unshare", "--mount", "--propagation", "private", "--",
                        sys.executable] + sys.argv, env=env)
    sys.exit(r.returncode)


# ---- the private system -------------------------------------------------------------------------

BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
  <include>/usr/share/dbus-1/system.d/org.freedesktop.PolicyKit1.conf</include>
</busconfig>
"""

ADMIN_IS_ROOT = 'polkit.addAdminRule(function(action, subject) { return ["unix-user:root"]; });\n'


def rule_for_nobody(result):
    return ADMIN_IS_ROOT + (
        "polkit.addRule(function(action, subject) {\n"
        '  if (action.id.indexOf("io.github.portolan.Portolan.") == 0 && subject.user == "nobody")\n'
        f"    return polkit.Result.{result};\n"
        "});\n")


RULES = {"allow": rule_for_nobody("YES"), "deny": rule_for_nobody("NO"),
         "defaults": ADMIN_IS_ROOT}

# An authentication agent that dismisses every request, as a person
# pressing Cancel in the desktop's dialog does.
CANCEL_AGENT = r'''
import sys
from gi.repository import Gio, GLib
XML = """<node><interface name="org.freedesktop.PolicyKit1.AuthenticationAgent">
<method name="BeginAuthentication"><arg type="s" direction="in"/><arg type="s" direction="in"/>
<arg type="s" direction="in"/><arg type="a{ss}" direction="in"/><arg type="s" direction="in"/>
<arg type="a(sa{sv})" direction="in"/></method>
<method name="CancelAuthentication"><arg type="s" direction="in"/></method>
</interface></node>"""
def call(conn, sender, path, iface, method, params, invocation):
    if method == "BeginAuthentication":
        print("BEGIN", params[0], flush=True)
        invocation.return_dbus_error("org.freedesktop.PolicyKit1.Error.Cancelled", "dismissed")
    else:
        invocation.return_value(None)
bus = Gio.bus_get_sync(Gio.BusType.SYSTEM, None)
node = Gio.DBusNodeInfo.new_for_xml(XML)
bus.register_object("/io/github/portolan/TestAgent", node.interfaces[0], call, None, None)
subject = ("unix-process", {"pid": GLib.Variant("u", int(sys.argv[1])),
                            "start-time": GLib.Variant("t", 0)})
bus.call_sync("org.freedesktop.PolicyKit1", "/org/freedesktop/PolicyKit1/Authority",
              "org.freedesktop.PolicyKit1.Authority", "RegisterAuthenticationAgent",
              GLib.Variant("((sa{sv})ss)", (subject, "C", "/io/github/portolan/TestAgent")),
              None, Gio.DBusCallFlags.NONE, -1, None)
print("REGISTERED", flush=True)
GLib.MainLoop().run()
'''

# nobody's side of the CLI checks: runs each JSON argument vector it reads
# and answers with the result, so pkexec's subject (its parent) stays the
# same process for an agent to serve.
SUBJECT = r'''
import json, subprocess, sys
print("READY", flush=True)
for line in sys.stdin:
    argv, env = json.loads(line)
    r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    print(json.dumps([r.returncode, r.stdout, r.stderr]), flush=True)
'''


class System:
    """The bind mounts, the bus, polkitd and the root listeners."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="ptl-polkit-")
        os.chmod(self.tmp, 0o755)
        self.dbus = self.polkitd = None
        self.holders = []

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def write(self, name, text, mode=0o644):
        with open(self.path(name), "w") as f:
            f.write(text)
        os.chmod(self.path(name), mode)

    def shadow_with_root_password(self):
        hashed = subprocess.run(["openssl", "passwd", "-6", PASSWORD], capture_output=True,
                                text=True, check=True).stdout.strip()
        lines = []
        with open("/etc/shadow") as f:
            for line in f.read().splitlines():
                fields = line.split(":")
                if fields[0] == "root":
                    fields[1] = hashed
                lines.append(":".join(fields))
        self.write("shadow", "\n".join(lines) + "\n", 0o640)

    def setup(self):
        for d in ("run-dbus", "actions", "rules", "no-rules", "bin", "home"):
            os.mkdir(self.path(d))
            os.chmod(self.path(d), 0o755)
        os.chown(self.path("home"), NOBODY.pw_uid, NOBODY.pw_gid)
        shutil.copy(POLICY, self.path("actions"))
        generic = "/usr/share/polkit-1/actions/org.freedesktop.policykit.policy"
        if os.path.exists(generic):
            shutil.copy(generic, self.path("actions"))
        shutil.copy(BUILT_CLI, self.path("bin", os.path.basename(HELPER)))
        self.write("bus.conf", BUS_CONF)
        self.write("cancel-agent.py", CANCEL_AGENT)
        self.write("subject.py", SUBJECT)
        self.shadow_with_root_password()
        for src, dst in (("run-dbus", "/run/dbus"), ("actions", "/usr/share/polkit-1/actions"),
                         ("rules", "/etc/polkit-1/rules.d"),
                         ("no-rules", "/usr/share/polkit-1/rules.d"), ("shadow", "/etc/shadow"),
                         ("bin", os.path.dirname(HELPER))):
            subprocess.run(["mount", "--bind", self.path(src), dst], check=True)

    def start_bus(self):
        self.dbus = subprocess.Popen(["dbus-daemon", "--nofork", "--config-file",
                                      self.path("bus.conf")], stderr=subprocess.DEVNULL)
        self.wait_for(lambda: os.path.exists("/run/dbus/system_bus_socket"), "the system bus")

    def name_has_owner(self, name):
        r = subprocess.run(["dbus-send", "--system", "--print-reply", "--dest=org.freedesktop.DBus",
                            "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                            f"string:{name}"], capture_output=True, text=True)
        return "boolean true" in r.stdout

    def start_polkitd(self, rules):
        self.stop_polkitd()
        self.write("rules/50-portolan-test.rules", RULES[rules])
        polkitd = next(p for p in POLKITD_PATHS if os.path.exists(p))
        self.polkitd = subprocess.Popen([polkitd, "--no-debug"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.wait_for(lambda: self.name_has_owner("org.freedesktop.PolicyKit1"), "polkitd")

    def stop_polkitd(self):
        if self.polkitd is not None:
            self.polkitd.terminate()
            self.polkitd.wait(10)
            self.polkitd = None

    def wait_for(self, cond, what, seconds=20):
        end = time.monotonic() + seconds
        while not cond():
            if time.monotonic() > end:
                raise RuntimeError(f"{what} did not start")
            time.sleep(0.05)

    def start_holder(self):
        """A root listener on a kernel-chosen loopback port: (process, port)."""
        h = subprocess.Popen([HOLDER, "tcp4-listen"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
        port = int(h.stdout.readline().split()[1])
        assert h.stdout.readline().strip() == "ready"
        self.holders.append(h)
        return h, port

    def teardown(self):
        for h in self.holders:
            if h.poll() is None:
                h.stdin.close()
                h.wait(10)
        self.stop_polkitd()
        if self.dbus is not None:
            self.dbus.terminate()
            self.dbus.wait(10)
        shutil.rmtree(self.tmp, ignore_errors=True)


def start_time(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[19])


def nobody_env(**extra):
    env = {"PATH": "/usr/bin:/bin", "HOME": SYSTEM.path("home"), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def as_nobody(argv, env=None, timeout=60):
    r = subprocess.run(SETPRIV + argv, env=env or nobody_env(), capture_output=True, text=True,
                       timeout=timeout, cwd="/")
    return r.returncode, r.stdout, r.stderr


def pkexec(*args):
    return ["pkexec", "--disable-internal-agent", HELPER] + list(args)


def owners_of(text, port):
    """The owners root's listener on @port has in `list --json`."""
    for s in json.loads(text)["sockets"]:
        if s["local_port"] == port and s["state"] == "LISTEN":
            return s["processes"], s["owner_note"]
    return None, None


# ---- agents --------------------------------------------------------------------------------------

class TtyAgent:
    """pkttyagent for one process, answering root's password."""

    def __init__(self, subject_pid):
        self.prompts = []
        self.text = ""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe("setpriv", SETPRIV + ["pkttyagent", "--process", str(subject_pid)],
                       nobody_env())
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()
        time.sleep(0.5)  # registered once it waits for requests

    def serve(self):
        buf = ""
        while True:
            try:
                data = os.read(self.fd, 4096).decode(errors="replace")
            except OSError:
                return
            if not data:
                return
            buf += data
            self.text += data
            if "AUTHENTICATING FOR" in buf and "Password:" in buf:
                action = buf.split("AUTHENTICATING FOR", 1)[1].split("=")[0].strip()
                self.prompts.append((action, buf))
                buf = ""
                self.answer()

    def answer(self):
        """The password, once the agent reads it: it turns echo off with
        TCSAFLUSH, which drops anything typed before."""
        end = time.monotonic() + 10
        while termios.tcgetattr(self.fd)[3] & termios.ECHO and time.monotonic() < end:
            time.sleep(0.01)
        if os.environ.get("PTL_ADMIN_SCREENSHOTS"):
            time.sleep(1.5)  # the app's "waiting for authentication" gets its picture
        os.write(self.fd, (PASSWORD + "\n").encode())

    def count(self, action):
        return sum(1 for a, _ in self.prompts if a == action)

    def stop(self):
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


class CancelAgent:
    def __init__(self, subject_pid):
        self.proc = subprocess.Popen(SETPRIV + ["/usr/bin/python3", SYSTEM.path("cancel-agent.py"),
                                                str(subject_pid)],
                                     env=nobody_env(), stdout=subprocess.PIPE, text=True)
        self.registered = self.proc.stdout.readline().strip() == "REGISTERED"
        self.begun = []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.proc.stdout:
            if line.startswith("BEGIN "):
                self.begun.append(line.split()[1])

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def have_gi():
    return subprocess.run(["/usr/bin/python3", "-c", "from gi.repository import Gio"],
                          capture_output=True).returncode == 0


class Subject:
    """nobody's process that runs pkexec for the CLI checks with an agent."""

    def __init__(self):
        self.proc = subprocess.Popen(SETPRIV + ["/usr/bin/python3", SYSTEM.path("subject.py")],
                                     env=nobody_env(), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, cwd="/")
        assert self.proc.stdout.readline().strip() == "READY"

    def run(self, argv, env=None):
        self.proc.stdin.write(json.dumps([argv, env or nobody_env()]) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(10)


# ---- the CLI cases ---------------------------------------------------------------------------------

def cli_registered():
    for action, auth in ((READ, "auth_admin_keep"), (END, "auth_admin")):
        r = subprocess.run(["pkaction", "--verbose", "--action-id", action], capture_output=True,
                           text=True)
        check(r.returncode == 0 and f"implicit any:      {auth}" in r.stdout
              and f"org.freedesktop.policykit.exec.path -> {HELPER}" in r.stdout,
              f"polkitd loads {action}: {auth}, exec.path {HELPER}", r.stdout + r.stderr)


def cli_allow(holder, port):
    rc, out, err = as_nobody([HELPER, "list", "--json", "--port", str(port)])
    procs, note = owners_of(out, port) if rc == 0 else (None, None)
    check(procs == [] and note == "owner hidden: needs root",
          "nobody alone: root's listener has its owner hidden", f"{rc} {out} {err}")
    rc, out, err = as_nobody(pkexec("list", "--json", "--port", str(port)))
    procs, note = owners_of(out, port) if rc == 0 else (None, None)
    want = {"pid": holder.pid, "uid": 0, "start_time": start_time(holder.pid)}
    check(procs and {k: procs[0][k] for k in want} == want and note is None,
          "nobody through pkexec: the owner's PID, uid and start time", f"{rc} {out} {err}")
    # A variable the helper would read, were it passed: the /proc fallback note.
    env = nobody_env(PORTOLAN_TEST_NO_NETLINK="1")
    rc, out, _ = as_nobody([HELPER, "list", "--json", "--port", str(port)], env)
    control = rc == 0 and any("/proc/net" in n for n in json.loads(out)["notes"])
    rc, out, err = as_nobody(pkexec("list", "--json", "--port", str(port)), env)
    check(control and rc == 0 and not any("/proc/net" in n for n in json.loads(out)["notes"]),
          "PORTOLAN_TEST_NO_NETLINK reaches portolan-cli run by nobody, not through pkexec",
          f"control {control}; {rc} {out} {err}")


def cli_only_list(port):
    """read-owners is kept for a while: it must run list and nothing else.
    The remote options and metrics' file output are not list's (exit 2),
    and any other command gets pkexec's own action, which asks every time
    (no agent here: 127)."""
    target = SYSTEM.path("home", "written-as-root")
    for extra in (["--host", "localhost"], ["--output", target], ["--remote-cli", "/bin/sh"]):
        rc, out, err = as_nobody(pkexec("list", "--port", str(port), *extra))
        check(rc == 2 and out == "", f"read-owners: list refuses {extra[0]} (exit 2)",
              f"{rc} {out} {err}")
    for argv1 in (["metrics", "--output", target], ["--host", "localhost", "list"]):
        rc, out, err = as_nobody(pkexec(*argv1))
        check(rc == 127 and not os.path.exists(target),
              f"'{argv1[0]}' through pkexec is not one of Portolan's actions: it is asked for "
              "every time", f"{rc} {out} {err}")


def cli_kill(holder, port):
    st = start_time(holder.pid)
    cases = [(["--start-time", str(st)], 2, "a start time without --pid: exit 2"),
             (["--pid", str(holder.pid), "--start-time", "0"], 2, "start time 0: exit 2"),
             (["--pid", str(holder.pid), "--start-time", str(st + 1)], 1,
              "a start time that is not the process's: exit 1"),
             (["--pid", "1"], 1, "a PID without the port (init): exit 1")]
    for extra, want, what in cases:
        rc, out, err = as_nobody(pkexec("kill", str(port), "--yes", *extra))
        check(rc == want and holder.poll() is None, f"kill through pkexec, {what}; nothing ended",
              f"{rc} {out} {err}")
    # The pause the tests use would stop portolan-cli here; pkexec clears it.
    env = nobody_env(PORTOLAN_TEST_PAUSE_BEFORE_KILL="recheck")
    rc, out, err = as_nobody(pkexec("kill", str(port), "--yes", "--pid", str(holder.pid),
                                    "--start-time", str(st)), env, timeout=30)
    ended = holder.wait(10) is not None
    check(rc == 0 and "Ended PID" in out and ended,
          "kill --pid --start-time through pkexec ends root's listener (the pause variable "
          "does not reach it)", f"{rc} {out} {err}")


def cli_deny(holder, port):
    rc, out, err = as_nobody(pkexec("list", "--json", "--port", str(port)))
    check(rc == 127 and out == "" and "Not authorized" in err,
          "a denying rule: pkexec exits 127 and portolan-cli does not run", f"{rc} {out} {err}")
    rc, out, err = as_nobody(pkexec("kill", str(port), "--yes", "--pid", str(holder.pid)))
    check(rc == 127 and holder.poll() is None, "a denying rule: kill ends nothing",
          f"{rc} {out} {err}")


def cli_password(holder, port):
    subject = Subject()
    agent = TtyAgent(subject.proc.pid)
    try:
        first = subject.run(pkexec("list", "--json", "--port", str(port)))
        second = subject.run(pkexec("list", "--json", "--port", str(port)))
        procs, _ = owners_of(second[1], port) if second[0] == 0 else (None, None)
        messages = [text for action, text in agent.prompts if action == READ]
        check(first[0] == 0 and procs and procs[0]["pid"] == holder.pid
              and agent.count(READ) == 1,
              "read-owners: root's password once, then kept (auth_admin_keep)",
              f"{first} {second} prompts {agent.prompts}")
        check(messages and "see which programs of other users" in messages[0],
              "the agent shows the policy's message for read-owners", agent.text)
        rc, out, err = subject.run(pkexec("kill", str(port), "--yes", "--pid", str(holder.pid),
                                          "--start-time", str(start_time(holder.pid))))
        check(rc == 0 and agent.count(END) == 1 and holder.wait(10) is not None,
              "end-process asks again (auth_admin) and ends the process",
              f"{rc} {out} {err} prompts {[a for a, _ in agent.prompts]}")
    finally:
        agent.stop()
        subject.stop()


def cli_cancel(port):
    if not have_gi():
        skip("a dismissed request gets 126", "python3-gi is not installed for the test's agent")
        return
    subject = Subject()
    agent = CancelAgent(subject.proc.pid)
    try:
        rc, out, err = subject.run(pkexec("list", "--json", "--port", str(port)))
        check(agent.registered and rc == 126 and out == "" and agent.begun == [READ],
              "an agent that dismisses: pkexec exits 126, portolan-cli does not run",
              f"{rc} {out} {err} {agent.begun}")
    finally:
        agent.stop()
        subject.stop()


def run_cli():
    SYSTEM.start_polkitd("allow")
    cli_registered()
    holder, port = SYSTEM.start_holder()
    cli_allow(holder, port)
    cli_only_list(port)
    cli_kill(holder, port)
    holder, port = SYSTEM.start_holder()
    SYSTEM.start_polkitd("deny")
    cli_deny(holder, port)
    SYSTEM.start_polkitd("defaults")
    cli_password(holder, port)
    holder, port = SYSTEM.start_holder()
    cli_cancel(port)


# ---- the app ---------------------------------------------------------------------------------------

def display_env(case, holder, port, path):
    xauth = os.environ.get("XAUTHORITY")
    env = nobody_env(DISPLAY=os.environ["DISPLAY"], PTL_ADMIN_CASE=case,
                     PTL_ADMIN_PORT=str(port), PTL_ADMIN_PID=str(holder.pid),
                     PTL_ADMIN_STEP_WAIT="1", XDG_RUNTIME_DIR=SYSTEM.path("home"),
                     XDG_CONFIG_HOME=SYSTEM.path("home"), XDG_CACHE_HOME=SYSTEM.path("home"))
    for var in ("GSETTINGS_SCHEMA_DIR", "GSETTINGS_BACKEND", "G_DEBUG", "NO_AT_BRIDGE",
                "G_TEST_SRCDIR", "G_TEST_BUILDDIR", "GDK_DEBUG", "ASAN_OPTIONS", "LSAN_OPTIONS",
                "UBSAN_OPTIONS"):
        if var in os.environ:
            env[var] = os.environ[var]
    if xauth and os.path.exists(xauth):
        shutil.copy(xauth, SYSTEM.path("xauth"))
        os.chmod(SYSTEM.path("xauth"), 0o644)
        env["XAUTHORITY"] = SYSTEM.path("xauth")
    return ["/usr/bin/env", f"PATH={path}", UI_TEST, "--tap"], env


def run_app(case, agent_kind=None, path="/usr/bin:/bin", at_step=None):
    """Runs the app's @case; @at_step maps a step to what the test does
    there before the app goes on."""
    holder, port = SYSTEM.start_holder()
    argv, env = display_env(case, holder, port, path)
    shots = os.environ.get("PTL_ADMIN_SCREENSHOTS")
    if shots:
        env["PTL_ADMIN_STEP_DRAW"] = "1"
    app = subprocess.Popen(SETPRIV + ["dbus-run-session", "--dbus-daemon=/usr/bin/dbus-daemon",
                                      "--"] + argv,
                           env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                           cwd="/")
    agent, lines, tap = None, [], []
    try:
        for line in app.stdout:
            lines.append(line.rstrip("\n"))
            if os.environ.get("PTL_ADMIN_VERBOSE"):
                sys.stderr.write(f"{case}: {line}")
            if line.startswith("# READY pid=") and agent_kind:
                pid = int(line.split("=")[1])
                agent = TtyAgent(pid) if agent_kind == "tty" else CancelAgent(pid)
            if line.startswith("# STEP "):
                (at_step or {}).get(line.split()[2], lambda: None)()
                if shots:
                    subprocess.run(["import", "-window", "root",
                                    os.path.join(shots, f"{case}-{line.split()[2]}.png")])
                try:
                    app.stdin.write("go\n")
                    app.stdin.flush()
                except BrokenPipeError:
                    pass  # it ended; its output says why
            if line.startswith(("ok ", "not ok ")):
                tap.append(line.rstrip("\n"))
        rc = app.wait(60)
    finally:
        if agent is not None:
            agent.stop()
    passed = rc == 0 and tap and all(t.startswith("ok ") for t in tap)
    check(passed, f"the app as nobody: {case}", "\n".join(lines[-60:]) + f"\nexit {rc}")
    return agent, holder


def run_ui():
    SYSTEM.start_polkitd("allow")
    run_app("allow")
    run_app("no-pkexec", path="/nonexistent")
    SYSTEM.stop_polkitd()
    run_app("no-polkit")
    SYSTEM.start_polkitd("deny")
    run_app("deny")
    SYSTEM.start_polkitd("defaults")
    agent, holder = run_app("password", agent_kind="tty")
    check(agent and agent.count(READ) == 1 and agent.count(END) == 1,
          "the app: one password shows every owner over searches and refreshes; "
          "End Process… asks once more",
          agent and [a for a, _ in agent.prompts])
    check(holder.poll() is not None, "the app ended root's listener through pkexec")
    # Another root listener the authentication did not cover, so the next
    # refresh has a hidden owner to ask about.
    SYSTEM.start_holder()
    agent, _ = run_app("lapse", agent_kind="tty",
                       at_step={"lapse": lambda: SYSTEM.start_polkitd("defaults")})
    check(agent and agent.count(READ) == 1,
          "the app: when polkit forgets the authentication, refreshes ask without a prompt",
          agent and [a for a, _ in agent.prompts])
    if have_gi():
        run_app("cancel", agent_kind="cancel")
    else:
        skip("the app as nobody: cancel", "python3-gi is not installed for the test's agent")


# ---- main --------------------------------------------------------------------------------------

def main():
    global SYSTEM
    if os.environ.get("PTL_POLKIT_NAMESPACE") != "1":
        preflight()
        enter_namespace()
    SYSTEM = System()
    try:
        SYSTEM.setup()
        SYSTEM.start_bus()
        run_cli() if MODE == "cli" else run_ui()
    except Exception as e:  # a failed step is a failed test, with what happened
        check(False, f"the test ran to its end ({type(e).__name__})", repr(e))
    finally:
        SYSTEM.teardown()
    finish()


SYSTEM = None
main()
