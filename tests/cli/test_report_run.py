#!/usr/bin/env python3
"""The report of a run (`funnelmc run --report`, issue 18): a self-contained
HTML page whose charts are there exactly when the results file holds their
data, whose key numbers are the file's as the page rounds them, written
atomically, and which leaves the terminal summary as it was.

Run by ctest as: python3 test_report_run.py FUNNELMC_BINARY SOURCE_DIR
"""
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import h5py
import numpy

SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
WRAPPER = os.environ.get("FUNNELMC_TEST_WRAPPER", "").split()
SCENARIOS = os.path.join(SOURCE, "scenarios")
REFERENCE = os.path.join(SCENARIOS, "reference.yaml")
TWO_LEVERS = os.path.join(SCENARIOS, "coffee-roaster.yaml")  # and correlations
HORIZON = os.path.join(SCENARIOS, "handmade-year.yaml")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# HTML elements that have no end tag
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}


def run(*args):
    return subprocess.run([*WRAPPER, FUNNELMC, *args], capture_output=True, text=True)


class Balance(html.parser.HTMLParser):
    """Every element closed, in order; the attributes of every element."""

    def __init__(self):
        super().__init__()
        self.open, self.problems, self.attributes, self.tags = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append("</%s> closes <%s>" % (tag, self.open[-1] if self.open else ""))
        else:
            self.open.pop()


def shown_unit(text):
    """The rounding unit of a number as the page prints it: its last decimal,
    or for a whole number its last non-zero digit (7400: hundreds)."""
    if "." in text:
        return 10.0 ** -len(text.split(".")[1])
    digits = text.lstrip("-")
    return 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits != "0" else 1.0


