#!/usr/bin/env python3
"""funnelmc under mpirun: the same bits as one process, the traffic, the faults, bench.

Run by ctest (tests/mpi/CMakeLists.txt) as
    python3 test_mpi.py FUNNELMC SOURCE_DIR MPIEXEC "MPIEXEC_FLAGS" [SUITE...]
with FUNNELMC built with -DFUNNELMC_MPI=ON; SUITE is a class below (SameBits, Traffic,
Faults, Bench) or one of its tests (SameBits.test_sweep), all of them without one.
As root, Open MPI needs OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
(ctest sets them), and more processes than cores need --oversubscribe (among the
flags ctest passes).

Every command of a job is started in a session of its own and bounded by a timeout:
a job that hangs is killed, its whole session with it, and the test fails.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from h5objects import differences, objects  # noqa: E402

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
MPIEXEC = sys.argv[3] if len(sys.argv) > 3 else "mpiexec"
MPIEXEC_FLAGS = sys.argv[4].split() if len(sys.argv) > 4 else ["--oversubscribe", "--bind-to", "none"]
SUITES = sys.argv[5:]
# the program built without MPI (scripts/test.sh names it): its files too must be
# the same, bit for bit, as the MPI program's
WITHOUT_MPI = os.environ.get("FUNNELMC_WITHOUT_MPI")

REFERENCE = os.path.join(SOURCE, "scenarios", "reference.yaml")
HORIZON = os.path.join(SOURCE, "scenarios", "handmade-year.yaml")
SHOP = os.path.join(SOURCE, "scenarios", "handmade-shop.yaml")
ROASTER = os.path.join(SOURCE, "scenarios", "coffee-roaster.yaml")
LIBRARY = sorted(glob.glob(os.path.join(SOURCE, "scenarios", "*.yaml")))

BLOCK = 4096  # samples of a block (engine.h: FMC_BLOCK_SIZE)
# How long any one command may take before it counts as a hang; the fault tests
# bound how fast a failing job ends far more tightly.
HANG = 600
PROMPT = 20  # seconds in which a failing job must have ended, on a loaded 2-core machine


class Job:
    """A finished command: its status and output."""

    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def command(args, processes=None, program=FUNNELMC):
    """The command line: PROGRAM alone, or under mpirun with PROCESSES processes."""
    if processes is None:
        return [program, *args]
    return [MPIEXEC, *MPIEXEC_FLAGS, "-n", str(processes), program, *args]


def start(args, processes=None, cwd=None, program=FUNNELMC):
    return subprocess.Popen(command(args, processes, program), cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(process, timeout):
    """Waits for PROCESS at most TIMEOUT seconds; a job still running then is
    killed with everything it started, and the test fails."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        raise AssertionError("hung: still running after %d s: %s\n%s" % (timeout, process.args, err))
    return Job(process.returncode, out, err)


