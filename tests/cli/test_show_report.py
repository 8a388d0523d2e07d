#!/usr/bin/env python3
"""`funnelmc show` and `funnelmc report`: a results file read back gives
the summary the command that wrote it printed (so the file holds the whole
summary), the same report as the run's own `--report`, chart files in SVG,
PNG and PDF; and every bad file (missing, empty, text, foreign HDF5,
another format_version, truncated, bit-flipped) is refused with exit 2,
naming the file, writing nothing and leaving an earlier report untouched.

Run by ctest as: python3 test_show_report.py FUNNELMC_BINARY SOURCE_DIR
"""
import glob
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import h5py

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
WRAPPER = os.environ.get("FUNNELMC_TEST_WRAPPER", "").split()
SCENARIOS = os.path.join(SOURCE, "scenarios")
N = "2000"

# the part of a run's second line that a file does not keep
THREADS_TIME = re.compile(r", \d+ threads?, [0-9.]+ s;")
# a timestamp, as the page's "created" may show it
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d| UTC)?")
CHART_FIGURE = re.compile(r'<figure class="chart"')


# Under the sanitizers: what fontconfig keeps for the process is no leak;
# and HDF5 may ask for a huge block to read a damaged file's object, which
# malloc refuses (NULL: HDF5 reports an error) where ASan would abort.
SUPPRESSIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan-fontconfig.supp")
ENVIRONMENT = dict(os.environ, LSAN_OPTIONS=":".join(filter(None, [
    os.environ.get("LSAN_OPTIONS"), "suppressions=" + SUPPRESSIONS, "print_suppressions=0"])),
    ASAN_OPTIONS=":".join(filter(None, [
        os.environ.get("ASAN_OPTIONS"), "allocator_may_return_null=1"])))


def funnelmc(*args, cwd):
    return subprocess.run([*WRAPPER, FUNNELMC, *args], capture_output=True, text=True, cwd=cwd,
                          env=ENVIRONMENT)


def masked(stdout):
    """STDOUT without what a file does not keep: the run's threads and
    time, and the line naming the report --report wrote."""
    lines = stdout.splitlines(keepends=True)
    return THREADS_TIME.sub(";", "".join(l for l in lines if not l.startswith("report: ")))


