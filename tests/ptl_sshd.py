"""A throwaway OpenSSH server on 127.0.0.1 for the --host tests and the
benchmark: its own host key, an authorized client key made here, a port the
kernel picked, started with `sshd -D -f CONFIG` and stopped by its PID.

Only Debian's python3 standard library, openssh-server and openssh-client.
"""

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time


from ptl_tap import free_port  # noqa: F401  (the tests and the benchmark use it from here)


def missing_tools():
    """Why a real sshd cannot run here, or None."""
    for tool in ("sshd", "ssh", "ssh-keygen"):
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            return f"{tool} is not installed (Debian packages openssh-server, openssh-client)"
    return None


def _keygen(path):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "portolan-test",
                    "-f", path], check=True, stdin=subprocess.DEVNULL)
    with open(path + ".pub") as f:
        return f.read().strip()


class Sshd:
    """An sshd of our own; use as a context manager."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ptl-sshd-")
        os.chmod(self.dir, 0o755)
        self.user = getpass.getuser()
        self.port = None
        self.proc = None

    def _write(self, name, text, mode=0o600):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def _server_config(self):
        return self._write("sshd_config", "\n".join([
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {self.host_key}",
            f"AuthorizedKeysFile {self.authorized}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            f"AllowUsers {self.user}",
            f"PidFile {os.path.join(self.dir, 'sshd.pid')}",
            "LogLevel ERROR",
            "",
        ]))

    def client_config(self, name="ssh_config", key=None, known_hosts=None):
        """An ssh_config that trusts our host key and offers @key (ours by default)."""
        return self._write(name, "\n".join([
            "Host *",
            f"  IdentityFile {key or self.client_key}",
            "  IdentitiesOnly yes",
            "  IdentityAgent none",
            f"  UserKnownHostsFile {known_hosts or self.known_hosts}",
            "  GlobalKnownHostsFile /dev/null",
            "  StrictHostKeyChecking yes",
            "  LogLevel ERROR",
            "",
        ]), 0o644)

    def start(self):
        self.host_key = os.path.join(self.dir, "host_key")
        host_pub = _keygen(self.host_key)
        self.client_key = os.path.join(self.dir, "client_key")
        self.authorized = self._write("authorized_keys", _keygen(self.client_key) + "\n", 0o644)
        self.stranger_key = os.path.join(self.dir, "stranger_key")
        _keygen(self.stranger_key)  # a key the server does not know
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # privilege separation dir
        sshd = shutil.which("sshd") or "/usr/sbin/sshd"
        for _ in range(5):  # the port may be taken between picking and binding
            self.port = free_port()
            self.known_hosts = self._write(
                "known_hosts", f"[127.0.0.1]:{self.port} {' '.join(host_pub.split()[:2])}\n", 0o644)
            cfg = self._server_config()
            self.log = open(os.path.join(self.dir, "sshd.log"), "w")
            self.proc = subprocess.Popen([sshd, "-D", "-e", "-f", cfg], stdin=subprocess.DEVNULL,
                                         stdout=self.log, stderr=subprocess.STDOUT)
            if self._wait_listening():
                self.config = self.client_config()
                return self
            self.stop()
        raise RuntimeError("sshd did not start: " + self.log_text())

    def _wait_listening(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(4).startswith(b"SSH-"):
                        return True
            except OSError:
                time.sleep(0.05)
        return False

    def log_text(self):
        try:
            with open(os.path.join(self.dir, "sshd.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    @property
    def destination(self):
        return f"{self.user}@127.0.0.1:{self.port}"

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # our own child, by PID
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
