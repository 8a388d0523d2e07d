#!/usr/bin/env python3
"""The reports of funnelmc as a person sees them: in headless Chromium.

Run by ctest as: python3 test_browser.py FUNNELMC_BINARY SOURCE_DIR

Five results files of the scenario library are made (a run with two levers,
a run over a horizon, a two-axis sweep with three levers, a batch of every
scenario, a bench file), each reported with `funnelmc report`, one also with
`run --report`.  Each page is opened at a desktop and at a phone width and
checked: every chart is visible and drawn (its pixels are not all the page's
background); no text of a chart lies outside its SVG; the phone page does not
scroll sideways; the figures marked data-key equal those of the HDF5 file
(read with h5py) to their printed rounding; the page asks for nothing but
itself; every SVG is well-formed XML (xmllint); the page prints to a PDF.
Chromium missing is a failure, not a skip: scripts/install-deps.sh installs it.
"""
import glob
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chromium  # noqa: E402  (beside this file)

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
SCENARIOS = os.path.join(SOURCE, "scenarios")

# a chart whose pixels are this share or more unlike the page's background is drawn
# (the reports' charts measured 0.10 to 0.62 at a quarter of their size)
DRAWN_SHARE = 0.05


def funnelmc(*args):
    r = subprocess.run([FUNNELMC, *args], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise AssertionError("funnelmc %s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr))
    return r


def printed_number(text):
    """The number TEXT shows and half the unit it is rounded to: "2,890.5"
    is (2890.5, 0.05), "-1.2e+03" (-1200, 50), and "2900" (2900, 50), since
    a figure rounded to what its error supports (src/cli/summary_round.c)
    ends in zeros when rounded to tens or hundreds.  None when TEXT shows no
    number."""
    match = re.search(r"([-\u2212+]?)(\d[\d,\u2009\u202f]*)(\.\d+)?(?:[eE]([-+]?\d+))?", text)
    if not match:
        return None
    sign, whole, fraction, exponent = match.groups()
    whole = re.sub(r"[,\u2009\u202f]", "", whole)
    value = float(whole + (fraction or "")) * (-1 if sign in ("-", "\u2212") else 1)
    if fraction:
        unit = 10.0 ** -(len(fraction) - 1)
    else:
        unit = 10.0 ** (len(whole) - len(whole.rstrip("0")) if whole.strip("0") else 0)
    scale = 10.0 ** int(exponent) if exponent else 1.0
    return value * scale, 0.5 * unit * scale


# The figures report_run.c marks with data-key: each KEY's (value, error)
# in an analysis group of the file and the factor from the file's unit to
# the page's (a share shown in per cent).  A figure within its error of 0 is
# printed "0" (summary_round.c), so the error bounds that case.
def _profit(group):
    return group["outputs/profit"]


def _quantile(level):
    def read(group):
        levels = list(_profit(group)["quantile_levels"][()])
        k = levels.index(level)
        low, high = _profit(group)["quantiles_ci"][k]
        return float(_profit(group)["quantiles"][k]), float(high - low) / 2
    return read


def _best_lever(group):
    """The lever of the largest mean net gain (the first of equal ones)."""
    net = list(group["levers/net_gain"][()])
    return net.index(max(net))


def _best_lever_net(group):
    best = _best_lever(group)
    low, high = group["levers/net_gain_ci"][best]
    return float(group["levers/net_gain"][best]), float(high - low) / 2


KEYS = {
    "profit_mean": (lambda g: (float(_profit(g).attrs["mean"]), float(_profit(g).attrs["se"])), 1),
    "profit_mean_se": (lambda g: (float(_profit(g).attrs["se"]), 0.0), 1),
    "p_loss": (lambda g: (float(_profit(g).attrs["p_loss"]), float(_profit(g).attrs["p_loss_se"])),
               100),
    "profit_p5": (_quantile(0.05), 1),
    "profit_p95": (_quantile(0.95), 1),
    "best_lever_net": (_best_lever_net, 1),
    "best_lever_net_se": (lambda g: (float(g["levers/net_gain_se"][_best_lever(g)]), 0.0), 1),
}


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


BROWSER = None  # one Chromium for every page


def setUpModule():
    global BROWSER
    BROWSER = chromium.Browser()
    unittest.addModuleCleanup(BROWSER.close)


class PageChecks(unittest.TestCase):
    """The checks of a page open in BROWSER."""

    def check_page(self, page, results, key_figures):
        """Every check of PAGE, whose figures come from RESULTS; at least
        KEY_FIGURES of them marked data-key."""
        with open(page, encoding="utf-8") as f:
            html = f.read()
        self.check_svg_well_formed(html)
        url = "file://" + os.path.abspath(page)
        for size in (chromium.DESKTOP, chromium.PHONE):
            with self.subTest(width=size[0]):
                BROWSER.viewport(size)
                requests = BROWSER.open(url)
                self.assertEqual([r for r in requests if r != url and not r.startswith("data:")],
                                 [], "the page asked for something else than itself")
                self.check_text_inside_charts()
                if size is chromium.PHONE:
                    self.assertLessEqual(self.page_width(), size[0] + 1,
                                         "the page scrolls sideways on a phone")
                # pixels once, at the desktop's width: decoding them in Python is the slow part
                self.check_charts_drawn(size is chromium.DESKTOP)
        self.assertGreaterEqual(self.check_key_figures(results), key_figures,
                                "fewer key figures marked than expected")
        pdf = BROWSER.pdf()
        self.assertTrue(pdf.startswith(b"%PDF-") and len(pdf) > 1000, "the page did not print")

    def page_width(self):
        """The width the page's content takes.  A mobile browser widens its
        layout viewport (innerWidth) to content too wide for it, so this is
        compared with the device's width, not with innerWidth."""
        return BROWSER.evaluate("document.documentElement.scrollWidth")

    def check_svg_well_formed(self, html):
        """Each inline SVG as an XML document of its own, all read by one
        xmllint (a process per chart would cost seconds on a batch's page)."""
        svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
        self.assertGreater(len(svgs), 0, "no chart in the page")
        with tempfile.TemporaryDirectory() as scratch:
            paths = []
            for i, svg in enumerate(svgs):
                paths.append(os.path.join(scratch, "chart-%d.svg" % i))
                with open(paths[-1], "w", encoding="utf-8") as f:
                    f.write(svg)
            r = subprocess.run(["xmllint", "--noout", *paths], capture_output=True, text=True,
                               timeout=120)
        self.assertEqual(r.returncode, 0, "an SVG is not well-formed XML:\n%s" % r.stderr[:2000])

    def check_text_inside_charts(self):
        outside = BROWSER.evaluate("""
            Array.from(document.querySelectorAll('svg')).flatMap(svg => {
              const box = svg.getBoundingClientRect();
              const title = svg.querySelector('title');
              return Array.from(svg.querySelectorAll('text')).filter(text => {
                const r = text.getBoundingClientRect();
                return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 ||
                                       r.top < box.top - 1 || r.bottom > box.bottom + 1);
              }).map(text => (title ? title.textContent : '?') + ': ' + text.textContent);
            })""")
        self.assertEqual(outside, [], "text outside its chart")

    def check_charts_drawn(self, screenshots):
        background = BROWSER.evaluate("getComputedStyle(document.body).backgroundColor")
        rgb = [int(v) for v in re.findall(r"\d+", background)[:3]]
        if re.match(r"rgba\(.*,\s*0\)", background):
            rgb = [255, 255, 255]  # transparent: the canvas is white
        boxes = BROWSER.evaluate("""
            Array.from(document.querySelectorAll('figure.chart')).map(figure => {
              const r = figure.getBoundingClientRect();
              const title = figure.querySelector('svg title');
              return [title ? title.textContent : '?', r.left + window.scrollX,
                      r.top + window.scrollY, r.width, r.height];
            })""")
        self.assertGreater(len(boxes), 0, "no <figure class=\"chart\"> in the page")
        for title, x, y, width, height in boxes:
            self.assertTrue(width >= 1 and height >= 1, "chart '%s' is not visible" % title)
            if not screenshots:
                continue
            # a quarter of the size: sixteen times fewer pixels to decode, and
            # every mark still changes some (blended, not dropped)
            png = BROWSER.screenshot(x, y, width, height, 0.25)
            share = chromium.share_unlike(png, rgb)
            self.assertGreaterEqual(share, DRAWN_SHARE, "chart '%s' looks empty (%.3f of its "
                                    "pixels unlike the background)" % (title, share))

    def check_key_figures(self, results):
        """The figures marked data-key equal the file's to their printed
        rounding; in a batch each belongs to the scenario of the section
        (h2 id part-NAME) it follows.  Returns how many were checked."""
        marked = BROWSER.evaluate("""
            (() => {
              let part = null;
              const found = [];
              for (const e of document.querySelectorAll('h2[id^="part-"], [data-key]')) {
                if (e.tagName === 'H2') part = e.id.slice(5);
                else found.push([e.getAttribute('data-key'), e.textContent, part]);
              }
              return found;
            })()""")
        checked = 0
        with h5py.File(results, "r") as f:
            for key, text, part in marked:
                group = f["/" + part] if part else f
                where = "%s of %s" % (key, group.name)
                if key == "best_lever":
                    names = [_text(n) for n in group["levers/name"][()]]
                    self.assertEqual(text, names[_best_lever(group)], where)
                    checked += 1
                    continue
                if key not in KEYS:
                    continue
                read, factor = KEYS[key]
                value, error = read(group)
                value, error = value * factor, error * factor
                shown = printed_number(text)
                self.assertIsNotNone(shown, "%s: '%s' shows no number" % (where, text))
                printed, half_unit = shown
                allowed = abs(value) <= error if printed == 0 else False
                allowed = allowed or abs(printed - value) <= half_unit * (1 + 1e-9) + 1e-12 * abs(value)
                self.assertTrue(allowed, "%s: the page shows '%s', the file holds %r (error %r)"
                                % (where, text, value, error))
                checked += 1
        return checked

class Reports(PageChecks):
    """The pages of the scenario library's results."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-browser-")
        self.addCleanup(shutil.rmtree, self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def report(self, results, *options):
        page = results[:-len(".h5")] + ".html"
        funnelmc("report", results, "-o", page, *options)
        return page

    def test_run_with_two_levers(self):
        results = self.path("coffee.h5")
        funnelmc("run", os.path.join(SCENARIOS, "coffee-roaster.yaml"), "-n", "20000",
                 "-o", results, "-q")
        self.check_page(self.report(results), results, 8)

    def test_run_report_option(self):
        results = self.path("reference.h5")
        page = self.path("reference-report.html")
        funnelmc("run", os.path.join(SCENARIOS, "reference.yaml"), "-n", "20000", "-o", results,
                 "--report=" + page, "-q")
        self.check_page(page, results, 8)

    def test_horizon_run(self):
        results = self.path("year.h5")
        funnelmc("run", os.path.join(SCENARIOS, "handmade-year.yaml"), "-n", "5000",
                 "-o", results, "-q")
        self.check_page(self.report(results), results, 8)

    def test_sweep_of_two_axes_three_levers(self):
        results = self.path("sweep.h5")
        funnelmc("sweep", os.path.join(SCENARIOS, "reference.yaml"), "-n", "2000",
                 "-o", results, "-q")
        self.check_page(self.report(results), results, 0)

    def test_batch_of_the_scenario_library(self):
        results = self.path("batch.h5")
        scenarios = sorted(glob.glob(os.path.join(SCENARIOS, "*.yaml")))
        funnelmc("batch", *scenarios, "-n", "5000", "-o", results, "-q")
        with h5py.File(results, "r") as f:
            parts = len(f["batch/name"])
        # the expected profit and the chance of a loss of each scenario at least
        self.check_page(self.report(results), results, 2 * parts)

    def test_bench_file(self):
        results = self.path("bench.h5")
        funnelmc("bench", "-n", "2000", "-j", "1,2", "-r", "1", "-o", results, "-q")
        self.check_page(self.report(results), results, 0)


class Harness(PageChecks):
    """The checks themselves must be able to fail."""

    def test_printed_number_keeps_its_rounding(self):
        self.assertEqual(printed_number("2,890.5 a month"), (2890.5, 0.05))
        self.assertEqual(printed_number("2900"), (2900.0, 50.0))
        self.assertEqual(printed_number("-3"), (-3.0, 0.5))
        self.assertEqual(printed_number("0"), (0.0, 0.5))
        self.assertEqual(printed_number("\u22121.2e+03"), (-1200.0, 50.0))
        self.assertIsNone(printed_number("none"))

    def test_png_decoder_reads_every_filter(self):
        import struct
        import zlib
        width, height = 5, 5
        pixels = [[((x * 37 + y * 11) & 255, (x * y * 13) & 255, (200 - x * 7) & 255)
                   for x in range(width)] for y in range(height)]
        raw = b""
        previous = bytes(width * 3)
        for y, kind in enumerate(range(5)):
            line = bytes(v for p in pixels[y] for v in p)
            out = bytearray()
            for i, v in enumerate(line):
                a = line[i - 3] if i >= 3 else 0
                b = previous[i]
                c = previous[i - 3] if i >= 3 else 0
                p = a + b - c
                paeth = min((abs(p - a), 0, a), (abs(p - b), 1, b), (abs(p - c), 2, c))[2]
                out.append((v - [0, a, b, (a + b) // 2, paeth][kind]) & 255)
            raw += bytes([kind]) + bytes(out)
            previous = line

        def chunk(kind, body):
            return (struct.pack(">I", len(body)) + kind + body
                    + struct.pack(">I", zlib.crc32(kind + body)))
        png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                                  0, 0, 0))
               + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
        w, h, channels, rows = chromium.decode_png(png)
        self.assertEqual((w, h, channels), (width, height, 3))
        self.assertEqual(rows, [bytes(v for p in row for v in p) for row in pixels])
        self.assertAlmostEqual(chromium.share_unlike(png, pixels[0][0], 0), 24 / 25)

    def test_the_checks_catch_a_bad_page(self):
        """A hand-made page with an overflowing label, an empty chart and a
        request to the network: each check must say so."""
        page = tempfile.NamedTemporaryFile("w", suffix=".html", delete=False)
        self.addCleanup(os.remove, page.name)
        page.write(
            '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">'
            '<link rel="stylesheet" href="https://example.invalid/a.css"></head><body>'
            '<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360">'
            '<title>wide</title><rect x="40" y="40" width="500" height="280" fill="#0072B2"/>'
            '<text x="560" y="200" font-size="14">a label that runs off the edge</text></svg>'
            '</figure><figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" '
            'viewBox="0 0 640 360"><title>empty</title></svg></figure>'
            '<div style="width:900px">too wide for a phone</div></body></html>')
        page.close()
        url = "file://" + page.name
        BROWSER.viewport(chromium.PHONE)
        requests = BROWSER.open(url)
        self.assertIn("https://example.invalid/a.css", requests)
        with self.assertRaisesRegex(AssertionError, "wide: a label that runs off the edge"):
            self.check_text_inside_charts()
        with self.assertRaisesRegex(AssertionError, "chart 'empty' looks empty"):
            self.check_charts_drawn(True)
        self.assertGreater(self.page_width(), chromium.PHONE[0] + 1)
        with self.assertRaisesRegex(AssertionError, "not well-formed"):
            self.check_svg_well_formed('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)
