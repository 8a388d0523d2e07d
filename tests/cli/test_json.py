#!/usr/bin/env python3
"""`--json` and `run -` (issue 19, scripting): the JSON summary of run,
sweep and batch is strict JSON (no NaN tokens) with the keys docs/json.md
promises, every figure in it is the results file's (HDF5, read with h5py),
`show --json` of a file prints what the command that wrote it printed (the
run-time fields null), an error with --json still exits 2 with nothing on
standard output, a scenario piped into `run -` gives the file `run FILE`
gives, and a jq pipeline works as a user would write it.

Run by ctest as: python3 test_json.py FUNNELMC_BINARY SOURCE_DIR
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
sys.path.insert(0, os.path.join(SOURCE, "tests"))
from h5objects import differences, objects  # noqa: E402

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
WRAPPER = os.environ.get("FUNNELMC_TEST_WRAPPER", "").split()
SCENARIOS = os.path.join(SOURCE, "scenarios")
REFERENCE = os.path.join(SCENARIOS, "reference.yaml")   # levers, no horizon
YEAR = os.path.join(SCENARIOS, "handmade-year.yaml")    # a horizon with levers
SWEEPS = os.path.join(SCENARIOS, "coffee-roaster.yaml")  # two-axis sweeps with levers
N = "3000"
RUN_TIME = ("threads", "seconds")  # what a file does not keep


def funnelmc(*args, cwd, stdin=None):
    return subprocess.run([*WRAPPER, FUNNELMC, *args], capture_output=True, text=True, cwd=cwd,
                          input=stdin)


def strict(text):
    """TEXT parsed as JSON, refusing the NaN and Infinity tokens that
    Python's json accepts and jq and the JSON standard do not."""
    def refuse(token):
        raise ValueError("not JSON: " + token)
    return json.loads(text, parse_constant=refuse)


