#!/usr/bin/env python3
"""The horizon through the command line, against closed forms and against an
independent numpy implementation of the same model.

Run by ctest as: python3 test_horizon_reference.py FUNNELMC_BINARY SOURCE_DIR

The numpy model below is written from the documented formulas
(include/funnelmc/horizon.h, docs/scenario-format.md "Horizon: month after
month"), with numpy's own generator: it shares no code and no random numbers
with funnelmc, so the two agree only in distribution.  Every comparison is of
two independent estimates, within 4.5 combined standard errors (a false alarm
about once in 150 000 comparisons); and the same comparisons must reject the
model with any one of its parts left out, so a test that passes says the part
is there.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
# scripts/valgrind.sh runs every funnelmc of the CLI tests under valgrind:
# then a smaller run (the tolerances widen with it)
WRAPPER = os.environ.get("FUNNELMC_TEST_WRAPPER", "").split()
SAMPLES = 20_000 if WRAPPER else 1_000_000
Z = 4.5

# The worked example of docs/scenario-format.md: profit 2500 a month, 4.50 of
# margin per follower, the time costs 2000.
WORKED = """name: months
inputs:
  revenue_per_sale: 100
  cost_of_goods: 10
  followers: 1000
  click_rate: 0.25
  optin_rate: 0.4
  purchase_rate: 0.5
  hourly_rate: 50
  hours: 40
"""

# Random growth drawn each period, a churn drawn once, three inputs and a
# cost line drawn each period, a discount rate, a cyclic budget plan with
# rollover.  Tuned so that the year's cumulative profit is a loss in about a
# third of the samples, its payback period spreads over the year (median 3),
# and the budget binds (ads want 300 a month on average, as planned).
PERIODS = 12
DISCOUNT = 0.01
PLAN = (400.0, 200.0, 300.0)
FIXED_TOOLS = 50.0
SCENARIO = """name: horizon-reference
inputs:
  revenue_per_sale: {dist: triangular, min: 80, mode: 100, max: 130}
  cost_of_goods: {dist: uniform, min: 8, max: 12}
  followers: {dist: lognormal, median: 1000, sigma: 0.3}
  click_rate: {dist: beta, alpha: 25, beta: 75, draw: each_period}
  optin_rate: {dist: beta, alpha: 40, beta: 60}
  purchase_rate: {dist: beta, alpha: 50, beta: 50}
  hourly_rate: {dist: uniform, min: 40, max: 60}
  hours: {dist: normal, mean: 85, sd: 10, min: 55, max: 115, draw: each_period}
costs:
  ads: {dist: uniform, min: 0, max: 600, draw: each_period}
  tools: 50
horizon:
  periods: 12
  discount_rate: 0.01
  followers:
    growth: {dist: normal, mean: 0.04, sd: 0.03, min: -0.2, max: 0.5, draw: each_period}
    churn: {dist: uniform, min: 0, max: 0.02}
  budgets:
    ads: {plan: [400, 200, 300], rollover: true}
