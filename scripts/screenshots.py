#!/usr/bin/env python3
"""Makes the README's pictures: the top of a report of each kind, as headless
Chromium shows it (the harness of tests/browser/chromium.py).

    python3 scripts/screenshots.py [--build build] [--out docs]

writes docs/report-run.png (scenarios/reference.yaml run), report-sweep.png
(its followers x click-rate sweep), report-batch.png (a batch of the scenario
library) and report-bench.png (funnelmc bench with small settings): the top
WIDTH x HEIGHT CSS pixels of each page, re-encoded smaller (a palette when
the picture has at most 256 colours, else RGB; each row's PNG filter chosen
by the least sum of absolute differences, the heuristic of the PNG
specification, section 12.8; zlib at level 9).
"""
import argparse
import glob
import os
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "browser"))
import chromium  # noqa: E402

WIDTH, HEIGHT = 900, 1300


def funnelmc(program, directory, *args):
    """Runs funnelmc in DIRECTORY, so that its pages name their files as
    "run.h5", not by a temporary directory's path."""
    done = subprocess.run([program, *args], capture_output=True, text=True, cwd=directory)
    if done.returncode != 0:
        sys.exit("failed: funnelmc %s\n%s" % (" ".join(args), done.stderr))


def results_files(program, scratch):
    """The results file of each picture (in SCRATCH), by picture name."""
    scenarios = os.path.join(ROOT, "scenarios")
    reference = os.path.join(scenarios, "reference.yaml")
    funnelmc(program, scratch, "run", reference, "-q", "-o", "run.h5")
    funnelmc(program, scratch, "sweep", reference, "-q", "-o", "sweep.h5")
    funnelmc(program, scratch, "batch", *sorted(glob.glob(os.path.join(scenarios, "*.yaml"))),
             "-n", "1e5", "-q", "-o", "batch.h5")
    funnelmc(program, scratch, "bench", "-n", "2e5", "-j", "1,2", "-r", "3", "-q",
             "-o", "bench.h5")
    return {name: name + ".h5" for name in ("run", "sweep", "batch", "bench")}


def filtered(rows, channels):
    """The rows of an image, each with the PNG filter that leaves the least
    sum of absolute values (bytes read as signed), its type byte first."""
    out = []
    previous = bytes(len(rows[0]))
    for row in rows:
        left = bytes(channels) + row[:-channels]
        upper_left = bytes(channels) + previous[:-channels]
        candidates = [
            row,
            bytes((x - a) & 255 for x, a in zip(row, left)),
            bytes((x - b) & 255 for x, b in zip(row, previous)),
            bytes((x - ((a + b) >> 1)) & 255 for x, a, b in zip(row, left, previous)),
            bytes((x - paeth(a, b, c)) & 255 for x, a, b, c in zip(row, left, previous,
                                                                    upper_left)),
        ]
        kind = min(range(5), key=lambda k: sum(v if v < 128 else 256 - v
                                               for v in candidates[k]))
        out.append(bytes([kind]) + candidates[kind])
        previous = row
    return b"".join(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def smaller_png(png):
    width, height, channels, rows = chromium.decode_png(png)
    rgb = [b"".join(row[i:i + 3] for i in range(0, len(row), channels)) for row in rows]
    colours = {}
    for row in rgb:
        for i in range(0, len(row), 3):
            colours.setdefault(row[i:i + 3], len(colours))
            if len(colours) > 256:
                break
    if len(colours) <= 256:
        header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
        indexed = [bytes(colours[row[i:i + 3]] for i in range(0, len(row), 3)) for row in rgb]
        # a palette's indices are no gradient: filtering them helps little, so none
        body = chunk(b"PLTE", b"".join(colours)) + chunk(
            b"IDAT", zlib.compress(b"".join(b"\0" + row for row in indexed), 9))
    else:
        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        body = chunk(b"IDAT", zlib.compress(filtered(rgb, 3), 9))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + body + chunk(b"IEND", b"")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs"))
    args = parser.parse_args()
    program = os.path.join(args.build, "src", "funnelmc")
    with tempfile.TemporaryDirectory() as scratch, chromium.Browser() as browser:
        browser.viewport((WIDTH, HEIGHT, False))
        for name, results in results_files(program, scratch).items():
            funnelmc(program, scratch, "report", results, "-o", name + ".html")
            browser.open("file://" + os.path.join(scratch, name + ".html"))
            png = smaller_png(browser.screenshot(0, 0, WIDTH, HEIGHT))
            path = os.path.join(args.out, "report-%s.png" % name)
            with open(path, "wb") as f:
                f.write(png)
            print("%s: %d bytes" % (path, len(png)))


if __name__ == "__main__":
    main()
