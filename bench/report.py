#!/usr/bin/env python3
"""How long the report of a 1000-point sweep takes, and writes its section of
bench/RESULTS.md.

    python3 bench/report.py [--samples 2000] [--threads 2] [--repeats 5] [--build build]

Issue 18's target: `funnelmc report` on a 1000-point sweep file takes under a
second.  scenarios/reference.yaml (three levers) with its sweep replaced by
one of 40 x 25 points (followers scaled from 0.25 to 8 on a log scale, the
click rate moved from -0.1 to +0.2) is swept once, at SAMPLES samples a
point; then `funnelmc report FILE` and `funnelmc show FILE` are each timed
as whole processes (reading the file, composing every chart, writing the
page atomically), REPEATS rounds in turn after one warm-up each; medians,
minima and maxima are reported with the page's size.  The section
"## Report: a 1000-point sweep" of RESULTS.md is replaced (or added at its
end); bench/run.py rewrites the whole file, so run this after it.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ROOT, SCENARIO, machine, wall, write_section  # noqa: E402

HEADING = "## Report: a 1000-point sweep"
FOLLOWERS_STEPS, CLICK_STEPS = 40, 25
SWEEP = ("sweeps:\n"
         "  followers_vs_click:\n"
         "    axes:\n"
         "      followers:  {scale: {from: 0.25, to: 8, steps: %d, spacing: log}}\n"
         "      click_rate: {add: {from: -0.1, to: 0.2, steps: %d}}\n"
         % (FOLLOWERS_STEPS, CLICK_STEPS))


def scenario(directory):
    """scenarios/reference.yaml with the 1000-point sweep instead of its own."""
    with open(SCENARIO) as f:
        text = f.read()
    if "\nsweeps:\n" not in text:
        sys.exit("%s: no 'sweeps:' section to replace; update %s" % (SCENARIO, __file__))
    path = os.path.join(directory, "sweep-1000.yaml")
    with open(path, "w") as f:
        f.write(text[:text.index("\nsweeps:\n") + 1] + SWEEP)
    return path


def timed(command, repeats):
    wall(command)
    return [wall(command)[0] for _ in range(repeats)]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", default="2000")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    return parser.parse_args()


def measure(args):
    """The sweep's seconds, the times of report and show, and the sizes of
    the file and of the page."""
    funnelmc = os.path.join(args.build, "src", "funnelmc")
    with tempfile.TemporaryDirectory() as scratch:
        path = scenario(scratch)
        results = os.path.join(scratch, "sweep-1000.h5")
        page = os.path.join(scratch, "sweep-1000.html")
        sweep_seconds = wall([funnelmc, "sweep", path, "-n", args.samples,
                              "-j", str(args.threads), "-q", "-o", results])[0]
        times = {"report": timed([funnelmc, "report", results, "-o", page], args.repeats),
                 "show": timed([funnelmc, "show", results], args.repeats)}
        return sweep_seconds, times, (os.path.getsize(results), os.path.getsize(page))


def main():
    args = arguments()
    sweep_seconds, times, sizes = measure(args)
    median = statistics.median(times["report"])
    lines = [HEADING, "",
             "Written by `python3 bench/report.py --samples %s --threads %d --repeats %d` on %s;"
             " %s; load average over the last 15 minutes %.1f at the end."
             % (args.samples, args.threads, args.repeats, time.strftime("%Y-%m-%d"), machine(),
                os.getloadavg()[2]), "",
             "`scenarios/reference.yaml` (three levers) with a sweep of %d x %d = %d points"
             " (followers scaled 0.25 to 8, log spacing; click rate -0.1 to +0.2), %s samples a"
             " point: swept once in %.1f s (%d threads) into a file of %.0f kB. Whole processes,"
             " %d timed runs after a warm-up; `report` writes a page of %.0f kB."
             % (FOLLOWERS_STEPS, CLICK_STEPS, FOLLOWERS_STEPS * CLICK_STEPS, args.samples,
                sweep_seconds, args.threads, sizes[0] / 1e3, args.repeats, sizes[1] / 1e3), "",
             "| command | median s | min s | max s |",
             "|---|---|---|---|"]
    for name, command in (("report", "`funnelmc report FILE -o PAGE`"),
                          ("show", "`funnelmc show FILE`")):
        lines.append("| %s | %.3f | %.3f | %.3f |" % (command, statistics.median(times[name]),
                                                      min(times[name]), max(times[name])))
    lines += ["", "Target (issue 18): `report` on a 1000-point sweep file in under a second:"
              " %s (median %.3f s)." % ("met" if median < 1.0 else "NOT met", median)]
    write_section(args.out, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
