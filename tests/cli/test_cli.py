#!/usr/bin/env python3
"""End-to-end tests of the funnelmc command line.

Run by ctest as: python3 test_cli.py FUNNELMC_BINARY SOURCE_DIR
The results file is read back with h5py (Debian's python3-h5py) and h5dump,
independent readers, and checked against the table of docs/hdf5-layout.md.
"""
import os
import pty
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np
import xarray

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
REFERENCE = os.path.join(SOURCE, "scenarios", "reference.yaml")
HORIZON = os.path.join(SOURCE, "tests", "cli", "horizon-small.yaml")
sys.path.insert(0, os.path.join(SOURCE, "bench", "peers"))
import numpy_reference  # noqa: E402  (found through SOURCE)


# scripts/valgrind.sh runs every funnelmc of these tests under valgrind
WRAPPER = os.environ.get("FUNNELMC_TEST_WRAPPER", "").split()
# memcheck runs a program some 20-50 times slower: time limits stretch with it
SLOWDOWN = 50 if WRAPPER else 1


def bits_below(group, prefix=""):
    """Every attribute and dataset below GROUP as bytes, by path after PREFIX:
    strings as their text, and without the dimension scales' object references
    (file addresses)."""
    found = {}

    def visit(key, obj):
        for attr, value in obj.attrs.items():
            if attr not in ("DIMENSION_LIST", "REFERENCE_LIST"):
                found[prefix + key + "@" + attr] = np.asarray(value).tobytes()
        if isinstance(obj, h5py.Dataset):
            value = obj[()]
            found[prefix + key] = repr(value.tolist()) if value.dtype.kind == "O" else value.tobytes()
    group.visititems(visit)
    return found


def run(*args, cwd=None):
    r = subprocess.run([*WRAPPER, FUNNELMC, *args], cwd=cwd, capture_output=True, text=True,
                       timeout=3000)
    if WRAPPER:
        assert r.returncode != 99, r.stderr  # valgrind found an error or a leak
    return r


class TempDir(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-cli-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)