class JsonCase(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-json-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def run_ok(self, *args, stdin=None):
        r = funnelmc(*args, cwd=self.dir, stdin=stdin)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def path(self, name):
        return os.path.join(self.dir, name)

    def assertFigure(self, got, stored, what):
        """GOT (from the JSON) is the file's STORED float exactly; null where
        the file holds NaN or an infinity."""
        stored = float(stored)
        if math.isfinite(stored):
            self.assertIsInstance(got, (int, float), what)
            self.assertEqual(got, stored, what)
        else:
            self.assertIsNone(got, what)

    def assertFigures(self, got, stored, what):
        stored = np.asarray(stored, dtype=float).ravel()
        self.assertEqual(len(got), len(stored), what)
        for k, (g, s) in enumerate(zip(got, stored)):
            self.assertFigure(g, s, "%s[%d]" % (what, k))

    def assertEstimate(self, got, value, se, what):
        self.assertEqual(set(got) >= {"value", "se"}, True, what)
        self.assertFigure(got["value"], value, what)
        self.assertFigure(got["se"], se, what + " se")


class Run(JsonCase):
    """`run --json` against the file it wrote, and `show --json` of it."""

    def analyse(self, scenario, name, *extra):
        out = self.path(name + ".h5")
        r = self.run_ok("run", "--json", "-n", N, *extra, scenario, "-o", out)
        return strict(r.stdout), out

    def check_output(self, got, group, confidence):
        a = group.attrs
        self.assertEstimate(got["mean"], a["mean"], a["se"], group.name + " mean")
        self.assertFigures(got["mean"]["ci"], a["mean_ci"], group.name + " mean ci")
        self.assertEqual(got["mean"]["confidence"], confidence)
        for key in ("sd", "min", "max", "base"):
            self.assertFigure(got[key], a[key], group.name + " " + key)
        self.assertEqual(got["count"], int(a["count"]))
        self.assertEstimate(got["p_loss"], a["p_loss"], a["p_loss_se"], group.name + " p_loss")
        self.assertFigures([q["level"] for q in got["quantiles"]], group["quantile_levels"],
                           "quantile levels")
        self.assertFigures([q["value"] for q in got["quantiles"]], group["quantiles"],
                           group.name + " quantiles")
        self.assertFigures([x for q in got["quantiles"] for x in q["ci"]],
                           group["quantiles_ci"], group.name + " quantiles ci")

    def check_levers(self, got, f):
        levers = f["levers"]
        names = [n.decode() for n in levers["name"][()]]
        self.assertEqual(sorted(l["name"] for l in got), sorted(names))
        net = levers["net_gain"][()]
        # in rank order: by mean net gain, largest first
        self.assertEqual([l["rank"] for l in got], list(range(1, len(got) + 1)))
        self.assertEqual([l["name"] for l in got],
                         [names[i] for i in sorted(range(len(names)), key=lambda i: -net[i])])
        for lever in got:
            i = names.index(lever["name"])
            what = "lever " + lever["name"]
            self.assertEstimate(lever["net_gain"], net[i], levers["net_gain_se"][i], what)
            self.assertFigures(lever["net_gain"]["ci"], levers["net_gain_ci"][i], what + " ci")
            self.assertEstimate(lever["gain"]["mean"], levers["mean_gain"][i],
                                levers["mean_gain_se"][i], what + " gain")
            self.assertFigures([q["value"] for q in lever["gain"]["quantiles"]],
                               levers["gain_quantiles"][i], what + " gain quantiles")
            self.assertFigure(lever["cost"], levers["cost"][i], what + " cost")
            self.assertFigure(lever["roi"], levers["roi"][i], what + " roi")
            self.assertEstimate(lever["p_improve"], levers["p_improve"][i],
                                levers["p_improve_se"][i], what + " p_improve")
            self.assertEqual(len(lever["versus"]), len(names) - 1)
            for v in lever["versus"]:
                j = names.index(v["lever"])
                self.assertEstimate(v["p_beats"], levers["p_beats"][i, j],
                                    levers["p_beats_se"][i, j], what + " beats " + v["lever"])
                self.assertFigure(v["p_tie"], levers["p_tie"][i, j], what + " tie")
            for e in lever["equivalents"]:
                j = [n.decode() for n in f["inputs/name"][()]].index(e["input"])
                self.assertEstimate(e["add"], levers["equivalent_add"][i, j],
                                    levers["equivalent_add_se"][i, j], what + " add")

    def test_reference_run_is_strict_json_whose_every_figure_is_the_files(self):
        # enough samples for the value of information (two folds at least)
        got, out = self.analyse(REFERENCE, "reference", "--combine", "-n", "20000")
        for key in ("funnelmc", "command", "results", "scenario", "seed", "samples", "threads",
                    "seconds", "confidence", "design", "profit", "roi", "sales", "tornado",
                    "sensitivity", "break_even", "levers", "pairs", "voi", "bottom_line"):
            self.assertIn(key, got)
        self.assertEqual(got["funnelmc"]["schema"], 1)
        self.assertEqual(got["command"], "run")
        self.assertEqual(got["results"], out)
        self.assertGreaterEqual(got["threads"], 1)
        self.assertGreater(got["seconds"], 0)
        with h5py.File(out, "r") as f:
            self.assertEqual(got["funnelmc"]["version"], f.attrs["funnelmc_version"])
            self.assertEqual(got["scenario"], f.attrs["scenario_name"])
            self.assertEqual(got["seed"], int(f.attrs["seed"]))
            self.assertEqual(got["samples"], int(f.attrs["samples"]))
            for name in ("profit", "roi", "sales"):
                self.check_output(got[name], f["outputs"][name], got["confidence"])
            tornado = f["tornado"]
            self.assertEqual([b["input"] for b in got["tornado"]["bars"]],
                             [n.decode() for n in tornado["input"][()]])
            for key in ("low_value", "high_value", "low_profit", "high_profit", "swing"):
                self.assertFigures([b[key] for b in got["tornado"]["bars"]], tornado[key],
                                   "tornado " + key)
            self.assertFigure(got["tornado"]["base_profit"], tornado.attrs["base_profit"],
                              "tornado base")
            s, mc = f["sensitivity"], f["tornado/monte_carlo"]
            inputs = got["sensitivity"]["inputs"]
            self.assertEqual([i["input"] for i in inputs],
                             [n.decode() for n in f["inputs/name"][()]])
            for j, i in enumerate(inputs):
                self.assertEstimate(i["spearman"], s["spearman"][j], s["spearman_se"][j],
                                    "spearman " + i["input"])
                self.assertEstimate(i["src"], s["src"][j], s["src_se"][j], "src " + i["input"])
                self.assertFigure(i["contribution"], s["contribution_to_variance"][j],
                                  "contribution " + i["input"])
                self.assertFigure(i["mean_range"]["low"], mc["mean_low"][j], "mean_low")
                self.assertFigure(i["mean_range"]["high"], mc["mean_high"][j], "mean_high")
                self.assertFigure(i["mean_range"]["se"], mc["mean_range_se"][j], "range se")
            self.assertFigure(got["sensitivity"]["r_squared"], s.attrs["r_squared"], "R²")
            self.check_levers(got["levers"], f)
            pairs = f["levers/pairs"]
            self.assertEqual(len(got["pairs"]), len(pairs["first"]))
            for q, pair in enumerate(got["pairs"]):
                self.assertEqual(pair["levers"], [pairs["first"][q].decode(),
                                                  pairs["second"][q].decode()])
                for key in ("combined_gain", "net_gain", "interaction"):
                    self.assertEstimate(pair[key], pairs[key][q], pairs[key + "_se"][q],
                                        "pair " + key)
            voi = f["levers/value_of_information"]
            self.assertEstimate(got["voi"]["evpi"], voi.attrs["evpi"], voi.attrs["evpi_se"],
                                "evpi")
            known = [e for e in got["voi"]["evppi"] if e["kind"] == "input"]
            self.assertFigures([e["value"] for e in known], voi["input_evppi"], "evppi")
            self.assertFigures([e["value"] for e in got["voi"]["groups"]], voi["group_evppi"],
                               "group evppi")
        self.assertTrue(got["bottom_line"] and all(isinstance(s, str) and s
                                                   for s in got["bottom_line"]))

    def test_horizon_run_has_each_period_and_payback_as_the_file(self):
        got, out = self.analyse(YEAR, "year")
        with h5py.File(out, "r") as f:
            h = f["horizon"]
            periods = got["horizon"]["profit"]
            self.assertEqual(got["horizon"]["periods"], int(h.attrs["periods"]))
            self.assertEqual([p["period"] for p in periods], [int(t) for t in h["period"][()]])
            self.assertFigures([p["mean"]["value"] for p in periods], h["profit_mean"], "means")
            self.assertFigures([p["mean"]["se"] for p in periods], h["profit_se"], "mean se")
            self.assertFigures([x for p in periods for x in p["mean"]["ci"]], h["profit_mean_ci"],
                               "mean ci")
            self.assertFigures([p["p_loss"]["value"] for p in periods], h["p_loss"], "p_loss")
            self.assertFigures([q["value"] for p in periods for q in p["quantiles"]],
                               h["profit_quantiles"], "period quantiles")
            pay = h["payback"].attrs
            self.assertFigure(got["horizon"]["payback"]["median"], pay["median"], "payback")
            self.assertEstimate(got["horizon"]["payback"]["p_never"], pay["p_never"],
                                pay["p_never_se"], "p_never")
            names = [n.decode() for n in f["levers/name"][()]]
            for lever in got["levers"]:
                i = names.index(lever["name"])
                self.assertFigure(lever["payback"]["median"], f["levers/payback_median"][i],
                                  "lever payback")
                self.assertFigures([p["net_gain"]["value"] for p in lever["periods"]],
                                   f["levers/period_net"][i], "lever period net")
            self.check_output(got["profit"], f["outputs/profit"], got["confidence"])

    def test_budget_run_has_the_best_sets_of_levers_as_the_file(self):
        got, out = self.analyse(os.path.join(SCENARIOS, "b2b-firm.yaml"), "b2b")
        with h5py.File(out, "r") as f:
            p = f["portfolio"]
            levers = [n.decode() for n in p["lever"][()]]
            sets = got["portfolio"]["sets"]
            self.assertEqual(len(sets), len(p["net_profit"]))
            self.assertGreater(len(sets), 1)
            for k, s in enumerate(sets):
                self.assertEqual(s["levers"], [l for l, i in zip(levers, p["in_set"][k]) if i])
                self.assertEstimate(s["objective"], p["objective_value"][k], p["objective_se"][k],
                                    "objective")
                self.assertFigures(s["objective"]["ci"], p["objective_ci"][k], "objective ci")
                self.assertEstimate(s["net_profit"], p["net_profit"][k], p["net_profit_se"][k],
                                    "net profit")
                self.assertEstimate(s["p_over_budget"], p["p_over_budget"][k],
                                    p["p_over_budget_se"][k], "p over")
                self.assertFigure(s["extra_hours"], p["extra_hours"][k], "hours")
                self.assertFigure(s["extra_money"], p["extra_money"][k], "money")
            for key in ("budget_hours", "budget_money"):
                self.assertFigure(got["portfolio"][key], p.attrs[key], key)
            self.assertEstimate(got["portfolio"]["p_best_beats_second"],
                                p.attrs["p_best_beats_second"],
                                p.attrs["p_best_beats_second_se"], "p best")

    def test_show_json_prints_what_run_json_printed_but_the_run_time_fields(self):
        for scenario, name in ((REFERENCE, "reference"), (YEAR, "year")):
            ran, out = self.analyse(scenario, name, "--combine")
            shown = strict(self.run_ok("show", "--json", out).stdout)
            for key in RUN_TIME:
                self.assertIsNotNone(ran[key])
                self.assertIsNone(shown[key])
                ran[key] = None
            self.assertEqual(shown, ran)

    def test_quiet_silences_progress_not_the_json(self):
        r = self.run_ok("run", "--json", "-q", "-n", N, REFERENCE, "-o", self.path("q.h5"))
        self.assertEqual(strict(r.stdout)["command"], "run")
        self.assertNotIn("progress", r.stderr)
        self.assertEqual(self.run_ok("run", "-q", "-n", N, REFERENCE, "-o",
                                     self.path("q.h5")).stdout, "")

    def test_report_with_json_keeps_standard_output_json(self):
        for args in (("run", REFERENCE), ("sweep", SWEEPS), ("batch", REFERENCE)):
            with self.subTest(command=args[0]):
                out = self.path(args[0] + ".h5")
                r = self.run_ok(args[0], "--json", "--report", "-n", "500", args[1], "-o", out)
                self.assertEqual(strict(r.stdout)["command"], args[0])
                self.assertTrue(os.path.exists(out[:-3] + ".html"))

    def test_jq_reads_the_mean_profit_as_a_user_would(self):
        jq = shutil.which("jq")
        self.assertIsNotNone(jq, "jq is in scripts/install-deps.sh")
        out = self.path("jq.h5")
        command = "%s %s run --json -n %s %s -o %s | jq .profit.mean.value" % (
            " ".join(WRAPPER), FUNNELMC, N, REFERENCE, out)
        r = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        with h5py.File(out, "r") as f:
            self.assertEqual(float(r.stdout), float(f["outputs/profit"].attrs["mean"]))
        lever = "jq -r '.levers[0].name' %s" % out.replace(".h5", ".json")
        with open(out.replace(".h5", ".json"), "w") as saved:
            saved.write(self.run_ok("show", "--json", out).stdout)
        r = subprocess.run(lever, shell=True, capture_output=True, text=True)
        with h5py.File(out, "r") as f:
            net = f["levers/net_gain"][()]
            self.assertEqual(r.stdout.strip(), f["levers/name"][int(np.argmax(net))].decode())


class SweepAndBatch(JsonCase):
    def test_sweep_json_gives_every_point_as_the_file_and_show_prints_it_again(self):
        out = self.path("sweeps.h5")
        text = self.run_ok("sweep", "--json", "-n", "1000", SWEEPS, "-o", out).stdout
        got = strict(text)
        self.assertEqual(got["command"], "sweep")
        with h5py.File(out, "r") as f:
            self.assertEqual(sorted(s["name"] for s in got["sweeps"]), sorted(f["sweeps"]))
            for sweep in got["sweeps"]:
                g = f["sweeps"][sweep["name"]]
                self.assertEqual(sweep["samples"], int(g.attrs["samples"]))
                levers = [n.decode() for n in g["lever"][()]]
                for axis in sweep["axes"]:
                    self.assertFigures(axis["values"], g[axis["name"]], "axis " + axis["name"])
                    self.assertEqual(axis["op"], g[axis["name"]].attrs["op"])
                points = sweep["points"]
                shape = tuple(len(a["values"]) for a in sweep["axes"])
                self.assertEqual(len(points), int(np.prod(shape)))
                for p, point in enumerate(points):
                    index = np.unravel_index(p, shape)
                    for axis, k in zip(sweep["axes"], index):
                        self.assertEqual(point["at"][axis["name"]], axis["values"][k])
                    what = "%s point %d" % (sweep["name"], p)
                    profit = point["profit"]
                    self.assertEstimate(profit["mean"], g["mean"][index], g["se"][index], what)
                    self.assertEstimate(profit["p_loss"], g["p_loss"][index],
                                        g["p_loss_se"][index], what + " p_loss")
                    for key in ("sd", "p05", "p50", "p95"):
                        self.assertFigure(profit[key], g[key][index], what + " " + key)
                    self.assertEqual(point["best_lever"], levers[g["best_lever"][index]])
                    self.assertEstimate(point["best_net_gain"], g["best_net_gain"][index],
                                        g["best_net_gain_se"][index], what + " best")
                    self.assertEqual(point["runner_up"], levers[g["runner_up_lever"][index]])
                    self.assertEstimate(point["p_beats_runner_up"],
                                        g["p_best_beats_runner_up"][index],
                                        g["p_best_beats_runner_up_se"][index], what + " beats")
        self.assertEqual(self.run_ok("show", "--json", out).stdout, text)

    def test_batch_json_gives_every_row_as_the_file_and_show_prints_it_again(self):
        out = self.path("batch.h5")
        files = [REFERENCE, YEAR, os.path.join(SCENARIOS, "worked-example.yaml")]
        text = self.run_ok("batch", "--json", "-n", "1000", *files, "-o", out).stdout
        got = strict(text)
        self.assertEqual(got["command"], "batch")
        with h5py.File(out, "r") as f:
            b = f["batch"]
            self.assertEqual([r["scenario"] for r in got["rows"]],
                             [n.decode() for n in b["name"][()]])
            for i, row in enumerate(got["rows"]):
                self.assertEqual(row["file"], b["file"][i].decode())
                self.assertEqual(row["period"], b["period"][i].decode())
                self.assertEstimate(row["profit"]["mean"], b["mean"][i], b["se"][i], "mean")
                self.assertEstimate(row["profit"]["p_loss"], b["p_loss"][i], b["p_loss_se"][i],
                                    "p_loss")
                self.assertFigure(row["profit"]["sd"], b["sd"][i], "sd")
                self.assertEqual(row["best_lever"], b["best_lever"][i].decode() or None)
        self.assertEqual(self.run_ok("show", "--json", out).stdout, text)
        # a part, chosen by --scenario, is a run's document
        part = strict(self.run_ok("show", "--json", "--scenario", "handmade-year", out).stdout)
        self.assertEqual(part["command"], "run")
        self.assertEqual(part["profit"]["mean"]["value"], got["rows"][1]["profit"]["mean"]["value"])


class Errors(JsonCase):
    def assertRefused(self, r):
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertRegex(r.stderr, r"^error: ")

    def test_errors_with_json_exit_2_with_nothing_on_standard_output(self):
        bad = self.path("bad.yaml")
        with open(bad, "w") as f:
            f.write("name: bad\nsamples: -5\n")
        for args in (("run", "--json", "--bogus"), ("run", "--json", bad),
                     ("sweep", "--json", bad), ("batch", "--json", "-o", "b.h5"),
                     ("show", "--json", bad), ("run", "--json", "-n", "x", REFERENCE)):
            with self.subTest(args=args):
                self.assertRefused(funnelmc(*args, cwd=self.dir))
        self.assertEqual(sorted(os.listdir(self.dir)), ["bad.yaml"])

    def test_a_batch_with_a_bad_scenario_exits_2_with_the_json_of_the_good_ones(self):
        bad = self.path("bad.yaml")
        with open(bad, "w") as f:
            f.write("name: bad\nsamples: -5\n")
        r = funnelmc("batch", "--json", "-n", "1000", bad, REFERENCE, "-o", "b.h5", cwd=self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertRegex(r.stderr, r"bad.yaml:2:\d+: 'samples'")
        self.assertEqual([row["file"] for row in strict(r.stdout)["rows"]], [REFERENCE])

    def test_a_bench_file_has_no_json(self):
        out = self.path("bench.h5")
        self.run_ok("bench", "-n", "2000", "--threads", "1", "-o", out)
        r = funnelmc("show", "--json", out, cwd=self.dir)
        self.assertRefused(r)
        self.assertIn("'%s' is a bench file" % out, r.stderr)

    def test_detail_which_shapes_the_text_alone_is_refused_with_json(self):
        out = self.path("run.h5")
        self.run_ok("run", "-q", "-n", "1000", REFERENCE, "-o", out)
        before = sorted(os.listdir(self.dir))
        for args in (("run", "--json", "--detail", "-n", "1000", REFERENCE, "-o", "r.h5"),
                     ("sweep", "--detail", "--json", "-n", "500", SWEEPS, "-o", "s.h5"),
                     ("show", "--json", "--detail", out)):
            with self.subTest(args=args):
                r = funnelmc(*args, cwd=self.dir)
                self.assertRefused(r)
                self.assertIn("options '--detail' and '--json' cannot be used together", r.stderr)
                self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertEqual(sorted(os.listdir(self.dir)), before)

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_a_document_that_cannot_be_written_fails_with_one_error(self):
        out = self.path("run.h5")
        self.run_ok("run", "-q", "-n", "1000", REFERENCE, "-o", out)
        for args in (("run", "--json", "-q", "-n", "1000", REFERENCE, "-o", out),
                     ("show", "--json", out)):
            with self.subTest(args=args), open("/dev/full", "w") as full:
                r = subprocess.run([*WRAPPER, FUNNELMC, *args], stdout=full,
                                   stderr=subprocess.PIPE, text=True, cwd=self.dir)
                self.assertEqual(r.returncode, 1)
                self.assertEqual(r.stderr, "error: cannot write the JSON summary: "
                                 "No space left on device\n")


class StandardInput(JsonCase):
    def test_run_dash_reads_the_scenario_piped_in_and_writes_the_same_file(self):
        with open(REFERENCE) as f:
            text = f.read()
        self.run_ok("run", "-q", "-n", N, REFERENCE, "-o", self.path("from-file.h5"))
        piped = self.run_ok("run", "-q", "-n", N, "-", stdin=text)
        name = re.search(r"^name: *(\S+)", text, re.M).group(1)
        # the default output name comes from the scenario's name, as for a file
        self.assertEqual(sorted(os.listdir(self.dir)), sorted(["from-file.h5", name + ".h5"]))
        self.assertEqual(piped.stdout, "")
        a, b = objects(self.path("from-file.h5")), objects(self.path(name + ".h5"))
        # where the scenario came from is the one difference
        del a["/@scenario_file"], b["/@scenario_file"]
        self.assertEqual(a, b, differences(a, b))
        with h5py.File(self.path(name + ".h5"), "r") as f:
            self.assertEqual(f.attrs["scenario_file"], "<stdin>")

    def test_sweep_and_check_read_standard_input_too(self):
        with open(SWEEPS) as f:
            text = f.read()
        r = self.run_ok("check", "-", stdin=text)
        self.assertRegex(r.stdout, r"^<stdin>: ok \(")
        piped = strict(self.run_ok("sweep", "--json", "-n", "500", "-", stdin=text).stdout)
        given = strict(self.run_ok("sweep", "--json", "-n", "500", SWEEPS, "-o",
                                   self.path("given.h5")).stdout)
        self.assertTrue(os.path.exists(self.path(piped["scenario"] + "-sweeps.h5")))
        self.assertEqual(piped["sweeps"], given["sweeps"])

    def test_a_bad_scenario_on_standard_input_is_named_stdin_with_line_and_column(self):
        with open(REFERENCE) as f:
            lines = f.read().splitlines()
        # the first 'samples:' made negative: a bad value at a known line
        line = next(k for k, l in enumerate(lines) if re.match(r"samples:", l))
        lines[line] = "samples: -5"
        for command in ("run", "sweep", "check"):
            with self.subTest(command=command):
                r = funnelmc(command, "--json" if command != "check" else "-q", "-", cwd=self.dir,
                             stdin="\n".join(lines) + "\n")
                self.assertEqual(r.returncode, 2)
                self.assertEqual(r.stdout, "")
                self.assertRegex(r.stderr, r"error: <stdin>:%d:\d+: 'samples'" % (line + 1))
        self.assertEqual(os.listdir(self.dir), [])

    def test_standard_input_given_twice_is_refused_before_anything_is_read(self):
        with open(REFERENCE) as f:
            text = f.read()
        for args in (("check", "-", "-"), ("check", "-q", REFERENCE, "-", "-"),
                     ("batch", "-o", "b.h5", "-", "-"),
                     ("batch", "-", REFERENCE, "-", "-o", "b.h5")):
            with self.subTest(args=args):
                r = funnelmc(*args, cwd=self.dir, stdin=text)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stdout, "")
                self.assertEqual(r.stderr, "error: '-' given twice: standard input is read once\n")
        self.assertEqual(os.listdir(self.dir), [])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
