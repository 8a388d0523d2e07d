#!/usr/bin/env python3
"""What the search of the best set of levers for a budget costs (issue 14):
bench/portfolio-6.yaml and bench/portfolio-12.yaml (the reference scenario
with 6 and 12 levers and a budget) against the same files without their
`budget:` line, and writes its section of bench/RESULTS.md.

    python3 bench/portfolio.py [--samples 1e6] [--threads 2] [--repeats 3]
                               [--build build]

Every run is a full run (tornado, drivers, Sobol, the levers), timed as a
whole process, REPEATS alternating rounds after one warm-up each; the
medians are compared as ratios: search / plain.  The section "## Levers for
a budget: the cost of the search" of RESULTS.md is replaced (or added at its
end); bench/run.py rewrites the whole file, so run this after it.
"""
import argparse
import os
import re
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ROOT, machine, wall, write_section  # noqa: E402

HEADING = "## Levers for a budget: the cost of the search"
LEVERS = (6, 12)


def versions(directory):
    """{(levers, 'search' or 'plain'): path}: each bench file, and a copy without its budget."""
    paths = {}
    for n in LEVERS:
        search = os.path.join(ROOT, "bench", "portfolio-%d.yaml" % n)
        with open(search) as f:
            text = f.read()
        plain = re.sub(r"^budget:.*\n", "", text, flags=re.M)
        if plain == text:
            sys.exit("%s: no budget line" % search)
        paths[(n, "search")] = search
        paths[(n, "plain")] = os.path.join(directory, "plain-%d.yaml" % n)
        with open(paths[(n, "plain")], "w") as f:
            f.write(plain)
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", default="1e6")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    args = parser.parse_args()
    funnelmc = os.path.join(args.build, "src", "funnelmc")
    with tempfile.TemporaryDirectory() as scratch:
        paths = versions(scratch)
        out = os.path.join(scratch, "out.h5")

        def command(path):
            return [funnelmc, "run", path, "-n", args.samples, "-j", str(args.threads), "-q",
                    "-o", out]
        for path in paths.values():
            wall(command(path))
        times = {key: [] for key in paths}
        for _ in range(args.repeats):
            for key, path in paths.items():
                times[key].append(wall(command(path))[0])
    median = {key: statistics.median(v) for key, v in times.items()}
    load = os.getloadavg()[2]
    lines = [HEADING, "",
             "Written by `python3 bench/portfolio.py --samples %s --threads %d --repeats %d` on %s;"
             " %s; load average over the last 15 minutes %.1f at the end (other jobs share the"
             " cores: compare the ratios, not the times)."
             % (args.samples, args.threads, args.repeats, time.strftime("%Y-%m-%d"), machine(), load),
             "", "`bench/portfolio-6.yaml` and `bench/portfolio-12.yaml` (the reference scenario with"
             " 6 and 12 levers and `budget: {hours: 15, money: 400}`) against the same files without"
             " the budget; full runs of N = %s samples, whole processes, %d threads, medians of %d"
             " alternating rounds after a warm-up." % (args.samples, args.threads, args.repeats), "",
             "| levers | subsets screened | plain s | with the search s | search / plain |",
             "|---|---|---|---|---|"]
    for n in LEVERS:
        plain, search = median[(n, "plain")], median[(n, "search")]
        lines.append("| %d | %d | %.3f | %.3f | %.2fx |" % (n, 2 ** n, plain, search, search / plain))
    lines += ["", "Target (issue 14): the 12-lever search of the reference scenario at 1e6 samples"
              " takes well under a minute on 2 cores (`with the search s`)."]
    write_section(args.out, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
