#!/usr/bin/env python3
"""A mutation fuzzer for the Python readers: gen-tables.py's TSV loaders
and import-ports.py's IANA CSV, npm JSON and services(5) readers.

Each round takes a seed of one kind, mutates its bytes (bit flips, bytes
and tokens that matter to the formats, cut, doubled and swapped lines,
splices), writes it to a file and runs the tool's main() in this process
on it. The tool must either succeed or fail the way it promises: exit 1
with one "FILE:LINE: what is wrong" line (gen-tables) or exit 2 with one
"import-ports: ..." line (import-ports). A traceback, a message that is
not one printable line, or an importer output that gen-tables then
rejects, or generated C that does not compile (checked every 20th
accepted input), is a failure; its input is saved under WORK/crashes/.

Usage: fuzz-tools.py --seconds N --seeds DIR --work DIR [--random-seed N]
"""

import argparse
import contextlib
import importlib.util
import io
import os
import random
import re
import shutil
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))

TOKENS = [b"\t", b"\n", b"\r\n", b"\r", b"#", b"-", b",", b'"', b'""', b"/", b" ", b"0",
          b"65535", b"65536", b"99999999999999999999", b"-1", b"tcp", b"udp", b"sctp",
          b"dccp", b"TCP", b"Unassigned", b"Reserved", b"\xff", b"\xc3", b"\xef\xbb\xbf",
          b"\xe2\x80\xa8", b"\x00", b"\x1b[31m", b"{", b"}", b"[", b"]", b":", b"null",
          b"6665-6669", b"summary:", b"first\tlast\tprotocol\tservice\tdescription"]

CC = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
KINDS = ("iana-tsv", "unofficial-tsv", "groups-tsv", "iana-csv", "npm-json", "services")
PRINTABLE_LINE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f]*\n?")  # tabs allowed


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = load_module("gen_tables", os.path.join(ROOT, "tools", "gen-tables.py"))
IMPORT = load_module("import_ports", os.path.join(ROOT, "tools", "import-ports.py"))
# import-ports asks dpkg-query which package ships a services file: two
# processes per run that tell nothing about the reader, so skip them.
IMPORT.services_package = lambda path: {}


def head_lines(path, n):
    with open(path, "rb") as handle:
        return b"".join(handle.readlines()[:n])


def collect_seeds(seed_dir):
    """Seeds per kind: the corpus directory (files named KIND-*) plus the
    project's own data, cut to a few dozen lines so mutations stay fast."""
    seeds = {kind: [] for kind in KINDS}
    for name in sorted(os.listdir(seed_dir)):
        for kind in KINDS:
            if name.startswith(kind + "-"):
                with open(os.path.join(seed_dir, name), "rb") as handle:
                    seeds[kind].append(handle.read())
    data = os.path.join(ROOT, "resources", "data")
    seeds["iana-tsv"].append(head_lines(os.path.join(data, "iana.tsv"), 60))
    seeds["unofficial-tsv"].append(head_lines(os.path.join(data, "unofficial.tsv"), 60))
    seeds["groups-tsv"].append(head_lines(os.path.join(data, "groups.tsv"), 40))
    seeds["iana-csv"].append(head_lines(os.path.join(ROOT, "tests", "data", "iana-sample.csv"), 60))
    missing = [kind for kind, found in seeds.items() if not found]
    if missing:
        sys.exit(f"fuzz-tools: no seeds for {', '.join(missing)} in {seed_dir}")
    return seeds


def mutate(rng, data, pool):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        pos = rng.randint(0, len(data))
        if op == 0 and data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif op == 1 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == 2:
            data[pos:pos] = rng.choice(TOKENS)
        elif op == 3:
            del data[pos:pos + rng.randint(1, 16)]
        elif op == 4:
            chunk = data[pos:pos + rng.randint(1, 64)]
            data[pos:pos] = chunk * rng.randint(1, 3)
        elif op == 5:
            lines = bytes(data).split(b"\n")
            rng.shuffle(lines) if rng.random() < 0.2 else lines.insert(
                rng.randint(0, len(lines)), rng.choice(lines))
            data = bytearray(b"\n".join(lines))
        elif op == 6:
            other = rng.choice(pool)
            cut = rng.randint(0, len(other))
            data = data[:pos] + other[cut:cut + rng.randint(1, 256)]
        else:
            data = data[:pos]
    return bytes(data)


def run_main(func, argv):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = func(argv)
        except SystemExit as exit_:
            code = exit_.code
    return code, err.getvalue()


class Failure(Exception):
    pass


COMPILE_EVERY = 20  # a compiler run costs as much as ~20 rounds


