#!/usr/bin/env python3
"""How much the sampling designs gain (issue 17): the variance of the
reference scenario's mean profit at N = 2^20 samples under plain Monte Carlo,
Latin hypercube and scrambled Sobol' points, and writes its section of
bench/RESULTS.md.

    python3 bench/designs.py [--points 20] [--replicates 32] [--threads 2]
                             [--build build]

Each design runs once with R replicates of 2^POINTS samples
(`--sampling D --replicates R -n R*2^POINTS --summary-only`): its replicates
are R independent estimates at N = 2^POINTS, and the file's standard error
of the mean profit is their spread over sqrt(R), so one estimate's variance
is se^2 R.  The ratios mc / lhs and mc / qmc are the gains; their 95 %
intervals come from the chi-square law of the two variance estimates (R - 1
degrees of freedom each; approximated on the log scale, var(log s^2) =
2 / (R - 1)).  Times are of whole processes: a design with replicates
evaluates its samples twice (once pooled, once by replicate).  The section
"## Sampling designs: variance at N = 2^20" of RESULTS.md is replaced (or
added at its end); bench/run.py rewrites the whole file, so run this after it.
"""
import argparse
import math
import os
import sys
import tempfile
import time

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ROOT, SCENARIO, machine, wall, write_section  # noqa: E402

DESIGNS = ("mc", "lhs", "qmc")


def measure(funnelmc, design, points, replicates, threads, out):
    """(mean, variance of one estimate at 2^POINTS, seconds) of DESIGN."""
    samples = replicates << points
    seconds, _ = wall([funnelmc, "run", SCENARIO, "--summary-only", "-q", "-o", out,
                       "-n", str(samples), "-j", str(threads),
                       "--sampling", design, "--replicates", str(replicates)])
    with h5py.File(out, "r") as f:
        profit = f["outputs/profit"].attrs
        if int(f.attrs["replicates"]) != replicates or f.attrs["sampling"] != design:
            sys.exit("%s: the file does not say %s with %d replicates" % (out, design, replicates))
        return float(profit["mean"]), float(profit["se"]) ** 2 * replicates, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--replicates", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    args = parser.parse_args()
    funnelmc = os.path.join(args.build, "src", "funnelmc")
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "design.h5")
        runs = {d: measure(funnelmc, d, args.points, args.replicates, args.threads, out)
                for d in DESIGNS}
    r = args.replicates
    spread = 1.96 * math.sqrt(2 * 2 / (r - 1))
    heading = "## Sampling designs: variance at N = 2^%d" % args.points
    lines = [heading, "",
             "Written by `python3 bench/designs.py --points %d --replicates %d --threads %d` on %s;"
             " %s." % (args.points, r, args.threads, time.strftime("%Y-%m-%d"), machine()), "",
             "Mean profit of `scenarios/reference.yaml`; each design run once with %d replicates"
             " of 2^%d samples, whose spread gives the variance of one estimate at N = 2^%d."
             % (r, args.points, args.points), "",
             "| design | mean profit | variance of the estimate | mc variance / this | 95 % interval"
             " of the ratio | run s |", "|---|---|---|---|---|---|"]
    for d in DESIGNS:
        mean, variance, seconds = runs[d]
        ratio = runs["mc"][1] / variance
        lines.append("| %s | %.4f | %.4g | %.4gx | %.3g .. %.3g | %.2f |" % (
            d, mean, variance, ratio, ratio * math.exp(-spread), ratio * math.exp(spread), seconds))
    lines += ["", "Targets (issue 17): mc / qmc at least 50x, mc / lhs at least 2x."]
    write_section(args.out, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