class ShowReport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="funnelmc-show-")
        cls.out = {}
        made = {
            # the reference scenario: levers, tornado, drivers, Sobol
            "run": ["run", os.path.join(SCENARIOS, "reference.yaml"), "-n", N, "-j", "1",
                    "-o", "run.h5", "--report=run-own.html"],
            "horizon": ["run", os.path.join(SCENARIOS, "handmade-year.yaml"), "-n", N, "-j", "1",
                        "-o", "horizon.h5", "--report=horizon-own.html"],
            "sweep": ["sweep", os.path.join(SCENARIOS, "reference.yaml"), "-n", "500", "-j", "1",
                      "-o", "sweep.h5", "--report=sweep-own.html"],
            "batch": ["batch", os.path.join(SCENARIOS, "reference.yaml"),
                      os.path.join(SCENARIOS, "handmade-shop.yaml"), "--sweeps", "-n", "500",
                      "-j", "1", "-o", "batch.h5", "--report=batch-own.html"],
            "bench": ["bench", "-n", "4000", "-j", "1", "-r", "1", "-o", "bench.h5"],
        }
        for name, args in made.items():
            done = funnelmc(*args, cwd=cls.dir)
            assert done.returncode == 0, (args, done.stderr)
            cls.out[name] = done.stdout

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def run_ok(self, *args):
        done = funnelmc(*args, cwd=self.dir)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done

    # ----- show -----

    def test_show_prints_what_each_command_printed(self):
        for name in ("run", "horizon", "sweep", "batch", "bench"):
            with self.subTest(name):
                shown = self.run_ok("show", f"{name}.h5").stdout
                self.assertEqual(masked(shown), masked(self.out[name]))
        # the run's header line lost only its threads and time
        self.assertRegex(self.out["run"], r"\d+ samples, seed \d+, 1 thread, ")
        self.assertNotRegex(self.run_ok("show", "run.h5").stdout, r" threads?, ")

    def test_show_detail_prints_every_table_as_run_detail(self):
        ran = self.run_ok("run", os.path.join(SCENARIOS, "reference.yaml"), "-n", N, "-j", "1",
                          "-o", "detail.h5", "--detail").stdout
        self.assertEqual(masked(self.run_ok("show", "detail.h5", "--detail").stdout),
                         masked(ran))
        self.assertIn("tornado", ran)

    def test_show_scenario_of_a_batch_is_that_scenarios_run(self):
        # a batch part is analysed as 'run' analyses it, with the same seed
        ran = self.run_ok("run", os.path.join(SCENARIOS, "handmade-shop.yaml"), "-n", "500",
                          "-j", "1", "-o", "shop.h5").stdout
        shown = self.run_ok("show", "batch.h5", "--scenario", "handmade-shop").stdout
        summary = masked(ran).rsplit("\nresults: ", 1)[0]
        self.assertTrue(masked(shown).startswith(summary), shown)
        self.assertIn("sweep ", shown[len(summary):])  # the part's sweeps follow
        self.assertTrue(shown.endswith("results: batch.h5, scenario handmade-shop\n"))

    def test_show_unknown_scenario_lists_the_batchs(self):
        done = funnelmc("show", "batch.h5", "--scenario", "nosuch", cwd=self.dir)
        self.assertEqual(done.returncode, 2)
        self.assertIn("'nosuch'", done.stderr)
        self.assertIn("widget-shop", done.stderr)
        self.assertIn("handmade-shop", done.stderr)
        self.assertEqual(done.stdout, "")
        done = funnelmc("show", "run.h5", "--scenario", "widget-shop", cwd=self.dir)
        self.assertEqual(done.returncode, 2)
        self.assertIn("not a batch", done.stderr)

    # ----- report -----

    def test_report_of_a_file_is_the_commands_own_report(self):
        # run's and sweep's --report are made from memory, report's from
        # the file: equal pages prove the file holds all the page shows
        for name in ("run", "horizon", "sweep"):
            with self.subTest(name):
                done = self.run_ok("report", f"{name}.h5", "-o", f"{name}-read.html")
                self.assertEqual(done.stdout, f"report: {name}-read.html\n")
                with open(self.path(f"{name}-own.html"), encoding="utf-8") as f:
                    own = f.read()
                with open(self.path(f"{name}-read.html"), encoding="utf-8") as f:
                    read = f.read()
                self.assertGreaterEqual(len(CHART_FIGURE.findall(own)), 3)
                own, read = (TIMESTAMP.sub("TIME", page) for page in (own, read))
                self.assertEqual(read, own)

    def test_report_default_path_is_beside_the_results(self):
        for name in ("sweep", "batch", "bench"):
            with self.subTest(name):
                done = self.run_ok("report", f"{name}.h5")
                self.assertEqual(done.stdout, f"report: {name}.html\n")
                with open(self.path(f"{name}.html"), encoding="utf-8") as f:
                    page = f.read()
                self.assertTrue(page.startswith("<!DOCTYPE html>"))
                self.assertGreater(len(CHART_FIGURE.findall(page)), 0)

    def test_batch_report_is_the_report_of_its_file(self):
        self.assertTrue(self.out["batch"].endswith("report: batch-own.html\n"))
        self.run_ok("report", "batch.h5", "-o", "batch-read.html")
        with open(self.path("batch-own.html"), encoding="utf-8") as f:
            own = f.read()
        with open(self.path("batch-read.html"), encoding="utf-8") as f:
            self.assertEqual(f.read(), own)
        for name in ("widget-shop", "handmade-shop"):
            self.assertIn(name, own)

    def test_report_scenario_of_a_batch(self):
        self.run_ok("report", "batch.h5", "--scenario", "handmade-shop", "-o", "part.html")
        with open(self.path("part.html"), encoding="utf-8") as f:
            self.assertIn("handmade-shop", f.read())
        done = funnelmc("report", "batch.h5", "--scenario", "nosuch", "-o", "none.html",
                        cwd=self.dir)
        self.assertEqual(done.returncode, 2)
        self.assertFalse(os.path.exists(self.path("none.html")))

    def charts(self, results, fmt):
        """The chart files of RESULTS in FMT, and the page's chart count."""
        out = f"charts-{results}-{fmt}"
        done = self.run_ok("report", f"{results}.h5", "-o", f"{out}.html", "--charts",
                           f"{out}/sub", "--format", fmt)
        with open(self.path(f"{out}.html"), encoding="utf-8") as f:
            figures = len(CHART_FIGURE.findall(f.read()))
        files = sorted(glob.glob(self.path(f"{out}/sub/*")))
        printed = [line[len("chart: "):] for line in done.stdout.splitlines()
                   if line.startswith("chart: ")]
        self.assertEqual(sorted(self.path(p) for p in printed), files)
        return files, figures

    def test_chart_files_svg_are_the_pages_charts_and_well_formed(self):
        for results in ("run", "sweep", "batch"):
            files, figures = self.charts(results, "svg")
            self.assertEqual(len(files), figures)
            for name in files:
                self.assertTrue(name.endswith(".svg"))
                root = ET.parse(name).getroot()
                self.assertEqual(root.tag, "{http://www.w3.org/2000/svg}svg")

    def test_chart_files_png_have_a_size(self):
        files, figures = self.charts("horizon", "png")
        self.assertEqual(len(files), figures)
        for name in files:
            with open(name, "rb") as f:
                head = f.read(24)
            self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n", name)
            self.assertEqual(head[12:16], b"IHDR")
            width, height = struct.unpack(">II", head[16:24])
            self.assertGreater(width, 0)
            self.assertGreater(height, 0)

    def test_chart_files_pdf_are_whole(self):
        files, figures = self.charts("bench", "pdf")
        self.assertEqual(len(files), figures)
        for name in files:
            with open(name, "rb") as f:
                data = f.read()
            self.assertTrue(data.startswith(b"%PDF-"), name)
            self.assertTrue(data.rstrip().endswith(b"%%EOF"), name)

    def test_charts_without_output_write_no_page(self):
        self.run_ok("report", "run.h5", "--charts", "only-charts", "-q")
        self.assertFalse(os.path.exists(self.path("run.html")))
        self.assertTrue(os.listdir(self.path("only-charts")))

    def test_report_usage_errors(self):
        for args in (["run.h5", "--format", "png"], ["run.h5", "--charts", "d", "--format", "gif"],
                     ["run.h5", "-o", "run.h5"], []):
            with self.subTest(args):
                done = funnelmc("report", *args, cwd=self.dir)
                self.assertEqual(done.returncode, 2)
                self.assertIn("error:", done.stderr)
        self.assertTrue(h5py.is_hdf5(self.path("run.h5")))  # -o run.h5 left it alone

    def test_a_report_never_replaces_its_results(self):
        for command in (["run", os.path.join(SCENARIOS, "reference.yaml")],
                        ["sweep", os.path.join(SCENARIOS, "reference.yaml")]):
            with self.subTest(command[0]):
                done = funnelmc(*command, "-n", "500", "-j", "1", "-o", "same.h5",
                                "--report=same.h5", cwd=self.dir)
                self.assertEqual(done.returncode, 1, done.stderr)
                self.assertIn("is the results file itself", done.stderr)
                self.run_ok("show", "same.h5")

    def test_a_page_written_to_a_pipe_goes_through_it_and_leaves_it_a_pipe(self):
        # -o /dev/null or a named pipe: renaming a temporary over it would
        # replace the device or pipe with a file (as root, /dev/null itself)
        fifo = self.path("page.fifo")
        os.mkfifo(fifo)
        reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE)
        done = funnelmc("report", "run.h5", "-o", fifo, cwd=self.dir)
        still_a_pipe = stat.S_ISFIFO(os.stat(fifo).st_mode)
        if not still_a_pipe:
            reader.kill()  # it waits for a writer that never came
        page = reader.communicate(timeout=60)[0]
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(still_a_pipe, "the pipe was replaced by a file")
        self.assertTrue(page.startswith(b"<!DOCTYPE html>"), page[:40])
        self.assertTrue(page.rstrip().endswith(b"</html>"))
        os.unlink(fifo)

    def test_unwritable_outputs_fail_with_status_1_and_leave_no_temporary(self):
        os.makedirs(self.path("blocked/page.html"))  # a directory where the page goes
        done = funnelmc("report", "run.h5", "-o", "blocked/page.html", cwd=self.dir)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("blocked/page.html", done.stderr)
        self.assertEqual(os.listdir(self.path("blocked")), ["page.html"])
        done = funnelmc("report", "run.h5", "-o", "missing/dir/page.html", cwd=self.dir)
        self.assertEqual(done.returncode, 1)
        self.assertFalse(os.path.exists(self.path("missing")))
        with open(self.path("a-file"), "w") as f:
            f.write("not a directory\n")
        done = funnelmc("report", "run.h5", "--charts", "a-file/charts", cwd=self.dir)
        self.assertEqual(done.returncode, 1)
        self.assertIn("a-file/charts", done.stderr)
        # a chart whose name is taken by a directory: that chart fails alone
        first = self.run_ok("report", "run.h5", "--charts", "taken", "-q")
        names = sorted(os.listdir(self.path("taken")))
        shutil.rmtree(self.path("taken"))
        os.makedirs(self.path("taken/" + names[0]))
        done = funnelmc("report", "run.h5", "--charts", "taken", cwd=self.dir)
        self.assertEqual(done.returncode, 1, first.stderr)
        self.assertIn(names[0], done.stderr)
        self.assertEqual([n for n in os.listdir(self.path("taken")) if ".tmp-" in n], [])

    # ----- bad files -----

    def bad_files(self):
        """(name, path) of files show and report must refuse."""
        bad = self.path("bad")
        os.makedirs(bad, exist_ok=True)
        with open(self.path("run.h5"), "rb") as f:
            real = f.read()
        files = [("missing", os.path.join(bad, "missing.h5"))]

        def write(name, data):
            path = os.path.join(bad, name + ".h5")
            with open(path, "wb") as f:
                f.write(data)
            files.append((name, path))
        write("empty", b"")
        write("text", b"name: not hdf5\n" * 40)
        for share in (0.05, 0.3, 0.6, 0.97):
            write(f"truncated-{share}", real[:int(len(real) * share)])
        # a bit of a signature HDF5 checks: the file's own, the root
        # group's B-tree and heap, a symbol table node, the global heap of
        # the strings (HDF5 checks no raw data: see the test below)
        for signature, nth in ((b"\x89HDF", 0), (b"TREE", 0), (b"HEAP", 0), (b"SNOD", -1),
                               (b"GCOL", 0)):
            offset = real.find(signature) if nth == 0 else real.rfind(signature)
            self.assertGreaterEqual(offset, 0, signature)
            flipped = bytearray(real)
            flipped[offset + 2] ^= 0x10
            write(f"flipped-{signature[1:].decode()}", bytes(flipped))
        foreign = os.path.join(bad, "foreign.h5")
        with h5py.File(foreign, "w") as f:
            f["x"] = [1.0, 2.0]
        files.append(("foreign", foreign))
        version = os.path.join(bad, "version.h5")
        shutil.copy(self.path("run.h5"), version)
        with h5py.File(version, "r+") as f:  # of the same type: only the value is wrong
            f.attrs.modify("format_version", f.attrs["format_version"] + 1)
        files.append(("version", version))
        return files

    def test_bad_files_are_refused_naming_the_file_and_writing_nothing(self):
        for name, path in self.bad_files():
            with self.subTest(name):
                done = funnelmc("show", path, cwd=self.dir)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertEqual(done.stdout, "")
                self.assertRegex(done.stderr, "^error: " + re.escape(path) + ": /")
                page = path + ".html"
                with open(page, "w") as f:
                    f.write("earlier report\n")
                done = funnelmc("report", path, "-o", page, "--charts", path + ".charts",
                                cwd=self.dir)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn(path, done.stderr)
                with open(page) as f:
                    self.assertEqual(f.read(), "earlier report\n")
                self.assertFalse(os.path.exists(path + ".charts"))
        self.assertEqual(glob.glob(self.path("bad/.*")), [])

    def test_bad_files_messages_say_what_is_wrong(self):
        files = dict(self.bad_files())
        said = {name: funnelmc("show", files[name], cwd=self.dir).stderr
                for name in ("missing", "text", "foreign", "version")}
        self.assertIn("No such file or directory", said["missing"])
        self.assertIn("not an HDF5 file", said["text"])
        self.assertIn("not a funnelmc results file", said["foreign"])
        self.assertRegex(said["version"], r"format_version \d+")

    def test_flips_anywhere_never_crash(self):
        # a flip in raw data may go unnoticed (HDF5 checks metadata only):
        # then the file reads; anywhere else it is refused; never a crash
        with open(self.path("horizon.h5"), "rb") as f:
            real = f.read()
        path = self.path("bad/flip-anywhere.h5")
        os.makedirs(self.path("bad"), exist_ok=True)
        refused = 0
        for k in range(24):
            offset = (k * 7919 + 11) % len(real)
            flipped = bytearray(real)
            flipped[offset] ^= 1 << (k % 8)
            with open(path, "wb") as f:
                f.write(flipped)
            done = funnelmc("show", path, cwd=self.dir)
            self.assertIn(done.returncode, (0, 2), (offset, done.stderr))
            if done.returncode:
                refused += 1
                self.assertTrue(done.stderr.startswith(f"error: {path}: "), done.stderr)
        self.assertGreater(refused, 0)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
