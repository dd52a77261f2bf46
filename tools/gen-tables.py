#!/usr/bin/env python3
"""Generate ptl-tables.c, the C arrays behind core/ptl-knowledge.h.

Run by the build:
  gen-tables.py --iana resources/data/iana.tsv \\
                --unofficial resources/data/unofficial.tsv \\
                --groups resources/data/groups.tsv --output ptl-tables.c

Orderings the C lookups rely on (binary searches, no sorting at run time):
  ptl_iana            by (first, last, protocol bit, service)
  ptl_iana_range_idx  indices of entries with last > first, ascending
  ptl_iana_name_idx   indices of entries with a service name, by
                      (ASCII-lower-case service, first, protocol bit)
  ptl_unofficial      by (first, last), file order among equals
  ptl_group_members   by (first, last, group index)

A malformed row fails the build with "FILE:LINE: what is wrong" and exit 1.
The output depends only on the inputs, so builds are reproducible.
Strings are written out per entry; the compiler merges identical literals.
"""

import argparse
import os
import sys

PROTO_BITS = {"tcp": 1, "udp": 2, "sctp": 4, "dccp": 8}
IANA_HEADER = ["first", "last", "protocol", "service", "description"]
UNOFFICIAL_HEADER = ["first", "last", "protocols", "use", "note"]
GROUPS_HEADER = ["group", "title", "ports"]
NOTE_MAX = 90
DEFAULT_SOURCE = "IANA service names and port numbers"


class DataError(Exception):
    """A problem in an input file; str() is "FILE:LINE: what is wrong"."""