class Report(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-report-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def report(self, scenario, *args, samples="3000"):
        """Runs SCENARIO with --report; the page's text and the results file."""
        results, page = self.path("r.h5"), self.path("r.html")
        r = run("run", scenario, "-n", samples, "-o", results, "--report=" + page, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("report: " + page, r.stdout)
        with open(page, encoding="utf-8") as f:
            return f.read(), results

    def figures(self, page):
        return set(re.findall(r'<figure class="chart" id="chart-([a-z0-9-]+)">', page))

    def keys(self, page):
        return dict(re.findall(r'<span data-key="([a-z0-9_]+)">([^<]*)</span>', page))

    def check_page(self, page):
        """Balanced, self-contained, well-formed SVG, small."""
        parser = Balance()
        parser.feed(page)
        parser.close()
        self.assertEqual(parser.problems, [])
        self.assertEqual(parser.open, [])
        self.assertNotIn("script", parser.tags)
        for name, value in parser.attributes:
            if name in ("src", "href", "xlink:href"):
                self.assertTrue(value.startswith("#"), "%s=%s" % (name, value))
        self.assertEqual(re.findall(r"https?://[^\"'\s<>]*", page.replace(SVG_NAMESPACE, "")), [])
        svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
        self.assertEqual(len(svgs), len(self.figures(page)))
        for svg in svgs:
            ET.fromstring(svg)  # raises on malformed XML
        self.assertLess(len(page.encode("utf-8")), 1 << 20)
        self.assertTrue(page.startswith("<!DOCTYPE html>"))
        self.assertIn('<meta name="viewport"', page)
        # every figure has a caption in words
        for caption in re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S):
            self.assertGreater(len(caption.split()), 5, caption)

    def assert_shown(self, shown, value, error, what):
        """SHOWN is VALUE rounded as the page rounds: within half its
        rounding unit, or 0 for a value within its error of 0."""
        x = float(shown)
        if x == 0:
            self.assertLessEqual(abs(value), error, what)
        else:
            self.assertLessEqual(abs(x - value), 0.5 * shown_unit(shown) * (1 + 1e-9), what)

    def check_keys(self, page, results):
        keys = self.keys(page)
        with h5py.File(results, "r") as f:
            profit = f["outputs/profit"]
            levels = list(profit["quantile_levels"][...])
            quantiles, ci = profit["quantiles"][...], profit["quantiles_ci"][...]
            mean, se = profit.attrs["mean"], profit.attrs["se"]
            self.assert_shown(keys["profit_mean"], mean, se, "mean")
            self.assertAlmostEqual(float(keys["profit_mean_se"]), se,
                                   delta=0.5 * shown_unit(keys["profit_mean_se"]))
            self.assert_shown(keys["p_loss"], 100 * profit.attrs["p_loss"],
                              100 * profit.attrs["p_loss_se"], "P(loss)")
            for key, level in (("profit_p5", 0.05), ("profit_p95", 0.95)):
                k = levels.index(level)
                self.assert_shown(keys[key], quantiles[k], (ci[k][1] - ci[k][0]) / 2, key)
            if "levers" in f:
                names = [n.decode() if isinstance(n, bytes) else n for n in f["levers/name"][...]]
                net = f["levers/net_gain"][...]
                best = int(numpy.argmax(net))
                self.assertEqual(keys["best_lever"], names[best])
                half = (f["levers/net_gain_ci"][best][1] - f["levers/net_gain_ci"][best][0]) / 2
                self.assert_shown(keys["best_lever_net"], net[best], half, "best lever")
            else:
                self.assertNotIn("best_lever", keys)

    def test_reference_holds_every_chart_of_its_file(self):
        page, results = self.report(REFERENCE)
        self.check_page(page)
        self.check_keys(page, results)
        found = self.figures(page)
        with h5py.File(results, "r") as f:
            self.assertIn("tornado", f)
            expected = {"profit", "tornado", "spider", "mc-tornado", "rank-correlations"}
            if "levers" in f:
                expected |= {"levers"} | ({"p-beats"} if len(f["levers/name"]) >= 2 else set())
            self.assertNotIn("horizon", f)
        self.assertLessEqual(expected, found)
        for chart in ("fan", "payback", "lever-periods"):
            self.assertNotIn(chart, found)
        # the answer is the bottom line's sentences
        self.assertIn("Expected profit:", page)

    def test_summary_only_has_no_drivers(self):
        page, results = self.report(REFERENCE, "--summary-only")
        self.check_page(page)
        self.check_keys(page, results)
        found = self.figures(page)
        self.assertIn("profit", found)
        for chart in ("tornado", "spider", "mc-tornado", "rank-correlations", "sobol"):
            self.assertNotIn(chart, found)
        with h5py.File(results, "r") as f:
            self.assertNotIn("tornado", f)

    def test_two_levers_and_correlations(self):
        page, results = self.report(TWO_LEVERS)
        self.check_page(page)
        self.check_keys(page, results)
        with h5py.File(results, "r") as f:
            self.assertEqual(len(f["levers/name"]), 2)
            self.assertIn("correlations", f)
        found = self.figures(page)
        self.assertLessEqual({"levers", "p-beats"}, found)
        self.assertIn('id="correlations"', page)
        self.assertNotIn("pair applied together", page)
        page, results = self.report(TWO_LEVERS, "--combine")
        self.check_page(page)
        with h5py.File(results, "r") as f:
            self.assertIn("pairs", f["levers"])
        self.assertIn("pair applied together", page)

    def test_p_beats_cells_and_their_error(self):
        page, results = self.report(TWO_LEVERS)
        with h5py.File(results, "r") as f:
            beats, se = f["levers/p_beats"][...], f["levers/p_beats_se"][...]
            order = numpy.argsort(-f["levers/net_gain"][...], kind="stable")
        svg = re.search(r'id="chart-p-beats">\s*(<svg.*?</svg>)', page, re.S).group(1)
        words = [t.strip() for t in ET.fromstring(svg).itertext() if t.strip()]
        # each cell off the diagonal, in rank order, to two decimals
        for i, j in ((0, 1), (1, 0)):
            self.assertIn("%.2f" % beats[order[i], order[j]], words)
        off = se[~numpy.eye(len(se), dtype=bool)]
        self.assertIn("standard error is at most %s." % ("%.2g" % off.max()), page)
        self.assertNotIn(">nan<", page)

    def test_unknown_figures_read_unknown_not_nan(self):
        """A file whose payback median and P(beats) are NaN (what cannot be
        told): the terminal and the page say "unknown"."""
        page, results = self.report(HORIZON, samples="2000")
        with h5py.File(results, "r+") as f:
            payback = f["horizon/payback"]
            payback.attrs["median"] = numpy.nan
            payback.attrs["median_ci"] = numpy.array([numpy.nan, numpy.nan])
            f["levers/p_beats"][...] = numpy.nan
            f["levers/payback_median"][...] = numpy.nan
        shown = run("show", results)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        page = self.path("nan.html")
        made = run("report", results, "-o", page, "-q")
        self.assertEqual(made.returncode, 0, made.stderr)
        with open(page, encoding="utf-8") as f:
            text = re.sub(r"<[^>]*>", " ", f.read())
        for words in (shown.stdout, text):
            self.assertIn("Pays back: unknown.", words)
            self.assertIn("in an unknown share of outcomes", words)
            self.assertNotRegex(words.replace(results, ""), r"\bnan\b")

    def test_horizon_has_its_fan_and_payback(self):
        page, results = self.report(HORIZON, samples="2000")
        self.check_page(page)
        self.check_keys(page, results)
        found = self.figures(page)
        self.assertLessEqual({"profit", "fan", "payback"}, found)
        with h5py.File(results, "r") as f:
            self.assertIn("horizon", f)
            self.assertEqual("lever-periods" in found, "levers" in f)
        self.assertIn("Cumulative profit", page)
        if "lever-periods" in found:
            # its bands are the interval of the run's design, as every chart's
            self.assertIn("with the band of its 95% interval", page)

    def test_sobol_when_asked(self):
        page, results = self.report(REFERENCE, "--base-samples", "2000", samples="2000")
        with h5py.File(results, "r") as f:
            has_sobol = "base_samples" in f["sensitivity"].attrs
        self.assertTrue(has_sobol)  # the reference scenario asks for them
        self.assertLessEqual({"sobol", "sobol-groups"}, self.figures(page))

    def test_terminal_summary_unchanged(self):
        """--report adds one line naming the report and changes nothing else
        (the header's wall time may differ)."""
        def summary(*extra):
            r = run("run", REFERENCE, "-n", "2000", "-j", "1", "-o", self.path("s.h5"), *extra)
            self.assertEqual(r.returncode, 0, r.stderr)
            return [line for line in r.stdout.splitlines()
                    if not line.startswith("report: ") and " s; " not in line]
        self.assertEqual(summary(), summary("--report"))

    def test_default_name_beside_the_results(self):
        results = self.path("shop.h5")
        r = run("run", REFERENCE, "-n", "1000", "-o", results, "--report", "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(self.path("shop.html")))
        self.assertEqual(r.stdout, "")

    def test_atomic_and_failure(self):
        page = self.path("a.html")
        with open(page, "w") as f:
            f.write("old")
        r = run("run", REFERENCE, "-n", "1000", "-o", self.path("a.h5"), "--report=" + page, "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), ["a.h5", "a.html"])  # no temporary left
        with open(page) as f:
            self.assertTrue(f.read().startswith("<!DOCTYPE html>"))
        missing = self.path("no-such-directory/b.html")
        r = run("run", REFERENCE, "-n", "1000", "-o", self.path("b.h5"), "--report=" + missing)
        self.assertEqual(r.returncode, 1)
        self.assertIn("error: cannot write report '%s'" % missing, r.stderr)
        self.assertTrue(os.path.exists(self.path("b.h5")))  # the results are kept
        self.assertNotIn("report: ", r.stdout)
        self.assertFalse(os.path.exists(os.path.dirname(missing)))
        # a directory in the way: the rename fails and the temporary goes
        os.mkdir(self.path("in-the-way.html"))
        r = run("run", REFERENCE, "-n", "1000", "-o", self.path("c.h5"),
                "--report=" + self.path("in-the-way.html"), "-q")
        self.assertEqual(r.returncode, 1)
        self.assertIn("error: cannot write report", r.stderr)
        self.assertEqual(os.listdir(self.path("in-the-way.html")), [])
        self.assertEqual([n for n in os.listdir(self.dir) if ".tmp-" in n], [])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