def check_compiles(c_file, counter=[0]):
    """Every COMPILE_EVERY-th accepted input: what gen-tables wrote must be
    C the build can compile (escapes, trigraphs, empty tables)."""
    counter[0] += 1
    if counter[0] % COMPILE_EVERY or CC is None:
        return
    result = subprocess.run([CC, "-fsyntax-only", "-std=c11", "-Werror", "-I",
                             os.path.join(ROOT, "core"), c_file],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Failure(f"gen-tables wrote C that does not compile: {result.stderr[:2000]}")


def check_gen(kind, path, work, companions):
    """Runs gen-tables with @path as the @kind input and small valid files
    (@companions) as the other two."""
    flags = {"iana-tsv": "--iana", "unofficial-tsv": "--unofficial", "groups-tsv": "--groups"}
    files = {flags[k]: companions[k] for k in flags}
    files[flags[kind]] = path
    out = os.path.join(work, "out.c")
    argv = [a for flag, f in files.items() for a in (flag, f)] + ["--output", out]
    code, err = run_main(GEN.main, argv)
    if code == 0:
        check_compiles(out)
        return "ok"
    if code != 1 or not re.match(r".+:\d+: \S", err) or not PRINTABLE_LINE.fullmatch(err):
        raise Failure(f"gen-tables exit {code}, stderr {err!r}")
    return "rejected"


def check_import(kind, path, work, _companions):
    flag = {"iana-csv": "--iana-csv", "npm-json": "--npm-json", "services": "--services"}[kind]
    out = os.path.join(work, "out.tsv")
    code, err = run_main(IMPORT.main, [flag, path, "--date", "2026-01-01", "-o", out])
    if code == 2 and err.startswith("import-ports: ") and PRINTABLE_LINE.fullmatch(err):
        return "rejected"
    if code != 0:
        raise Failure(f"import-ports exit {code}, stderr {err!r}")
    # What the importer writes, the build must accept.
    try:
        GEN.load_iana(out)
    except GEN.DataError as error:
        raise Failure(f"import-ports wrote a TSV gen-tables rejects: {error}") from None
    return "ok"


def write_companions(seeds, work):
    """The first seed of each TSV kind, as files gen-tables can read."""
    companions = {}
    for kind in ("iana-tsv", "unofficial-tsv", "groups-tsv"):
        companions[kind] = os.path.join(work, "good-" + kind)
        with open(companions[kind], "wb") as handle:
            handle.write(seeds[kind][0])
    return companions


def one_round(rng, seeds, work, counts, companions):
    kind = rng.choice(KINDS)
    data = mutate(rng, rng.choice(seeds[kind]), seeds[kind])
    path = os.path.join(work, "input")
    with open(path, "wb") as handle:
        handle.write(data)
    check = check_gen if kind.endswith("-tsv") else check_import
    try:
        verdict = check(kind, path, work, companions)
    except Failure as failure:
        return kind, data, str(failure)
    except Exception:  # a traceback is exactly what we hunt for
        return kind, data, traceback.format_exc()
    counts[kind][verdict] += 1
    return None


def save_crash(work, n, kind, data, why):
    crashes = os.path.join(work, "crashes")
    os.makedirs(crashes, exist_ok=True)
    base = os.path.join(crashes, f"{kind}-{n}")
    with open(base, "wb") as handle:
        handle.write(data)
    with open(base + ".txt", "w", encoding="utf-8") as handle:
        handle.write(why)
    return base


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seeds", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--random-seed", type=int, default=None)
    args = parser.parse_args()
    seconds = float(os.environ.get("PTL_FUZZ_SECONDS", args.seconds))
    seed = args.random_seed if args.random_seed is not None else int(time.time())
    rng = random.Random(seed)
    os.makedirs(args.work, exist_ok=True)
    seeds = collect_seeds(args.seeds)
    companions = write_companions(seeds, args.work)
    counts = {kind: {"ok": 0, "rejected": 0} for kind in KINDS}
    crashes = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        found = one_round(rng, seeds, args.work, counts, companions)
        if found:
            crashes += 1
            base = save_crash(args.work, crashes, *found)
            print(f"FAILURE on {base}:\n{found[2]}")
            if crashes >= 5:
                break
    total = sum(c["ok"] + c["rejected"] for c in counts.values()) + crashes
    for kind in KINDS:
        print(f"  {kind}: {counts[kind]['ok']} accepted, {counts[kind]['rejected']} rejected")
    print(f"tools: {total} executions in {seconds:g} s (random seed {seed}), {crashes} failures")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
