#!/usr/bin/env python3
"""Sampling designs, correlated inputs and fitted laws through the command
line (issue 17): the same bits for any thread count under every design, the
design and its replicates in the file and the summary, a closed form of two
correlated lognormals, and fitted inputs in the file.

Run by ctest as: python3 test_designs.py FUNNELMC_BINARY SOURCE_DIR

Statistical checks compare with closed forms within 4.5 standard errors (a
false alarm about once in 150 000 checks), and each is paired with the same
check on the case that must differ, so that a test that passes says the
feature is there.
"""
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py

SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
sys.path.insert(0, os.path.join(SOURCE, "tests"))
from h5objects import differences, objects  # noqa: E402

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
WRAPPER = os.environ.get("FUNNELMC_TEST_WRAPPER", "").split()
REFERENCE = os.path.join(SOURCE, "scenarios", "reference.yaml")
YEAR = os.path.join(SOURCE, "scenarios", "handmade-year.yaml")
Z = 4.5


def run(*args, cwd=None):
    return subprocess.run([*WRAPPER, FUNNELMC, *args], capture_output=True, text=True, cwd=cwd)


class TempDir(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-designs-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def ok(self, *args):
        r = run(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r


class SameBits(TempDir):
    """Every design gives the same file for 1, 2 and 3 threads: its words
    belong to samples, never to threads."""

    def same_for_threads(self, command, scenario, *args):
        files = []
        for threads in (1, 2, 3):
            out = self.path("j%d.h5" % threads)
            self.ok(command, scenario, "-o", out, "-j", str(threads), "-q", *args)
            files.append(objects(out))
        for threads, found in zip((2, 3), files[1:]):
            self.assertEqual(files[0], found, "-j 1 vs -j %d: %s" % (threads, differences(files[0], found)))
        return files[0]

    def test_run_every_design(self):
        for design in ("mc", "lhs", "qmc"):
            with self.subTest(design=design):
                self.same_for_threads("run", REFERENCE, "-n", "49152", "--replicates", "3",
                                      "--sampling", design, "--base-samples", "6000", "--combine")

    def test_horizon(self):
        for design in ("lhs", "qmc"):
            with self.subTest(design=design):
                self.same_for_threads("run", YEAR, "-n", "16384", "--sampling", design,
                                      "--replicates", "2", "--base-samples", "2000")

    def test_sweep(self):
        self.same_for_threads("sweep", REFERENCE, "-n", "8192", "--sampling", "qmc",
                              "--replicates", "2")


class DesignInTheFile(TempDir):
    def test_attributes_and_summary(self):
        out = self.path("q.h5")
        r = self.ok("run", REFERENCE, "--summary-only", "-n", "65536", "--sampling", "qmc",
                    "--replicates", "8", "-o", out)
        with h5py.File(out, "r") as f:
            self.assertEqual(f.attrs["sampling"], "qmc")
            self.assertEqual(int(f.attrs["replicates"]), 8)
            self.assertEqual(int(f.attrs["replicate_points"]), 8192)
            self.assertEqual(int(f.attrs["samples"]), 65536)
        self.assertIn("sampling: qmc (scrambled Sobol' points), 8 replicates of 8192 samples", r.stdout)
        self.assertIn("Student t, 7 degrees of freedom", r.stdout)

    def test_one_replicate_of_the_scenarios_design(self):
        roaster = os.path.join(SOURCE, "scenarios", "coffee-roaster.yaml")
        for command in ("run", "sweep"):
            with self.subTest(command=command):
                out = self.path("one.h5")
                r = run(command, roaster, "--replicates", "1", "-o", out)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("qmc with 1 replicate", r.stderr)
                self.assertFalse(os.path.exists(out))

    def test_plain_run_says_nothing_new(self):
        out = self.path("m.h5")
        r = self.ok("run", REFERENCE, "--summary-only", "-n", "8192", "-o", out)
        with h5py.File(out, "r") as f:
            self.assertEqual(f.attrs["sampling"], "mc")
            self.assertEqual(int(f.attrs["replicates"]), 1)
        self.assertNotIn("sampling:", r.stdout)

    def test_bad_options(self):
        for args, words in ((("--sampling", "sobol"), "expected mc, lhs or qmc"),
                            (("--replicates", "0"), "from 1 to 4096"),
                            (("--sampling", "qmc", "--replicates", "1"), "replicates"),
                            (("--sampling", "lhs", "--replicates", "2", "-n", "1e10"),
                             "more than 2^32 - 1 points")):
            with self.subTest(args=args):
                out = self.path("bad.h5")
                r = run("run", REFERENCE, "-o", out, *args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(words, r.stderr)
                self.assertFalse(os.path.exists(out))


# Two correlated lognormals: profit = R F with every other input neutral.
LOGNORMALS = """name: lognormal-product
samples: {samples}
inputs:
  revenue_per_sale: {{dist: lognormal, median: 20, sigma: 0.5}}
  cost_of_goods: 0
  followers: {{dist: lognormal, median: 1000, sigma: 0.8}}
  click_rate: 1
  optin_rate: 1
  purchase_rate: 1
  hourly_rate: 0
  hours: 0
{correlations}
"""


class CorrelatedLognormals(TempDir):
    """E[X Y] = exp(mu_x + mu_y + (s_x^2 + s_y^2) / 2 + r s_x s_y) for
    lognormals whose logs have correlation r = 2 sin(pi rho / 6), rho the
    rank correlation asked for."""

    def mean_profit(self, correlations, design=()):
        text = LOGNORMALS.format(samples=400000 if not WRAPPER else 40000,
                                 correlations=correlations)
        out = self.path("p.h5")
        self.ok("run", self.write("p.yaml", text), "--summary-only", "-o", out, "-q", *design)
        with h5py.File(out, "r") as f:
            profit = f["outputs/profit"].attrs
            return float(profit["mean"]), float(profit["se"])

    def expected(self, rho):
        r = 2 * math.sin(math.pi * rho / 6)
        return math.exp(math.log(20) + math.log(1000) + (0.5 ** 2 + 0.8 ** 2) / 2 + r * 0.5 * 0.8)

    def test_product_mean(self):
        rho = -0.6
        for design in ((), ("--sampling", "lhs"), ("--sampling", "qmc")):
            with self.subTest(design=design):
                mean, se = self.mean_profit("correlations:\n  - [revenue_per_sale, followers, %g]"
                                            % rho, design)
                self.assertLess(abs(mean - self.expected(rho)), Z * se)
                # the same run without the correlation is far from it
                self.assertGreater(abs(mean - self.expected(0)), 10 * Z * se)

    def test_independent_without_correlations(self):
        mean, se = self.mean_profit("")
        self.assertLess(abs(mean - self.expected(0)), Z * se)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
