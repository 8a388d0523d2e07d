#!/usr/bin/env python3
"""The report of sweeps (`funnelmc sweep --report`), of a batch and of a
benchmark (`funnelmc report FILE.h5`): the charts each grid should have, every
SVG well-formed and self-contained, and the maps' cells against the results
file (h5py): as many cells as points, the decision map's colours naming the
file's best lever at each point.

Run by ctest as: python3 test_report_grid.py FUNNELMC_BINARY SOURCE_DIR
"""
import contextlib
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
import numpy as np

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
WRAPPER = os.environ.get("FUNNELMC_TEST_WRAPPER", "").split()
GRIDS = os.path.join(SOURCE, "tests", "cli", "report-grid.yaml")
WORKED = os.path.join(SOURCE, "scenarios", "worked-example.yaml")
SVG_NS = "{http://www.w3.org/2000/svg}"
# the colour of "undefined" and of a washed-out category in a map (chart.h)
GREY = (0xD9, 0xD9, 0xD9)


def run(*args, cwd=None):
    return subprocess.run([*WRAPPER, FUNNELMC, *args], capture_output=True, text=True, cwd=cwd)


class Tags(html.parser.HTMLParser):
    """Checks that every element the page opens it closes, in order."""
    VOID = {"meta", "br", "img", "hr", "link", "input", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def figures(page):
    """{figure id: its SVG element} of every chart on PAGE."""
    found = {}
    for m in re.finditer(r'<figure class="chart" id="([^"]+)">\s*(<svg.*?</svg>)', page, re.S):
        found[m.group(1)] = ET.fromstring(m.group(2))
    return found


def colour(text):
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


def cells(svg):
    """The cells of a heat map, in drawing order (row by row): its rects of a
    plain colour, but the background (the whole width) and the legend's
    12-pixel boxes."""
    width = float(svg.get("viewBox").split()[2])
    return [r for r in svg.iter(SVG_NS + "rect")
            if re.fullmatch(r"#[0-9a-fA-F]{6}", r.get("fill", ""))
            and 12 < float(r.get("width")) < width]


def legend(svg):
    """{label: colour} of the legend's boxes: each box, then its label."""
    items, box = {}, None
    for e in svg.iter():
        if e.tag == SVG_NS + "rect" and e.get("width") == "12" \
                and e.get("fill", "").startswith("#"):
            box = colour(e.get("fill"))
        elif e.tag == SVG_NS + "text" and box is not None:
            items["".join(e.itertext()).strip()] = box
            box = None
    return items


def category_of(cell, categories):
    """Which of CATEGORIES (colours) the cell's colour is a washed-out shade
    of (the one whose line from grey passes nearest), and how strong (0:
    grey, 1: the full colour)."""
    c = np.array(cell, float) - GREY
    best = None
    for k, full in enumerate(categories):
        d = np.array(full, float) - GREY
        t = float(np.dot(c, d) / np.dot(d, d))
        miss = float(np.linalg.norm(c - t * d))
        if best is None or miss < best[1]:
            best = (k, miss, t)
    return best[0], best[2], best[1]


class Page:
    """A report and its results file, read once."""

    def __init__(self, html_path, h5_path):
        with open(html_path, encoding="utf-8") as f:
            self.text = f.read()
        self.size = os.path.getsize(html_path)
        self.figures = figures(self.text)
        self.h5 = h5_path


class ReportChecks(unittest.TestCase):
    def check_self_contained(self, page):
        tags = Tags()
        tags.feed(page.text)
        self.assertEqual(tags.errors, [])
        self.assertEqual(tags.open, [])
        self.assertNotIn("<script", page.text.lower())
        urls = set(re.findall(r"https?://[^\s\"'<>)]+", page.text))
        self.assertLessEqual(urls, {"http://www.w3.org/2000/svg"})
        self.assertNotRegex(page.text, r"\ssrc=")
        for target in re.findall(r'href="([^"]*)"', page.text):
            self.assertTrue(target.startswith("#"), target)
        # every inline SVG is one well-formed document, each a figure
        svgs = re.findall(r"<svg.*?</svg>", page.text, re.S)
        for svg in svgs:
            ET.fromstring(svg)
        self.assertEqual(len(svgs), len(page.figures))
        # ids are unique on the page
        ids = re.findall(r'\sid="([^"]+)"', page.text)
        self.assertEqual(len(ids), len(set(ids)), [i for i in ids if ids.count(i) > 1][:5])

    def check_map_cells(self, svg, points):
        self.assertEqual(len(cells(svg)), points)

    def check_decision(self, svg, group):
        """The decision map's cells against the file: each a shade of the
        legend's colour of the point's best lever, grey at a tie."""
        names = [n.decode() if isinstance(n, bytes) else n for n in group["lever"][:]]
        shown = legend(svg)
        self.assertTrue(set(names) <= set(shown), (names, shown))
        categories = [shown[n] for n in names]
        best = group["best_lever"][:].ravel()
        beats = group["p_best_beats_runner_up"][:].ravel()
        ties = group["p_best_ties_runner_up"][:].ravel()
        found = cells(svg)
        self.assertEqual(len(found), best.size)
        decided = 0
        for p, rect in enumerate(found):
            k, strength, miss = category_of(colour(rect.get("fill")), categories)
            tie = ties[p] == 1
            if tie or beats[p] < 0.55:
                # a coin toss: grey, or nearly
                self.assertLess(strength, 0.15 if tie else 0.25, p)
                continue
            self.assertLess(miss, 3, (p, rect.get("fill")))
            self.assertEqual(names[k], names[best[p]], (p, rect.get("fill")))
            self.assertGreater(strength, 0.05, p)
            decided += 1
        return decided


class SweepReport(ReportChecks):
    """One sweep run with --report: the scenario's 1-, 2- and 3-axis grids."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="funnelmc-report-grid-")
        h5 = os.path.join(cls.dir, "grids.h5")
        cls.result = run("sweep", GRIDS, "-n", "1000", "-j", "2", "-o", h5,
                         "--report=" + os.path.join(cls.dir, "page.html"))
        cls.page = Page(os.path.join(cls.dir, "page.html"), h5) if cls.result.returncode == 0 \
            else None

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def setUp(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    @contextlib.contextmanager
    def group(self, name):
        with h5py.File(self.page.h5, "r") as f:
            yield f["sweeps/" + name]

    def test_the_command_names_its_report(self):
        self.assertIn("report: " + os.path.join(self.dir, "page.html"), self.result.stdout)

    def test_the_page_is_self_contained_and_well_formed(self):
        self.check_self_contained(self.page)
        self.assertLess(self.page.size, 2 << 20)

    def test_one_axis_has_lines_and_a_decision_strip(self):
        for chart in ("profit", "loss", "gain", "decision"):
            self.assertIn("chart-sweep-line-" + chart, self.page.figures)
        with self.group("line") as g:
            decided = self.check_decision(self.page.figures["chart-sweep-line-decision"], g)
            self.assertGreater(decided, 0)
        # the lines: one point per axis value
        svg = self.page.figures["chart-sweep-line-profit"]
        self.assertIsNotNone(svg.find(SVG_NS + "title"))
        self.assertIsNotNone(svg.find(SVG_NS + "desc"))

    def test_two_axes_have_maps_of_every_point(self):
        with self.group("map") as g:
            points = g["mean"].size
            for chart in ("mean", "loss", "gain"):
                self.check_map_cells(self.page.figures["chart-sweep-map-" + chart], points)
            decided = self.check_decision(self.page.figures["chart-sweep-map-decision"], g)
            self.assertGreater(decided, points // 2)
            # more than one lever wins somewhere on this grid
            self.assertGreater(len(set(g["best_lever"][:].ravel())), 1)
        # three levers, three colours of their own
        self.assertNotIn("colours repeat", self.page.text)
        # axis tick labels: the axes' values, compactly
        text = "".join(self.page.figures["chart-sweep-map-mean"].itertext())
        for tick in ("×0.25", "×4", "-0.04", "+0.08"):
            self.assertIn(tick, text)
        self.assertNotIn("e-1", text)  # no 6.9e-18 for zero

    def test_three_axes_make_twelve_evenly_spread_slices(self):
        with self.group("cube") as g:
            shape = g["mean"].shape
            best = g["best_lever"][:]
        self.assertEqual(shape, (14, 3, 3))
        for chart in ("mean", "loss", "gain", "decision"):
            slices = sorted(int(m) for m in re.findall(
                r'id="chart-sweep-cube-%s-(\d+)"' % chart, self.page.text))
            self.assertEqual(len(slices), 12, chart)
            self.assertEqual((slices[0], slices[-1]), (1, 14))
            self.assertEqual(len(set(slices)), 12)
            # evenly spread: no gap more than one slice wider than another
            gaps = np.diff(slices)
            self.assertLessEqual(gaps.max() - gaps.min(), 1)
        self.assertIn("12 of the 14 slices", self.page.text)
        with self.group("cube") as g:
            for k in (1, 8, 14):
                svg = self.page.figures["chart-sweep-cube-decision-%d" % k]
                self.check_map_cells(svg, 9)
                self.assertIn("hours", "".join(svg.find(SVG_NS + "title").itertext()))
        self.assertEqual(best.shape, shape)

    def test_four_axes_make_a_slice_per_pair_of_leading_values(self):
        with self.group("hyper") as g:
            shape = g["mean"].shape
        self.assertEqual(shape, (3, 2, 2, 2))
        slices = re.findall(r'id="chart-sweep-hyper-decision-(\d+)"', self.page.text)
        self.assertEqual(sorted(map(int, slices)), list(range(1, 7)))
        self.assertNotIn("of the 6 slices", self.page.text)
        # the last slice is at the leading axes' last values, both named
        title = "".join(self.page.figures["chart-sweep-hyper-mean-6"].find(
            SVG_NS + "title").itertext())
        self.assertIn("hourly_rate ×2", title)
        self.assertIn("hours ×2", title)
        for k in range(1, 7):
            self.check_map_cells(self.page.figures["chart-sweep-hyper-mean-%d" % k], 4)

    def test_the_chance_of_a_loss_with_its_error(self):
        with self.group("map") as g:
            p_loss, se = g["p_loss"][:].ravel(), g["p_loss_se"][:].ravel()
        svg = self.page.figures["chart-sweep-map-loss"]
        desc = "".join(svg.find(SVG_NS + "desc").itertext())
        self.assertIn("standard error is at most %s." % ("%.2g" % se.max()), desc)
        # the sweep's answer: the range of P(loss), each end with its error
        answer = self.page.text[self.page.text.index('id="sweep-map"'):]
        found = re.search(r"the chance of a loss from ([\d.]+) ± ([\d.]+)% at [^;]*? to "
                          r"([\d.]+) ± ([\d.]+)% at", answer)
        self.assertIsNotNone(found)
        least, most = int(np.argmin(p_loss)), int(np.argmax(p_loss))
        for shown, error, p in ((1, 2, least), (3, 4, most)):
            self.assertAlmostEqual(float(found.group(shown)), 100 * p_loss[p],
                                   delta=0.06 * 100 * se[p] + 1e-9)
            self.assertAlmostEqual(float(found.group(error)), 100 * se[p],
                                   delta=0.06 * 100 * se[p] + 1e-9)

    def test_the_answer_counts_where_each_lever_is_best(self):
        with self.group("map") as g:
            names = [n.decode() if isinstance(n, bytes) else n for n in g["lever"][:]]
            best = g["best_lever"][:].ravel()
            ties = g["p_best_ties_runner_up"][:].ravel()
            for k, name in enumerate(names):
                count = int(np.sum((best == k) & (ties != 1)))
                if count:
                    self.assertIn("%s pays most at %d of the %d points" % (name, count, best.size),
                                  self.page.text)


class SweepReportOptions(ReportChecks):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-report-grid-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_the_default_report_is_beside_the_results(self):
        h5 = os.path.join(self.dir, "tie.h5")
        r = run("sweep", WORKED, "-o", h5, "--report", "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        page = Page(os.path.join(self.dir, "tie.html"), h5)
        self.check_self_contained(page)
        # every input fixed: two levers tie at every point, a grey strip
        svg = page.figures["chart-sweep-break_even_followers-decision"]
        with h5py.File(h5, "r") as f:
            ties = f["sweeps/break_even_followers/p_best_ties_runner_up"][:]
        self.assertTrue(np.all(ties == 1))
        fills = {colour(c.get("fill")) for c in cells(svg)}
        self.assertEqual(fills, {GREY})
        self.assertIn("At %d points the best two levers tie" % ties.size, page.text)

    def test_past_eight_levers_the_decision_map_says_its_colours_repeat(self):
        with open(GRIDS, encoding="utf-8") as f:
            scenario = f.read()
        head, sweeps = scenario.split("levers:\n")[0], scenario.split("sweeps:\n")[1]
        levers = "".join("  followers_%d:\n    followers: {scale: %.2f}\n    cost: {money: %d}\n"
                         % (k, 1.1 + 0.15 * k, 40 * k) for k in range(9))
        many = os.path.join(self.dir, "many.yaml")
        with open(many, "w", encoding="utf-8") as f:
            f.write(head + "levers:\n" + levers + "sweeps:\n" + sweeps.split("  cube:")[0])
        h5 = os.path.join(self.dir, "many.h5")
        r = run("sweep", many, "-n", "500", "-o", h5, "--report", "-q")
        self.assertEqual(r.returncode, 0, r.stderr)
        page = Page(os.path.join(self.dir, "many.html"), h5)
        self.check_self_contained(page)
        svg = page.figures["chart-sweep-map-decision"]
        self.assertIn("colours repeat", "".join(svg.find(SVG_NS + "desc").itertext()))
        self.assertEqual(len(legend(svg)), len(set(legend(svg).values())) + 1)

    def test_a_report_that_cannot_be_written_fails_and_keeps_the_results(self):
        h5 = os.path.join(self.dir, "kept.h5")
        target = os.path.join(self.dir, "missing", "page.html")
        r = run("sweep", WORKED, "-o", h5, "--report=" + target, "-q")
        self.assertEqual(r.returncode, 1)
        self.assertRegex(r.stderr,
                         r"error: cannot write report '.*page\.html': No such file or directory")
        self.assertTrue(os.path.exists(h5))
        self.assertFalse(os.path.exists(target))
        self.assertEqual(os.listdir(self.dir), ["kept.h5"])


def without_report_command():
    """Whether this build lacks `funnelmc report` (its branch not merged)."""
    r = run("report", "--help")
    return r.returncode != 0 and "not a funnelmc command" in r.stderr


def text(value):
    return value.decode() if isinstance(value, bytes) else value


class FileReport(ReportChecks):
    """`funnelmc report` on the file that MAKE (a command's arguments, the
    file's path last) writes, made once for the class."""
    MAKE = None

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="funnelmc-report-file-")
        h5, page = os.path.join(cls.dir, "results.h5"), os.path.join(cls.dir, "page.html")
        cls.made = run(*cls.MAKE, h5)
        cls.report = run("report", h5, "-o", page)
        cls.page = Page(page, h5) if cls.report.returncode == 0 else None

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def setUp(self):
        self.assertEqual(self.made.returncode, 0, self.made.stderr)
        self.assertEqual(self.report.returncode, 0, self.report.stderr)


@unittest.skipIf(without_report_command(), "no 'funnelmc report' in this build")
class BatchReport(FileReport):
    """`funnelmc report` on a batch of three scenarios, one with sweeps."""
    MAKE = ("batch", "-n", "1000", "-j", "2", "--sweeps", "-q", GRIDS,
            os.path.join(SOURCE, "scenarios", "handmade-year.yaml"), WORKED, "-o")

    def test_the_page_is_self_contained_and_well_formed(self):
        self.check_self_contained(self.page)

    def test_the_scenarios_side_by_side_then_each_under_its_name(self):
        with h5py.File(self.page.h5, "r") as f:
            names = [text(n) for n in f["batch/name"][:]]
        self.assertEqual(len(names), 3)
        for chart in ("batch-profit", "batch-loss"):
            self.assertIn("chart-" + chart, self.page.figures)
        for name in names:
            self.assertIn("chart-batch-profit-" + name, self.page.figures)
            self.assertIn('id="part-%s"' % name, self.page.text)
            self.assertIn('href="#part-%s"' % name, self.page.text)
            # the part's own report, its names after the scenario's
            self.assertIn("chart-%s-profit" % name, self.page.figures)
        # the parts come in the batch's order
        where = [self.page.text.index('id="part-%s"' % n) for n in names]
        self.assertEqual(where, sorted(where))
        # a bar per scenario
        bars = self.page.figures["chart-batch-profit"]
        labels = "".join(bars.itertext())
        for name in names:
            self.assertIn(name, labels)

    def test_the_table_holds_the_files_rows(self):
        with h5py.File(self.page.h5, "r") as f:
            rows = {k: f["batch/" + k][:] for k in ("name", "mean", "se", "p_loss", "best_lever")}
        table = self.page.text[self.page.text.index('id="batch"'):]
        table = table[:table.index("</table>")]
        shown = re.findall(r'<tr><td><a href="#part-([^"]+)">[^<]*</a></td><td>([^<]*)</td>'
                           r'<td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>', table)
        self.assertEqual([s[0] for s in shown], [text(n) for n in rows["name"]])
        for (name, estimate, loss, best), mean, se, p_loss, lever in zip(
                shown, rows["mean"], rows["se"], rows["p_loss"], rows["best_lever"]):
            value, error = (float(x) for x in estimate.split(" ± "))
            # rounded to the second figure of the standard error
            self.assertLessEqual(abs(value - mean), 0.06 * se + 1e-9 * abs(mean), name)
            self.assertLessEqual(abs(error - se), 0.06 * se, name)
            self.assertAlmostEqual(float(loss.split(" ± ")[0].rstrip("%")), 100 * p_loss,
                                   delta=0.06 * 100 * p_loss + 1e-9)
            self.assertEqual(best, text(lever) or "(no levers)")

    def test_the_answer_names_the_best_and_the_safest_scenario(self):
        check_batch_answer(self, self.page)
        # the profits are per a month and over 12 months: not compared
        self.assertIn("compare like with like", self.page.text)

    def test_each_histogram_marks_its_loss_with_its_error(self):
        with h5py.File(self.page.h5, "r") as f:
            names = [text(n) for n in f["batch/name"][:]]
            p_loss, se = f["batch/p_loss"][:], f["batch/p_loss_se"][:]
        for name, p, e in zip(names, p_loss, se):
            words = "".join(self.page.figures["chart-batch-profit-" + name].itertext())
            found = re.search(r"loss: ([\d.]+)(?: ± ([\d.]+))?%", words)
            if p == 0:
                continue  # no loss to shade (a scenario with every input fixed)
            self.assertIsNotNone(found, name)
            self.assertAlmostEqual(float(found.group(1)), 100 * p, delta=0.06 * 100 * e + 1e-9)
            if e > 0:
                self.assertAlmostEqual(float(found.group(2)), 100 * e, delta=0.06 * 100 * e)

    def test_a_parts_sweeps_are_drawn_under_its_name(self):
        prefix = "chart-report-grid-sweep-"
        for chart in ("line-profit", "map-mean", "map-decision", "cube-mean-14"):
            self.assertIn(prefix + chart, self.page.figures)
        with h5py.File(self.page.h5, "r") as f:
            self.check_decision(self.page.figures[prefix + "map-decision"],
                                f["report-grid/sweeps/map"])


def check_batch_answer(test, page):
    """The batch answer's keys against the file: the best scenario, its lead
    over the next one per the same period, whether that lead is beyond its
    interval, and the one least likely to lose money."""
    with h5py.File(page.h5, "r") as f:
        names = [text(n) for n in f["batch/name"][:]]
        period = [text(n) for n in f["batch/period"][:]]
        mean, se = f["batch/mean"][:], f["batch/se"][:]
        p_loss = f["batch/p_loss"][:]
    keys = keyed(page.text)
    best = int(np.argmax(mean))
    test.assertEqual(keys["best_scenario"], names[best])
    test.assertAlmostEqual(float(keys["best_scenario_mean"]), mean[best],
                           delta=0.06 * se[best] + 1e-9 * abs(mean[best]))
    test.assertEqual(keys["safest_scenario"], names[int(np.argmin(p_loss))])
    test.assertIn("safest_p_loss_se", keys)
    alike = [i for i in range(len(names)) if i != best and period[i] == period[best]]
    if not alike:
        test.assertNotIn("best_scenario_lead", keys)
        return False
    runner_up = max(alike, key=lambda i: mean[i])
    test.assertEqual(keys["next_scenario"], names[runner_up])
    lead, lead_se = mean[best] - mean[runner_up], np.hypot(se[best], se[runner_up])
    if float(keys["best_scenario_lead"]) == 0:  # a lead within its error of nothing
        test.assertLessEqual(lead, lead_se)
    else:
        test.assertAlmostEqual(float(keys["best_scenario_lead"]), lead, delta=0.06 * lead_se)
    test.assertAlmostEqual(float(keys["best_scenario_lead_se"]), lead_se, delta=0.06 * lead_se)
    # the interval factor of these plain Monte Carlo runs is about 1.96
    verdict = re.search(r"a difference (beyond|within) its 95% interval", page.text).group(1)
    if lead > 2.5 * lead_se:
        test.assertEqual(verdict, "beyond")
    elif lead < 1.5 * lead_se:
        test.assertEqual(verdict, "within")
    return True


@unittest.skipIf(without_report_command(), "no 'funnelmc report' in this build")
class MonthlyBatchReport(FileReport):
    """`funnelmc report` on a batch of scenarios whose profits are all per
    month, so that the answer compares the best with the next."""
    MAKE = ("batch", "-n", "1000", "-j", "2", "-q", GRIDS,
            os.path.join(SOURCE, "scenarios", "coffee-roaster.yaml"),
            os.path.join(SOURCE, "scenarios", "handmade-shop.yaml"), "-o")

    def test_the_answer_compares_the_best_with_the_next(self):
        self.assertTrue(check_batch_answer(self, self.page))
        self.assertNotIn("compare like with like", self.page.text)


@unittest.skipIf(without_report_command(), "no 'funnelmc report' in this build")
class BenchReport(FileReport):
    """`funnelmc report` on a small bench file."""
    MAKE = ("bench", "-n", "4000", "-j", "1,2", "-r", "1", "-q", "-o")

    def test_speedup_and_efficiency_against_the_ideal(self):
        self.check_self_contained(self.page)
        for chart in ("bench-speedup", "bench-efficiency"):
            svg = self.page.figures["chart-" + chart]
            words = "".join(svg.itertext())
            for series in ("summary", "sensitivity", "levers", "sweep", "ideal"):
                self.assertIn(series, words)
            # the ideal is the one dashed line
            dashed = [e for e in svg.iter() if e.get("stroke-dasharray")
                      and e.tag in (SVG_NS + "polyline", SVG_NS + "path")]
            self.assertGreaterEqual(len(dashed), 1)

    def test_the_answer_gives_the_best_speedup_of_each_scaling(self):
        keys = keyed(self.page.text)
        with h5py.File(self.page.h5, "r") as f:
            b = f["bench"]
            threads = b["threads"][:]
            for prefix, kind in (("", ""), ("weak_", "weak_")):
                speedup = np.array([b[w][kind + "speedup"][:] for w in WORKLOADS])
                w, k = np.unravel_index(np.argmax(speedup), speedup.shape)
                self.assertAlmostEqual(float(keys[prefix + "best_speedup"]), speedup[w, k],
                                       delta=0.006)
                self.assertEqual(int(keys[prefix + "best_speedup_threads"]), threads[k])
                self.assertAlmostEqual(float(keys[prefix + "best_speedup_efficiency"]),
                                       b[WORKLOADS[w]][kind + "efficiency"][k], delta=0.006)
            self.assertIn("%d cores" % b.attrs["cores"], self.page.text)

    def test_the_machine_and_every_measurement(self):
        with h5py.File(self.page.h5, "r") as f:
            b = f["bench"]
            self.assertIn(html_text(text(b.attrs["cpu"])), self.page.text)
            threads = b["threads"][:]
            table = self.page.text[self.page.text.index('id="bench"'):]
            rows = re.findall(r"<tr><td>(\w+)</td><td>(\d+)</td><td>([\d.]+) \(([\d.]+)-([\d.]+)\)",
                              table)
            self.assertEqual(len(rows), 4 * len(threads))
            for workload, count, median, low, high in rows:
                k = list(threads).index(float(count))
                w = b[workload]
                self.assertAlmostEqual(float(median), w["median_seconds"][k], delta=6e-5)
                self.assertAlmostEqual(float(low), w["min_seconds"][k], delta=6e-5)
                self.assertAlmostEqual(float(high), w["max_seconds"][k], delta=6e-5)


WORKLOADS = ("summary", "sensitivity", "levers", "sweep")


def keyed(page):
    """{data-key: its text} of the page's first section, the answer."""
    answer = page[page.index('id="answer"'):]
    answer = answer[:answer.index("</div>")]
    return dict(re.findall(r'<span data-key="([^"]+)">([^<]*)</span>', answer))


def html_text(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