class CommandLine(TempDir):
    def test_version_and_help_of_every_command(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^funnelmc \d+\.\d+\.\d+\nMPI: (yes|no)\n"
                                   r"build: (native \(-march=native\)|portable x86-64, hot loops"
                                   r" chosen at run time: (AVX-512|AVX2|baseline x86-64)|portable"
                                   r" \(the compiler's baseline\))\n$")
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        for command in ("run", "check", "sweep", "batch", "bench"):
            self.assertIn(command, r.stdout)
            h = run(command, "--help")
            self.assertEqual(h.returncode, 0, command)
            self.assertIn("usage: funnelmc " + command, h.stdout)
            self.assertIn("--quiet", h.stdout)

    def test_bad_usage_exits_2_with_a_message(self):
        for args in (["frobnicate"], ["run", "--bogus"], ["run", "-n", "abc"],
                     ["run", "-n", "0"], ["run", "-j", "0"], ["run", "--seed", "-3"],
                     ["run", "a.yaml", "b.yaml"], ["check"], []):
            r = run(*args, cwd=self.dir)
            self.assertEqual(r.returncode, 2, args)
            self.assertTrue(r.stderr.startswith("error: ") or r.stderr.startswith("usage:"), args)
        self.assertEqual(os.listdir(self.dir), [])

    def test_every_command_treats_its_options_alike(self):
        # one parser serves the options the commands share
        for command in ("run", "sweep", "batch", "bench"):
            for option in ("-o", "--output", "-j", "--threads"):
                r = run(command, option, cwd=self.dir)
                self.assertEqual(r.returncode, 2, (command, option))
                self.assertEqual(r.stderr, "error: option '%s' needs a value\n" % option)
        for command in ("run", "check", "sweep", "batch", "bench"):
            r = run(command, "--bogus", cwd=self.dir)
            self.assertEqual(r.returncode, 2, command)
            self.assertEqual(r.stderr, "error: unknown option '--bogus'; see 'funnelmc %s --help'\n"
                             % command)
        for command in ("run", "sweep", "batch"):
            r = run(command, "-j", "0", "x.yaml", cwd=self.dir)
            self.assertEqual(r.returncode, 2, command)
            self.assertIn("option '-j': expected a thread count", r.stderr)
            # thousands of threads on a few cores would only cost memory
            r = run(command, "-j", str(4 * os.cpu_count() + 1), "x.yaml", cwd=self.dir)
            self.assertEqual(r.returncode, 2, command)
            self.assertIn("(4 per core on this machine's %d cores)" % os.cpu_count(), r.stderr)
        for repeats in ("64", "1e99", "0"):
            r = run("bench", "-r", repeats, cwd=self.dir)
            self.assertEqual((r.returncode, r.stderr),
                             (2, "error: option '-r': expected a whole number from 1 to 63, "
                                 "found '%s'\n" % repeats))
        self.assertEqual(os.listdir(self.dir), [])

    def test_run_without_a_scenario_runs_the_worked_example(self):
        r = run("run", "--detail", cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")  # no progress bar when stderr is not a terminal
        self.assertRegex(r.stdout, r"profit +mean 2500 ± 0 \(se\)")
        self.assertRegex(r.stdout, r"ROI +mean 1.25 ± 0 \(se\)")
        self.assertIn("base case (every input at its base): profit 2500, ROI 1.25", r.stdout)
        with h5py.File(self.path("worked-example.h5")) as f:
            p = f["outputs/profit"]
            self.assertEqual(p.attrs["mean"], 2500.0)
            self.assertEqual(p.attrs["sd"], 0.0)
            self.assertEqual(p.attrs["base"], 2500.0)
            self.assertEqual(f["outputs/roi"].attrs["mean"], 1.25)
            self.assertTrue(np.all(p["quantiles"][:] == 2500.0))

    def test_summary_shows_uncertainty_and_quiet_shows_nothing(self):
        r = run("run", REFERENCE, "-n", "100000", "-o", self.path("a.h5"), "--detail")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"profit +mean [\d.]+ ± [\d.]+ \(se\)")
        self.assertRegex(r.stdout, r"P\(profit < 0\) [\d.]+% ± [\d.]+%")
        self.assertRegex(r.stdout, r"P50 [-\d.]+ \[[-\d.]+, [-\d.]+\]")
        # the charts and tables of the sensitivity analyses, largest bar first
        tornado = r.stdout[r.stdout.index("tornado: profit with one input"):]
        self.assertRegex(tornado, r"\n  followers +[-\d.]+ [ \u2588|]+ [-\d.]+ +[\d.]+\n  click_rate")
        self.assertIn("change in mean profit (Monte Carlo tornado)", r.stdout)
        mc_tornado = r.stdout[r.stdout.index("change in mean profit"):]
        self.assertRegex(mc_tornado, r"\n  followers +[-\d.]+ [ \u2588|]+ [-\d.]+ +[\d.]+ ± [\d.]+\n")
        self.assertRegex(r.stdout, r"followers +0\.8\d+ ± 0\.00\d+ +\d+\.\d% +0\.8\d+ ± ")
        self.assertRegex(r.stdout, r"Sobol indices of profit \(100000 base rows")
        self.assertRegex(r.stdout, r"conversion +0\.\d+ \[ *0\.\d+, +0\.\d+\]")
        # the levers: every figure with its standard error
        self.assertRegex(r.stdout, r"raise_price +[\d.]+ ± [\d.]+ +0 +[\d.]+ \[[\d.]+, [\d.]+\] +- +[\d.]+% ± ")
        self.assertRegex(r.stdout, r"- raise_price: revenue_per_sale \+[\d.]+ ± [\d.e-]+ or x[\d.]+ ± [\d.e-]+;")
        self.assertRegex(r.stdout, r"beats \w+ in [\d.]+% ± [\d.e-]+% of outcomes")
        q = run("run", REFERENCE, "-n", "100000", "-o", self.path("b.h5"), "--quiet")
        self.assertEqual((q.returncode, q.stdout, q.stderr), (0, "", ""))

    def test_outputs_are_bit_identical_for_any_thread_count(self):
        def outputs(threads):
            name = self.path("j%d.h5" % threads)
            r = run("run", REFERENCE, "-n", "300001", "-j", str(threads), "-o", name, "-q")
            self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(name) as f:
                return bits_below(f["outputs"])
        one = outputs(1)
        self.assertGreater(len(one), 40)
        self.assertEqual(one, outputs(2))
        self.assertEqual(one, outputs(3))

    def test_horizon_files_are_bit_identical_for_any_thread_count(self):
        """Every dataset and attribute of a horizon run (each period, payback, levers per
        period, Sobol over paths, equivalents, tornado) for -j 1, 2 and 3."""
        scenario = self.path("months.yaml")
        with open(REFERENCE, encoding="utf-8") as source:
            text = source.read()
        with open(scenario, "w", encoding="utf-8") as out:
            out.write(text + "\nhorizon:\n  periods: 6\n  discount_rate: 0.01\n"
                      "  followers:\n"
                      "    growth: {dist: normal, mean: 0.03, sd: 0.02, min: -0.5, max: 1}\n"
                      "    churn: {dist: uniform, min: 0, max: 0.02, draw: each_period}\n"
                      "  budgets:\n    ads: {plan: 100, rollover: true}\n")

        def everything(threads):
            name = self.path("months-j%d.h5" % threads)
            r = run("run", scenario, "-n", "12289", "--base-samples", "2000", "-j", str(threads),
                    "-o", name, "-q")
            self.assertEqual(r.returncode, 0, r.stderr)
            def bits(value):
                value = np.asarray(value)
                # strings are objects: their text, not where they were in memory
                return repr(value.tolist()) if value.dtype.kind == "O" else value.tobytes()
            found = {}
            with h5py.File(name) as f:
                def visit(key, obj):
                    for attr, value in obj.attrs.items():
                        if attr not in ("DIMENSION_LIST", "REFERENCE_LIST"):  # object references
                            found[key + "@" + attr] = bits(value)
                    if isinstance(obj, h5py.Dataset):
                        found[key] = bits(obj[()])
                f.visititems(visit)
            return found
        one = everything(1)
        self.assertIn("horizon/payback/counts", one)
        self.assertIn("levers/period_net", one)
        self.assertEqual(one, everything(2))
        self.assertEqual(one, everything(3))

    def test_seed_and_samples_options_override_the_scenario(self):
        r = run("run", REFERENCE, "-n", "5000", "--seed", "18446744073709551615",
                "-o", self.path("s.h5"), "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(self.path("s.h5")) as f:
            self.assertEqual(int(f.attrs["seed"]), 2**64 - 1)
            self.assertEqual(int(f.attrs["samples"]), 5000)
            self.assertEqual(int(f["outputs/profit"].attrs["count"]), 5000)

    def test_saved_samples_are_chunked_compressed_and_consistent(self):
        r = run("run", REFERENCE, "-n", "70000", "--save-samples", "-o", self.path("s.h5"), "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(self.path("s.h5")) as f:
            inputs, outputs = f["samples/inputs"], f["samples/outputs"]
            names = [n.decode() if isinstance(n, bytes) else n for n in f["inputs/name"][:]]
            self.assertEqual(sorted(inputs.keys()), sorted(names))
            for name in names:
                d = inputs[name]
                self.assertEqual(d.shape, (70000,))
                self.assertIsNotNone(d.chunks)
                self.assertEqual(d.compression, "gzip")
            mins, maxs = f["inputs/min"][:], f["inputs/max"][:]
            for j, name in enumerate(names):
                x = inputs[name][:]
                self.assertTrue(np.all((x >= mins[j]) & (x <= maxs[j])), name)
            profit = outputs["profit"][:]
            np.testing.assert_array_equal(profit, outputs["margin"][:] - outputs["cost"][:])
            self.assertAlmostEqual(profit.mean(), f["outputs/profit"].attrs["mean"], delta=1e-9 * abs(profit.mean()))
            self.assertEqual(float(profit.min()), f["outputs/profit"].attrs["min"])

    def test_saved_samples_are_the_draws_a_stopping_rule_made(self):
        # The stopping rule, not -n, says how many samples are drawn: here it is
        # met at the first checkpoint (262144 samples), beyond -n 20000 (this
        # once failed with an HDF5 error) and short of -n 2000000 (this once
        # exited 0 with /samples padded by zeros to 2000000 rows).
        for n in ("20000", "2000000"):
            target = self.path("stop-%s.h5" % n)
            r = run("run", REFERENCE, "-q", "-n", n, "--precision-mean", "200", "--save-samples",
                    "-o", target)
            self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(target) as f:
                samples = int(f.attrs["samples"])
                self.assertEqual(int(f.attrs["precision_mean_met"]), 1)
                self.assertNotEqual(samples, int(n))
                for group in ("inputs", "outputs"):
                    for name, d in f["samples/" + group].items():
                        self.assertEqual(d.shape, (samples,), name)
                profit = f["samples/outputs/profit"][:]
                # the last rows are real draws, not zeros: the stored mean is the run's
                self.assertTrue(np.all(profit[-4096:] != 0))
                mean = f["outputs/profit"].attrs["mean"]
                self.assertAlmostEqual(profit.mean(), mean, delta=1e-9 * abs(mean))
                self.assertEqual(float(profit.max()), f["outputs/profit"].attrs["max"])

    def test_progress_bar_appears_on_a_terminal_only(self):
        """stderr a pseudo-terminal: a bar with speed and ETA; stdout still gets the summary."""
        controller, terminal = pty.openpty()
        process = subprocess.Popen([FUNNELMC, "run", REFERENCE, "-n", "6e7", "--summary-only",
                                    "-o", self.path("p.h5")],
                                   stdout=subprocess.PIPE, stderr=terminal, text=True)
        os.close(terminal)
        drawn = b""
        while True:  # until the child closes the terminal (EOF or EIO)
            if select.select([controller], [], [], 0.2)[0]:
                try:
                    chunk = os.read(controller, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                drawn += chunk
            elif process.poll() is not None:
                break
        summary = process.stdout.read()
        process.wait(timeout=60)
        process.stdout.close()
        os.close(controller)
        self.assertEqual(process.returncode, 0)
        self.assertIn(b"M samples/s", drawn)
        self.assertIn(b"ETA", drawn)
        self.assertRegex(drawn.decode(), r"\d+\.\d%")
        self.assertIn("profit", summary)
        quiet = run("run", REFERENCE, "-n", "6e7", "--summary-only", "-q", "-o", self.path("q.h5"))
        self.assertEqual(quiet.stderr, "")

    def test_interrupt_stops_quickly_and_keeps_the_earlier_file(self):
        target = self.path("keep.h5")
        self.assertEqual(run("run", "-q", "-o", target).returncode, 0)
        earlier = read_bytes(target)
        for sig in (signal.SIGINT, signal.SIGTERM):
            # under valgrind too: the cancelled run must free all it took
            process = subprocess.Popen([*WRAPPER, FUNNELMC, "run", REFERENCE, "-n", "1e11", "-o",
                                        target], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
            # wait until the run is sampling: its temporary file exists
            for _ in range(100 * SLOWDOWN):
                if len(os.listdir(self.dir)) > 1:
                    break
                time.sleep(0.05)
            time.sleep(0.3 * SLOWDOWN)
            process.send_signal(sig)
            started = time.monotonic()
            out, err = process.communicate(timeout=30 * SLOWDOWN)
            self.assertLess(time.monotonic() - started, 1.0 * SLOWDOWN)
            self.assertEqual(process.returncode, 1, err)
            self.assertIn("interrupted", err)
            self.assertEqual(os.listdir(self.dir), ["keep.h5"])
            self.assertEqual(read_bytes(target), earlier)

    def test_interrupted_sweep_and_batch_leave_nothing_half_written(self):
        with open(REFERENCE, encoding="utf-8") as source:
            big = source.read().replace("    samples: 100000\n", "    samples: 100000000\n")
        scenario = self.path("big.yaml")
        with open(scenario, "w", encoding="utf-8") as out:
            out.write(big)
        for args in (["sweep", scenario, "-q", "-o", self.path("s.h5")],
                     ["batch", scenario, "-q", "-n", "1e11", "-o", self.path("b.h5")]):
            process = subprocess.Popen([FUNNELMC, *args], stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
            self.assertEqual(process.returncode, 1, err)
            self.assertIn("interrupted", err)
            left = [os.path.join(d, f) for d, _, files in os.walk(self.dir) for f in files]
            self.assertEqual(left, [scenario], args)

    def test_after_sigkill_the_earlier_file_is_intact_and_the_next_run_cleans_up(self):
        target = self.path("keep.h5")
        self.assertEqual(run("run", "-q", "-o", target).returncode, 0)
        earlier = read_bytes(target)
        process = subprocess.Popen([FUNNELMC, "run", REFERENCE, "-n", "1e11", "-o", target],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if any(name.startswith(".keep.h5.tmp-") for name in os.listdir(self.dir)):
                break
            time.sleep(0.05)
        process.kill()
        process.wait(timeout=30)
        left = sorted(os.listdir(self.dir))
        self.assertEqual(len(left), 3, left)
        self.assertRegex(left[0], r"^\.keep\.h5\.tmp-\d+-")
        self.assertEqual(left[2], "keep.h5.lock")  # stale: nobody holds it
        self.assertEqual(read_bytes(target), earlier)
        # a temporary of a live writer (this test's process) is left alone
        live = self.path(".keep.h5.tmp-%d-abcdef" % os.getpid())
        open(live, "w").close()
        self.assertEqual(run("run", "-q", "-o", target).returncode, 0)
        self.assertEqual(sorted(os.listdir(self.dir)), [os.path.basename(live), "keep.h5"])

    def test_unwritable_output_is_a_run_failure(self):
        r = run("run", "-o", self.path("missing-dir/out.h5"), "-q")
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot create results file", r.stderr)
        r = run("run", "-o", self.dir, "-q")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(os.listdir(self.dir), [])


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class OutputFaults(TempDir):
    """Every failure to write is exit 1 with the reason, and loses nothing."""

    def assert_refused(self, r, target, earlier, reason):
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(reason, r.stderr)
        self.assertEqual(read_bytes(target), earlier)
        self.assertEqual(sorted(os.listdir(os.path.dirname(target))),
                         [os.path.basename(target)])

    def test_a_file_that_is_not_funnelmc_results_is_never_overwritten(self):
        foreign = self.path("data.h5")
        with h5py.File(foreign, "w") as f:
            f["x"] = np.arange(3)
        text = self.path("notes.txt")
        with open(text, "w") as f:
            f.write("someone's notes")
        for target in (foreign, text):
            earlier = read_bytes(target)
            for args in (["run", "-q", "-o", target],
                         ["sweep", os.path.join(SOURCE, "scenarios", "worked-example.yaml"),
                          "-q", "-o", target],
                         ["batch", REFERENCE, "-q", "-o", target]):
                r = run(*args)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn("not a funnelmc results file", r.stderr)
                self.assertEqual(read_bytes(target), earlier)
        self.assertEqual(sorted(os.listdir(self.dir)), ["data.h5", "notes.txt"])
        # an earlier funnelmc file of the same name is replaced
        ours = self.path("ours.h5")
        self.assertEqual(run("run", "-q", "-n", "1000", "-o", ours).returncode, 0)
        self.assertEqual(run("run", "-q", "-n", "2000", "-o", ours).returncode, 0)
        with h5py.File(ours, "r") as f:
            self.assertEqual(int(f.attrs["samples"]), 2000)

    def test_a_directory_or_a_missing_directory_is_a_clear_failure(self):
        r = run("run", "-q", "-o", self.dir)
        self.assertEqual(r.returncode, 1)
        self.assertIn("Is a directory", r.stderr)
        r = run("run", "-q", "-o", self.path("missing/out.h5"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("No such file or directory", r.stderr)
        self.assertEqual(os.listdir(self.dir), [])

    def mount_tmpfs(self, options):
        mount = self.path("mnt")
        os.mkdir(mount)
        if os.geteuid() != 0 or subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", mount],
                capture_output=True).returncode != 0:
            self.skipTest("needs root and mount (CI runs as root)")
        self.mounts.append(mount)
        return mount

    def setUp(self):
        super().setUp()
        self.mounts = []

    def tearDown(self):
        for mount in self.mounts:
            subprocess.run(["umount", mount], check=True)
        super().tearDown()

    def test_a_full_disk_fails_cleanly_and_keeps_the_earlier_file(self):
        mount = self.mount_tmpfs("size=96k")
        target = os.path.join(mount, "out.h5")
        self.assertEqual(run("run", "-q", "-o", target).returncode, 0)
        earlier = read_bytes(target)
        r = run("run", REFERENCE, "-q", "-n", "100000", "--save-samples", "-o", target)
        self.assert_refused(r, target, earlier, "No space left on device")

    def test_a_read_only_directory_fails_cleanly(self):
        mount = self.mount_tmpfs("size=1m")
        target = os.path.join(mount, "out.h5")
        self.assertEqual(run("run", "-q", "-o", target).returncode, 0)
        earlier = read_bytes(target)
        subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
        r = run("run", "-q", "-o", target)
        self.assert_refused(r, target, earlier, "Read-only file system")


EDGE_INPUTS = """\
  revenue_per_sale: 100
  cost_of_goods: 10
  followers: %s
  click_rate: %s
  optin_rate: %s
  purchase_rate: {dist: uniform, min: 0, max: 1}
  hourly_rate: %s
  hours: %s
"""


class NumericalEdges(TempDir):
    """Edge values give plain words, never NaN in the summary."""

    def scenario(self, *values):
        path = self.path("edge.yaml")
        with open(path, "w") as f:
            f.write("name: edge\nsamples: 20000\ninputs:\n" + EDGE_INPUTS % values)
        return path

    def assert_no_nan(self, text):
        self.assertNotRegex(text.lower(), r"\bnan\b|-nan")

    def test_rates_at_0_and_1_zero_followers_and_zero_cost(self):
        # (followers, click, opt-in, hourly rate, hours): expected profit
        for values, profit in ((("0", "1", "1", "0", "0"), 0),
                               (("1000", "1", "0", "0", "0"), 0),
                               (("1000", "0", "1", "50", "10"), -500)):
            with self.subTest(values):
                out = self.path("edge.h5")
                r = run("run", self.scenario(*values), "-o", out, "--detail")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assert_no_nan(r.stdout)
                self.assertIn("undefined, profit does not vary", r.stdout)
                with h5py.File(out, "r") as f:
                    self.assertEqual(f["outputs/profit"].attrs["mean"], profit)
                    self.assertEqual(f["outputs/profit"].attrs["sd"], 0)
                    self.assertEqual("roi" in f["outputs"], profit != 0)
                    if profit:
                        self.assertEqual(f["outputs/roi"].attrs["mean"], -1)
                if not profit:
                    self.assertIn("ROI      undefined: the cost is 0 in every sample", r.stdout)

    def test_values_that_would_overflow_are_refused_with_their_key(self):
        for key, values in (("followers", ("1e300", "0.1", "0.1", "1", "1")),
                            ("hours", ("1000", "0.1", "0.1", "1",
                                       "{dist: lognormal, median: 1e55, sigma: 3}"))):
            with self.subTest(key):
                path = self.scenario(*values)
                r = run("run", path, "-q", "-o", self.path("never.h5"))
                self.assertEqual(r.returncode, 2)
                self.assertRegex(r.stderr, r"^error: %s:\d+:\d+: 'inputs\.%s': .*beyond 1e\+60"
                                 % (re.escape(path), key))
                self.assertFalse(os.path.exists(self.path("never.h5")))

    def test_an_roi_that_overflows_is_reported_plainly(self):
        # a cost of about 1e-300 makes ROI about 1e302: its squares overflow
        path = self.scenario("1000", "0.1", "0.1", "{dist: uniform, min: 0, max: 1e-150}",
                             "1e-150")
        r = run("run", path, "--summary-only", "-o", self.path("roi.h5"), "--detail")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_no_nan(r.stdout)
        self.assertIn("ROI      not finite: its values overflow double precision", r.stdout)
        self.assertRegex(r.stdout, r"profit +mean 4\d\d\.\d+ ± ")


COUNTED = """name: counted
samples: %d
seed: 20261129
inputs:
  revenue_per_sale: 100
  cost_of_goods: 10
  followers: 1000
  click_rate: {observed: {events: 250, of: 1000}}
  optin_rate: {observed: {events: 100, of: 250}}
  purchase_rate: {observed: {events: 50, of: 100}}
  hourly_rate: 50
  hours: 40
"""


def beta_raw_moment(a, b, k):
    """E[X^k] of X ~ Beta(a, b): the product of (a + i) / (a + b + i), i < k."""
    moment = 1.0
    for i in range(k):
        moment *= (a + i) / (a + b + i)
    return moment


class ObservedCounts(TempDir):
    """Rates given as counts are their Beta posteriors, end to end."""

    def test_worked_example_counts_match_the_posteriors_closed_form(self):
        n = 2000000
        path = self.path("counted.yaml")
        with open(path, "w", encoding="utf-8") as out:
            out.write(COUNTED % n)
        r = run("run", path, "--summary-only", "-q", "-o", self.path("counted.h5"))
        self.assertEqual(r.returncode, 0, r.stderr)
        # profit = (R - Cg) F Cr Or Pr - h T with independent posteriors
        # Beta(events + 1/2, of - events + 1/2) (Jeffreys' prior)
        margin, time_cost = (100 - 10) * 1000, 50 * 40
        counts = ((250, 1000), (100, 250), (50, 100))
        shapes = [(e + 0.5, m - e + 0.5) for e, m in counts]
        raw = [np.prod([beta_raw_moment(a, b, k) for a, b in shapes]) for k in range(5)]
        mean_p = raw[1]
        var_p = raw[2] - mean_p ** 2
        central4_p = raw[4] - 4 * raw[3] * mean_p + 6 * raw[2] * mean_p ** 2 - 3 * mean_p ** 4
        mean = margin * mean_p - time_cost
        variance = margin ** 2 * var_p
        central4 = margin ** 4 * central4_p
        with h5py.File(self.path("counted.h5"), "r") as f:
            profit = f["outputs/profit"].attrs
            self.assertEqual(int(profit["count"]), n)
            self.assertLess(abs(profit["mean"] - mean), 4.5 * np.sqrt(variance / n))
            # the sample variance, against its standard error (mu4 - sigma^4) / n
            self.assertLess(abs(profit["sd"] ** 2 - variance),
                            4.5 * np.sqrt((central4 - variance ** 2) / n))
            # /inputs keeps what the user counted
            inputs = f["inputs"]
            names = [x.decode() for x in inputs["name"][:]]
            for j, name in enumerate(names):
                counted = name in ("click_rate", "optin_rate", "purchase_rate")
                row = [inputs[k][j] for k in ("observed_events", "observed_of",
                                              "prior_alpha", "prior_beta")]
                if counted:
                    events, of = counts[names.index(name) - 3]
                    self.assertEqual(row, [events, of, 0.5, 0.5])
                    self.assertEqual(inputs["dist"][j], b"beta")
                    self.assertAlmostEqual(inputs["mean"][j], (events + 0.5) / (of + 1), 15)
                else:
                    self.assertTrue(np.all(np.isnan(row)), name)


def layout_rows():
    """The object table of docs/hdf5-layout.md as (path, kind, type, shape, when)."""
    rows = []
    with open(os.path.join(SOURCE, "docs", "hdf5-layout.md"), encoding="utf-8") as doc:
        for line in doc:
            m = re.match(r"\| `([^`]+)` \| (\w+) \|\s*(\w*)\s*\|([^|]*)\| (\w+) \|", line)
            if m:
                rows.append((m.group(1), m.group(2), m.group(3), m.group(4).strip(), m.group(5)))
    return rows


class Layout(TempDir):
    def documented(self, when, d, n, levers, periods=0, sets=0, numbers=0, warnings=0):
        """Expected objects: {path: (kind, type, shape)} for a file written with WHEN."""
        sizes = {"d": d, "k": 9, "b": 64, "b+1": 65, "s": 19, "g": 4, "t": 10, "N": n, "L": levers,
                 "P": levers * (levers - 1) // 2, "T": periods, "T+1": periods + 1, "S": sets,
                 "V": numbers, "W": warnings}
        expected = {}
        for path, kind, typ, shape, cond in layout_rows():
            if cond not in when:
                continue
            dims = () if shape in ("", "scalar") else tuple(
                int(sizes[s]) if s in sizes else int(s) for s in re.findall(r"\[([^\]]+)\]", shape))
            targets = [path]
            if path.startswith("/outputs/profit@") or path.startswith("/outputs/profit/"):
                targets += [path.replace("profit", o, 1) for o in ("roi", "sales") if o in when or o == "sales"]
            for t in targets:
                expected[t] = (kind, typ, dims)
        return expected

    def actual(self, f, input_names):
        found = {}

        def kind_of(value):
            if isinstance(value, (bytes, str)):
                return "string"
            return np.asarray(value).dtype.name

        for attr, value in f.attrs.items():
            found["/@" + attr] = ("attribute", kind_of(value), np.shape(value))
        # the attributes HDF5 keeps for dimension scales, which the table does not repeat
        scale_attributes = {"CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "DIMENSION_LABELS"}

        def visit(key, obj):
            path = "/" + key
            for attr, value in obj.attrs.items():
                if attr in scale_attributes:
                    continue
                found[path + "@" + attr] = ("attribute", kind_of(value), np.shape(value))
            if isinstance(obj, h5py.Group):
                found[path] = ("group", "", ())
            else:
                typ = "string" if h5py.check_string_dtype(obj.dtype) else obj.dtype.name
                found[path] = ("dataset", typ, obj.shape)
        f.visititems(visit)
        # /samples/*/NAME rows stand for every input and every model line
        generic = {}
        for path, value in found.items():
            m = re.match(r"/samples/(inputs|outputs)/[^/@]+$", path)
            generic[("/samples/%s/NAME" % m.group(1)) if m else path] = value
        return generic

    def check_file(self, name, when, n):
        with h5py.File(name) as f:
            self.assertEqual(f.attrs["format"], "funnelmc-results")
            self.assertEqual(f.attrs["format_version"], 1)
            d = f["inputs/name"].shape[0]
            levers = len(f["levers/name"]) if "levers" in f else 0
            periods = int(f["horizon"].attrs["periods"]) if "horizon" in f else 0
            sets = f["portfolio/net_profit"].shape[0] if "portfolio" in f else 0
            numbers = int(f["levers/uncertain_numbers"][:].sum()) if "levers" in f else 0
            warnings = len(f["warnings"]) if "warnings" in f else 0
            expected = self.documented(when, d, n, levers, periods, sets, numbers, warnings)
            actual = self.actual(f, f["inputs/name"][:])
            for path, (kind, typ, dims) in expected.items():
                self.assertIn(path, actual, "documented but missing")
                akind, atype, adims = actual[path]
                self.assertEqual(akind, kind, path)
                if typ:
                    self.assertEqual(atype, typ, path)
                self.assertEqual(tuple(adims), dims, path)
            for path in actual:
                self.assertIn(path, expected, "in the file but not documented")
            counts = f["outputs/profit/hist_counts"][:]
            self.assertEqual(int(counts.sum()), int(f["outputs/profit"].attrs["count"]))
            edges = f["outputs/profit/hist_edges"][:]
            self.assertTrue(np.all(np.diff(edges) > 0))
            low, high = f["outputs/profit"].attrs["min"], f["outputs/profit"].attrs["max"]
            if low < high:
                self.assertEqual(edges[0], low)
                self.assertEqual(edges[-1], high)
            else:  # every sample equal: a tiny span around the value
                self.assertTrue(edges[0] < low < edges[-1])
                self.assertLess(edges[-1] - edges[0], 1e-6 * max(abs(low), 1))
            ci = f["outputs/profit/quantiles_ci"][:]
            q = f["outputs/profit/quantiles"][:]
            self.assertTrue(np.all((ci[:, 0] <= q) & (q <= ci[:, 1])))
            self.assertTrue(np.all(np.diff(q) >= 0))
            yaml_text = f.attrs["scenario_yaml"]
        return yaml_text

    def test_file_matches_the_documented_layout_both_ways(self):
        name = self.path("ref.h5")
        r = run("run", REFERENCE, "-n", "100000", "-o", name, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.check_file(name, {"always", "roi", "full", "sobol", "levers"}, 100000)
        with open(REFERENCE, encoding="utf-8") as source:
            self.assertEqual(text, source.read())

    def test_horizon_file_matches_the_documented_layout_both_ways(self):
        name = self.path("horizon.h5")
        r = run("run", HORIZON, "-n", "20000", "-o", name, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check_file(name, {"always", "roi", "full", "levers", "horizon", "horizon_levers",
                               "horizon_full"}, 20000)
        with h5py.File(name) as f:
            h = f["horizon"]
            self.assertEqual(h.attrs["periods"], 3)
            self.assertEqual(list(h["period"][:]), [1, 2, 3])
            for key in ("profit_mean", "profit_quantiles", "p_loss"):
                self.assertEqual(h[key].dims[0][0].name, "/horizon/period", key)
            self.assertEqual(f["levers/period_gain"].dims[1][0].name, "/levers/period")
        # xarray, through the netCDF reader of HDF5 (h5netcdf), sees the period as a
        # coordinate of every per-period figure
        horizon = xarray.open_dataset(name, engine="h5netcdf", group="horizon", phony_dims="sort")
        self.assertEqual(list(horizon["period"].values), [1, 2, 3])
        self.assertEqual(horizon["profit_quantiles_ci"].dims,
                         ("period", "profit_quantile_levels", "bound"))
        levers = xarray.open_dataset(name, engine="h5netcdf", group="levers", phony_dims="sort")
        self.assertEqual(levers["period_net"].dims, ("lever", "period"))
        self.assertAlmostEqual(float(levers["period_net"].sel(lever="double_followers", period=3)),
                               4500 * 1.21 - 100, delta=1e-6)
        horizon.close()
        levers.close()
        with h5py.File(name) as f:
            h = f["horizon"]
            payback = h["payback"]
            payback = h["payback"]
            self.assertEqual(int(payback["counts"][:].sum()) + int(payback.attrs["never"]), 20000)
            # the worked example grows 10% a period with every input fixed: each period's
            # profit is exact, and so is its payback (period 1 already profitable)
            growth = [1.0, 1.1, 1.21]
            for t, g in enumerate(growth):
                self.assertAlmostEqual(h["profit_mean"][t], 4500 * g - 2000, delta=1e-6)
                self.assertAlmostEqual(f["levers/period_net"][0, t], 4500 * g - 100, delta=1e-6)
            self.assertAlmostEqual(f["outputs/profit"].attrs["mean"], 8895, delta=1e-6)
            self.assertEqual(payback.attrs["median"], 1)
            self.assertEqual(f["levers/payback_median"][0], 1)
        summary = run("run", HORIZON, "-n", "20000", "--summary-only", "-o", self.path("s.h5"))
        self.assertEqual(summary.returncode, 0, summary.stderr)
        self.assertIn("Pays back: median month 1", summary.stdout)
        self.check_file(self.path("s.h5"), {"always", "roi", "horizon"}, 20000)

    def test_file_with_samples_matches_the_documented_layout(self):
        name = self.path("samples.h5")
        r = run("run", REFERENCE, "-n", "3000", "--save-samples", "-o", name, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check_file(name, {"always", "roi", "full", "sobol", "levers", "samples"}, 3000)

    def test_file_without_cost_has_no_roi_group(self):
        scenario = self.path("free.yaml")
        with open(REFERENCE, encoding="utf-8") as source:
            text = source.read()
        text = text.replace("hourly_rate:      {dist: uniform, min: 40, max: 60}", "hourly_rate: 0")
        text = re.sub(r"costs:\n(  .*\n)+", "", text)
        with open(scenario, "w", encoding="utf-8") as out:
            out.write(text)
        name = self.path("free.h5")
        r = run("run", scenario, "-n", "2000", "-o", name, "--detail")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ROI      undefined: the cost is 0 in every sample", r.stdout)
        self.check_file(name, {"always", "full", "sobol", "levers"}, 2000)

    def test_summary_only_file_has_the_summary_alone(self):
        name = self.path("summary.h5")
        r = run("run", REFERENCE, "-n", "20000", "--summary-only", "-o", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("tornado", r.stdout)
        self.check_file(name, {"always", "roi"}, 20000)

    def test_combined_levers_are_documented_and_interact(self):
        name = self.path("pairs.h5")
        r = run("run", "--combine", "-o", name, "--detail")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("double_followers + better_content_points: combined gain 13500", r.stdout)
        self.check_file(name, {"always", "roi", "full", "levers", "pairs"}, 1000)
        with h5py.File(name) as f:
            np.testing.assert_allclose(f["levers/pairs/interaction"][:], [4500.0, 1192.5, 1192.5],
                                       rtol=0, atol=1e-9)

    def test_worked_example_file_has_no_sobol_indices(self):
        name = self.path("worked.h5")
        self.assertEqual(run("run", "-o", name, "-q").returncode, 0)
        self.check_file(name, {"always", "roi", "full", "levers"}, 1000)

    def test_sweep_grids_carry_their_axes_as_dimension_scales(self):
        name = self.path("sweeps.h5")
        r = run("sweep", REFERENCE, "-o", name, "-j", "2", "--detail")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("sweep followers_vs_click: 35 points of 100000 samples", r.stdout)
        self.assertRegex(r.stdout, r"followers x1 +click_rate \+0 +profit [\d.]+ ± [\d.]+, "
                                   r"P\(loss\) [\d.]+% ± [\d.e-]+%, best \w+ \(net [+-][\d.]+ ± [\d.]+, "
                                   r"P\(beats the next\) [\d.]+% ± [\d.e-]+%\)")
        with h5py.File(name) as f:
            self.assertEqual(f.attrs["format"], "funnelmc-results")
            g = f["sweeps/followers_vs_click"]
            np.testing.assert_array_equal(g["followers"][:], [0.5, 1, 2, 4, 8])
            np.testing.assert_allclose(g["click_rate"][:], np.linspace(-0.1, 0.2, 7), atol=1e-15)
            self.assertEqual(g["click_rate"].attrs["op"], "add")
            for stat in ("mean", "sd", "se", "p_loss", "p_loss_se", "p05", "p50", "p95",
                         "best_lever", "best_net_gain", "best_net_gain_se", "p_best_beats_runner_up",
                         "p_best_beats_runner_up_se"):
                d = g[stat]
                self.assertEqual(d.shape, (5, 7), stat)
                self.assertEqual([dim.label for dim in d.dims], ["followers", "click_rate"])
                self.assertEqual(d.dims[0][0].name, "/sweeps/followers_vs_click/followers")
                self.assertEqual(d.dims[1][0].name, "/sweeps/followers_vs_click/click_rate")
            self.assertTrue(h5py.h5ds.is_scale(g["followers"].id))
            levers = [x.decode() if isinstance(x, bytes) else x for x in g["lever"][:]]
            self.assertEqual(levers, ["double_followers", "better_content", "raise_price"])
            # common draws: with followers scaled, the mean moves linearly
            mean = g["mean"][:]
            p = g["p_loss"][:]
            np.testing.assert_allclose(g["p_loss_se"][:], np.sqrt(p * (1 - p) / 100000), rtol=1e-12)
            self.assertTrue(np.all(g["best_net_gain_se"][:] > 0))
            p = g["p_best_beats_runner_up"][:]
            np.testing.assert_allclose(g["p_best_beats_runner_up_se"][:], np.sqrt(p * (1 - p) / 100000),
                                       rtol=1e-12)
            # the sweep's datasets as docs/hdf5-layout.md documents them, both ways
            documented = {row[0].split("/")[-1] for row in layout_rows()
                          if row[0].startswith("/sweeps/SWEEP/") and "@" not in row[0]}
            self.assertEqual(set(g.keys()) - {"followers", "click_rate"}, documented - {"INPUT"})
            self.assertAlmostEqual((mean[3, 3] - mean[2, 3]) / (mean[2, 3] - mean[1, 3]), 2, places=9)
        self.assertEqual(run("sweep", "--help").returncode, 0)
        with open(REFERENCE, encoding="utf-8") as source:
            no_sweeps = source.read().split("\nsweeps:")[0] + "\n"
        plain = self.path("plain.yaml")
        with open(plain, "w", encoding="utf-8") as out:
            out.write(no_sweeps)
        refused = run("sweep", plain, cwd=self.dir)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("has no 'sweeps'", refused.stderr)

    def batch_scenarios(self, count):
        with open(REFERENCE, encoding="utf-8") as source:
            text = source.read()
        paths = []
        for k in range(count):
            path = self.path("s%d.yaml" % k)
            with open(path, "w", encoding="utf-8") as out:
                out.write(text.replace("name: widget-shop", "name: shop-%d" % k)
                              .replace("seed: 20261122", "seed: %d" % (100 + k)))
            paths.append(path)
        return paths

    def outputs_of(self, name):
        found = {}
        with h5py.File(name) as f:
            for group in f:
                if group != "batch":
                    found.update(bits_below(f[group + "/outputs"], group + "/"))
        return found

    def test_batch_skips_a_bad_file_and_exits_2_with_the_rest_complete(self):
        paths = self.batch_scenarios(2)
        bad = self.path("bad.yaml")
        with open(bad, "w") as out:
            out.write("name: broken\ninputs: 3\n")
        name = self.path("batch.h5")
        r = run("batch", paths[0], bad, paths[1], "-o", name, "-n", "20000", "--summary-only")
        self.assertEqual(r.returncode, 2)
        self.assertIn("%s:2:9: 'inputs'" % bad, r.stderr)
        with h5py.File(name) as f:
            self.assertEqual(sorted(f.keys()), ["batch", "shop-0", "shop-1"])
            for group in ("shop-0", "shop-1"):
                self.assertEqual(int(f[group].attrs["complete"]), 1)
                self.assertEqual(int(f[group].attrs["samples"]), 20000)
            names = [x.decode() for x in f["batch/name"][:]]
            self.assertEqual(names, ["shop-0", "shop-1"])
            for column in ("mean", "se", "sd", "p_loss", "p_loss_se"):
                self.assertEqual(list(f["batch/" + column][:]),
                                 [f[g + "/outputs/profit"].attrs[column] for g in ("shop-0", "shop-1")])
            self.assertTrue(np.all(f["batch/se"][:] > 0))
            # the table as docs/hdf5-layout.md documents it, both ways
            documented = {row[0] for row in layout_rows() if row[0].startswith("/batch/")}
            self.assertEqual({"/batch/" + key for key in f["batch"]}, documented)
        # every figure of the table with its standard error
        self.assertRegex(r.stdout, r"shop-0 +mean profit \S+ ± \S+ per month, sd \S+, P\(loss\) \S+% ± \S+%")
        self.assertFalse(os.path.exists(name + ".parts"))

    def test_batch_killed_half_way_resumes_to_the_same_results(self):
        paths = self.batch_scenarios(4)
        whole = self.path("whole.h5")
        args = ["-n", "3000000", "-j", "2", "--quiet"]
        self.assertEqual(run("batch", *paths, "-o", whole, *args).returncode, 0)
        target = self.path("resumed.h5")
        process = subprocess.Popen([FUNNELMC, "batch", *paths, "-o", target, *args])
        parts = target + ".parts"
        deadline = time.monotonic() + 240  # sanitizer builds are slow
        while time.monotonic() < deadline:  # until the first scenario is safely kept
            if os.path.isdir(parts) and any(p.endswith(".h5") and not p.startswith(".")
                                            for p in os.listdir(parts)):
                break
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.assertFalse(os.path.exists(target))
        kept = [p for p in os.listdir(parts) if p.endswith(".h5") and not p.startswith(".")]
        self.assertGreaterEqual(len(kept), 1)
        self.assertLess(len(kept), 4)
        r = run("batch", *paths, "-o", target, "--resume", "-n", "3000000", "-j", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count("(resumed)"), len(kept))
        self.assertEqual(self.outputs_of(target), self.outputs_of(whole))
        self.assertFalse(os.path.exists(parts))  # stale temporaries removed too

    def test_bench_measures_every_workload_at_every_thread_count(self):
        name = self.path("bench.h5")
        r = run("bench", "-n", "20000", "-j", "1,2", "-r", "1", "-o", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        for workload in ("summary", "sensitivity", "levers", "sweep"):
            self.assertRegex(r.stdout, r"\n%s +1 " % workload)
            self.assertRegex(r.stdout, r"\n%s +2 " % workload)
        with h5py.File(name) as f:
            b = f["bench"]
            np.testing.assert_array_equal(b["threads"][:], [1, 2])
            for key in ("samples_per_second", "speedup", "efficiency"):
                self.assertEqual(b[key].shape, (2,))
                self.assertTrue(np.all(np.isfinite(b[key][:])) and np.all(b[key][:] > 0))
            self.assertEqual(b["speedup"][0], 1.0)
            np.testing.assert_array_equal(b["samples_per_second"][:], b["summary/samples_per_second"][:])
            for workload in ("summary", "sensitivity", "levers", "sweep"):
                g = b[workload]
                self.assertTrue(np.all(g["min_seconds"][:] <= g["median_seconds"][:]))
                self.assertTrue(np.all(g["median_seconds"][:] <= g["max_seconds"][:]))
                self.assertEqual(g["weak_efficiency"][0], 1.0)
            self.assertGreaterEqual(int(b.attrs["cores"]), 1)
            self.assertIn("omp_proc_bind", b.attrs)
        self.assertEqual(run("bench", "-j", "2,1", "-o", self.path("x.h5")).returncode, 2)

    def test_h5dump_reads_the_file(self):
        name = self.path("dump.h5")
        self.assertEqual(run("run", "-o", name, "-q").returncode, 0)
        dump = subprocess.run(["h5dump", "-A", name], capture_output=True, text=True)
        self.assertEqual(dump.returncode, 0, dump.stderr)
        self.assertIn('"funnelmc-results"', dump.stdout)
        self.assertIn('ATTRIBUTE "p_loss"', dump.stdout)


CLICK_RATE = "{dist: beta, alpha: 25, beta: 75}"  # click_rate in scenarios/reference.yaml


class UncertainLevers(TempDir):
    """A lever's figures with uncertain amounts, effects and costs against a
    Monte Carlo of the same model written here with numpy's own generator
    (and the samplers of the numpy benchmark peer: beta by mean and sd,
    truncated normal by rejection)."""

    SCENARIO = """name: uncertain-levers
seed: 77
samples: 400000
inputs:
  revenue_per_sale: {dist: triangular, min: 80, mode: 100, max: 130}
  cost_of_goods:    {dist: triangular, min: 8, mode: 10, max: 14}
  followers:        {dist: lognormal, median: 1000, sigma: 0.4}
  click_rate:       {dist: beta, alpha: 25, beta: 75}
  optin_rate:       {dist: beta, mean: 0.4, sd: 0.05}
  purchase_rate:    {dist: beta, alpha: 50, beta: 50}
  hourly_rate:      {dist: uniform, min: 40, max: 60}
  hours:            {dist: normal, mean: 40, sd: 5, min: 20, max: 60}
levers:
  maybe_more_followers:
    followers: {scale: {dist: uniform, min: 0.8, max: 1.6}}
    cost: {money: 1500}
  elastic_price:
    revenue_per_sale: {set: 120, elasticity: {dist: uniform, min: 0, max: 2}}
    cost: {hours: {dist: normal, mean: 5, sd: 2, min: 0, max: 10}}
"""

    def reference(self, n):
        """Per-sample (gain, net gain) of both levers."""
        rng = np.random.default_rng(20261129)
        revenue = rng.triangular(80, 100, 130, n)
        goods = rng.triangular(8, 10, 14, n)
        followers = rng.lognormal(np.log(1000), 0.4, n)
        click = rng.beta(25, 75, n)
        optin = numpy_reference.beta_mean_sd(rng, 0.4, 0.05, n)
        purchase = rng.beta(50, 50, n)
        hourly = rng.uniform(40, 60, n)
        base_sales = followers * click * optin * purchase
        scale = rng.uniform(0.8, 1.6, n)
        gain_more = (revenue - goods) * base_sales * (scale - 1)
        elasticity = rng.uniform(0, 2, n)
        # purchase rate x (R' / R)^-e, clamped to [0, 1]
        new_purchase = np.minimum(purchase * (120 / revenue) ** -elasticity, 1)
        gain_price = (120 - goods) * followers * click * optin * new_purchase - \
            (revenue - goods) * base_sales
        hours = numpy_reference.truncated_normal(rng, 5, 2, 0, 10, n)
        return [(gain_more, gain_more - 1500), (gain_price, gain_price - hours * hourly)]

    def test_p_improve_and_gain_match_a_numpy_monte_carlo(self):
        scenario = self.path("uncertain.yaml")
        with open(scenario, "w", encoding="utf-8") as out:
            out.write(self.SCENARIO)
        out = self.path("uncertain.h5")
        r = run("run", scenario, "-o", out, "-q", "-j", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        n = 1_000_000
        with h5py.File(out, "r") as f:
            levers = f["levers"]
            self.assertEqual([x.decode() if isinstance(x, bytes) else x for x in levers["name"][()]],
                             ["maybe_more_followers", "elastic_price"])
            z = statistics.NormalDist().inv_cdf(0.5 + levers.attrs["confidence"] / 2)
            for i, (gain, net) in enumerate(self.reference(n)):
                with self.subTest(lever=levers["name"][i]):
                    p = np.mean(net > 0)
                    self.assertTrue(0.05 < p < 0.95, p)  # neither sure nor hopeless
                    se = np.hypot(levers["p_improve_se"][i], np.sqrt(p * (1 - p) / n))
                    self.assertLess(abs(levers["p_improve"][i] - p), 4.5 * se)
                    se = np.hypot(levers["mean_gain_se"][i], gain.std() / np.sqrt(n))
                    self.assertLess(abs(levers["mean_gain"][i] - gain.mean()), 4.5 * se)
                    low, high = levers["net_gain_ci"][i]
                    se = np.hypot((high - low) / (2 * z), net.std() / np.sqrt(n))
                    self.assertLess(abs(levers["net_gain"][i] - net.mean()), 4.5 * se)


class BadScenarios(TempDir):
    """Every rule of the contract broken on purpose, one at a time."""

    # (label, text to find, replacement, key expected, text on the line expected,
    #  message fragment); the line expected is the replaced one unless given.
    CASES = [
        ("missing name", "name: widget-shop\n", "", "name", "description:", "missing required key"),
        ("name with a space", "name: widget-shop", "name: widget shop", "name", None, "letters, digits"),
        ("unknown key", "samples: 1000000", "samples: 1000000\nsampels: 10", "sampels", "sampels", "unknown key"),
        ("duplicate key", "seed: 20261122", "seed: 20261122\nsamples: 5", "samples", "samples: 5", "duplicate key"),
        ("zero samples", "samples: 1000000", "samples: 0", "samples", None, "positive whole number"),
        ("fractional samples", "samples: 1000000", "samples: 1.5", "samples", None, "positive whole number"),
        ("text samples", "samples: 1000000", "samples: many", "samples", None, "expected a number"),
        ("seed over 64 bits", "seed: 20261122", "seed: 18446744073709551616", "seed", None, "64 bits"),
        ("negative seed", "seed: 20261122", "seed: -1", "seed", None, "whole number"),
        ("missing input", "  hours:            {dist: normal, mean: 40, sd: 5, min: 20, max: 60}\n", "",
         "inputs.hours", "revenue_per_sale", "missing required input"),
        ("unknown input", "  hours:   ", "  likes: 5\n  hours:   ", "inputs.likes", "likes", "unknown key"),
        ("unknown distribution", "{dist: lognormal, median: 1000, sigma: 0.4}", "{dist: weibull, shape: 2}",
         "inputs.followers.dist", None, "unknown distribution"),
        ("missing parameter", "{dist: triangular, min: 80, mode: 100, max: 130}", "{dist: triangular, min: 80, max: 130}",
         "inputs.revenue_per_sale.mode", None, "missing parameter"),
        ("parameter of another law", "{dist: uniform, min: 40, max: 60}", "{dist: uniform, min: 40, max: 60, mode: 50}",
         "inputs.hourly_rate.mode", None, "unknown key"),
        ("uniform min above max", "{dist: uniform, min: 40, max: 60}", "{dist: uniform, min: 60, max: 40}",
         "inputs.hourly_rate.max", None, "min < max"),
        ("triangular mode outside", "min: 80, mode: 100, max: 130", "min: 80, mode: 150, max: 130",
         "inputs.revenue_per_sale.mode", None, "min <= mode <= max"),
        ("pert lambda zero", "{dist: triangular, min: 8, mode: 10, max: 14}", "{dist: pert, min: 8, mode: 10, max: 14, lambda: 0}",
         "inputs.cost_of_goods.lambda", None, "lambda"),
        ("normal sd zero", "mean: 40, sd: 5, min: 20", "mean: 40, sd: 0, min: 20", "inputs.hours.sd", None, "sd must be > 0"),
        ("truncation holding no probability", "{dist: normal, mean: 40, sd: 5, min: 20, max: 60}",
         "{dist: normal, mean: 40, sd: 1, min: 100, max: 101}", "inputs.hours.min", None, "no probability"),
        ("unbounded rate", "{dist: beta, alpha: 25, beta: 75}", "{dist: normal, mean: 0.25, sd: 0.05}",
         "inputs.click_rate.dist", None, "a rate must lie in [0, 1]"),
        ("rate above one", "{dist: beta, alpha: 50, beta: 50}", "{dist: uniform, min: 0.2, max: 1.3}",
         "inputs.purchase_rate.max", None, "a rate must lie in [0, 1]"),
        ("constant rate above one", "optin_rate:       {dist: beta, mean: 0.4, sd: 0.05}", "optin_rate: 1.2",
         "inputs.optin_rate", None, "a rate must lie in [0, 1]"),
        ("followers below zero", "{dist: lognormal, median: 1000, sigma: 0.4}", "{dist: normal, mean: 1000, sd: 300}",
         "inputs.followers.dist", None, "must not go below 0"),
        ("negative constant followers", "{dist: lognormal, median: 1000, sigma: 0.4}", "-5",
         "inputs.followers", None, "must not go below 0"),
        ("negative lognormal median", "median: 1000, sigma: 0.4", "median: -1000, sigma: 0.4",
         "inputs.followers.median", None, "median must be > 0"),
        ("lognormal in both forms", "median: 1000, sigma: 0.4", "median: 1000, sigma: 0.4, sd: 3",
         "inputs.followers", None, "not both"),
        ("beta sd not achievable", "{dist: beta, mean: 0.4, sd: 0.05}", "{dist: beta, mean: 0.4, sd: 0.6}",
         "inputs.optin_rate.sd", None, "not achievable"),
        ("beta mean outside", "{dist: beta, mean: 0.4, sd: 0.05}", "{dist: beta, mean: 1.5, sd: 0.05}",
         "inputs.optin_rate.mean", None, "outside (0, 1)"),
        ("beta in both forms", "{dist: beta, alpha: 25, beta: 75}", "{dist: beta, alpha: 25, beta: 75, mean: 0.2}",
         "inputs.click_rate", None, "not both"),
        ("negative gamma shape", "{dist: lognormal, median: 1000, sigma: 0.4}", "{dist: gamma, shape: -2, scale: 500}",
         "inputs.followers.shape", None, "shape must be > 0"),
        ("all-zero weights", "{dist: beta, mean: 0.4, sd: 0.05}", "{dist: discrete, values: [0.3, 0.4], weights: [0, 0]}",
         "inputs.optin_rate.weights", None, "not all be zero"),
        ("negative weight", "{dist: beta, mean: 0.4, sd: 0.05}", "{dist: discrete, values: [0.3, 0.4], weights: [1, -1]}",
         "inputs.optin_rate.weights", None, ">= 0"),
        ("weights and values differ in length", "{dist: beta, mean: 0.4, sd: 0.05}",
         "{dist: discrete, values: [0.3, 0.4], weights: [1]}", "inputs.optin_rate.weights", None, "1 weights given for 2 values"),
        ("empty data", "{dist: beta, alpha: 50, beta: 50}", "{dist: empirical, data: []}",
         "inputs.purchase_rate.data", None, "at least one value"),
        ("NaN", "{dist: uniform, min: 40, max: 60}", "{dist: uniform, min: 40, max: .nan}",
         "inputs.hourly_rate.max", None, "expected a number"),
        ("infinity", "{dist: uniform, min: 40, max: 60}", "{dist: uniform, min: 40, max: 1e999}",
         "inputs.hourly_rate.max", None, "not a finite number"),
        ("quoted number", "{dist: uniform, min: 40, max: 60}", "{dist: uniform, min: \"40\", max: 60}",
         "inputs.hourly_rate.min", None, "quoted text"),
        ("base outside support", "min: 20, max: 60}", "min: 20, max: 60, base: 70}",
         "inputs.hours.base", None, "outside the distribution's support"),
        ("negative cost line", "tools: 29", "tools: -5", "costs.tools", None, "must not go below 0"),
        ("cost line named like an input", "tools: 29", "tools: 29\n  hours: 5", "costs.hours", "hours: 5",
         "share the name"),
        ("lever on an unknown input", "    followers: {scale: 2}", "    likes: {scale: 2}",
         "levers.double_followers.likes", None, "neither an input nor a cost line"),
        ("lever with two operations", "    followers: {scale: 2}", "    followers: {scale: 2, add: 1}",
         "levers.double_followers.followers", None, "exactly one"),
        ("lever with an unknown operation", "    followers: {scale: 2}", "    followers: {times: 2}",
         "levers.double_followers.followers.times", None, "unknown key"),
        ("lever setting a rate above one", "    revenue_per_sale: {set: 120}", "    click_rate: {set: 1.5}",
         "levers.raise_price.click_rate.set", None, "a rate must lie in [0, 1]"),
        ("lever with negative scale", "    followers: {scale: 2}", "    followers: {scale: -2}",
         "levers.double_followers.followers.scale", None, "scale must lie in [0, 1e+06]"),
        ("lever with a scale that could overflow", "    followers: {scale: 2}",
         "    followers: {scale: 1e7}", "levers.double_followers.followers.scale", None,
         "scale must lie in [0, 1e+06]"),
        ("lever adding beyond the limit", "    followers: {scale: 2}", "    followers: {add: 1e61}",
         "levers.double_followers.followers.add", None, "add 1e+61 reaches beyond 1e+60"),
        ("lever with negative cost", "cost: {hours: 10, money: 0}", "cost: {hours: -10, money: 0}",
         "levers.better_content.cost.hours", None, "must be >= 0"),
        ("lever changing nothing", "  raise_price:\n    revenue_per_sale: {set: 120}", "  raise_price: {cost: {money: 5}}",
         "levers.raise_price", "raise_price", "at least one input"),
        ("tornado low above high", "{low: 10, high: 90}", "{low: 90, high: 10}", "tornado.high", None, "0 < low < high < 100"),
        ("tornado at 100", "{low: 10, high: 90}", "{low: 10, high: 100}", "tornado.high", None, "0 < low < high < 100"),
        ("unknown tornado key", "{low: 10, high: 90}", "{low: 10, high: 90, mid: 50}", "tornado.mid", None, "unknown key"),
        ("sobol not boolean", "sobol: true", "sobol: maybe", "sensitivity.sobol", None, "true or false"),
        ("zero base samples", "base_samples: 100000", "base_samples: 0", "sensitivity.base_samples", None, "positive whole number"),
        ("confidence above one", "confidence: 0.95", "confidence: 1.5", "sensitivity.confidence", None, "between 0 and 1"),
        ("combine_levers not boolean", "tornado: {low: 10, high: 90}", "combine_levers: maybe\ntornado: {low: 10, high: 90}",
         "combine_levers", "combine_levers", "true or false"),
        ("precision target of zero", "tornado: {low: 10, high: 90}", "precision: {mean: 0}\ntornado: {low: 10, high: 90}",
         "precision.mean", "precision:", "must be > 0"),
        ("precision without a target", "tornado: {low: 10, high: 90}", "precision: {max_samples: 1e8}\ntornado: {low: 10, high: 90}",
         "precision", "precision:", "give a target"),
        ("sweep axis on an unknown input", "      followers:  {scale:", "      likes:  {scale:",
         "sweeps.followers_vs_click.axes.likes", None, "neither an input nor a cost line"),
        ("sweep axis with no values", "{scale: [0.5, 1, 2, 4, 8]}", "{scale: []}",
         "sweeps.followers_vs_click.axes.followers.scale", None, "at least one value"),
        ("sweep range of zero steps", "steps: 7", "steps: 0",
         "sweeps.followers_vs_click.axes.click_rate.add.steps", None, "positive whole number"),
        ("log range through zero", "steps: 7}", "steps: 7, spacing: log}",
         "sweeps.followers_vs_click.axes.click_rate.add.spacing", None, "from > 0"),
        ("sweep of five axes", "      click_rate: {add:",
         "      hours: {add: [1]}\n      hourly_rate: {add: [1]}\n      optin_rate: {add: [0]}\n      click_rate: {add:",
         "sweeps.followers_vs_click.axes", "followers:  {scale", "1 to 4 axes"),
        ("sweep without axes", "    axes:\n", "    grid:\n", "sweeps.followers_vs_click.axes",
         "    samples: 100000", "needs 'axes'"),
        # rates given as counts (observed: {events, of}, prior: {alpha, beta})
        ("more events than trials", CLICK_RATE, "{observed: {events: 300, of: 250}}",
         "inputs.click_rate.observed.events", None, "events 300 exceed of 250"),
        ("fractional count", CLICK_RATE, "{observed: {events: 25.5, of: 100}}",
         "inputs.click_rate.observed.events", None, "a count must be a whole number from 0 to 2^53, found '25.5'"),
        ("negative count", CLICK_RATE, "{observed: {events: 25, of: -100}}",
         "inputs.click_rate.observed.of", None, "a count must be a whole number from 0 to 2^53, found '-100'"),
        ("quoted count", CLICK_RATE, "{observed: {events: \"25\", of: 100}}",
         "inputs.click_rate.observed.events", None, "quoted text"),
        ("no trials", CLICK_RATE, "{observed: {events: 0, of: 0}}",
         "inputs.click_rate.observed.of", None, "of must be >= 1"),
        ("counts without events", CLICK_RATE, "{observed: {of: 100}}",
         "inputs.click_rate.observed.events", None, "missing 'events'"),
        ("counts without trials", CLICK_RATE, "{observed: {events: 25}}",
         "inputs.click_rate.observed.of", None, "missing 'of'"),
        ("counts not a mapping", CLICK_RATE, "{observed: 25}",
         "inputs.click_rate.observed", None, "expected a mapping"),
        ("unknown key in counts", CLICK_RATE, "{observed: {events: 25, of: 100, views: 900}}",
         "inputs.click_rate.observed.views", None, "unknown key in observed counts (known keys: events, of)"),
        ("parameter of a law beside counts", CLICK_RATE, "{observed: {events: 25, of: 100}, sd: 0.1}",
         "inputs.click_rate.sd", None, "unknown key in a rate given as counts (known keys: observed, prior, base)"),
        ("unknown key in a prior", CLICK_RATE, "{observed: {events: 25, of: 100}, prior: {alpha: 1, beta: 1, mode: 0.3}}",
         "inputs.click_rate.prior.mode", None, "unknown key in a prior (known keys: alpha, beta)"),
        ("prior without counts", CLICK_RATE, "{dist: beta, alpha: 25, beta: 75, prior: {alpha: 1, beta: 1}}",
         "inputs.click_rate.prior", None, "a prior belongs to 'observed' counts, which are missing"),
        ("distribution and counts together", CLICK_RATE, "{dist: beta, alpha: 25, beta: 75, observed: {events: 25, of: 100}}",
         "inputs.click_rate", None, "give either 'dist' (a distribution) or 'observed' (counts), not both"),
        ("counts for an input that is not a rate", "{dist: lognormal, median: 1000, sigma: 0.4}",
         "{observed: {events: 25, of: 100}}", "inputs.followers.observed", None,
         "counts give a rate, and 'followers' is not one"),
        ("counts for a cost line", "tools: 29", "tools: {observed: {events: 1, of: 2}}",
         "costs.tools.observed", None, "counts give a rate, and 'tools' is not one"),
        ("prior alpha of zero", CLICK_RATE, "{observed: {events: 25, of: 100}, prior: {alpha: 0, beta: 1}}",
         "inputs.click_rate.prior.alpha", None, "prior alpha must be > 0 and at most 2^53 (got 0)"),
        ("negative prior beta", CLICK_RATE, "{observed: {events: 25, of: 100}, prior: {alpha: 1, beta: -2}}",
         "inputs.click_rate.prior.beta", None, "prior beta must be > 0 and at most 2^53 (got -2)"),
        ("prior beyond 2^53", CLICK_RATE, "{observed: {events: 25, of: 100}, prior: {alpha: 1, beta: 1e300}}",
         "inputs.click_rate.prior.beta", None, "prior beta must be > 0 and at most 2^53 (got 1e+300)"),
        ("infinite prior", CLICK_RATE, "{observed: {events: 25, of: 100}, prior: {alpha: 1e999, beta: 1}}",
         "inputs.click_rate.prior.alpha", None, "not a finite number"),
        ("prior with one shape", CLICK_RATE, "{observed: {events: 25, of: 100}, prior: {alpha: 1}}",
         "inputs.click_rate.prior.beta", None, "missing 'beta'"),
        ("prior not a mapping", CLICK_RATE, "{observed: {events: 25, of: 100}, prior: 0.5}",
         "inputs.click_rate.prior", None, "expected a mapping"),
        ("base of counts outside [0, 1]", CLICK_RATE, "{observed: {events: 25, of: 100}, base: 1.5}",
         "inputs.click_rate.base", None, "outside the distribution's support"),
        ("counts beyond the beta law", CLICK_RATE, "{observed: {events: 1000000, of: 2000000}}",
         "inputs.click_rate.observed", None, "beyond what funnelmc's beta law computes"),
        # issue 14: the best set of levers for a budget
        ("budget below zero", "tornado: {low: 10, high: 90}", "budget: {hours: 10, money: -1}\ntornado: {low: 10, high: 90}",
         "budget.money", "budget:", "a budget must be >= 0 (got -1)"),
        ("budget not a mapping", "tornado: {low: 10, high: 90}", "budget: 10\ntornado: {low: 10, high: 90}",
         "budget", "budget:", "expected a mapping"),
        ("unknown budget key", "tornado: {low: 10, high: 90}", "budget: {minutes: 10}\ntornado: {low: 10, high: 90}",
         "budget.minutes", "budget:", "unknown key"),
        ("unknown objective", "tornado: {low: 10, high: 90}",
         "budget: {hours: 10}\nobjective: p95\ntornado: {low: 10, high: 90}",
         "objective", "objective:", "unknown objective 'p95' (known: mean, p_profit, p1, p5, p10, p25, p50)"),
        ("objective without a budget", "tornado: {low: 10, high: 90}", "objective: mean\ntornado: {low: 10, high: 90}",
         "objective", "objective:", "an objective needs a 'budget'"),
        ("more than 12 levers with a budget", "tornado: {low: 10, high: 90}",
         "".join("  cut_%d: {tools: {add: -1}}\n" % k for k in range(10)) +
         "budget: {hours: 10}\ntornado: {low: 10, high: 90}",
         "budget", "budget:", "at most 12 levers (it tries every subset); the scenario has 13"),
    ]

    # issue 12: a change's effects (quality, elasticity, response) and
    # uncertain lever amounts and costs
    CASES += [
        ("quality above one", "    followers: {scale: 2}", "    followers: {scale: 2, quality: 1.5}",
         "levers.double_followers.followers.quality", None, "quality must lie in [0, 1] (got 1.5)"),
        ("negative quality", "    followers: {scale: 2}", "    followers: {scale: 2, quality: -0.1}",
         "levers.double_followers.followers.quality", None, "quality must lie in [0, 1] (got -0.1)"),
        ("quality distribution reaching above one", "    followers: {scale: 2}",
         "    followers: {scale: 2, quality: {dist: uniform, min: 0.5, max: 1.2}}",
         "levers.double_followers.followers.quality", None,
         "quality must lie in [0, 1], but this uniform reaches [0.5, 1.2]"),
        ("quality that is not a number", "    followers: {scale: 2}", "    followers: {scale: 2, quality: high}",
         "levers.double_followers.followers.quality", None, "expected a number"),
        ("quality on a change of the click rate", "    click_rate: {add: 0.15}",
         "    click_rate: {add: 0.15, quality: 0.5}", "levers.better_content.click_rate.quality", None,
         "'quality' belongs to a change of followers only"),
        ("elasticity on a change of followers", "    followers: {scale: 2}",
         "    followers: {scale: 2, elasticity: 1}", "levers.double_followers.followers.elasticity", None,
         "'elasticity' belongs to a change of revenue_per_sale only"),
        ("response on a change of the price", "    revenue_per_sale: {set: 120}",
         "    revenue_per_sale: {set: 120, response: 1}", "levers.raise_price.revenue_per_sale.response",
         None, "'response' belongs to a change of hours only"),
        ("negative elasticity", "    revenue_per_sale: {set: 120}",
         "    revenue_per_sale: {set: 120, elasticity: -1}", "levers.raise_price.revenue_per_sale.elasticity",
         None, "elasticity must be >= 0 (got -1)"),
        ("elasticity distribution reaching below zero", "    revenue_per_sale: {set: 120}",
         "    revenue_per_sale: {set: 120, elasticity: {dist: normal, mean: 1, sd: 0.5}}",
         "levers.raise_price.revenue_per_sale.elasticity", None, "elasticity must lie in [0, "),
        ("negative response", "    revenue_per_sale: {set: 120}", "    hours: {scale: 0.5, response: -0.5}",
         "levers.raise_price.hours.response", None, "response must be >= 0 (got -0.5)"),
        ("response distribution reaching below zero", "    revenue_per_sale: {set: 120}",
         "    hours: {scale: 0.5, response: {dist: uniform, min: -0.5, max: 1}}",
         "levers.raise_price.hours.response", None, "but this uniform reaches [-0.5, 1]"),
        ("scale distribution reaching below zero", "    followers: {scale: 2}",
         "    followers: {scale: {dist: uniform, min: -1, max: 2}}", "levers.double_followers.followers.scale",
         None, "a scale must lie in [0, 1e+06], but this uniform reaches [-1, 2]"),
        ("unbounded scale distribution", "    followers: {scale: 2}",
         "    followers: {scale: {dist: normal, mean: 2, sd: 0.5}}", "levers.double_followers.followers.scale",
         None, "a scale must lie in [0, 1e+06], but this normal reaches"),
        ("set on a rate whose distribution leaves [0, 1]", "    revenue_per_sale: {set: 120}",
         "    click_rate: {set: {dist: uniform, min: 0.5, max: 1.5}}", "levers.raise_price.click_rate.set",
         None, "a set on a rate must lie in [0, 1], but this uniform reaches [0.5, 1.5]"),
        ("unknown key in an amount's distribution", "    followers: {scale: 2}",
         "    followers: {scale: {dist: uniform, min: 1, max: 2, mode: 1.5}}",
         "levers.double_followers.followers.scale.mode", None, "unknown key in this distribution"),
        ("amount distribution without dist", "    followers: {scale: 2}", "    followers: {scale: {min: 1, max: 2}}",
         "levers.double_followers.followers.scale.dist", None, "missing 'dist'"),
        ("amount distribution with min above max", "    followers: {scale: 2}",
         "    followers: {scale: {dist: uniform, min: 2, max: 1}}",
         "levers.double_followers.followers.scale.max", None, "min < max"),
        ("cost distribution reaching below zero", "cost: {hours: 10, money: 0}",
         "cost: {hours: 10, money: {dist: uniform, min: -100, max: 100}}", "levers.better_content.cost.money",
         None, "a lever's cost must lie in [0, "),
        ("unbounded cost distribution", "cost: {hours: 10, money: 0}",
         "cost: {hours: {dist: normal, mean: 10, sd: 5}, money: 0}", "levers.better_content.cost.hours",
         None, "a lever's cost must lie in [0, "),
        ("misspelt effect", "    followers: {scale: 2}", "    followers: {scale: 2, qualty: 0.5}",
         "levers.double_followers.followers.qualty", None, "unknown key in a change"),
        ("effect without an amount", "    followers: {scale: 2}", "    followers: {quality: 0.5}",
         "levers.double_followers.followers", None, "exactly one of 'scale', 'add' or 'set'"),
        ("quality on a sweep axis of the click rate", "{add: {from: -0.1, to: 0.2, steps: 7}}",
         "{add: {from: -0.1, to: 0.2, steps: 7}, quality: 0.5}",
         "sweeps.followers_vs_click.axes.click_rate.quality", "      click_rate: {add:",
         "'quality' belongs to a change of followers only"),
        ("quality above one on a sweep axis", "{scale: [0.5, 1, 2, 4, 8]}", "{scale: [0.5, 1, 2, 4, 8], quality: 2}",
         "sweeps.followers_vs_click.axes.followers.quality", "followers:  {scale",
         "quality must lie in [0, 1] (got 2)"),
    ]

    # issue 13: the horizon (periods, discount rate, growth and churn,
    # budgets) and the keys that need one (draw, start, ramp, one_off_cost)
    TORNADO = "tornado: {low: 10, high: 90}"
    LEVER = "levers:\n  double_followers:\n    followers: {scale: 2}\n"
    CASES += [
        ("horizon of zero periods", TORNADO, "horizon: {periods: 0}\n" + TORNADO,
         "horizon.periods", None, "periods must be a whole number from 1 to 600, found '0'"),
        ("horizon of 1.5 periods", TORNADO, "horizon: {periods: 1.5}\n" + TORNADO,
         "horizon.periods", None, "found '1.5'"),
        ("horizon beyond 600 periods", TORNADO, "horizon: {periods: 601}\n" + TORNADO,
         "horizon.periods", None, "found '601'"),
        ("horizon of periods in words", TORNADO, "horizon: {periods: twelve}\n" + TORNADO,
         "horizon.periods", None, "expected a number, found 'twelve'"),
        ("horizon without periods", TORNADO, "horizon: {discount_rate: 0.01}\n" + TORNADO,
         "horizon.periods", None, "missing 'periods'"),
        ("growth reaching below -1", TORNADO,
         "horizon: {periods: 12, followers: {growth: {dist: uniform, min: -2, max: 0.1}}}\n" + TORNADO,
         "horizon.followers.growth.min", None, "growth must not go below -1"),
        ("churn above one", TORNADO, "horizon: {periods: 12, followers: {churn: 1.5}}\n" + TORNADO,
         "horizon.followers.churn", None, "churn must lie in [0, 1]"),
        ("churn below zero", TORNADO,
         "horizon: {periods: 12, followers: {churn: {dist: normal, mean: 0.01, sd: 0.01}}}\n" + TORNADO,
         "horizon.followers.churn.dist", None, "churn must lie in [0, 1]"),
        ("discount rate of -1", TORNADO, "horizon: {periods: 12, discount_rate: -1}\n" + TORNADO,
         "horizon.discount_rate", None, "discount_rate must be > -1 (got -1)"),
        ("budget for a missing cost line", TORNADO,
         "horizon: {periods: 12, budgets: {adz: {plan: 200}}}\n" + TORNADO,
         "horizon.budgets.adz", None, "no cost line 'adz' (cost lines: ads, tools)"),
        ("negative budget plan", TORNADO, "horizon: {periods: 12, budgets: {ads: {plan: -5}}}\n" + TORNADO,
         "horizon.budgets.ads.plan", None, "(got -5)"),
        ("negative plan in a list", TORNADO,
         "horizon: {periods: 12, budgets: {ads: {plan: [200, -5]}}}\n" + TORNADO,
         "horizon.budgets.ads.plan[1]", None, "(got -5)"),
        ("lever start beyond the horizon", LEVER, "horizon: {periods: 12}\n" + LEVER + "    start: 13\n",
         "levers.double_followers.start", "    start: 13", "start 13 lies beyond the horizon's 12 periods"),
        ("lever ramp of zero", LEVER, "horizon: {periods: 12}\n" + LEVER + "    ramp: 0\n",
         "levers.double_followers.ramp", "    ramp: 0", "ramp must be a whole number from 1 to 600"),
        ("lever setting churn above one", LEVER,
         "horizon: {periods: 12}\n" + LEVER + "    churn: {set: 1.5}\n",
         "levers.double_followers.churn.set", "    churn: {set", "churn must lie in [0, 1]"),
        ("cost line named growth beside a horizon", "costs:\n", "horizon: {periods: 12}\ncosts:\n  growth: 5\n",
         "costs.growth", "  growth: 5", "cannot be named 'growth'"),
        ("draw without a horizon", CLICK_RATE, "{dist: beta, alpha: 25, beta: 75, draw: each_period}",
         "inputs.click_rate.draw", None, "draw needs a horizon: section"),
        ("draw neither once nor each period", TORNADO,
         "horizon: {periods: 12, followers: {growth: {dist: uniform, min: 0, max: 0.1, draw: daily}}}\n"
         + TORNADO, "horizon.followers.growth.draw", None, "draw must be 'once'"),
        ("lever start without a horizon", "    followers: {scale: 2}", "    followers: {scale: 2}\n    start: 2",
         "levers.double_followers.start", "    start: 2", "start needs a horizon: section"),
        ("lever ramp without a horizon", "    followers: {scale: 2}", "    followers: {scale: 2}\n    ramp: 3",
         "levers.double_followers.ramp", "    ramp: 3", "ramp needs a horizon: section"),
        ("one-off cost without a horizon", "cost: {hours: 10, money: 0}", "one_off_cost: {hours: 10, money: 0}",
         "levers.better_content.one_off_cost", None, "give it under 'cost'"),
        ("sweep of the horizon's length without a horizon", "      followers:  {scale:",
         "      horizon.periods: {set: [1, 12]}\n      followers:  {scale:",
         "sweeps.followers_vs_click.axes.horizon.periods", None, "needs a horizon: section"),
        ("sweep of 601 periods", "sweeps:\n",
         "horizon: {periods: 12}\nsweeps:\n  length:\n    axes:\n      horizon.periods: {set: [12, 601]}\n",
         "sweeps.length.axes.horizon.periods.set", "      horizon.periods", "(got 601)"),
    ]

    def write(self, name, text):
        path = self.path(name)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        return path

    def check_rejected(self, scenario, line, key, fragment):
        """run and check both exit 2 with FILE:LINE:COL: 'KEY': and leave files alone."""
        earlier = self.write("out.h5", "earlier results, not to be touched")
        before = sorted(os.listdir(self.dir))
        for args in (["run", scenario, "-o", earlier], ["check", scenario]):
            r = run(*args, cwd=self.dir)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            expected = re.escape("error: %s:%d:" % (scenario, line)) + r"\d+: " + \
                (re.escape("'%s': " % key) if key else "")
            self.assertRegex(r.stderr, expected)
            self.assertIn(fragment, r.stderr)
            self.assertEqual(r.stdout, "")
        with open(earlier, encoding="utf-8") as f:
            self.assertEqual(f.read(), "earlier results, not to be touched")
        self.assertEqual(sorted(os.listdir(self.dir)), before)
        os.remove(earlier)
        r = run("run", scenario, cwd=self.dir)  # default output name: nothing created
        self.assertEqual(r.returncode, 2)
        self.assertEqual(sorted(os.listdir(self.dir)), sorted(b for b in before if b != "out.h5"))

    def test_every_contract_rule_broken_on_purpose(self):
        with open(REFERENCE, encoding="utf-8") as source:
            good = source.read()
        for label, find, replace, key, at, fragment in self.CASES:
            with self.subTest(label):
                self.assertIn(find, good, "case does not apply")
                text = good.replace(find, replace, 1)
                marker = at if at is not None else replace.strip().split("\n")[0]
                line = text.count("\n", 0, text.index(marker)) + 1
                scenario = self.write("bad.yaml", text)
                self.check_rejected(scenario, line, key, fragment)
                os.remove(scenario)

    def test_broken_files_are_reported_not_crashed_on(self):
        cases = [("empty", "", 0, "empty"), ("a list", "- a\n- b\n", 1, "mapping"),
                 ("syntax", "name: x\ninputs: [\n", 3, "YAML syntax"),
                 ("two documents", "name: x\n---\nname: y\n", 3, "one YAML document"),
                 ("not UTF-8", "name: caf\xe9\n", 1, "YAML syntax")]
        for label, text, line, fragment in cases:
            with self.subTest(label):
                path = self.path("broken.yaml")
                with open(path, "wb") as out:
                    out.write(text.encode("latin-1"))
                r = run("check", path)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(fragment, r.stderr)
                if line:
                    self.assertIn("%s:%d:" % (path, line), r.stderr)

    def test_hostile_inputs_are_rejected_quickly_with_a_place(self):
        # every input that once broke the reader (tests/fuzz/regressions):
        # nesting 100 000 deep, billion-laughs aliases, non-UTF-8 bytes,
        # duplicate keys, NaN and infinities, huge numbers, a truncated file
        regressions = os.path.join(SOURCE, "tests", "fuzz", "regressions")
        for name in sorted(os.listdir(regressions)):
            with self.subTest(name):
                path = os.path.join(regressions, name)
                started = time.monotonic()
                r = run("check", path)
                self.assertLess(time.monotonic() - started, 10 * SLOWDOWN)
                self.assertEqual(r.returncode, 2, r.stderr)
                # file:line:column, then the key unless the YAML syntax is broken
                self.assertRegex(r.stderr, r"^error: %s:\d+:\d+: ('[^']+': |YAML syntax: )\S"
                                 % re.escape(path))
                r = run("run", path, "-q", "-o", self.path("never.h5"))
                self.assertEqual(r.returncode, 2)
                self.assertEqual(os.listdir(self.dir), [])

    def test_check_reports_every_file_and_every_error(self):
        with open(REFERENCE, encoding="utf-8") as source:
            good = source.read()
        a = self.write("a.yaml", good.replace("samples: 1000000", "samples: 0").replace("sd: 5,", "sd: -5,"))
        b = self.write("b.yaml", good.replace("tools: 29", "tools: -1"))
        r = run("check", REFERENCE, a, b)
        self.assertEqual(r.returncode, 2)
        self.assertIn("%s: ok (widget-shop)" % REFERENCE, r.stdout)
        self.assertIn("%s:6:" % a, r.stderr)
        self.assertIn("'inputs.hours.sd'", r.stderr)
        self.assertIn("'costs.tools'", r.stderr)
        self.assertEqual(r.stderr.count("error: "), 3)
        ok = run("check", REFERENCE, os.path.join(SOURCE, "scenarios", "worked-example.yaml"))
        self.assertEqual(ok.returncode, 0, ok.stderr)

    def test_missing_scenario_file_exits_2(self):
        r = run("run", self.path("nope.yaml"), cwd=self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot open", r.stderr)
        self.assertEqual(os.listdir(self.dir), [])


class BestSetForABudget(TempDir):
    """Issue 14, point 3: the best set of levers for a budget."""

    # the layout's check, without running Layout's own tests again
    check_file, documented, actual = Layout.check_file, Layout.documented, Layout.actual

    def budgeted_reference(self, budget, objective=None):
        with open(REFERENCE, encoding="utf-8") as source:
            text = source.read().replace("tornado: {low: 10, high: 90}",
                                         "budget: %s\n%stornado: {low: 10, high: 90}" %
                                         (budget, "objective: %s\n" % objective if objective else ""))
        path = self.path("budgeted.yaml")
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        return path

    def test_portfolio_matches_the_documented_layout_and_any_thread_count(self):
        scenario = self.budgeted_reference("{hours: 5, money: 100}", "p10")
        files = []
        for threads in ("1", "2", "3"):
            name = self.path("budget-%s.h5" % threads)
            r = run("run", scenario, "-n", "30000", "-j", threads, "-o", name, "-q")
            self.assertEqual(r.returncode, 0, r.stderr)
            files.append(name)
        self.check_file(files[0], {"always", "roi", "full", "sobol", "levers", "portfolio"}, 30000)
        with h5py.File(files[0]) as f:
            p = f["portfolio"]
            self.assertEqual(p.attrs["objective"], "p10")
            self.assertEqual(p.attrs["budget_hours"], 5)
            self.assertEqual(p.attrs["screened_sets"], 8)
            self.assertEqual([x.decode() if isinstance(x, bytes) else x for x in p["lever"][:]],
                             ["double_followers", "better_content", "raise_price"])
            # better_content takes 10 hours: no set that fits holds it
            self.assertTrue(np.all(p["in_set"][:, 1] == 0))
            self.assertTrue(np.all(p["extra_hours"][:] <= 5))
            values = p["objective_value"][:]
            self.assertTrue(np.all(np.diff(values) <= 0))
            ci = p["objective_ci"][:]
            self.assertTrue(np.all((ci[:, 0] <= values) & (values <= ci[:, 1])))
            reference = {k: p[k][()] for k in p}
            attributes = dict(p.attrs)
        for other in files[1:]:
            with h5py.File(other) as f:
                p = f["portfolio"]
                for k, v in reference.items():
                    if v.dtype.kind == "O":
                        self.assertEqual(list(v), list(p[k][()]), k)
                    else:
                        self.assertEqual(v.tobytes(), p[k][()].tobytes(), k)
                for k, v in attributes.items():
                    self.assertEqual(str(v), str(p.attrs[k]), k)

    def test_summary_says_what_to_do_with_the_budget(self):
        scenario = self.budgeted_reference("{hours: 12, money: 300}")
        r = run("run", scenario, "-n", "20000", "-o", self.path("s.h5"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"With 12 hours and 300 per month, do: [a-z_ +]+ \(mean net profit "
                         r"[-0-9.e+]+ ± [0-9.e+-]+; beats the next best set in \d+ % of samples; "
                         r"P\(cost over budget\) \d+ %\)\n")
        self.assertRegex(r.stdout, r"\n  2\. [a-z_ +]+ \(mean net profit ")
        summary = run("run", scenario, "-n", "20000", "--summary-only", "-o", self.path("t.h5"))
        self.assertNotIn("do:", summary.stdout)
        with h5py.File(self.path("t.h5")) as f:
            self.assertNotIn("portfolio", f)

    def test_scenarios_with_a_budget_tell_their_story(self):
        shop = run("run", os.path.join(SOURCE, "scenarios", "handmade-shop.yaml"), "-n", "20000",
                   "-o", self.path("shop.h5"))
        self.assertEqual(shop.returncode, 0, shop.stderr)
        self.assertRegex(shop.stdout, r"With \d+ hours per month, do: ")
        firm = run("run", os.path.join(SOURCE, "scenarios", "b2b-firm.yaml"), "-n", "20000",
                   "-o", self.path("firm.h5"))
        self.assertEqual(firm.returncode, 0, firm.stderr)
        self.assertRegex(firm.stdout, r"With 0 hours and 0 per month, do: [a-z_ +]*half_the_time")


class BreakEven(TempDir):
    """Break-even values against numpy on the saved draws (docs/design.md)."""

    SUBSAMPLE = 65536  # FMC_EQUIVALENT_SAMPLES: the first draws of the run

    def saved(self, scenario, n, name, *options):
        path = self.path(name)
        r = run("run", scenario, "-q", "-n", str(n), "--save-samples", "-o", path, *options)
        self.assertEqual(r.returncode, 0, r.stderr)
        return path

    def check_against_numpy(self, path):
        """Every input's value, se and status from the profit model on the subsample."""
        with h5py.File(path) as f:
            names = [n.decode() if isinstance(n, bytes) else n for n in f["inputs/name"][:]]
            m = min(self.SUBSAMPLE, int(f.attrs["samples"]))
            x = {name: f["samples/inputs"][name][:m] for name in names}
            b = f["break_even"]
            self.assertEqual(int(b.attrs["samples"]), m)
            value, se = b["value"][:], b["se"][:]
            status = [s.decode() if isinstance(s, bytes) else s for s in b["status"][:]]
            np.testing.assert_array_equal(f["samples/outputs/profit"][:m],
                                          self.profit(x, names, None, 0))
        rates = {"click_rate", "optin_rate", "purchase_rate"}
        for j, name in enumerate(names):
            def mean(v):
                return self.profit(x, names, name, v).mean()
            lo, hi = 0.0, 1.0 if name in rates else 1e12
            if status[j] != "found":
                # none: the mean profit keeps the sign the status says all over the range
                sign = 1 if status[j] == "always profit" else -1
                self.assertTrue(np.isnan(value[j]) and np.isnan(se[j]), name)
                self.assertGreater(sign * mean(lo), 0, name)
                self.assertGreater(sign * mean(hi), 0, name)
                continue
            rising = mean(hi) > mean(lo)
            for _ in range(200):  # bisection, to the last bit
                mid = 0.5 * (lo + hi)
                if (mean(mid) < 0) == rising:
                    lo = mid
                else:
                    hi = mid
            root = 0.5 * (lo + hi)
            # the delta method: sd of profit at the root / sqrt(m) over the slope
            h = 1e-6 * max(abs(root), 1e-3)
            slope = (mean(root + h) - mean(root - h)) / (2 * h)
            expected_se = self.profit(x, names, name, root).std(ddof=1) / np.sqrt(m) / abs(slope)
            self.assertLess(abs(value[j] - root), max(1e-8 * abs(root), 0.01 * se[j]), name)
            self.assertAlmostEqual(se[j], expected_se, delta=1e-4 * expected_se, msg=name)
        return names, value, se, status

    @staticmethod
    def profit(x, names, changed, v):
        """The model of domain.md with input CHANGED set to V in every sample."""
        def get(name):
            return np.full_like(x[names[0]], v) if name == changed else x[name]
        sales = get("followers") * get("click_rate") * get("optin_rate") * get("purchase_rate")
        cost = get("hourly_rate") * get("hours")
        for name in names[8:]:
            cost = cost + get(name)
        return (get("revenue_per_sale") - get("cost_of_goods")) * sales - cost

    def test_uncertain_scenario_breaks_even_where_numpy_says(self):
        path = self.saved(REFERENCE, 70000, "reference.h5")
        names, value, se, status = self.check_against_numpy(path)
        self.assertEqual(status, ["found"] * len(names))
        self.assertTrue(np.all(se > 0))
        # a loss-making scenario: some inputs cannot break even within their range
        performer = os.path.join(SOURCE, "scenarios", "performer.yaml")
        names, value, se, status = self.check_against_numpy(self.saved(performer, 3000, "p.h5"))
        self.assertIn("always loss", status)
        self.assertEqual(status[names.index("cost_of_goods")], "always loss")
        summary = run("run", performer, "-n", "3000", "-o", self.path("p2.h5"), "--detail")
        self.assertIn("none, always a loss: cost_of_goods", summary.stdout)

    def test_worked_example_breaks_even_at_its_textbook_values(self):
        r = run("run", "-o", self.path("w.h5"), "--detail")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"followers +444\.444 ± 0 ")
        self.assertRegex(r.stdout, r"click_rate +0\.111111 ± 0 ")
        with h5py.File(self.path("w.h5")) as f:
            value = f["break_even/value"][:]
        self.assertAlmostEqual(value[2], 2000 / (90 * 0.25 * 0.4 * 0.5), delta=1e-9 * 444)
        self.assertAlmostEqual(value[3], 2000 / (90 * 1000 * 0.4 * 0.5), delta=1e-12)

    def test_break_even_is_bit_identical_for_any_thread_count(self):
        # over a horizon, with inputs drawn once and each period, and a budget;
        # a loss in month 1 that growth turns into a profit
        scenario = self.path("year.yaml")
        with open(scenario, "w", encoding="utf-8") as out:
            out.write("""name: year
inputs:
  revenue_per_sale: {dist: triangular, min: 35, mode: 45, max: 60}
  cost_of_goods: 20
  followers: {dist: lognormal, median: 1500, sigma: 0.25}
  click_rate: {dist: beta, mean: 0.08, sd: 0.02}
  optin_rate: 0.35
  purchase_rate: 0.45
  hourly_rate: 25
  hours: {dist: normal, mean: 20, sd: 4, min: 8, max: 35, draw: each_period}
costs:
  ads: {dist: uniform, min: 0, max: 80, draw: each_period}
horizon:
  periods: 6
  followers: {growth: {dist: uniform, min: 0.05, max: 0.15}, churn: 0.01}
  budgets: {ads: {plan: 30, rollover: true}}
sensitivity: {sobol: false}
""")
        figures = []
        for threads in ("1", "2", "3"):
            path = self.path("j%s.h5" % threads)
            r = run("run", scenario, "-q", "-n", "9000", "-j", threads, "-o", path)
            self.assertEqual(r.returncode, 0, r.stderr)
            with h5py.File(path) as f:
                b = f["break_even"]
                figures.append([b[k][:].tobytes() for k in ("value", "se", "cumulative_mean",
                                                            "cumulative_se")]
                               + [repr(b.attrs[k]) for k in ("period", "period_se",
                                                             "period_status")])
        self.assertEqual(figures[0], figures[1])
        self.assertEqual(figures[0], figures[2])
        self.assertEqual(figures[0][-1], "'found'")


class ValueOfInformation(TempDir):
    """The value of information of the levers' choice (issue 14, point 1)."""
    SHOP = os.path.join(SOURCE, "scenarios", "handmade-shop.yaml")
    check_file = Layout.check_file
    documented = Layout.documented
    actual = Layout.actual

    def figures(self, name):
        with h5py.File(name) as f:
            v = f["levers/value_of_information"]
            found = {"@" + k: v.attrs[k] for k in v.attrs}
            found.update({k: v[k][:] for k in v})
        return found

    def test_file_with_lever_numbers_matches_the_documented_layout(self):
        name = self.path("shop.h5")
        r = run("run", self.SHOP, "-n", "20000", "-o", name, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.check_file(name, {"always", "roi", "full", "sobol", "levers", "portfolio"}, 20000)
        with h5py.File(name) as f:
            v = f["levers/value_of_information"]
            self.assertEqual([x.decode() for x in v["number"][:]],
                             ["double_followers.followers.quality", "better_photos.click_rate.add",
                              "raise_price.revenue_per_sale.elasticity"])
            self.assertEqual(list(v["group_cells"][:]), [216, 32, 256, 256])

    def test_figures_are_bit_identical_for_any_thread_count(self):
        # 9 blocks, one sample over: 10 folds hold samples, one with a single sample
        figures = []
        for threads in ("1", "2", "3"):
            name = self.path("j%s.h5" % threads)
            r = run("run", self.SHOP, "-n", str(9 * 4096 + 1), "-j", threads, "-o", name, "-q")
            self.assertEqual(r.returncode, 0, r.stderr)
            figures.append(self.figures(name))
        for other in figures[1:]:
            self.assertEqual(sorted(other), sorted(figures[0]))
            for key, value in figures[0].items():
                np.testing.assert_array_equal(np.asarray(other[key]), np.asarray(value), key)

    def test_evpi_bounds_every_evppi_and_the_summary_says_it(self):
        name = self.path("ref.h5")
        r = run("run", REFERENCE, "-n", "200000", "-o", name, "--detail")
        self.assertEqual(r.returncode, 0, r.stderr)
        v = self.figures(name)
        evpi, evpi_se = v["@evpi"], v["@evpi_se"]
        self.assertGreater(evpi, 0)
        for key in ("input_evppi", "group_evppi", "number_evppi"):
            for x, se in zip(v[key], v[key + "_se"]):
                if not np.isnan(x):
                    self.assertGreaterEqual(evpi, x - 4.5 * np.hypot(evpi_se, se), key)
        # the reference's choice turns on the click rate: double the followers, or
        # better content (+0.15 clicks) when the click rate is low
        names = [x.decode() for x in h5py.File(name)["inputs/name"][:]]
        top = names[int(np.nanargmax(v["input_evppi"]))]
        self.assertEqual(top, "click_rate")
        self.assertEqual(v["@best_now"], "double_followers")
        self.assertIn("Knowing your true click_rate before choosing is worth %.3g ± "
                      % v["input_evppi"][names.index("click_rate")], r.stdout)
        self.assertIn("with everything known you would gain %.3g ± %.2g." % (evpi, evpi_se),
                      r.stdout)
        self.assertIn("by group: conversion", r.stdout)

    def test_an_input_drawn_each_period_has_no_value_of_information(self):
        name = self.path("year.h5")
        year = os.path.join(SOURCE, "scenarios", "handmade-year.yaml")
        r = run("run", year, "-n", "8192", "-o", name, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(name) as f:
            each = yaml_each_period(year)
            names = [x.decode() for x in f["inputs/name"][:]]
            evppi = f["levers/value_of_information/input_evppi"][:]
            self.assertTrue(each)
            for j, input_name in enumerate(names):
                self.assertEqual(np.isnan(evppi[j]), input_name in each, input_name)


def yaml_each_period(path):
    """The names of the inputs of the scenario PATH drawn each period."""
    with open(path, encoding="utf-8") as source:
        return {m.group(1) for m in re.finditer(r"^\s+(\w+):.*draw: each_period", source.read(),
                                                re.M)}


class OneWriterAtATime(TempDir):
    """Issue 15, point 5: a lock beside the target, never last-writer-wins."""

    def start_run(self, out, samples):
        return subprocess.Popen([*WRAPPER, FUNNELMC, "run", REFERENCE, "-n", samples, "-j", "1",
                                 "-o", out, "-q"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def wait_for(self, path, process):
        deadline = time.time() + 60 * SLOWDOWN
        while not os.path.exists(path) and process.poll() is None and time.time() < deadline:
            time.sleep(0.01)
        self.assertTrue(os.path.exists(path), "no lock appeared")

    def test_a_second_run_on_the_same_file_fails_clearly_while_the_first_writes(self):
        out = self.path("shared.h5")
        first = self.start_run(out, "3000000")
        self.wait_for(out + ".lock", first)
        second = run("run", REFERENCE, "-n", "1000", "-o", out, "-q")
        _, first_err = first.communicate(timeout=600 * SLOWDOWN)
        self.assertEqual(first.returncode, 0, first_err)
        self.assertEqual(second.returncode, 1)
        self.assertIn("cannot create results file '%s': another funnelmc process is writing it"
                      % out, second.stderr)
        with h5py.File(out) as f:
            self.assertEqual(f.attrs["samples"], 3000000)  # the first run's, whole
        self.assertFalse(os.path.exists(out + ".lock"))
        self.assertEqual(sorted(os.listdir(self.dir)), ["shared.h5"])

    def test_the_lock_of_a_killed_run_does_not_block_the_next(self):
        out = self.path("killed.h5")
        first = self.start_run(out, "100000000")
        self.wait_for(out + ".lock", first)
        first.kill()
        first.communicate()
        self.assertTrue(os.path.exists(out + ".lock"))  # left behind by SIGKILL
        r = run("run", REFERENCE, "-n", "1000", "-o", out, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), ["killed.h5"])


class PolishedErrors(TempDir):
    """Issue 15, point 4: each mistake named for what it is, at its place."""

    def reference_with(self, old, new, name="bad.yaml"):
        with open(REFERENCE, encoding="utf-8") as source:
            text = source.read()
        self.assertIn(old, text)
        path = self.path(name)
        with open(path, "wb") as out:
            out.write(text.replace(old, new, 1).encode("latin-1"))
        return path, text.replace(old, new, 1)

    def test_a_tab_is_named_with_its_line_and_column(self):
        path, text = self.reference_with("\n  hours:", "\n\thours:")
        line = text[:text.index("\thours")].count("\n") + 1
        r = run("check", path)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "error: %s:%d:1: YAML syntax: a tab character; YAML indents "
                         "with spaces only (replace the tab with spaces)\n" % (path, line))

    def test_a_byte_that_is_not_utf8_is_reported_at_its_line_and_column(self):
        path, text = self.reference_with("name: widget-shop", "name: widget-shop # caf\xe9")
        r = run("check", path)
        self.assertEqual(r.returncode, 2)
        line = text[:text.index("caf\xe9")].count("\n") + 1
        self.assertGreater(line, 1)
        column = len("name: widget-shop # caf") + 1
        self.assertEqual(r.stderr, "error: %s:%d:%d: YAML syntax: byte 0xE9 is not UTF-8 (a "
                         "scenario is UTF-8 text: save the file as UTF-8)\n"
                         % (path, line, column))

    def test_an_unknown_input_key_does_not_cascade_into_levers_and_sweeps(self):
        path, _ = self.reference_with("\n  click_rate:", "\n  clik_rate:")
        r = run("check", path)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr.count("error: "), 2, r.stderr)
        self.assertIn("'inputs.clik_rate': unknown key in inputs", r.stderr)
        self.assertIn("'inputs.click_rate': missing required input", r.stderr)

    def test_numeric_limits_are_stated(self):
        r = run("run", "-n", "1e20", "-q", "-o", self.path("never.h5"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("option '-n': expected a positive whole number up to 2^53", r.stderr)
        path, _ = self.reference_with("samples: 1000000", "samples: 1e20")
        r = run("check", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("'samples': expected a positive whole number up to 2^53", r.stderr)

    def test_option_errors_name_the_option(self):
        for args, option in ((["bench", "-r", "0"], "-r"), (["run", "-j", "0"], "-j"),
                             (["run", "--seed", "x"], "--seed"), (["check", "--bogus"], "--bogus"),
                             (["run", "--precision-mean", "-1"], "--precision-mean")):
            with self.subTest(args):
                r = run(*args)
                self.assertEqual(r.returncode, 2)
                self.assertRegex(r.stderr, r"^error: (unknown )?option '%s'" % re.escape(option))


class Warnings(TempDir):
    """Issue 15, point 3: what changes the answer never passes silently."""

    check_file = Layout.check_file
    documented = Layout.documented
    actual = Layout.actual

    def reference_with(self, *replacements, name="warn.yaml"):
        with open(REFERENCE, encoding="utf-8") as source:
            text = source.read()
        for old, new in replacements:
            self.assertIn(old, text)
            text = text.replace(old, new, 1)
        path = self.path(name)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        return path, text

    def line_of(self, text, fragment):
        return text[:text.index(fragment)].count("\n") + 1

    def test_a_rate_pushed_past_1_in_every_sample_is_a_warning_with_a_hint(self):
        path, text = self.reference_with(("click_rate: {add: 0.15}", "click_rate: {add: 2}"))
        place = "%s:%d:23: 'levers.better_content.click_rate.add'" % (
            path, self.line_of(text, "click_rate: {add: 2}"))
        message = ("this change takes 'click_rate' above 1 in every sample, where it is clamped "
                   "to its limit: the lever's gain comes from the limit, not from its amount; a "
                   "rate is a fraction: did you mean 0.02?")
        r = run("check", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "%s: ok (widget-shop)\n" % path)
        self.assertEqual(r.stderr, "warning: %s: %s\n" % (place, message))
        r = run("check", "--strict", path)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "error: %s: %s\n" % (place, message))
        # the run says it too, and the file keeps it, in the documented layout
        out = self.path("warn.h5")
        r = run("run", path, "-n", "20000", "-o", out, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "warning: %s: %s\n" % (place, message))
        self.check_file(out, {"always", "roi", "full", "sobol", "levers", "warnings"}, 20000)
        with h5py.File(out) as f:
            self.assertEqual([w.decode() for w in f["warnings"][:]], ["%s: %s" % (place, message)])
            lever = [x.decode() for x in f["levers/name"][:]].index("better_content")
            self.assertEqual(f["levers/clamped_share"][lever], 1.0)
        # --strict refuses it before any work, on every command that reads scenarios
        # (a batch skips it as a bad scenario)
        for args in (["run", path, "-n", "1000", "-o", self.path("never.h5")],
                     ["sweep", path, "-o", self.path("never.h5")],
                     ["batch", path, "-n", "1000", "-o", self.path("batch.h5")]):
            with self.subTest(args[0]):
                r = run(*args, "--strict", "-q")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("error: %s: %s\n" % (place, message), r.stderr)
                self.assertFalse(os.path.exists(self.path("never.h5")))

    def test_the_predicted_share_clamped_matches_the_run(self):
        # a click rate of Beta(25, 75) plus 0.72 passes 1 where it is above 0.28
        path, text = self.reference_with(("click_rate: {add: 0.15}", "click_rate: {add: 0.72}"))
        r = run("check", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"takes 'click_rate' above 1 in ([\d.]+)% of samples \(about (\d+) of "
                      r"1000000\), where it is clamped to its limit: in those samples", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        predicted = float(m.group(1)) / 100
        self.assertAlmostEqual(int(m.group(2)) / 1e6, predicted, places=3)
        out = self.path("share.h5")
        n = 200000
        r = run("run", path, "-n", str(n), "--base-samples", "1000", "-o", out, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(out) as f:
            names = [x.decode() for x in f["levers/name"][:]]
            measured = f["levers/clamped_share"][names.index("better_content")]
        se = (predicted * (1 - predicted) / n) ** 0.5
        self.assertLess(abs(measured - predicted), 4 * se + 0.0005)

    def test_a_change_clamped_in_1_percent_or_fewer_samples_is_silent(self):
        path, _ = self.reference_with(("click_rate: {add: 0.15}", "click_rate: {add: 0.5}"))
        r = run("check", path)
        self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_a_sweep_axis_that_clamps_says_how_many_values_and_the_worst(self):
        old = "click_rate: {add: {from: -0.1, to: 0.2, steps: 7}}"
        path, text = self.reference_with((old, "click_rate: {add: {from: -0.3, to: 0.8, steps: 12}}"))
        r = run("check", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr.count("warning: "), 1, r.stderr)
        self.assertIn("%s:%d:25: 'sweeps.followers_vs_click.axes.click_rate.add': 4 of this "
                      "axis's 12 values take 'click_rate' past its limits in more than 1%% of "
                      "samples, where it is clamped: at 0.8, above 1 in 88.0%% of samples"
                      % (path, self.line_of(text, "from: -0.3")), r.stderr)

    def test_a_rate_given_in_percent_is_an_error_with_a_hint(self):
        for old, new, key, hint in (
                ("click_rate:       {dist: beta, alpha: 25, beta: 75}", "click_rate: 25",
                 "'inputs.click_rate'", "did you mean 0.25?"),
                ("optin_rate: {add: 0.10}", "optin_rate: {set: 55}",
                 "'levers.better_content.optin_rate.set'", "did you mean 0.55?")):
            with self.subTest(new):
                path, _ = self.reference_with((old, new))
                r = run("check", path)
                self.assertEqual(r.returncode, 2)
                self.assertRegex(r.stderr, r"^error: %s:\d+:\d+: %s: .*a rate is a fraction: %s\n$"
                                 % (re.escape(path), re.escape(key), re.escape(hint)))

    def test_the_scenario_library_gives_no_warning(self):
        # half-hour-a-day's loyalty card doubled a purchase rate of mean 0.5 until the
        # warning caught it: it now doubles each sale's margin
        library = os.path.join(SOURCE, "scenarios")
        files = sorted(os.path.join(library, f) for f in os.listdir(library))
        r = run("check", "-q", *files)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")


def printed_unit(text):
    """The rounding step of a figure as printed: 0.01 for "6.78", 10 for "19220"."""
    if "." in text:
        return 10.0 ** -len(text.split(".")[1])
    return 10.0 ** (len(text) - len(text.rstrip("0"))) if text.strip("-0") else 1.0


SKEWED = """name: skewed
samples: 200000
seed: 3
inputs:
  revenue_per_sale: 1000
  cost_of_goods: 0
  followers: {dist: lognormal, median: 1000, sigma: 1}
  click_rate: 0.1
  optin_rate: 0.5
  purchase_rate: 0.2
  hourly_rate: 0
  hours: 0
levers:
  # gains 5 per follower and costs 6500: it pays when followers exceed 1300,
  # less often than not, but the lognormal's long tail makes its mean larger
  big_bet:
    followers: {scale: 1.5}
    cost: {money: 6500}
  steady:
    revenue_per_sale: {add: 2}
"""


class BottomLine(TempDir):
    """The default summary answers first: sentences whose every figure is the file's,
    rounded as printed, in about 30 lines of at most 100 columns; --detail adds the
    tables."""

    def sentences(self, stdout):
        """The opening sentences (before the first table), joined into one line."""
        return stdout.split("\n\n")[1].replace("\n", " ")

    def assert_printed(self, text, value, what):
        self.assertLessEqual(abs(float(text) - value), 0.5 * printed_unit(text) * (1 + 1e-9),
                             "%s: printed %s, file %r" % (what, text, value))
        self.checked.append(text)

    def assert_all_checked(self, text):
        """Every number of the sentences was compared with the file (the fixed
        phrase "in 90% of outcomes (P5-P95)" aside)."""
        text = text.replace("in 90% of outcomes (P5-P95)", "")
        numbers = re.findall(r"(?<![\w.])-?\d[\d.]*\d|(?<![\w.])\d", text)
        self.assertEqual(sorted(numbers), sorted(self.checked), text)

    def assert_compact(self, stdout):
        lines = stdout.splitlines()
        self.assertLessEqual(len(lines), 32, stdout)
        self.assertLessEqual(max(len(line) for line in lines), 100, stdout)

    def test_reference_bottom_line_matches_the_file(self):
        name = self.path("ref.h5")
        r = run("run", REFERENCE, "-o", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_compact(r.stdout)
        for table in ("tornado", "Sobol", "verdicts", "Spearman"):
            self.assertNotIn(table, r.stdout)
        text = self.sentences(r.stdout)
        self.checked = []
        with h5py.File(name) as f:
            profit = f["outputs/profit"]
            levels = list(profit["quantile_levels"][:])
            quantiles = profit["quantiles"][:]
            m = re.search(r"Expected profit: (\S+) a month, between (\S+) and (\S+) in 90% of "
                          r"outcomes \(P5-P95\); the chance of a loss is (\S+)%\.", text)
            self.assertIsNotNone(m, text)
            self.assert_printed(m.group(1), profit.attrs["mean"], "mean")
            self.assert_printed(m.group(2), quantiles[levels.index(0.05)], "P5")
            self.assert_printed(m.group(3), quantiles[levels.index(0.95)], "P95")
            self.assert_printed(m.group(4), 100 * profit.attrs["p_loss"], "P(loss)")
            levers = [x.decode() for x in f["levers/name"][:]]
            net = f["levers/net_gain"][:]
            first, second = np.argsort(-net)[:2]
            m = re.search(r"The lever that pays most is (\w+): \+(\S+) a month after its own "
                          r"cost, (\S+) more than the next best, (\w+); it does better than \w+ in "
                          r"(\S+)% of outcomes\.", text)
            self.assertIsNotNone(m, text)
            self.assertEqual((m.group(1), m.group(4)), (levers[first], levers[second]))
            self.assert_printed(m.group(2), net[first], "net gain")
            self.assert_printed(m.group(3), net[first] - net[second], "difference")
            self.assert_printed(m.group(5), 100 * f["levers/p_beats"][first, second], "P(beats)")
            inputs = [x.decode() for x in f["inputs/name"][:]]
            share = f["sensitivity/contribution_to_variance"][:]
            m = re.search(r"What drives the uncertainty most: (\w+) \((\d+)% of the variance of "
                          r"profit\), then (\w+) \((\d+)%\), (\w+) \((\d+)%\)\.", text)
            self.assertIsNotNone(m, text)
            order = np.argsort(-share)
            self.assertEqual((m.group(1), m.group(3), m.group(5)), tuple(inputs[j] for j in order[:3]))
            for k in range(3):
                self.assert_printed(m.group(2 * k + 2), 100 * share[order[k]], "contribution")
            value, base = f["break_even/value"][:], f["inputs/base"][:]
            named = re.findall(r"(\w+) at (\S+) \(base (\S+?)\)", text)
            self.assertEqual([n for n, _, _ in named], [inputs[j] for j in order[:3]])
            for input_name, printed, printed_base in named:
                self.assert_printed(printed, value[inputs.index(input_name)], input_name)
                self.assertEqual(printed_base, "%g" % base[inputs.index(input_name)])
                self.checked.append(printed_base)
            voi = f["levers/value_of_information"]
            m = re.search(r"Knowing your true (\w+) before choosing a lever is worth (\S+) a "
                          r"month; knowing everything, (\S+)\.", text)
            self.assertIsNotNone(m, text)
            self.assert_printed(m.group(2), voi["input_evppi"][inputs.index(m.group(1))], "EVPPI")
            self.assert_printed(m.group(3), voi.attrs["evpi"], "EVPI")
        self.assert_all_checked(text)
        self.assertRegex(r.stdout, r"\n  1 %s +[\d.]+ ± [\d.]+ +[\d.]+%% +[\d.]+%%\n"
                         % levers[first])
        self.assertIn("every table: --detail", r.stdout)
        detail = run("run", REFERENCE, "-n", "20000", "-o", self.path("d.h5"), "--detail")
        self.assertEqual(detail.returncode, 0, detail.stderr)
        self.assertIn("Expected profit: ", detail.stdout)
        for table in ("tornado", "Sobol indices", "verdicts", "Spearman", "break-even:"):
            self.assertIn(table, detail.stdout)
        # every table by importance: the drivers and the Sobol indices, largest first
        drivers = detail.stdout[detail.stdout.index("what drives profit"):]
        self.assertRegex(drivers, r"SRC ± se\n  followers ")
        sobol = detail.stdout[detail.stdout.index("Sobol indices"):]
        self.assertRegex(sobol, r"total order\n  followers ")
        self.assertRegex(sobol, r"groups:\n  audience ")

    def test_worked_example_bottom_line_and_pairs_after_both_costs(self):
        name = self.path("w.h5")
        r = run("run", "--combine", "-o", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_compact(r.stdout)
        text = self.sentences(r.stdout)
        with h5py.File(name) as f:
            self.assertEqual(f["outputs/profit"].attrs["mean"], 2500)
            self.assertEqual(f["outputs/profit"].attrs["p_loss"], 0)
            self.assertEqual(list(f["levers/net_gain"][:2]), [4500, 4500])
            np.testing.assert_allclose(f["break_even/value"][:3],
                                       [50, 60, 2000 / (90 * 0.25 * 0.4 * 0.5)], rtol=1e-9)
        self.assertIn("Expected profit: 2500 a month; the chance of a loss is 0%.", text)
        # two levers that gain exactly as much are called a tie
        self.assertIn("The lever that pays most is double_followers: +4500 a month after its own "
                      "cost, tied with better_content_points: both gain exactly as much.", text)
        self.assertIn("Mean profit a month breaks even with revenue_per_sale at 50 (base 100), "
                      "cost_of_goods at 60 (base 10), followers at 444.444 (base 1000)", text)
        self.assertRegex(r.stdout, r"\n  1 double_followers +4500 ± 0 +100% +tie\n")
        with h5py.File(name) as f:
            levers = [x.decode() for x in f["levers/name"][:]]
            cost = dict(zip(levers, f["levers/cost"][:]))
            pairs = f["levers/pairs"]
            for q, (a, b) in enumerate(zip(pairs["first"][:], pairs["second"][:])):
                a, b = a.decode(), b.decode()
                self.assertAlmostEqual(pairs["net_gain"][q],
                                       pairs["combined_gain"][q] - cost[a] - cost[b], delta=1e-6)
                self.assertRegex(r.stdout, r"\n    %s \+ %s +%s ± 0\n"
                                 % (a, b, re.escape("%.6g" % pairs["net_gain"][q])))

    def test_over_a_horizon_the_bottom_line_is_cumulative_and_pays_back(self):
        r = run("run", HORIZON, "-n", "20000", "-o", self.path("h.h5"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_compact(r.stdout)
        text = self.sentences(r.stdout)
        self.assertIn("Expected profit: 8895 over the 3 months; the chance of a loss is 0%.", text)
        self.assertIn("The lever that pays most is double_followers: +14595 over the 3 months",
                      text)
        self.assertIn("Pays back: median month 1 (95% CI 1-1)", text)

    def test_a_skewed_lever_is_explained_and_zeros_print_as_zero(self):
        scenario = self.path("skewed.yaml")
        with open(scenario, "w", encoding="utf-8") as out:
            out.write(SKEWED)
        name = self.path("skewed.h5")
        r = run("run", scenario, "-o", name, "--combine")
        self.assertEqual(r.returncode, 0, r.stderr)
        text = self.sentences(r.stdout)
        with h5py.File(name) as f:
            p_beats = f["levers/p_beats"][:]
            self.assertLess(p_beats[0, 1], 0.5)
            self.assertGreater(f["levers/net_gain"][0], f["levers/net_gain"][1])
        self.assertIn("The lever that pays most is big_bet:", text)
        self.assertIn("Why it ranks first although steady wins more often: big_bet is usually a "
                      "little worse, now and then much better", text)
        detail = run("run", scenario, "-n", "20000", "-o", self.path("d.h5"), "--combine",
                     "--detail")
        # the two levers change different inputs of a product: their interaction is exact,
        # and a figure within its error of zero prints as 0, never as 1e-15 noise
        self.assertNotRegex(detail.stdout, r"e-1\d")


# Two levers whose winner is known by construction: doubling the followers
# gains 18000 c at click rate c (profit 18000 c - 2000 with the other inputs
# of the worked example), adding 0.15 to the click rate gains 2700; the
# second wins below c = 0.15, the first above, and at 0.15 they are equal in
# every sample: a tie.  Followers and the price do not change the winner.
REGIONS_SCENARIO = """name: regions
period: month
samples: 10
seed: 1
inputs:
  revenue_per_sale: 100
  cost_of_goods: 10
  followers: 1000
  click_rate: 0.25
  optin_rate: 0.4
  purchase_rate: 0.5
  hourly_rate: 50
  hours: 40
levers:
  double_followers:
    followers: {scale: 2}
  better_content:
    click_rate: {add: 0.15}
  better_content_relative:
    click_rate: {scale: 1.15}
sensitivity:
  sobol: false
sweeps:
  three_axes:
    samples: 10
    axes:
      click_rate: {set: [0.05, 0.15, 0.2, 0.3, 0.4]}
      followers: {set: [500, 1000, 2000]}
      revenue_per_sale: {set: [50, 100]}
  two_axes:
    samples: 10
    axes:
      click_rate: {set: [0.05, 0.15, 0.3]}
      followers: {set: [500, 1000, 2000]}
"""


class SweepSummaries(TempDir):
    def regions(self):
        path = self.path("regions.yaml")
        with open(path, "w", encoding="utf-8") as out:
            out.write(REGIONS_SCENARIO)
        return path

    def test_a_two_axis_sweep_prints_matrices_of_the_best_lever_and_of_profit(self):
        name = self.path("two.h5")
        r = run("sweep", self.regions(), "--sweep", "two_axes", "-o", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[:2], ["sweep two_axes: 9 points of 10 samples, same draws at every point",
                                     "  figures: profit per month"])
        self.assertIn("A = double_followers, B = better_content; X=Y: a tie", r.stdout)
        self.assertNotIn("better_content_relative", r.stdout)  # never best: not in the legend
        self.assertEqual(lines.index("    click_rate \\ followers  500 1000 2000") + 1,
                         lines.index("    0.05                      B    B    B"))
        self.assertIn("    0.15                    A=B  A=B  A=B", lines)
        self.assertIn("    0.3                       A    A    A", lines)
        profit = {(c, f): round(18 * f * c - 2000, 6) for c in (0.05, 0.15, 0.3)
                  for f in (500, 1000, 2000)}
        for c in (0.05, 0.15, 0.3):
            row = next(line for line in lines[lines.index("  mean profit (rounded to its "
                                                          "standard error):"):]
                       if line.split()[0] == "%g" % c)
            self.assertEqual([float(x) for x in row.split()[1:]],
                             [profit[c, f] for f in (500, 1000, 2000)])
        self.assertNotIn("  every point:", r.stdout)
        self.assertLess(len(lines), 20)
        with h5py.File(name) as f:
            self.assertEqual(list(f["sweeps"].keys()), ["two_axes"])  # only the sweep asked for
            g = f["sweeps/two_axes"]
            self.assertEqual(g["best_lever"].shape, (3, 3))
            np.testing.assert_array_equal(g["p_best_ties_runner_up"][1, :], 1)
            np.testing.assert_array_equal(g["p_best_ties_runner_up"][0, :], 0)
            self.assertEqual(set(g["runner_up_lever"][1, :]) | set(g["best_lever"][1, :]), {0, 1})
            self.assertEqual(set(g["best_lever"][0, :]), {1})
            self.assertEqual(set(g["runner_up_lever"][2, :]), {1})

    def test_more_axes_print_the_regions_where_each_lever_wins(self):
        name = self.path("three.h5")
        r = run("sweep", self.regions(), "--sweep", "three_axes", "-o", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("  best lever (largest mean net gain), by region:\n"
                      "    better_content wherever click_rate 0.05 (6 points)\n"
                      "    double_followers and better_content tie wherever click_rate 0.15 "
                      "(6 points)\n"
                      "    double_followers elsewhere (18 points)\n", r.stdout)
        self.assertIn("  lowest mean profit -1800 at click_rate 0.05, followers 500, "
                      "revenue_per_sale 50\n", r.stdout)
        self.assertIn("  highest mean profit 12400 at click_rate 0.4, followers 2000, "
                      "revenue_per_sale 100\n", r.stdout)
        self.assertNotIn("  every point:", r.stdout)
        detail = run("sweep", self.regions(), "--sweep", "three_axes", "-o", name, "--detail")
        self.assertEqual(detail.returncode, 0, detail.stderr)
        points = [line for line in detail.stdout.splitlines() if line.startswith("  click_rate ")]
        self.assertEqual(len(points), 30)
        self.assertEqual(sum("tied with" in line for line in points), 6)
        self.assertNotIn("P(beats the next) 0%", detail.stdout)

    def test_the_reference_sweep_prints_as_docs_cli_md_shows(self):
        r = run("sweep", REFERENCE, "-o", self.path("r.h5"), "-j", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(SOURCE, "docs", "cli.md"), encoding="utf-8") as doc:
            text = doc.read()
        shown = text[text.index("```\nsweep followers_vs_click") + 4:]
        shown = shown[:shown.index("```")]
        self.assertEqual(r.stdout[:r.stdout.index("results:")], shown)
        self.assertLessEqual(max(len(line) for line in shown.splitlines()), 100)

    def test_sweep_takes_samples_a_seed_and_one_sweep_by_name(self):
        name = self.path("n.h5")
        r = run("sweep", REFERENCE, "-n", "2000", "--seed", "7", "-o", name, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(name) as f:
            self.assertEqual(int(f["sweeps/followers_vs_click"].attrs["samples"]), 2000)
            self.assertEqual(int(f.attrs["seed"]), 7)
        bad = run("sweep", REFERENCE, "--sweep", "nope", "-o", name)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("error: option '--sweep': the scenario has no sweep 'nope'", bad.stderr)
        self.assertIn("followers_vs_click", bad.stderr)

    def test_the_batch_says_each_scenario_s_period_and_runs_their_sweeps(self):
        scenarios = [os.path.join(SOURCE, "scenarios", s + ".yaml")
                     for s in ("worked-example", "half-hour-a-day", "handmade-year")]
        name = self.path("batch.h5")
        r = run("batch", *scenarios, "-n", "2000", "--summary-only", "--sweeps", "-o", name)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"worked-example +mean profit 2500 ± 0 per month,")
        self.assertRegex(r.stdout, r"half-hour-a-day +mean profit \S+ ± \S+ per year,")
        self.assertRegex(r.stdout, r"handmade-year +mean profit \S+ ± \S+ over 12 months,")
        self.assertIn("sweep break_even_followers: 5 points in the file", r.stdout)
        with h5py.File(name) as f:
            self.assertEqual([x.decode() for x in f["batch/period"][:]],
                             ["month", "year", "12 months"])
            self.assertEqual(f["handmade-year"].attrs["batch_period"], "12 months")
            for group in ("worked-example", "half-hour-a-day", "handmade-year"):
                sweeps = f[group + "/sweeps"]
                self.assertGreaterEqual(len(sweeps), 1)
                for sweep in sweeps.values():
                    self.assertEqual(int(sweep.attrs["samples"]), 2000)
            np.testing.assert_array_equal(f["worked-example/sweeps/break_even_followers/mean"][:],
                                          [-875, 0, 2500, 7000, 16000])
        # without --sweeps, no sweeps
        plain = run("batch", scenarios[0], "-n", "2000", "-q", "-o", self.path("plain.h5"))
        self.assertEqual(plain.returncode, 0, plain.stderr)
        with h5py.File(self.path("plain.h5")) as f:
            self.assertNotIn("sweeps", f["worked-example"])



class AcrossProcesses(TempDir):
    """What a lone process says about MPI (tests/mpi runs the commands under mpirun)."""

    def test_the_build_says_whether_it_has_mpi_and_every_help_how_to_use_it(self):
        mpi = run("--version").stdout.splitlines()[1]
        self.assertIn(mpi, ("MPI: yes", "MPI: no"))
        self.assertIn("This build has MPI" if mpi == "MPI: yes" else "This build has no MPI",
                      run("--help").stdout)
        for command in ("run", "sweep", "batch", "bench"):
            self.assertIn("mpirun -n P funnelmc " + command, run(command, "--help").stdout)

    def test_a_lone_process_prints_no_processes_line(self):
        r = run("run", "-n", "2000", "-o", self.path("x.h5"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("processes:", r.stdout)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
