#!/usr/bin/env python3
"""A portable build against a native one, and writes its section of
bench/RESULTS.md.

    python3 bench/portable.py --native build/src/funnelmc \\
        --portable build-portable/src/funnelmc [--threads 2] [--repeats 7]

Issue 19's aim: a portable build (-DFUNNELMC_NATIVE=OFF: baseline x86-64,
its hot loops in clones for AVX2 and AVX-512 chosen at load) within 10 %
of a native one (-march=native).  Builds nothing: give it the two
programs.  Two workloads, as bench/run.py's --baseline times them:

    summary only   scenarios/reference.yaml, N = 1e7, --summary-only
    full run       the same, every analysis (tornado, drivers, Sobol,
                   levers, value of information), N = 1e6

each timed as a whole process, the two programs in turn for REPEATS rounds
after one warm-up each, so that a busy machine slows both alike.  Wall
time and CPU time (user + system, of the child) are both reported: CPU time
is the steadier on a shared machine.  The section "## Portable build
against native" of RESULTS.md is replaced (or added at its end); run it
after bench/run.py, which rewrites the whole file.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import FULL_RUN_SAMPLES, ROOT, SCENARIO, machine, write_section  # noqa: E402

HEADING = "## Portable build against native"
AIM = 1.10


def workloads(out, threads):
    common = ["-j", str(threads), "-q", "-o", out]
    return {
        "summary only, N = 1e7": ["run", SCENARIO, "-n", "1e7", "--summary-only", *common],
        "full run, N = %s" % FULL_RUN_SAMPLES: ["run", SCENARIO, "-n", FULL_RUN_SAMPLES, *common],
    }


def seconds(command):
    """Wall and CPU seconds of COMMAND run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), done.stderr))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def build_line(program):
    """The 'build:' line of PROGRAM --version, or what it says instead."""
    done = subprocess.run([program, "--version"], capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("build:"):
            return line[len("build:"):].strip()
    return "(no build line)"


def measure(programs, arguments, repeats):
    """{program: ([wall], [cpu])} over REPEATS alternating rounds."""
    for program in programs:
        seconds([program, *arguments])
    times = {program: ([], []) for program in programs}
    for _ in range(repeats):
        for program in programs:
            wall, cpu = seconds([program, *arguments])
            times[program][0].append(wall)
            times[program][1].append(cpu)
    return times


def section(rows, native, portable, threads, repeats, command_line, load):
    lines = [HEADING, "",
             "Written by `%s` on %s; %s; load average over the last 15 minutes %.1f at the"
             " end (other jobs share the cores: compare the ratios, not the times)."
             % (command_line, time.strftime("%Y-%m-%d"), machine(), load), "",
             "- native: `%s` (%s)" % (native, build_line(native)),
             "- portable: `%s` (%s)" % (portable, build_line(portable)), "",
             "`scenarios/reference.yaml`, whole processes, %d threads, medians of %d alternating"
             " rounds after a warm-up; CPU time is user + system of the process." % (threads, repeats),
             "",
             "| run | native wall s | portable wall s | portable / native, wall |"
             " native CPU s | portable CPU s | portable / native, CPU | aim |",
             "|---|---|---|---|---|---|---|---|"]
    for kind, times in rows:
        (nw, nc), (pw, pc) = ([statistics.median(v) for v in times[p]] for p in (native, portable))
        lines.append("| %s | %.3f | %.3f | **%.3f** | %.3f | %.3f | **%.3f** | at most %.2f |"
                     % (kind, nw, pw, pw / nw, nc, pc, pc / nc, AIM))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--native", required=True, help="a native build's funnelmc")
    parser.add_argument("--portable", required=True, help="a portable build's funnelmc")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS.md"))
    args = parser.parse_args()

    programs = (args.native, args.portable)
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for kind, arguments in workloads(os.path.join(scratch, "portable.h5"), args.threads).items():
            rows.append((kind, measure(programs, arguments, args.repeats)))
    command_line = "python3 bench/portable.py --native %s --portable %s --threads %d --repeats %d" \
        % (args.native, args.portable, args.threads, args.repeats)
    lines = section(rows, args.native, args.portable, args.threads, args.repeats, command_line,
                    os.getloadavg()[2])
    write_section(args.out, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
