#!/usr/bin/env python3
"""Renders an SVG into a Windows .ico with PNG images at the sizes Windows
uses (16 to 256 px): win-icon.py RSVG_CONVERT INPUT.svg OUTPUT.ico"""
import struct
import subprocess
import sys

SIZES = (16, 20, 24, 32, 40, 48, 64, 256)


def render(rsvg, svg, size):
    return subprocess.run([rsvg, "-w", str(size), "-h", str(size), "-f", "png", svg],
                          check=True, stdout=subprocess.PIPE).stdout


def main():
    rsvg, svg, out = sys.argv[1:4]
    images = [(size, render(rsvg, svg, size)) for size in SIZES]
    # ICONDIR, then one ICONDIRENTRY per image (0 means 256), then the PNGs.
    data = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, png in images:
        side = 0 if size >= 256 else size
        data += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    data += b"".join(png for _, png in images)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