class Row:
    """One data line: its fields and where it came from, for error messages."""

    def __init__(self, path, number, fields):
        self.path, self.number, self.fields = path, number, fields

    def fail(self, message):
        # Messages quote fields; a control character in one is shown as '?'
        # so a bad file cannot drive the terminal of the build log.
        message = "".join("?" if (ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F else c
                          for c in message)
        raise DataError(f"{self.path}:{self.number}: {message}")


def read_tsv(path, header):
    """Returns (comment lines, rows) of a TSV file with '#' comments."""
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            lines = handle.read().split("\n")
    except OSError as err:
        raise DataError(f"{path}:0: cannot read ({err.strerror})") from None
    except UnicodeDecodeError as err:
        raise DataError(f"{path}:0: not UTF-8 ({err.reason})") from None
    comments, rows, seen_header = [], [], False
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if line.startswith("#"):
            comments.append(line[1:].strip())
        elif not line.strip():
            continue
        elif not seen_header:
            if line.split("\t") != header:
                raise DataError(f"{path}:{number}: expected the column line "
                                f"'{' '.join(header)}' (tab-separated) in {name}")
            seen_header = True
        else:
            rows.append(Row(path, number, line.split("\t")))
    if not seen_header:
        raise DataError(f"{path}:{len(lines)}: no column line '{' '.join(header)}'")
    return comments, rows


def check_columns(row, count):
    if len(row.fields) != count:
        row.fail(f"expected {count} tab-separated columns, found {len(row.fields)}")


def parse_port(row, text, what):
    if not text.isascii() or not text.isdigit():
        row.fail(f"{what} '{text}' is not a number")
    port = int(text)
    if port > 65535:
        row.fail(f"{what} {port} is above 65535")
    return port


def parse_span(row, first_text, last_text):
    first = parse_port(row, first_text, "first port")
    last = parse_port(row, last_text, "last port")
    if first > last:
        row.fail(f"first port {first} is above last port {last}")
    return first, last


def parse_proto(row, name):
    if name not in PROTO_BITS:
        row.fail(f"unknown protocol '{name}' (want tcp, udp, sctp or dccp)")
    return PROTO_BITS[name]


def check_text(row, text, what):
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        row.fail(f"{what} contains a control character")


def load_iana(path):
    comments, rows = read_tsv(path, IANA_HEADER)
    entries, seen = [], set()
    for row in rows:
        check_columns(row, 5)
        first, last = parse_span(row, row.fields[0], row.fields[1])
        proto = parse_proto(row, row.fields[2])
        if (first, last, proto, row.fields[3]) in seen:
            row.fail(f"{first}-{last}/{row.fields[2]} '{row.fields[3]}' is listed twice")
        seen.add((first, last, proto, row.fields[3]))
        service, description = row.fields[3], row.fields[4]
        check_text(row, service, "service")
        check_text(row, description, "description")
        if service != service.strip() or " " in service:
            row.fail(f"service name '{service}' contains blanks")
        entries.append((first, last, proto, service, description))
    entries.sort(key=lambda e: (e[0], e[1], e[2], e[3].encode()))
    return source_summary(comments), entries


def source_summary(comments):
    for text in comments:
        if text.startswith("summary:"):
            summary = text[len("summary:"):].strip()
            if summary:
                return summary
    return DEFAULT_SOURCE


def load_unofficial(path):
    _, rows = read_tsv(path, UNOFFICIAL_HEADER)
    entries = []
    for row in rows:
        check_columns(row, 5)
        first, last = parse_span(row, row.fields[0], row.fields[1])
        names = row.fields[2].split(",")
        protos = 0
        for name in names:
            protos |= parse_proto(row, name.strip())
        use, note = row.fields[3], row.fields[4]
        if not use.strip():
            row.fail("the use column is empty")
        check_text(row, use, "use")
        check_text(row, note, "note")
        if len(note) > NOTE_MAX:
            row.fail(f"note is {len(note)} characters, more than {NOTE_MAX}")
        entries.append((first, last, protos, use, note))
    entries.sort(key=lambda e: (e[0], e[1]))  # stable: file order among equals
    return entries


def load_groups(path):
    _, rows = read_tsv(path, GROUPS_HEADER)
    groups, members, names = [], [], set()
    for row in rows:
        check_columns(row, 3)
        name, title, ports = row.fields
        if not name or name in names:
            row.fail(f"group name '{name}' is empty or used twice")
        check_text(row, title, "title")
        names.add(name)
        index = len(groups)
        groups.append((name, title))
        spans = [group_span(row, word) for word in ports.split()]
        if not spans:
            row.fail(f"group '{name}' has no ports")
        members.extend((first, last, index) for first, last in sorted(set(spans)))
    if len(groups) > 65535:
        raise DataError(f"{path}:0: more than 65535 groups")
    members.sort()
    return groups, members


def group_span(row, word):
    first_text, dash, last_text = word.partition("-")
    if not dash:
        last_text = first_text
    return parse_span(row, first_text, last_text)


def c_string(text):
    """A C string literal. Every byte outside printable ASCII becomes a
    three-digit octal escape (which cannot run on into the next character,
    unlike \\x), and '?' is escaped so no "??x" trigraph can form."""
    out = ['"']
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in '"\\?':
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    out.append('"')
    return "".join(out)


def emit_array(lines, ctype, name, rows, empty_row):
    """Appends `const ctype name[] = {...}` and its length. C has no empty
    arrays, so an empty table gets one zeroed placeholder and a length of 0."""
    lines.append(f"const {ctype} {name}[] = {{")
    lines.extend(f"  {row}," for row in (rows or [empty_row]))
    lines.append("};")
    lines.append(f"const size_t {name}_len = {len(rows)};")
    lines.append("")


def generate(source, iana, unofficial, groups, members):
    lines = [
        "/* ptl-tables.c: generated by tools/gen-tables.py from the TSV files in",
        " * resources/data. Do not edit: change those files instead. */",
        "",
        '#include "ptl-knowledge.h"',
        "",
        f"const char ptl_data_source[] = {c_string(source)};",
        "",
    ]
    emit_array(lines, "PtlIanaEntry", "ptl_iana",
               [f"{{ {f}, {l}, {p}, {c_string(s)}, {c_string(d)} }}" for f, l, p, s, d in iana],
               '{ 0, 0, 0, "", "" }')
    ranges = [str(i) for i, e in enumerate(iana) if e[1] > e[0]]
    emit_array(lines, "uint32_t", "ptl_iana_range_idx", ranges, "0")
    named = [i for i, e in enumerate(iana) if e[3]]
    named.sort(key=lambda i: (iana[i][3].encode().lower(), iana[i][0], iana[i][2], iana[i][1], i))
    emit_array(lines, "uint32_t", "ptl_iana_name_idx", [str(i) for i in named], "0")
    emit_array(lines, "PtlUnofficial", "ptl_unofficial",
               [f"{{ {f}, {l}, {p}, {c_string(u)}, {c_string(n)} }}"
                for f, l, p, u, n in unofficial],
               '{ 0, 0, 0, "", "" }')
    emit_array(lines, "PtlPortGroup", "ptl_port_groups",
               [f"{{ {c_string(n)}, {c_string(t)} }}" for n, t in groups], '{ "", "" }')
    emit_array(lines, "PtlGroupMember", "ptl_group_members",
               [f"{{ {f}, {l}, {g} }}" for f, l, g in members], "{ 0, 0, 0 }")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Generate ptl-tables.c (the port knowledge arrays) from the TSV data files.")
    parser.add_argument("--iana", required=True, metavar="TSV", help="resources/data/iana.tsv")
    parser.add_argument("--unofficial", required=True, metavar="TSV",
                        help="resources/data/unofficial.tsv")
    parser.add_argument("--groups", required=True, metavar="TSV", help="resources/data/groups.tsv")
    parser.add_argument("--output", required=True, metavar="C", help="the C file to write")
    args = parser.parse_args(argv)
    try:
        source, iana = load_iana(args.iana)
        unofficial = load_unofficial(args.unofficial)
        groups, members = load_groups(args.groups)
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(generate(source, iana, unofficial, groups, members))
    except OSError as err:
        print(f"{args.output}: cannot write ({err.strerror})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
