#!/usr/bin/env python3
"""Writes the seed corpus of fuzz-netlink from real kernel replies.

Opens loopback sockets of our own (port 0, the kernel picks), asks
NETLINK_SOCK_DIAG for the dump, keeps only the messages about those
sockets, and writes each seed as fuzz-netlink reads it: a pick byte, a
big-endian port for the filter, then the reply buffer. Cookies and inodes
are replaced by fixed numbers so the seeds say nothing about this machine.

Usage: make-netlink-seeds.py OUTDIR   (Linux only; run it once, commit the files)
"""

import os
import socket
import struct
import sys

NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSG_HDR = struct.Struct("=IHHII")
# inet_diag_req_v2: family, protocol, ext, pad, states, then inet_diag_sockid
# (sport, dport big-endian, src[4], dst[4] 32-bit words, if, cookie[2]).
REQ = struct.Struct("=BBBxI")
SOCKID = struct.Struct("!HH16s16s")
DIAG_MSG_HEAD = struct.Struct("=BBBB")  # family, state, timer, retrans


def dump(family, proto):
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG)
    body = REQ.pack(family, proto, 0, 0xFFFFFFFF) + bytes(48)
    nl.send(NLMSG_HDR.pack(NLMSG_HDR.size + len(body), SOCK_DIAG_BY_FAMILY,
                           NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + body)
    messages = []
    while True:
        buf = nl.recv(65536)
        off = 0
        while off + NLMSG_HDR.size <= len(buf):
            length, kind = NLMSG_HDR.unpack_from(buf, off)[:2]
            if kind in (NLMSG_DONE, NLMSG_ERROR):
                nl.close()
                return messages, buf[off:off + length]
            messages.append(bytearray(buf[off:off + length]))
            off += (length + 3) & ~3


def sport(msg):
    return struct.unpack_from("!H", msg, NLMSG_HDR.size + DIAG_MSG_HEAD.size)[0]


def scrub(msg, inode):
    struct.pack_into("=I", msg, 12, 4242)  # nlmsg_pid: our PID
    scrub_cgroup(msg)
    # cookie: after sport, dport, src, dst, if (4 + 32 + 4 bytes)
    cookie_at = NLMSG_HDR.size + DIAG_MSG_HEAD.size + 40
    msg[cookie_at:cookie_at + 8] = struct.pack("=II", 1, 0)
    # expires, rqueue, wqueue, uid, inode follow the 48-byte id
    tail = NLMSG_HDR.size + DIAG_MSG_HEAD.size + 48
    struct.pack_into("=IIIII", msg, tail, 0, 0, 0, 0, inode)
    return bytes(msg)


INET_DIAG_MSG_SIZE = 72
INET_DIAG_CGROUP_ID = 21


def scrub_cgroup(msg):
    """Zeroes the cgroup id attribute, a number local to this machine."""
    off = NLMSG_HDR.size + INET_DIAG_MSG_SIZE
    while off + 4 <= len(msg):
        length, kind = struct.unpack_from("=HH", msg, off)
        if length < 4:
            return
        if kind == INET_DIAG_CGROUP_ID:
            msg[off + 4:off + length] = bytes(length - 4)
        off += (length + 3) & ~3


def ours(family, proto, ports):
    messages, done = dump(family, proto)
    kept = [scrub(m, 10000 + i) for i, m in enumerate(m for m in messages if sport(m) in ports)]
    done = bytearray(done)
    struct.pack_into("=I", done, 12, 4242)
    return b"".join(kept), bytes(done)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    tcp4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp4.bind(("127.0.0.1", 0))
    tcp4.listen()
    client = socket.create_connection(tcp4.getsockname())
    server, _ = tcp4.accept()
    udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    udp6.bind(("::1", 0))
    port4, port6 = tcp4.getsockname()[1], udp6.getsockname()[1]
    peer = client.getsockname()[1]

    rows, done = ours(socket.AF_INET, socket.IPPROTO_TCP, {port4, peer})
    seeds = {
        "tcp4-listen-and-connected": b"\x00\x00\x00" + rows + done,
        "tcp4-one-port": b"\x20" + struct.pack("!H", port4) + rows + done,
        "tcp4-listening-only": b"\x10\x00\x00" + rows + done,
    }
    rows, done = ours(socket.AF_INET6, socket.IPPROTO_UDP, {port6})
    seeds["udp6-unconnected"] = b"\x01\x00\x00" + rows + done
    seeds["udp6-no-done"] = b"\x09\x00\x00" + rows
    error = NLMSG_HDR.pack(36, NLMSG_ERROR, 0, 1, 0) + struct.pack("=i", -22) + bytes(16)
    seeds["error-einval"] = b"\x00\x00\x00" + error
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as handle:
            handle.write(data)
    for s in (tcp4, client, server, udp6):
        s.close()


if __name__ == "__main__":
    main()
