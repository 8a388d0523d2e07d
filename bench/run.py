#!/usr/bin/env python3
"""Runs funnelmc, the floor and the numpy peer side by side and writes
bench/RESULTS.md.

    python3 bench/run.py [--samples 1e7] [--threads 2] [--repeats 5]
                         [--memory-samples 1e9] [--sobol-base 1e6] [--sobol-qmc]
                         [--busy] [--baseline OLD_FUNNELMC] [--build build]

The three programs run in turn, REPEATS rounds (alternating, so that a noisy
machine slows all of them alike); the medians are compared as ratios.
funnelmc and the floor are timed as whole processes (start-up, table
building, writing the HDF5 file included); numpy's time is the one it
measures itself after its imports, which favours numpy.  With
--memory-samples, one more funnelmc run of that many samples reports its
peak resident memory (GNU time's %M).  With --sobol-base, funnelmc and
OpenTURNS (bench/peers/openturns_sobol.py) compute the Sobol indices of
bench/sobol-8.yaml with that many base rows, once per seed 1 .. REPEATS,
alternating; times and peak memory are of whole processes, and the errors
are against the analytic indices (bench/peers/sobol_truth.py).  With
--sobol-qmc as well, funnelmc also runs a copy of bench/sobol-8.yaml with
`sampling: {method: qmc, replicates: 16}` (scrambled Sobol' points for A and
B, 16 randomisations), for the aim of a largest error of at most 0.001 at
every seed.

With --busy, a full reference run (every analysis, 1e6 samples) is timed with
the default thread count and with one thread while another process keeps
one core busy (as a browser or another job would): more threads must not be
slower.  With --baseline BINARY, summary-only and full runs of this build and
of BINARY (an earlier build) alternate, for changes that must not cost speed.
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "reference.yaml")


def wall(command):
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), done.stderr))
    return seconds, done.stdout


def timed(command):
    """Wall seconds, peak resident KB and stdout of COMMAND, via GNU time."""
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), done.stderr))
    seconds, kb = done.stderr.strip().split("\n")[-1].split()
    return float(seconds), int(kb), done.stdout


QMC_SAMPLING = "sampling: {method: qmc, replicates: 16}\n"


def sobol_section(funnelmc, base, threads, repeats, scratch, qmc):
    import h5py
    from sobol_truth import truth
    first_true, total_true = truth()
    scenario = os.path.join(ROOT, "bench", "sobol-8.yaml")
    peer = os.path.join(ROOT, "bench", "peers", "openturns_sobol.py")
    designs = {"funnelmc": scenario}
    if qmc:
        designs["funnelmc qmc x16"] = os.path.join(scratch, "sobol-8-qmc.yaml")
        with open(scenario) as plain, open(designs["funnelmc qmc x16"], "w") as copy:
            copy.write(plain.read() + QMC_SAMPLING)
    rows = {name: [] for name in designs}
    rows["openturns"] = []
    for seed in range(1, repeats + 1):
        out = os.path.join(scratch, "sobol.h5")
        for name, path in designs.items():
            seconds, kb, _ = timed([funnelmc, "run", path, "--base-samples", base, "--seed",
                                    str(seed), "-j", str(threads), "-q", "-o", out])
            with h5py.File(out) as f:
                first = f["sensitivity/sobol_first"][:8]
                total = f["sensitivity/sobol_total"][:8]
            rows[name].append((seconds, kb, first, total))
        seconds, kb, text = timed(["/usr/bin/python3", peer, base, str(seed)])
        first = [float(x) for x in re.search(r"first: \[([^\]]*)\]", text).group(1).split(",")]
        total = [float(x) for x in re.search(r"total: \[([^\]]*)\]", text).group(1).split(",")]
        rows["openturns"].append((seconds, kb, first, total))
    lines = ["", "Sobol indices of `bench/sobol-8.yaml` (8 inputs), base N = %s, %d threads for "
             "funnelmc, seeds 1..%d; errors are the largest |estimate - analytic| over the 8 "
             "first-order (total-order) indices." % (base, threads, repeats), "",
             "| program | median s | median peak MB | first-order max error per seed | "
             "total-order max error per seed |", "|---|---|---|---|---|"]
    summary = {}
    for name, runs in rows.items():
        seconds = statistics.median(r[0] for r in runs)
        mb = statistics.median(r[1] for r in runs) / 1024
        first_errors = [max(abs(a - b) for a, b in zip(r[2], first_true)) for r in runs]
        total_errors = [max(abs(a - b) for a, b in zip(r[3], total_true)) for r in runs]
        summary[name] = (seconds, mb, max(first_errors), max(total_errors))
        lines.append("| %s | %.3f | %.1f | %s | %s |" % (
            name, seconds, mb, " ".join("%.4f" % e for e in first_errors),
            " ".join("%.4f" % e for e in total_errors)))
    lines += ["", "| ratio | measured | target |", "|---|---|---|",
              "| OpenTURNS time / funnelmc time | %.1fx | at least 20x |"
              % (summary["openturns"][0] / summary["funnelmc"][0]),
              "| OpenTURNS peak memory / funnelmc peak memory | %.0fx | at least 100x |"
              % (summary["openturns"][1] / summary["funnelmc"][1]),
              "| largest first-order error, funnelmc / OpenTURNS | %.4f / %.4f | at most 0.001 (aim) |"
              % (summary["funnelmc"][2], summary["openturns"][2])]
    if qmc:
        lines += ["| largest first-order error at any seed, funnelmc qmc x16 | %.4f | at most 0.001 |"
                  % summary["funnelmc qmc x16"][2],
                  "| largest total-order error at any seed, funnelmc qmc x16 | %.4f | at most 0.001 |"
                  % summary["funnelmc qmc x16"][3]]
    return lines


FULL_RUN_SAMPLES = "1e6"


def full_run(binary, out, *threads):
    return [binary, "run", SCENARIO, "-n", FULL_RUN_SAMPLES, "-q", "-o", out, *threads]


def busy_section(funnelmc, repeats, scratch):
    """Default threads against one thread with one core kept busy."""
    out = os.path.join(scratch, "busy.h5")
    times = {"default threads": [], "1 thread": []}
    spinner = subprocess.Popen(["/bin/sh", "-c", "while :; do :; done"])
    try:
        wall(full_run(funnelmc, out))
        for _ in range(repeats):
            times["default threads"].append(wall(full_run(funnelmc, out))[0])
            times["1 thread"].append(wall(full_run(funnelmc, out, "-j", "1"))[0])
    finally:
        spinner.kill()
        spinner.wait()
    median = {k: statistics.median(v) for k, v in times.items()}
    lines = ["", "## A busy machine", "",
             "Full reference run (N = %s, every analysis) while another process keeps one of the"
             " %d cores busy; medians of %d alternating rounds." % (FULL_RUN_SAMPLES, os.cpu_count(), repeats),
             "", "| threads | median s | min s | max s |", "|---|---|---|---|"]
    for k, v in times.items():
        lines.append("| %s | %.3f | %.3f | %.3f |" % (k, median[k], min(v), max(v)))
    lines += ["", "| ratio | measured | target |", "|---|---|---|",
              "| default threads time / 1-thread time, one core busy | %.2f | at most 1 |"
              % (median["default threads"] / median["1 thread"])]
    return lines


def baseline_section(funnelmc, baseline, threads, repeats, scratch):
    """This build against an earlier one, summary-only and full runs."""
    out = os.path.join(scratch, "baseline.h5")
    summary = ["-n", "1e7", "-j", str(threads), "--summary-only"]
    kinds = {"summary only, N = 1e7": lambda b: [b, "run", SCENARIO, "-q", "-o", out, *summary],
             "full run, N = %s" % FULL_RUN_SAMPLES: lambda b: full_run(b, out, "-j", str(threads))}
    lines = ["", "## Against an earlier build", "",
             "`%s` against `%s`, %d threads, medians of %d alternating rounds after a warm-up."
             % (funnelmc, baseline, threads, repeats), "",
             "| run | this build s | earlier build s | ratio | target |", "|---|---|---|---|---|"]
    for kind, command in kinds.items():
        times = {funnelmc: [], baseline: []}
        for binary in times:
            wall(command(binary))
        for _ in range(repeats):
            for binary in times:
                times[binary].append(wall(command(binary))[0])
        new, old = statistics.median(times[funnelmc]), statistics.median(times[baseline])
        lines.append("| %s | %.3f | %.3f | %.3f | at most 1.03 |" % (kind, new, old, new / old))
    return lines


def write_section(path, lines):
    """Replaces the section of PATH headed LINES[0] (up to the next '## ' or
    the end) by LINES, or adds LINES at the end: how the benchmarks other
    than this one keep their sections of RESULTS.md."""
    text = open(path).read() if os.path.exists(path) else ""
    new = "\n".join(lines) + "\n"
    pattern = re.compile(r"^%s\n.*?(?=^## |\Z)" % re.escape(lines[0]), re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: new + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + new
    with open(path, "w") as f:
        f.write(text)


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
    parser.add_argument("--sobol-base", default=None)
    parser.add_argument("--sobol-qmc", action="store_true")
    parser.add_argument("--busy", action="store_true")
    parser.add_argument("--baseline", default=None)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    args = parser.parse_args()

    funnelmc = os.path.join(args.build, "src", "funnelmc")
    floor = os.path.join(args.build, "bench", "floor")
    numpy_peer = [sys.executable if "usr/bin" in sys.executable else "/usr/bin/python3",
                  os.path.join(ROOT, "bench", "peers", "numpy_reference.py"), args.samples]
    n = int(float(args.samples))
    times = {"floor": [], "funnelmc": [], "funnelmc_1_thread": [], "numpy": []}
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
            times["funnelmc_1_thread"].append(wall([funnelmc, "run", SCENARIO, "-n", args.samples,
                                                    "-j", "1", "-q", "--summary-only",
                                                    "-o", out])[0])
            _, text = wall(numpy_peer)
            times["numpy"].append(float(re.search(r"samples, ([\d.]+) s", text).group(1)))
        sobol_lines = sobol_section(funnelmc, args.sobol_base, args.threads, args.repeats,
                                    scratch, args.sobol_qmc) if args.sobol_base else []
        busy_lines = busy_section(funnelmc, args.repeats, scratch) if args.busy else []
        baseline_lines = baseline_section(funnelmc, args.baseline, args.threads, args.repeats,
                                          scratch) if args.baseline else []
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
        "Written by `python3 bench/run.py --samples %s --threads %d --repeats %d%s%s%s%s%s` on %s."
        % (args.samples, args.threads, args.repeats,
           " --memory-samples %s" % args.memory_samples if args.memory_samples else "",
           " --sobol-base %s" % args.sobol_base if args.sobol_base else "",
           " --sobol-qmc" if args.sobol_qmc else "",
           " --busy" if args.busy else "",
           " --baseline %s" % args.baseline if args.baseline else "",
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
    for k in ("funnelmc", "funnelmc_1_thread", "floor", "numpy"):
        lines.append("| %s | %.3f | %.3f | %.3f | %.1f |" % (k, median[k], min(times[k]), max(times[k]), rate[k]))
    speedup = median["numpy"] / median["funnelmc"]
    over_floor = median["funnelmc"] / median["floor"]
    lines += [
        "",
        "| ratio | measured | target |",
        "|---|---|---|",
        "| funnelmc speed / numpy speed | %.1fx | at least 10x |" % speedup,
        "| funnelmc time / floor time | %.2fx | at most 3x |" % over_floor,
        "| parallel efficiency at %d threads (1-thread time / (%d x %d-thread time)) | %.2f | at least 0.9 |"
        % (args.threads, args.threads, args.threads,
           median["funnelmc_1_thread"] / (args.threads * median["funnelmc"])),
    ]
    if peak:
        lines += ["", "Peak resident memory of `funnelmc run` for N = %.0e: %.1f MB (%.1f s)."
                  % (peak[0], peak[1], peak[2])]
    lines += sobol_lines + busy_lines + baseline_lines
    text = "\n".join(lines) + "\n"
    with open(args.out, "w") as out_file:
        out_file.write(text)
    print(text)


if __name__ == "__main__":
    main()
