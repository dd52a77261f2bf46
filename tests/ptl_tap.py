"""TAP for the Python tests: numbered ok / not ok lines, skips that say why
(and fail in CI, which installs what the tests need), and the plan."""

import os
import socket
import sys


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def __call__(self, ok, name, detail=""):
        self.n += 1
        self.failed += not ok
        print(f"{'ok' if ok else 'not ok'} {self.n} {name}")
        if detail and not ok:
            for line in str(detail).splitlines()[:40]:
                print(f"# {line}")
        sys.stdout.flush()
        return ok

    def skip(self, why):
        """A skip says why; in CI (CI=true), which installs the servers, it fails."""
        if os.environ.get("CI") == "true":
            self(False, f"CI installs what this needs (.ci/stages), yet: {why}")
        else:
            self(True, f"# SKIP {why}")

    def done(self):
        print(f"1..{self.n}")
        return 1 if self.failed else 0


def free_port():
    """A loopback port the kernel hands out now (closed again at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
