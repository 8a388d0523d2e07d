#!/usr/bin/env python3
"""The keys `sampling:`, `correlations:` and `fit:` as a user meets them:
`funnelmc check` on a broken file exits 2 and names FILE:LINE:COLUMN, the
key and what is wrong, at the offending item or value; `run` and `sweep`
refuse the same file and write nothing; warnings about the samples of a
design leave the file valid (and fail it under --strict); the scenarios of
scenarios/ that use the keys pass `check`.

Run by ctest as: python3 test_scenario_keys.py FUNNELMC_BINARY SOURCE_DIR
"""
import os
import re
import sys
import unittest

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_cli import SOURCE, TempDir, run  # noqa: E402  (the program, under valgrind too)

# lines 1 to 10; a test adds its own from line 11
FUNNEL = """name: keys
samples: 4096
inputs:
  revenue_per_sale: {dist: triangular, min: 80, mode: 100, max: 130}
  cost_of_goods: 10
  followers: {dist: lognormal, median: 1000, sigma: 0.4}
  click_rate: {dist: beta, alpha: 25, beta: 75}
  optin_rate: {dist: beta, mean: 0.4, sd: 0.05}
  purchase_rate: {dist: beta, alpha: 50, beta: 50}
  hourly_rate: 50
"""
HOURS = "  hours: {dist: uniform, min: 30, max: 50}\n"  # line 11
SWEEP = "sweeps:\n  more: {samples: 1024, axes: {followers: {scale: [1, 2]}}}\n"