def funnelmc(*args, processes=None, cwd=None, timeout=HANG, program=FUNNELMC):
    return finish(start(args, processes, cwd, program), timeout)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class TempDir(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-mpi-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def ok(self, job):
        self.assertEqual(job.returncode, 0, job.stderr)
        return job


# Every command of issue 16's list, small enough for CI: each is run once as one
# process without mpirun (-j 1), and under mpirun with 1, 2 and 3 processes x 1 and
# 2 threads; every object of every file must be the same, bit for bit.
COMMANDS = {
    # every analysis at once: tornado, drivers, Sobol, levers and their pairs,
    # equivalents, break-even, value of information
    "run --combine": ["run", REFERENCE, "-n", "20000", "--combine"],
    # many rounds: 3e6 samples are 733 blocks, three rounds or more on any team
    "run, many rounds": ["run", REFERENCE, "-n", "3000000", "--summary-only"],
    # a stopping rule met after several checkpoints (rounds of FMC_CHECKPOINT_BLOCKS)
    "run --precision-mean": ["run", REFERENCE, "--precision-mean", "6", "--summary-only"],
    # the Sobol design grown until its indices are precise enough
    "run --precision-sobol": ["run", REFERENCE, "-n", "20000", "--precision-sobol", "0.02"],
    # raw draws gathered to rank 0, over several rounds of the sink (16 blocks each)
    "run --save-samples": ["run", REFERENCE, "-n", "100000", "--save-samples", "--summary-only"],
    # a horizon: every analysis over 12 months, then rounds of paths (4 blocks a
    # core, at least 16: 37 blocks are two rounds or more up to 8 cores)
    "run, horizon": ["run", HORIZON, "-n", "8192", "--base-samples", "1024"],
    "run, horizon, many rounds": ["run", HORIZON, "-n", "150000", "--summary-only"],
    # levers with uncertain effects, and their value of information
    "run, uncertain levers": ["run", SHOP, "-n", "20000"],
    "run, the worked example": ["run"],
    # designs: replicate passes after the pooled one, each collective; a stopping rule
    # that doubles the replicates' points; correlated, fitted inputs under qmc
    "run, qmc replicates": ["run", REFERENCE, "-n", "32768", "--sampling", "qmc",
                            "--replicates", "4", "--base-samples", "4096", "--combine"],
    "run, lhs --precision-mean": ["run", REFERENCE, "--sampling", "lhs", "--replicates", "4",
                                  "--precision-mean", "2", "--summary-only"],
    "run, correlated and fitted": ["run", ROASTER, "-n", "16384", "--base-samples", "2048"],
    "sweep": ["sweep", REFERENCE, "-n", "8000"],
    "sweep, horizon": ["sweep", HORIZON, "-n", "4000"],
    "batch": ["batch", *LIBRARY, "-n", "5000"],
    "batch --sweeps": ["batch", *LIBRARY, "-n", "3000", "--sweeps", "--summary-only"],
}
TEAMS = [(p, t) for p in (1, 2, 3) for t in (1, 2)]
# Groups of several processes: fewer points (or scenarios) than processes, so that a
# group shares each point's (or scenario's) blocks. Each on one team only, for time.
GROUPS = {
    # 4 points of unequal horizons on 5 processes: groups of 2, 1, 1 and 1 processes
    "sweep, horizon, a group of two": (["sweep", HORIZON, "-n", "4000"], [(5, 1)]),
    # 2 scenarios on 3 processes: the longer (the horizon) to ranks 0 and 1, whose
    # analysis and sweep (its 4 points in 2 groups of one) they share
    "batch --sweeps, a group of two": (["batch", HORIZON, SHOP, "-n", "3000", "--sweeps",
                                        "--summary-only"], [(3, 1)]),
}


class SameBits(TempDir):
    """Every object of every command's file is the same, bit for bit, for every
    team: the work is cut differently, the results are not."""

    def check_command(self, name, args, teams=TEAMS):
        reference = self.path("one.h5")
        self.ok(funnelmc(*args, "-q", "-j", "1", "-o", reference, cwd=self.dir))
        expected = objects(reference)
        self.assertGreater(len(expected), 20, name)
        if WITHOUT_MPI:
            with self.subTest(command=name, program=WITHOUT_MPI):
                target = self.path("without-mpi.h5")
                self.ok(funnelmc(*args, "-q", "-j", "1", "-o", target, cwd=self.dir,
                                 program=WITHOUT_MPI))
                found = objects(target)
                self.assertTrue(found == expected, differences(expected, found))
                os.remove(target)
        for processes, threads in teams:
            with self.subTest(command=name, processes=processes, threads=threads):
                target = self.path("p%d-j%d.h5" % (processes, threads))
                job = funnelmc(*args, "-q", "-j", str(threads), "-o", target,
                               processes=processes, cwd=self.dir)
                self.assertEqual(job.returncode, 0, job.stderr)
                found = objects(target)
                self.assertTrue(found == expected, differences(expected, found))
                os.remove(target)
        # nothing else left beside the files: no temporaries, locks or parts
        self.assertEqual(os.listdir(self.dir), ["one.h5"])


# a test per command, named after it: test_run_combine, test_sweep_horizon, ...
for _name, _args in COMMANDS.items():
    setattr(SameBits, "test_" + re.sub(r"\W+", "_", _name.replace("--", "")).strip("_"),
            lambda self, name=_name, args=_args: self.check_command(name, args))
for _name, (_args, _teams) in GROUPS.items():
    setattr(SameBits, "test_" + re.sub(r"\W+", "_", _name.replace("--", "")).strip("_"),
            lambda self, name=_name, args=_args, teams=_teams: self.check_command(name, args, teams))


SUMMARY_LINE = re.compile(r"^processes: (\d+) x (\d+) threads; (\d+) collectives, "
                          r"([\d.e+]+) ([kMGT]?B) exchanged by rank 0$", re.M)


class Traffic(TempDir):
    """The messages of a run grow with its rounds, not with its samples.

    The engine exchanges one round of every accumulator's slots in one allgather,
    agrees on going on once a round, and adds a constant number of collectives per
    run (setup, the order-free counts, the end). A round is max(256, 16 x processes x
    threads) blocks of 4096 samples (engine.c): for 2 processes x 1 thread, 256."""

    ROUND = 256

    def collectives(self, *args, processes=2, threads=1):
        job = self.ok(funnelmc("run", REFERENCE, *args, "-j", str(threads),
                               "-o", self.path("t.h5"), processes=processes, cwd=self.dir))
        found = SUMMARY_LINE.findall(job.stdout)
        self.assertEqual(len(found), 1, job.stdout)
        self.assertEqual(found[0][:2], (str(processes), str(threads)))
        return int(found[0][2])

    def summary_run(self, blocks):
        return self.collectives("--summary-only", "-n", str(blocks * BLOCK))

    def test_collectives_grow_with_rounds_not_with_samples(self):
        one_round = self.summary_run(1)
        # 256 times the samples in the same one round: not one message more
        self.assertEqual(self.summary_run(self.ROUND), one_round)
        per_round = self.summary_run(self.ROUND + 1) - one_round
        self.assertGreaterEqual(per_round, 1)
        self.assertLessEqual(per_round, 3)  # an allgather, an agreement, maybe the progress
        self.assertEqual(self.summary_run(2 * self.ROUND), one_round + per_round)
        self.assertEqual(self.summary_run(2 * self.ROUND + 1), one_round + 2 * per_round)
        # ten times the samples of a full round: nine rounds more, nothing else
        self.assertEqual(self.summary_run(10 * self.ROUND), one_round + 9 * per_round)

    def test_a_whole_analysis_exchanges_as_often_for_10x_the_samples(self):
        # every analysis of the scenario, each run within one round either way
        args = ("--combine", "--base-samples", "4096")
        few = self.collectives(*args, "-n", "20000")
        many = self.collectives(*args, "-n", "200000")
        self.assertEqual(few, many)

    def test_a_lone_process_prints_no_traffic(self):
        job = self.ok(funnelmc("run", REFERENCE, "--summary-only", "-n", "10000",
                               "-o", self.path("t.h5"), processes=1))
        self.assertNotIn("processes:", job.stdout)
        job = self.ok(funnelmc("run", REFERENCE, "--summary-only", "-n", "10000",
                               "-o", self.path("t.h5")))
        self.assertNotIn("processes:", job.stdout)


def rank_pids(mpirun_pid, processes, timeout=PROMPT):
    """{rank: pid} of the funnelmc processes mpirun started (its children, each
    with its rank in OMPI_COMM_WORLD_RANK), once all have started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ranks = {}
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                with open(stat) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) != mpirun_pid:
                    continue
                pid = int(stat.split("/")[2])
                with open("/proc/%d/environ" % pid, "rb") as f:
                    environment = f.read().split(b"\0")
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            for variable in environment:
                if variable.startswith(b"OMPI_COMM_WORLD_RANK="):
                    ranks[int(variable.split(b"=")[1])] = pid
        if len(ranks) == processes:
            return ranks
        time.sleep(0.05)
    raise AssertionError("mpirun did not start %d processes" % processes)


def running(pid):
    """Whether PID is a live process (not gone, nor a zombie waiting to be reaped)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Faults(TempDir):
    """A job that loses a process, is interrupted or cannot write ends promptly,
    non-zero, with no half-written results file and the earlier one intact."""

    def assert_all_gone(self, ranks):
        """No process of an ended job lives on (and, once reaped, none holds a
        temporary file that the next run would take for a live writer's)."""
        deadline = time.monotonic() + PROMPT
        while time.monotonic() < deadline and any(os.path.exists("/proc/%d" % p)
                                                  for p in ranks.values()):
            time.sleep(0.05)
        self.assertEqual([r for r, p in ranks.items() if running(p)], [])

    def earlier(self, target):
        self.ok(funnelmc("run", "-q", "-o", target))
        return read_bytes(target)

    def start_long_job(self, args, processes=3):
        """A job of PROCESSES that would take days (ARGS), once it is at work:
        every process is there and rank 0 has made its first file (a temporary,
        a lock, a batch's parts)."""
        before = set(os.listdir(self.dir))
        process = start(args, processes, cwd=self.dir)
        started = time.monotonic()
        ranks = rank_pids(process.pid, processes)
        while time.monotonic() - started < PROMPT and set(os.listdir(self.dir)) == before:
            time.sleep(0.05)
        time.sleep(1.0)
        return process, ranks

    def interrupt(self, args, sig, processes=3):
        """Sends SIG to mpirun running ARGS on PROCESSES: the job stops as one
        process does on Ctrl-C, promptly, saying so once."""
        process, ranks = self.start_long_job(args, processes)
        process.send_signal(sig)
        job = finish(process, PROMPT)
        self.assertNotEqual(job.returncode, 0, job.stderr)
        self.assert_all_gone(ranks)
        self.assertEqual(job.stderr.count("interrupted"), 1, job.stderr)

    def assert_only_temporaries_beside(self, target, earlier):
        self.assertEqual(read_bytes(target), earlier)
        name = os.path.basename(target)
        for left in os.listdir(os.path.dirname(target)):
            self.assertTrue(left in (name, name + ".lock") or left.startswith("." + name + ".tmp-"),
                            left)

    def test_a_killed_process_ends_the_job_promptly_and_keeps_the_earlier_file(self):
        target = self.path("keep.h5")
        earlier = self.earlier(target)
        for victim in (2, 0):  # a process that only computes, then the one that writes
            with self.subTest(victim=victim):
                process, ranks = self.start_long_job(["run", REFERENCE, "-n", "1e11", "-o", target])
                os.kill(ranks[victim], signal.SIGKILL)
                job = finish(process, PROMPT)
                self.assertNotEqual(job.returncode, 0, job.stderr)
                self.assert_all_gone(ranks)
                self.assert_only_temporaries_beside(target, earlier)
                # the next run is not blocked by what the killed job left, and cleans it up
                self.ok(funnelmc("run", "-q", "-o", target))
                earlier = read_bytes(target)
                self.assertEqual(os.listdir(self.dir), ["keep.h5"])

    def test_sigint_and_sigterm_to_mpirun_stop_the_job_like_ctrl_c(self):
        target = self.path("keep.h5")
        earlier = self.earlier(target)
        for sig in (signal.SIGINT, signal.SIGTERM):
            with self.subTest(signal=sig):
                self.interrupt(["run", REFERENCE, "-n", "1e11", "-o", target], sig)
                self.assertEqual(os.listdir(self.dir), ["keep.h5"])
                self.assertEqual(read_bytes(target), earlier)

    def test_an_interrupted_sweep_or_batch_leaves_nothing_half_written(self):
        # sweep and batch take -n for every grid point and scenario; the horizon's
        # 4 points on 5 processes make a group of two, which must stop together
        for args, processes, sig in (
                (["sweep", REFERENCE, "-q", "-n", "1e11", "-o", self.path("s.h5")], 3,
                 signal.SIGINT),
                (["sweep", HORIZON, "-q", "-n", "1e11", "-o", self.path("h.h5")], 5,
                 signal.SIGTERM),
                (["batch", REFERENCE, "-q", "-n", "1e11", "-o", self.path("b.h5")], 3,
                 signal.SIGINT)):
            with self.subTest(command=args[0], processes=processes):
                self.interrupt(args, sig, processes)
                # no file: a batch's directory of parts may stay, empty, for --resume
                self.assertEqual([f for _, _, files in os.walk(self.dir) for f in files], [])

    def test_a_bad_scenario_is_reported_once_with_exit_2(self):
        with open(REFERENCE, encoding="utf-8") as source:
            text = source.read()
        bad = self.path("bad.yaml")
        with open(bad, "w", encoding="utf-8") as out:
            out.write(text.replace("{dist: beta, alpha: 25, beta: 75}",
                                   "{dist: beta, alpha: -25, beta: 75}"))
        good = self.path("good.yaml")
        with open(good, "w", encoding="utf-8") as out:
            out.write(text)
        for args in (["run", bad, "-o", self.path("r.h5")],
                     ["sweep", bad, "-o", self.path("s.h5")],
                     ["check", good, bad],
                     ["batch", good, bad, "-n", "5000", "-q", "-o", self.path("b.h5")]):
            with self.subTest(command=args[0]):
                alone = funnelmc(*args, cwd=self.dir)
                self.assertEqual(alone.returncode, 2, alone.stderr)
                errors = [line for line in alone.stderr.splitlines() if line.startswith("error: ")]
                self.assertGreaterEqual(len(errors), 1)
                self.assertIn("alpha must be > 0", alone.stderr)
                job = funnelmc(*args, processes=3, cwd=self.dir, timeout=120)
                self.assertEqual(job.returncode, 2, job.stderr)
                # the same errors, once each (mpirun may add its own notice)
                self.assertEqual([line for line in job.stderr.splitlines()
                                  if line.startswith(("error: ", "warning: ", "rank "))],
                                 errors)
                self.assertEqual(job.stdout.count(os.path.basename(bad)),
                                 alone.stdout.count(os.path.basename(bad)))
                if args[0] == "batch":  # the good scenario completes still
                    with h5py.File(self.path("b.h5")) as f:
                        self.assertEqual(int(f["widget-shop"].attrs["complete"]), 1)
                    os.remove(self.path("b.h5"))
                self.assertFalse(os.path.exists(self.path("r.h5")) or
                                 os.path.exists(self.path("s.h5")))

    def test_an_unwritable_target_fails_the_job_promptly(self):
        missing = self.path("missing-dir/out.h5")
        for args in (["run", REFERENCE, "-n", "1e11", "-o", missing],
                     ["run", REFERENCE, "-n", "1e11", "-o", self.dir],
                     ["sweep", REFERENCE, "-n", "1e11", "-o", missing],
                     ["batch", REFERENCE, "-n", "1e11", "-o", missing]):
            with self.subTest(args=args):
                job = funnelmc(*args, processes=3, cwd=self.dir, timeout=PROMPT)
                self.assertEqual(job.returncode, 1, job.stderr)
                errors = [line for line in job.stderr.splitlines() if "error: " in line]
                self.assertEqual(len(errors), 1, job.stderr)
                self.assertEqual(os.listdir(self.dir), [])

    def test_srun_without_an_mpi_plugin_is_refused(self):
        # as plain `srun -n 4` starts each task where Slurm connects none by MPI
        env = {k: v for k, v in os.environ.items()
               if k not in ("OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE")}
        env.update(SLURM_STEP_NUM_TASKS="4", SLURM_PROCID="1")
        out = self.path("o.h5")
        job = subprocess.run([FUNNELMC, "run", REFERENCE, "-n", "1000", "-o", out], env=env,
                             capture_output=True, text=True, timeout=PROMPT, cwd=self.dir)
        self.assertEqual(job.returncode, 2, job.stderr)
        self.assertIn("srun --mpi=pmix", job.stderr)
        self.assertEqual(os.listdir(self.dir), [])
        # a step of one task (a batch script's own) runs as a lone process
        env["SLURM_STEP_NUM_TASKS"] = "1"
        job = subprocess.run([FUNNELMC, "run", REFERENCE, "-n", "1000", "-q", "-o", out], env=env,
                             capture_output=True, text=True, timeout=PROMPT, cwd=self.dir)
        self.assertEqual(job.returncode, 0, job.stderr)
        self.assertTrue(os.path.exists(out))

    def test_a_batch_that_loses_a_process_resumes_to_the_same_bits(self):
        with open(REFERENCE, encoding="utf-8") as source:
            text = source.read()
        paths = []
        for k in range(5):
            path = self.path("s%d.yaml" % k)
            with open(path, "w", encoding="utf-8") as out:
                out.write(text.replace("name: widget-shop", "name: shop-%d" % k)
                              .replace("seed: 20261122", "seed: %d" % (100 + k)))
            paths.append(path)
        args = ["-n", "300000", "-j", "1", "-q"]
        whole = self.path("whole.h5")
        self.ok(funnelmc("batch", *paths, "-o", whole, *args))
        target = self.path("resumed.h5")
        parts = target + ".parts"

        def kept():
            if not os.path.isdir(parts):
                return []
            return [p for p in os.listdir(parts) if p.endswith(".h5") and not p.startswith(".")]

        process = start(["batch", *paths, "-o", target, *args], 3, cwd=self.dir)
        ranks = rank_pids(process.pid, 3)
        started = time.monotonic()
        while not kept() and process.poll() is None and time.monotonic() - started < HANG:
            time.sleep(0.02)
        os.kill(ranks[1], signal.SIGKILL)
        job = finish(process, PROMPT)
        self.assertNotEqual(job.returncode, 0, job.stderr)
        self.assert_all_gone(ranks)
        self.assertFalse(os.path.exists(target))
        done = kept()
        self.assertGreaterEqual(len(done), 1)
        self.assertLess(len(done), len(paths))
        job = self.ok(funnelmc("batch", *paths, "-o", target, "--resume", "-n", "300000",
                               "-j", "1", processes=3, cwd=self.dir))
        self.assertEqual(job.stdout.count("(resumed)"), len(done), job.stdout)
        expected, found = objects(whole), objects(target)
        self.assertTrue(found == expected, differences(expected, found))
        self.assertFalse(os.path.exists(parts))  # the parts and stale temporaries removed


class Bench(TempDir):
    """bench across processes: a table of processes x threads (benchmark.h), whose
    figures are consistent; speed itself is not tested."""

    def test_bench_measures_every_process_count_at_every_thread_count(self):
        name = self.path("bench.h5")
        # the smallest runs (a block each): every workload, two thread and three process counts
        job = self.ok(funnelmc("bench", "-n", "4096", "-j", "1,2", "-r", "1", "-o", name,
                               processes=3, cwd=self.dir))
        self.assertIn("across processes", job.stdout)
        with h5py.File(name) as f:
            b = f["bench"]
            threads = b["threads"][:]
            np.testing.assert_array_equal(threads, [1, 2])
            processes = b["processes"][:]
            self.assertEqual(processes[0], 1)
            self.assertEqual(processes[-1], 3)
            self.assertTrue(np.all(np.diff(processes) > 0))
            shape = (len(processes), len(threads))
            for workload in ("summary", "sensitivity", "levers", "sweep"):
                g = b[workload]
                for kind in ("", "weak_"):
                    for column in ("median_seconds", "min_seconds", "max_seconds",
                                   "samples_per_second", "speedup", "efficiency"):
                        d = g["processes_" + kind + column][:]
                        self.assertEqual(d.shape, shape, (workload, kind, column))
                        self.assertTrue(np.all(np.isfinite(d)) and np.all(d > 0),
                                        (workload, kind, column))
                        # row 0, one process, is the thread table
                        np.testing.assert_array_equal(d[0], g[kind + column][:])
                    self.assertTrue(np.all(g["processes_" + kind + "min_seconds"][:] <=
                                           g["processes_" + kind + "median_seconds"][:]))
                    self.assertTrue(np.all(g["processes_" + kind + "median_seconds"][:] <=
                                           g["processes_" + kind + "max_seconds"][:]))
                speedup, efficiency = g["processes_speedup"][:], g["processes_efficiency"][:]
                self.assertEqual(speedup[0, 0], 1.0)
                cores = processes[:, None] * threads[None, :]
                np.testing.assert_allclose(efficiency, speedup * threads[0] / cores, rtol=1e-12)
        # one process has no process table
        alone = self.path("alone.h5")
        self.ok(funnelmc("bench", "-n", "4096", "-j", "1", "-r", "1", "-o", alone, cwd=self.dir))
        with h5py.File(alone) as f:
            self.assertNotIn("processes", f["bench"])
            self.assertNotIn("processes_speedup", f["bench/summary"])


if __name__ == "__main__":
    names = SUITES or ["SameBits", "Traffic", "Faults", "Bench"]
    suite = unittest.defaultTestLoader.loadTestsFromNames(names, sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
