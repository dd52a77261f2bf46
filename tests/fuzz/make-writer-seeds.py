#!/usr/bin/env python3
"""Writes the seed corpora of fuzz-json, fuzz-csv and fuzz-text: byte
strings laid out the way fuzz-tables.c reads them, holding the strings
writers find hardest (quotes, commas, line ends, escapes, control
characters, invalid and awkward UTF-8).

Usage: make-writer-seeds.py CORPUSDIR   (writes CORPUSDIR/{json,csv,text}/)
"""

import os
import struct
import sys

EVIL = [
    b"python3",
    b'evil"name\\\n\x1b[31m',
    b"/tmp/\xff\xfe/bin\x1b]0;title\x07",
    b"a,b;c \"quoted\" \r\n next",
    b" leading and trailing ",
    b"caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x9a\xa2 \xc2\x9b \xed\xa0\x80 \xc0\xaf",
    b"",
]


def s(data):
    return bytes([len(data)]) + data


def u16(n):
    return struct.pack("!H", n)


def table(names):
    out = bytes([len(names), 3, 1])
    for i, name in enumerate(names):
        out += u16(1000 + i) + s(b"alice") + s(name) + s(b"/usr/bin/" + name) + s(name + b" -c x")
    rows = [
        (0x20, 10, b"127.0.0.1", b"0.0.0.0", 1644, 0, 1000, b"alice"),
        (0x43, 1, b"::1", b"::1", 8080, 51000, 0, b"r\"o,ot"),
        (0x8E, 6, b"fe80::1%eth0", b"\x1b[2J", 65535, 1, 0, b"\xff"),
    ]
    for pick, state, local, remote, lport, rport, uid, user in rows:
        out += bytes([pick, state]) + s(local) + s(remote) + u16(lport) + u16(rport)
        if not pick & 4:
            out += u16(uid)
        out += s(user) + u16(0) + u16(4242) + bytes(range(pick >> 5 & 3))
    return out + s(b"a note, with \"quotes\"\n")


def report_set(names):
    out = bytes([0x0B]) + s(b"1644/\xff\"x")
    out += u16(32768) + u16(60999) + b"\x01" + u16(1024) + b"\x01" + u16(1600) + u16(1700)
    out += s(b"/proc/sys/net/ipv4")
    out += table(names)
    for port in (1644, 5000, 8080, 49152):
        out += bytes([0x03]) + u16(port) + b"\x00\x01"
    return out


def main():
    root = sys.argv[1]
    for target in ("json", "csv", "text"):
        os.makedirs(os.path.join(root, target), exist_ok=True)
    for i, name in enumerate(EVIL):
        rest = [n for n in EVIL if n != name][:2]
        seeds = {
            "json": s(name) + report_set([name] + rest),
            "csv": s(name) + table([name] + rest),
            "text": report_set([name] + rest),
        }
        for target, data in seeds.items():
            with open(os.path.join(root, target, f"seed-{i}"), "wb") as handle:
                handle.write(data)


if __name__ == "__main__":
    main()