class ScenarioKeys(TempDir):
    def write(self, text, name="bad.yaml"):
        with open(self.path(name), "w") as f:
            f.write(text)
        return name

    def refused(self, text, place, key, fragment):
        """TEXT is refused by check, run and sweep with exactly one error,
        at PLACE ("LINE:COLUMN") under KEY, saying FRAGMENT; nothing is
        written."""
        name = self.write(FUNNEL + text + SWEEP)
        r = run("check", name, cwd=self.dir)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        errors = [line for line in r.stderr.splitlines() if line.startswith("error: ")]
        self.assertEqual(len(errors), 1, r.stderr)
        self.assertTrue(errors[0].startswith("error: %s:%s: '%s': " % (name, place, key)),
                        errors[0])
        self.assertIn(fragment, errors[0])
        for command in (["run", name, "-o", "out.h5"], ["sweep", name, "-o", "out.h5"]):
            r = run(*command, cwd=self.dir)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertIn("%s:%s: '%s'" % (name, place, key), r.stderr)
            self.assertEqual(sorted(os.listdir(self.dir)), [name], command)
        return errors[0]

    def test_broken_sampling(self):
        self.refused(HOURS + "sampling: {method: halton}\n", "12:20", "sampling.method",
                     "unknown sampling method 'halton' (known: mc, lhs, qmc)")
        self.refused(HOURS + "sampling: {method: qmc, replicates: 1}\n", "12:37",
                     "sampling.replicates", "no honest standard error")
        self.refused(HOURS + "sampling: {method: lhs, replicates: 10000}\n", "12:37",
                     "sampling.replicates", "from 1 to 4096")
        self.refused(HOURS + "sampling: {method: lhs, seeds: 4}\n", "12:25",
                     "sampling.seeds", "unknown key in sampling (known keys: method, replicates)")
        self.refused(HOURS + "sampling: lhs\n", "12:11", "sampling", "expected a mapping")

    def test_broken_correlations(self):
        head = HOURS + "correlations:\n  - [followers, click_rate, -0.4]\n"  # lines 11-13
        self.refused(head + "  - [follower, optin_rate, 0.3]\n", "14:6", "correlations[1][0]",
                     "no input or cost line 'follower' (known: revenue_per_sale, ")
        self.refused(head + "  - [click_rate, followers, 0.3]\n", "14:5", "correlations[1]",
                     "'click_rate' and 'followers' are already correlated on line 13")
        self.refused(head + "  - [optin_rate, optin_rate, 0.3]\n", "14:5", "correlations[1]",
                     "'optin_rate' is correlated with itself")
        self.refused(head + "  - [optin_rate, hourly_rate, 0.3]\n", "14:18", "correlations[1][1]",
                     "'hourly_rate' is fixed at 50: a constant has no rank")
        self.refused(head + "  - [optin_rate, purchase_rate, -1]\n", "14:33",
                     "correlations[1][2]", "strictly between -1 and 1 (got -1)")
        self.refused(head + "  - [optin_rate, purchase_rate, high]\n", "14:33",
                     "correlations[1][2]", "expected a number, found 'high'")
        self.refused(head + "  - {optin_rate: purchase_rate}\n", "14:5", "correlations[1]",
                     "a correlation is [input, input, rank correlation]")

    def test_correlations_that_cannot_hold_suggest_ones_that_can(self):
        text = (HOURS + "correlations:\n"
                "  - [followers, click_rate, 0.9]\n"
                "  - [followers, optin_rate, 0.9]\n"
                "  - [click_rate, optin_rate, -0.9]\n")
        error = self.refused(text, "12:1", "correlations", "not positive definite")
        self.assertIn("[followers, click_rate, 0.9] (line 13), [followers, optin_rate, 0.9] "
                      "(line 14), [click_rate, optin_rate, -0.9] (line 15)", error)
        suggested = error.split("the nearest valid correlations are: ")[1]
        items = re.findall(r"\[[a-z_]+, [a-z_]+, -?[0-9.e+-]+\]", suggested)
        self.assertEqual(len(items), 3, suggested)
        fixed = self.write(FUNNEL + HOURS + "correlations:\n" +
                           "".join("  - %s\n" % item for item in items), "fixed.yaml")
        r = run("check", fixed, cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_broken_correlations_with_lever_numbers(self):
        levers = ("levers:\n"                                           # line 12
                  "  photos: {click_rate: {add: 0.02}, cost: {money: 150}}\n"
                  "correlations:\n")
        self.refused(HOURS + levers + "  - [click_rate, photos.click_rate.add, 0.3]\n", "15:18",
                     "correlations[0][1]", "'photos.click_rate.add' is not uncertain")
        self.refused(HOURS + levers + "  - [click_rate, photos.cost.hours, 0.3]\n", "15:18",
                     "correlations[0][1]", "'photos.cost.hours' is not uncertain")
        self.refused(HOURS + levers + "  - [click_rate, photos.click_rate.scale, 0.3]\n",
                     "15:18", "correlations[0][1]", "lever 'photos' has no uncertain number "
                     "'click_rate.scale' (it has no uncertain number)")
        self.refused(HOURS + levers + "  - [click_rate, video.click_rate.add, 0.3]\n", "15:18",
                     "correlations[0][1]", "a lever's uncertain number is named LEVER.INPUT.OP")

    def test_an_input_correlated_with_a_lever_amount_is_drawn_so(self):
        requested = -0.5
        name = self.write(FUNNEL + HOURS +
                          "levers:\n  photos:\n"
                          "    click_rate: {add: {dist: triangular, min: 0, mode: 0.02, max: 0.07}}\n"
                          "    cost: {money: 150}\n"
                          "correlations:\n  - [click_rate, photos.click_rate.add, %g]\n"
                          % requested, "levers.yaml")
        r = run("run", name, "-n", "65536", "-o", "out.h5", cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("click_rate ~ photos.click_rate.add: -0.5, drawn", r.stdout)
        with h5py.File(self.path("out.h5")) as f:
            group = f["correlations"]
            self.assertEqual([x.decode() if isinstance(x, bytes) else x
                              for x in (group["first"][0], group["second"][0])],
                             ["click_rate", "photos.click_rate.add"])
            realised, se = group["realised"][0], group["realised_se"][0]
        self.assertTrue(0 < se < 0.01, se)
        self.assertLess(abs(realised - requested), 4.5 * se, (realised, se))

    def test_broken_fits(self):
        self.refused("  hours: {fit: [40, 42, 38, 41]}\n", "11:16", "inputs.hours.fit",
                     "a fit needs at least 5 values, found 4")
        self.refused("  hours: {fit: [40, 42, 38, .nan, 41]}\n", "11:29", "inputs.hours.fit[3]",
                     "expected a number, found '.nan'")
        self.refused("  hours: {fit: [40, 42, 38, -4, 41]}\n", "11:29", "inputs.hours.fit[3]",
                     "hours is never negative: -4 is below 0")
        self.refused(HOURS + "costs:\n  ads: {fit: [10, 20, 30, 40, 50], dist: uniform}\n",
                     "13:8", "costs.ads", "give either 'fit' (values to fit a law to) or 'dist'")
        self.refused("  hours: {fit: [40, 42, 38, 39, 41], laws: [weibull]}\n", "11:45",
                     "inputs.hours.laws[0]", "'weibull' is not a law funnelmc fits (it fits ")
        self.refused("  hours: {fit: [40, 40, 40, 40, 40]}\n", "11:16", "inputs.hours.fit",
                     "with no spread to fit")
        text = FUNNEL.replace("  click_rate: {dist: beta, alpha: 25, beta: 75}",
                              "  click_rate: {fit: [0.2, 0.25, 22, 0.3, 0.27]}")
        name = self.write(text + HOURS)
        r = run("check", name, cwd=self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("error: bad.yaml:7:33: 'inputs.click_rate.fit[2]': click_rate is a rate: "
                      "22 is outside [0, 1]; give rates as fractions", r.stderr)

    def test_samples_that_do_not_suit_the_design_are_warnings(self):
        name = self.write(FUNNEL.replace("samples: 4096", "samples: 1000000") + HOURS +
                          "sampling: {method: qmc}\n" + SWEEP.replace("1024", "1000"))
        r = run("check", name, cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("warning: bad.yaml:2:10: 'samples': Sobol' points are balanced at powers "
                      "of two: samples 1000000 / 16 replicates = 62500 points; 2^20 = 1048576 "
                      "samples would give 65536", r.stderr)
        self.assertIn("'sweeps.more.samples': samples 1000 is not a multiple of 16 replicates: "
                      "it is rounded up to 1008", r.stderr)
        self.assertEqual(run("check", "--strict", name, cwd=self.dir).returncode, 2)

    def test_scenarios_with_the_keys_pass_check(self):
        folder = os.path.join(SOURCE, "scenarios")
        using = []
        for file in sorted(os.listdir(folder)):
            with open(os.path.join(folder, file)) as f:
                text = f.read()
            if re.search(r"^(correlations|sampling):|\{fit:", text, re.M):
                using.append(os.path.join(folder, file))
        self.assertTrue(using, "no scenario of scenarios/ uses correlations, sampling or fit")
        r = run("check", *using, cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
