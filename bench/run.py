#!/usr/bin/env python3
"""Runs funnelmc, the floor and the numpy peer side by side and writes
bench/RESULTS.md.

    python3 bench/run.py [--samples 1e7] [--threads 2] [--repeats 5]
                         [--memory-samples 1e9] [--build build]

The three programs run in turn, REPEATS rounds (alternating, so that a noisy
machine slows all of them alike); the medians are compared as ratios.
funnelmc and the floor are timed as whole processes (start-up, table
building, writing the HDF5 file included); numpy's time is the one it
measures itself after its imports, which favours numpy.  With
--memory-samples, one more funnelmc run of that many samples reports its
peak resident memory (GNU time's %M).
"""
import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "reference.yaml")


def wall(command):
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), done.stderr))
    return seconds, done.stdout


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cc = subprocess.run(["cc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return "%s, %d cores, %s, %s" % (model, os.cpu_count(), platform.platform(), cc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", default="1e7")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--memory-samples", default=None)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    args = parser.parse_args()

    funnelmc = os.path.join(args.build, "src", "funnelmc")
    floor = os.path.join(args.build, "bench", "floor")
    numpy_peer = [sys.executable if "usr/bin" in sys.executable else "/usr/bin/python3",
                  os.path.join(ROOT, "bench", "peers", "numpy_reference.py"), args.samples]
    n = int(float(args.samples))
    times = {"floor": [], "funnelmc": [], "numpy": []}
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "bench.h5")
        # one warm-up of each, not counted
        wall([floor, SCENARIO, "-n", args.samples, "-j", str(args.threads)])
        wall([funnelmc, "run", SCENARIO, "-n", args.samples, "-j", str(args.threads), "-q",
              "--summary-only", "-o", out])
        for _ in range(args.repeats):
            times["floor"].append(wall([floor, SCENARIO, "-n", args.samples, "-j", str(args.threads)])[0])
            times["funnelmc"].append(wall([funnelmc, "run", SCENARIO, "-n", args.samples,
                                           "-j", str(args.threads), "-q", "--summary-only",
                                           "-o", out])[0])
            _, text = wall(numpy_peer)
            times["numpy"].append(float(re.search(r"samples, ([\d.]+) s", text).group(1)))
        peak = None
        if args.memory_samples:
            done = subprocess.run(["/usr/bin/time", "-f", "%M %e", funnelmc, "run", SCENARIO,
                                   "-n", args.memory_samples, "-j", str(args.threads), "-q",
                                   "--summary-only",
                                   "-o", out], capture_output=True, text=True)
            kb, seconds = done.stderr.strip().split("\n")[-1].split()
            peak = (int(float(args.memory_samples)), int(kb) / 1024, float(seconds))

    median = {k: statistics.median(v) for k, v in times.items()}
    rate = {k: n / v / 1e6 for k, v in median.items()}
    lines = [
        "# Benchmark results",
        "",
        "Written by `python3 bench/run.py --samples %s --threads %d --repeats %d%s` on %s."
        % (args.samples, args.threads, args.repeats,
           " --memory-samples %s" % args.memory_samples if args.memory_samples else "",
           time.strftime("%Y-%m-%d")),
        "",
        "Machine: %s." % machine(),
        "",
        "Reference scenario (`scenarios/reference.yaml`), N = %s samples, %d threads, summary only;"
        " medians of %d alternating rounds after one warm-up." % (args.samples, args.threads, args.repeats),
        "",
        "| program | median s | min s | max s | M samples/s |",
        "|---|---|---|---|---|",
    ]
    for k in ("funnelmc", "floor", "numpy"):
        lines.append("| %s | %.3f | %.3f | %.3f | %.1f |" % (k, median[k], min(times[k]), max(times[k]), rate[k]))
    speedup = median["numpy"] / median["funnelmc"]
    over_floor = median["funnelmc"] / median["floor"]
    lines += [
        "",
        "| ratio | measured | target |",
        "|---|---|---|",
        "| funnelmc speed / numpy speed | %.1fx | at least 10x |" % speedup,
        "| funnelmc time / floor time | %.2fx | at most 3x |" % over_floor,
    ]
    if peak:
        lines += ["", "Peak resident memory of `funnelmc run` for N = %.0e: %.1f MB (%.1f s)."
                  % (peak[0], peak[1], peak[2])]
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as out_file:
        out_file.write(text)
    print(text)


if __name__ == "__main__":
    main()
