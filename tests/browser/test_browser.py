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
DRAWN_SHARE = 0.02


def funnelmc(*args):
    r = subprocess.run([FUNNELMC, *args], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise AssertionError("funnelmc %s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr))
    return r


def printed_number(text):
    """The number TEXT shows and the half of its last printed digit's unit:
    "2,890.5" is (2890.5, 0.05), "6.8%" (0.068, 0.0005), "-1.2e+03"
    (-1200, 50).  None when TEXT shows no number."""
    match = re.search(r"([-\u2212+]?)(\d[\d,\u2009\u202f]*)(\.\d+)?(?:[eE]([-+]?\d+))?\s*(%?)", text)
    if not match:
        return None
    sign, whole, fraction, exponent, percent = match.groups()
    digits = re.sub(r"[,\u2009\u202f]", "", whole) + (fraction or "")
    value = float(digits) * (-1 if sign in ("-", "\u2212") else 1)
    half = 0.5 * 10.0 ** -(len(fraction) - 1 if fraction else 0)
    scale = 10.0 ** int(exponent) if exponent else 1.0
    if percent:
        scale /= 100.0
    return value * scale, half * scale


# What each data-key shows, read from an analysis group of the file.
def _quantile(level):
    def read(group):
        profit = group["outputs/profit"]
        levels = list(profit["quantile_levels"][()])
        return float(profit["quantiles"][()][levels.index(level)])
    return read


KEYS = {
    "profit_mean": lambda group: float(group["outputs/profit"].attrs["mean"]),
    "p_loss": lambda group: float(group["outputs/profit"].attrs["p_loss"]),
    "profit_p5": _quantile(0.05),
    "profit_p50": _quantile(0.5),
    "profit_p95": _quantile(0.95),
}


BROWSER = None  # one Chromium for every page


def setUpModule():
    global BROWSER
    BROWSER = chromium.Browser()
    unittest.addModuleCleanup(BROWSER.close)


class PageChecks(unittest.TestCase):
    """The checks of a page open in BROWSER."""

    def check_page(self, page, results, groups):
        """Every check of PAGE, whose figures come from RESULTS; GROUPS maps
        the data-scenario of a marked figure (None: not in one) to the group
        of the file holding its analysis."""
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
                self.check_charts_drawn(size[0] == chromium.PHONE[0])
        self.check_key_figures(results, groups)
        pdf = BROWSER.pdf()
        self.assertTrue(pdf.startswith(b"%PDF-") and len(pdf) > 1000, "the page did not print")

    def page_width(self):
        """The width the page's content takes.  A mobile browser widens its
        layout viewport (innerWidth) to content too wide for it, so this is
        compared with the device's width, not with innerWidth."""
        return BROWSER.evaluate("document.documentElement.scrollWidth")

    def check_svg_well_formed(self, html):
        svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
        self.assertGreater(len(svgs), 0, "no chart in the page")
        for svg in svgs:
            r = subprocess.run(["xmllint", "--noout", "-"], input=svg, capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(r.returncode, 0, "an SVG is not well-formed XML: %s\n%s"
                             % (r.stderr, svg[:300]))

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

    def check_charts_drawn(self, phone):
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
            # half scale: four times fewer pixels to decode, every mark still there
            png = BROWSER.screenshot(x, y, width, height, 1.0 if phone else 0.5)
            share = chromium.share_unlike(png, rgb)
            self.assertGreaterEqual(share, DRAWN_SHARE, "chart '%s' looks empty (%.3f of its "
                                    "pixels unlike the background)" % (title, share))

    def check_key_figures(self, results, groups):
        marked = BROWSER.evaluate("""
            Array.from(document.querySelectorAll('[data-key]')).map(e => {
              const scenario = e.closest('[data-scenario]');
              return [e.getAttribute('data-key'), e.textContent,
                      scenario ? scenario.getAttribute('data-scenario') : null];
            })""")
        known = [m for m in marked if m[0] in KEYS]
        self.assertGreater(len(known), 0, "no key figure marked in the page")
        with h5py.File(results, "r") as f:
            for key, text, scenario in known:
                group = f[groups[scenario]]
                expected = KEYS[key](group)
                shown = printed_number(text)
                self.assertIsNotNone(shown, "%s: '%s' shows no number" % (key, text))
                value, half = shown
                self.assertLessEqual(abs(value - expected), half * 1.000001 + 1e-12 * abs(expected),
                                     "%s of %s: the page shows '%s', the file holds %r"
                                     % (key, groups[scenario], text, expected))



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
        self.check_page(self.report(results), results, {None: "/"})

    def test_run_report_option(self):
        results = self.path("reference.h5")
        page = self.path("reference-report.html")
        funnelmc("run", os.path.join(SCENARIOS, "reference.yaml"), "-n", "20000", "-o", results,
                 "--report", page, "-q")
        self.check_page(page, results, {None: "/"})

    def test_horizon_run(self):
        results = self.path("year.h5")
        funnelmc("run", os.path.join(SCENARIOS, "handmade-year.yaml"), "-n", "5000",
                 "-o", results, "-q")
        self.check_page(self.report(results), results, {None: "/"})

    def test_sweep_of_two_axes_three_levers(self):
        results = self.path("sweep.h5")
        funnelmc("sweep", os.path.join(SCENARIOS, "reference.yaml"), "-n", "2000",
                 "-o", results, "-q")
        self.check_page(self.report(results), results, {None: "/"})

    def test_batch_of_the_scenario_library(self):
        results = self.path("batch.h5")
        scenarios = sorted(glob.glob(os.path.join(SCENARIOS, "*.yaml")))
        funnelmc("batch", *scenarios, "-n", "5000", "-o", results, "-q")
        with h5py.File(results, "r") as f:
            groups = {name: "/" + name for name in f if name != "batch"}
        self.check_page(self.report(results), results, groups)

    def test_bench_file(self):
        results = self.path("bench.h5")
        funnelmc("bench", "-n", "2000", "-j", "1,2", "-r", "1", "-o", results, "-q")
        self.check_page(self.report(results), results, {})


class Harness(PageChecks):
    """The checks themselves must be able to fail."""

    def test_printed_number_keeps_its_rounding(self):
        self.assertEqual(printed_number("2,890.5 a month"), (2890.5, 0.05))
        value, half = printed_number("6.8%")
        self.assertAlmostEqual(value, 0.068)
        self.assertAlmostEqual(half, 0.0005)
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