"""


def truncated_normal(rng, mean, sd, low, high, n):
    """N(mean, sd^2) conditioned on [low, high], by rejection."""
    out = rng.normal(mean, sd, n)
    bad = (out < low) | (out > high)
    while bad.any():
        out[bad] = rng.normal(mean, sd, bad.sum())
        bad = (out < low) | (out > high)
    return out


class Model:
    """The cumulative profit, each period's profit and the payback period of
    SCENARIO for N samples, and the same with one part of the model left
    out (VARIANTS), on the same draws."""
    VARIANTS = ("full", "no_growth", "no_rollover", "no_discount", "drawn_once")

    def __init__(self, n, seed, chunk=250_000):
        rng = np.random.default_rng(seed)
        self.n = n
        self.cumulative = {v: np.empty(n) for v in self.VARIANTS}
        self.payback = np.empty(n, dtype=np.int64)  # PERIODS + 1: never
        self.period_sum = np.zeros(PERIODS)
        self.period_sum2 = np.zeros(PERIODS)
        for start in range(0, n, chunk):
            self._chunk(rng, slice(start, min(n, start + chunk)))

    def _chunk(self, rng, rows):
        m = rows.stop - rows.start
        # drawn once
        revenue = rng.triangular(80, 100, 130, m)
        goods = rng.uniform(8, 12, m)
        followers = rng.lognormal(np.log(1000), 0.3, m)
        optin = rng.beta(40, 60, m)
        purchase = rng.beta(50, 50, m)
        hourly = rng.uniform(40, 60, m)
        churn = rng.uniform(0, 0.02, m)
        grown = {v: np.ones(m) for v in self.VARIANTS}          # G_t
        left = {v: np.zeros(m) for v in self.VARIANTS}          # budget carried over
        cumulative = {v: np.zeros(m) for v in self.VARIANTS}
        last_not_positive = np.zeros(m, dtype=np.int64)
        first = None
        for t in range(1, PERIODS + 1):
            drawn = (rng.beta(25, 75, m),                                   # click rate
                     truncated_normal(rng, 85, 10, 55, 115, m),             # hours
                     rng.uniform(0, 600, m),                                # ads wanted
                     truncated_normal(rng, 0.04, 0.03, -0.2, 0.5, m))       # growth
            if first is None:
                first = drawn
            for v in self.VARIANTS:
                click, hours, ads, growth = first if v == "drawn_once" else drawn
                if v == "no_growth":
                    growth = np.zeros(m)
                available = PLAN[(t - 1) % len(PLAN)] + (0 if v == "no_rollover" else left[v])
                spent = np.minimum(ads, available)
                left[v] = available - spent
                sales = followers * grown[v] * click * optin * purchase
                profit = (revenue - goods) * sales - hourly * hours - (spent + FIXED_TOOLS)
                discount = 1.0 if v == "no_discount" else (1 + DISCOUNT) ** -(t - 1)
                cumulative[v] += discount * profit
                grown[v] = grown[v] * np.maximum(0, 1 + growth - churn)
                if v == "full":
                    self.period_sum[t - 1] += profit.sum()
                    self.period_sum2[t - 1] += (profit * profit).sum()
                    last_not_positive[cumulative[v] <= 0] = t
        for v in self.VARIANTS:
            self.cumulative[v][rows] = cumulative[v]
        # the first period from which the cumulative profit stays > 0; a
        # sample <= 0 at the end has its last such period = PERIODS: never
        self.payback[rows] = last_not_positive + 1

    def mean_se(self, v="full"):
        x = self.cumulative[v]
        return x.mean(), x.std(ddof=1) / np.sqrt(self.n)

    def period_mean_se(self):
        mean = self.period_sum / self.n
        var = (self.period_sum2 - self.n * mean * mean) / (self.n - 1)
        return mean, np.sqrt(var / self.n)


def proportion_se(p, n):
    return np.sqrt(p * (1 - p) / n)


def median_payback(payback):
    """The period at rank ceil(n/2) of the paybacks sorted, "never" last
    (docs/hdf5-layout.md); inf when it is "never"."""
    value = np.sort(payback)[(len(payback) + 1) // 2 - 1]
    return np.inf if value > PERIODS else float(value)


def run_file(directory, text, *options):
    """Runs TEXT as a scenario in DIRECTORY; its results file, open."""
    scenario = os.path.join(directory, "s.yaml")
    out = os.path.join(directory, "s.h5")
    with open(scenario, "w") as f:
        f.write(text)
    r = subprocess.run([*WRAPPER, FUNNELMC, "run", scenario, "-q", "--summary-only", "-o", out,
                        *options], capture_output=True, text=True, timeout=3000)
    if r.returncode != 0:
        raise AssertionError("funnelmc run failed (%d): %s" % (r.returncode, r.stderr))
    return h5py.File(out, "r")


class ClosedForms(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-horizon-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_file(self, text, *options):
        return run_file(self.dir, text, *options)

    def test_the_worked_example_over_a_year_to_the_cent(self):
        # F_t = 1000 x 1.04^(t-1): 4500 (1.04^12 - 1) / 0.04 - 12 x 2000
        with self.run_file(WORKED + "horizon:\n  periods: 12\n"
                           "  followers: {growth: 0.05, churn: 0.01}\n", "-n", "1000") as f:
            self.assertAlmostEqual(f["outputs/profit"].attrs["mean"], 43616.12, delta=0.005)
            self.assertEqual(f["outputs/profit"].attrs["sd"], 0)
            month = f["horizon/profit_mean"][:]
            self.assertEqual(len(month), 12)
            self.assertAlmostEqual(month[0], 2500, delta=1e-9)
            self.assertAlmostEqual(month[11], 4927.54, delta=0.005)
            self.assertEqual(f["horizon/payback"].attrs["median"], 1)
        # the same months in today's money at 1 % a month
        with self.run_file(WORKED + "horizon:\n  periods: 12\n  discount_rate: 0.01\n"
                           "  followers: {growth: 0.05, churn: 0.01}\n", "-n", "1000") as f:
            self.assertAlmostEqual(f["outputs/profit"].attrs["mean"], 41021.22, delta=0.005)

    def test_a_budget_rolls_over_as_worked_by_hand(self):
        # ads wanted 200 a month, planned 300, 100, 100.  With rollover they
        # spend 200 (100 left), 200 (100 + 100), 100: profit 7500 - 500; without,
        # 200, 100, 100: 7500 - 400.
        for rollover, months, total in (("true", [2300, 2300, 2400], 7000),
                                        ("false", [2300, 2400, 2400], 7100)):
            with self.run_file(WORKED + "costs:\n  ads: 200\nhorizon:\n  periods: 3\n  budgets:\n"
                               "    ads: {plan: [300, 100, 100], rollover: %s}\n" % rollover,
                               "-n", "1000") as f:
                self.assertAlmostEqual(f["outputs/profit"].attrs["mean"], total, delta=1e-9)
                np.testing.assert_allclose(f["horizon/profit_mean"][:], months, rtol=0, atol=1e-9)


class AgainstNumpy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = Model(SAMPLES, seed=20261129)
        cls.dir = tempfile.mkdtemp(prefix="funnelmc-horizon-")
        cls.f = run_file(cls.dir, SCENARIO, "-n", str(SAMPLES), "--seed", "1313")
        cls.profit = cls.f["outputs/profit"].attrs

    @classmethod
    def tearDownClass(cls):
        cls.f.close()
        shutil.rmtree(cls.dir)

    def assertAgree(self, ours, ours_se, theirs, theirs_se, what):
        tolerance = Z * np.hypot(ours_se, theirs_se)
        self.assertLessEqual(abs(ours - theirs), tolerance,
                             "%s: funnelmc %.6g ± %.3g, numpy %.6g ± %.3g" %
                             (what, ours, ours_se, theirs, theirs_se))
        return tolerance

    def test_mean_cumulative_profit(self):
        mean, se = self.model.mean_se()
        tolerance = self.assertAgree(self.profit["mean"], self.profit["se"], mean, se,
                                     "mean cumulative profit")
        # and the comparison tells: the model without any one of its parts
        # is clearly refused (not so with the wrapper's few samples)
        for v in ("no_growth", "no_rollover", "no_discount") if not WRAPPER else ():
            wrong, _ = self.model.mean_se(v)
            self.assertGreater(abs(self.profit["mean"] - wrong), 2 * tolerance, v)

    def test_spread_of_cumulative_profit(self):
        # the sd tells inputs drawn each period from inputs drawn once: good
        # and bad months average out.  se(sd) = sqrt(var(x^2 central)) / (2 sd sqrt(n))
        x = self.model.cumulative["full"]
        sd = x.std(ddof=1)
        centred = (x - x.mean()) ** 2
        sd_se = centred.std() / (2 * sd * np.sqrt(len(x)))
        tolerance = self.assertAgree(self.profit["sd"], sd_se, sd, sd_se, "sd of cumulative profit")
        wrong = self.model.cumulative["drawn_once"].std(ddof=1)
        if not WRAPPER:
            self.assertGreater(abs(self.profit["sd"] - wrong), 2 * tolerance, "drawn once")

    def test_probability_of_a_loss(self):
        p = np.mean(self.model.cumulative["full"] < 0)
        self.assertTrue(0.05 < p < 0.5, p)  # a test of P(loss) needs losses
        self.assertAgree(self.profit["p_loss"], self.profit["p_loss_se"], p,
                         proportion_se(p, SAMPLES), "P(cumulative profit < 0)")

    def test_median_cumulative_profit(self):
        x = np.sort(self.model.cumulative["full"])
        n = len(x)
        median = x[(n + 1) // 2 - 1]
        # a quantile's standard error is sqrt(p (1 - p) / n) / f(q); 1 / f(median)
        # from numpy's sample as the spread of the quantiles around it
        delta = 0.02
        spread = (np.quantile(x, 0.5 + delta) - np.quantile(x, 0.5 - delta)) / (2 * delta)
        median_se = 0.5 / np.sqrt(n) * spread
        levels = list(self.f["outputs/profit/quantile_levels"][:])
        k = levels.index(0.5)
        ours = self.f["outputs/profit/quantiles"][k]
        low, high = self.f["outputs/profit/quantiles_ci"][k]
        # funnelmc's own interval, at its confidence, read as a standard error;
        # its quantiles are read from a histogram of bins this wide
        ours_se = (high - low) / (2 * 1.959963984540054)
        resolution = self.profit["quantile_resolution"]
        tolerance = Z * np.hypot(ours_se, median_se) + resolution
        self.assertLessEqual(abs(ours - median), tolerance,
                             "median: funnelmc %.6g [%.6g, %.6g], numpy %.6g ± %.3g"
                             % (ours, low, high, median, median_se))

    def test_mean_profit_of_every_period(self):
        mean, se = self.model.period_mean_se()
        ours = self.f["horizon/profit_mean"][:]
        ours_se = self.f["horizon/profit_se"][:]
        self.assertEqual(len(ours), PERIODS)
        for t in range(PERIODS):
            self.assertAgree(ours[t], ours_se[t], mean[t], se[t], "mean profit of period %d" % (t + 1))
        # growth shows period after period: December is clearly above January
        self.assertGreater(ours[-1] - ours[0], 10 * Z * np.hypot(ours_se[0], ours_se[-1]))

    def test_payback_period(self):
        payback = self.model.payback
        p_never = np.mean(payback > PERIODS)
        self.assertTrue(0.05 < p_never < 0.5, p_never)
        attrs = self.f["horizon/payback"].attrs
        self.assertAgree(attrs["p_never"], attrs["p_never_se"], p_never,
                         proportion_se(p_never, SAMPLES), "P(never pays back within the horizon)")
        # a sample pays back within the horizon exactly when its cumulative
        # profit is > 0 (horizon.h)
        self.assertEqual(int(attrs["never"]) + int(self.f["horizon/payback/counts"][:].sum()),
                         SAMPLES)
        median = median_payback(payback)
        self.assertTrue(2 <= median <= PERIODS - 1, median)  # a median that can be wrong
        self.assertLessEqual(abs(attrs["median"] - median), 1,
                             "median payback: funnelmc %g, numpy %g" % (attrs["median"], median))
        # the distribution of the payback period, month by month
        counts = self.f["horizon/payback/counts"][:]
        ours = counts / SAMPLES
        theirs = np.bincount(payback, minlength=PERIODS + 2)[1:PERIODS + 1] / SAMPLES
        for t in range(PERIODS):
            self.assertAgree(ours[t], proportion_se(ours[t], SAMPLES), theirs[t],
                             proportion_se(theirs[t], SAMPLES), "P(pays back in period %d)" % (t + 1))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
