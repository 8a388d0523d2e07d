#!/usr/bin/env python3
"""What a horizon costs: the reference scenario over 12 periods against the
same over 1 period and without a horizon, and writes its section of
bench/RESULTS.md.

    python3 bench/horizon.py [--summary-samples 1e6 1e7] [--full-samples 1e6]
                             [--threads 2] [--repeats 5] [--build build]

Issue 13's target: a 12-period run costs at most about 12 times a one-period
run of the same samples.  Four versions of scenarios/reference.yaml, all
with the same samples and seed:

    no horizon        the file as it is
    1 period          horizon: {periods: 1, followers: {growth: 0.03, churn: 0.01}}
    12 periods        the same with periods: 12
    12 periods, hours each period
                      and hours drawn anew every period (draw: each_period)

each timed as a whole process (start, quantile tables, the HDF5 file
included), summary only (--summary-only) and as a full run (tornado,
drivers, Sobol, the three levers), REPEATS rounds in turn after one
warm-up each, so that a noisy machine slows them alike; the medians are
compared as ratios.  The section "## Months: the cost of a horizon" of
RESULTS.md is replaced (or added at its end); bench/run.py rewrites the
whole file, so run this after it.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ROOT, SCENARIO, machine, wall, write_section  # noqa: E402

HEADING = "## Months: the cost of a horizon"
GROWTH = "  followers: {growth: 0.03, churn: 0.01}\n"
HOURS = "  hours:            {dist: normal, mean: 40, sd: 5, min: 20, max: 60}\n"


def versions(directory):
    """The four scenario files, by name, written into DIRECTORY."""
    with open(SCENARIO) as f:
        text = f.read()
    if HOURS not in text:
        sys.exit("%s: its hours line changed; update HOURS in %s" % (SCENARIO, __file__))
    texts = {
        "no horizon": text,
        "1 period": text + "horizon:\n  periods: 1\n" + GROWTH,
        "12 periods": text + "horizon:\n  periods: 12\n" + GROWTH,
        "12 periods, hours each period":
            text.replace(HOURS, HOURS.replace("}\n", ", draw: each_period}\n"))
            + "horizon:\n  periods: 12\n" + GROWTH,
    }
    paths = {}
    for i, (name, body) in enumerate(texts.items()):
        paths[name] = os.path.join(directory, "version-%d.yaml" % i)
        with open(paths[name], "w") as f:
            f.write(body)
    return paths


def measure(funnelmc, paths, samples, summary_only, threads, repeats, out):
    """Wall seconds of every version, REPEATS alternating rounds each."""
    def command(path):
        return [funnelmc, "run", path, "-n", samples, "-j", str(threads), "-q", "-o", out,
                *(["--summary-only"] if summary_only else [])]
    for path in paths.values():
        wall(command(path))
    times = {name: [] for name in paths}
    for _ in range(repeats):
        for name, path in paths.items():
            times[name].append(wall(command(path))[0])
    return times


def section(runs, threads, repeats, command_line, load):
    lines = [HEADING, "",
             "Written by `%s` on %s; %s; load average over the last 15 minutes %.1f at the"
             " end (other jobs share the cores: compare the ratios, not the times)."
             % (command_line, time.strftime("%Y-%m-%d"), machine(), load), "",
             "`scenarios/reference.yaml` without a horizon, over 1 period and over 12 (growth 0.03,"
             " churn 0.01, fixed), and over 12 with `hours` drawn each period; whole processes,"
             " %d threads, medians of %d alternating rounds after a warm-up." % (threads, repeats), "",
             "| run | N | no horizon s | 1 period s | 12 periods s | 12, hours each period s |"
             " 12 / 1 | 12 each / 1 | 1 / none | per added period / 1 period |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (kind, samples), times in runs:
        m = {k: statistics.median(v) for k, v in times.items()}
        one, twelve = m["1 period"], m["12 periods"]
        lines.append("| %s | %s | %.3f | %.3f | %.3f | %.3f | %.2fx | %.2fx | %.2fx | %.2f |" % (
            kind, samples, m["no horizon"], one, twelve, m["12 periods, hours each period"],
            twelve / one, m["12 periods, hours each period"] / one, one / m["no horizon"],
            (twelve - one) / 11 / one))
    lines += ["", "Target (issue 13): 12 periods cost at most about 12 times 1 period of the same"
              " samples (`12 / 1`). `per added period / 1 period` is (12 periods - 1 period) / 11"
              " over the 1-period time: what each period after the first costs, as a share of a"
              " whole one-period run."]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--summary-samples", nargs="+", default=["1e6", "1e7"])
    parser.add_argument("--full-samples", nargs="+", default=["1e6"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    args = parser.parse_args()

    funnelmc = os.path.join(args.build, "src", "funnelmc")
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        paths = versions(scratch)
        out = os.path.join(scratch, "horizon.h5")
        for kind, summary_only, sample_counts in (("summary only", True, args.summary_samples),
                                                  ("full run", False, args.full_samples)):
            for samples in sample_counts:
                runs.append(((kind, samples), measure(funnelmc, paths, samples, summary_only,
                                                      args.threads, args.repeats, out)))
    command_line = "python3 bench/horizon.py --summary-samples %s --full-samples %s --threads %d" \
        " --repeats %d" % (" ".join(args.summary_samples), " ".join(args.full_samples),
                           args.threads, args.repeats)
    lines = section(runs, args.threads, args.repeats, command_line, os.getloadavg()[2])
    write_section(args.out, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
