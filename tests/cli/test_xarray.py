#!/usr/bin/env python3
"""Run, batch and bench files open in xarray (Debian's python3-xarray) through
both netCDF engines, netcdf4 (netCDF-C) and h5netcdf (h5py), group by group:
every axis of every array is a named dimension (never phony_dim_N), the
coordinates hold the names and values the file's own datasets hold, and a
value picked by coordinate is the one h5py reads at that index.  Every group
of every file is walked, so a new group or array without dimension scales
fails here.

Run by ctest as: python3 test_xarray.py FUNNELMC_BINARY SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import warnings

import h5py
import numpy as np
import xarray

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
SCENARIOS = os.path.join(SOURCE, "scenarios")
ENGINES = ("netcdf4", "h5netcdf")
NOT_A_VARIABLE = b"This is a netCDF dimension but not a netCDF variable."


def run(*args):
    r = subprocess.run([FUNNELMC, *args], capture_output=True, text=True, timeout=3000)
    assert r.returncode == 0, (args, r.stderr)
    return r


def text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(values).flat]


def is_dimension_only(dataset):
    """A dataset that is a netCDF dimension without values."""
    return h5py.h5ds.is_scale(dataset.id) and \
        bytes(dataset.attrs.get("NAME", b"")).startswith(NOT_A_VARIABLE)


def groups_of(path):
    """Every group of the file, the root first, as xarray names them."""
    found = ["/"]
    with h5py.File(path, "r") as f:
        f.visititems(lambda key, obj: found.append("/" + key)
                     if isinstance(obj, h5py.Group) else None)
    return found


def open_group(path, group, engine):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return xarray.open_dataset(path, group=group, engine=engine).load()


class Files(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="funnelmc-xarray-")
        cls.run_files = {}
        # correlations, fitted inputs, levers with pairs and value of
        # information, Sobol indices, break-even values, every draw
        cls.run_files["coffee"] = cls.write_run("coffee-roaster.yaml", "--combine",
                                                "--save-samples")
        # a horizon: per-period figures, the levers' payback
        cls.run_files["year"] = cls.write_run("handmade-year.yaml")
        # a budget: the best sets of levers
        cls.run_files["shop"] = cls.write_run("handmade-shop.yaml")
        cls.batch = os.path.join(cls.dir, "batch.h5")
        run("batch", os.path.join(SCENARIOS, "handmade-shop.yaml"),
            os.path.join(SCENARIOS, "coffee-roaster.yaml"), "--sweeps", "-n", "4000", "-j", "2",
            "-o", cls.batch, "-q")
        cls.bench = os.path.join(cls.dir, "bench.h5")
        run("bench", "-n", "1e4", "-j", "1,2", "-r", "1", "-o", cls.bench, "-q")

    @classmethod
    def write_run(cls, scenario, *options):
        out = os.path.join(cls.dir, scenario.replace(".yaml", ".h5"))
        run("run", os.path.join(SCENARIOS, scenario), "-n", "20000", "-j", "2", "-o", out, "-q",
            *options)
        return out

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    walked = {}

    def check_every_group(self, path):
        """Every group through both engines: named dimensions only, every dataset
        of the group there, both engines alike, and alike h5py; returns the
        groups opened, {group: netcdf4 dataset} (each file walked once)."""
        if path in self.walked:
            return self.walked[path]
        opened = self.walked[path] = {}
        with h5py.File(path, "r") as f:
            for group in groups_of(path):
                sets = {name: obj for name, obj in f[group].items()
                        if isinstance(obj, h5py.Dataset)}
                ds = {engine: open_group(path, group, engine) for engine in ENGINES}
                for engine, d in ds.items():
                    phony = [dim for dim in d.sizes if str(dim).startswith("phony_dim")]
                    self.assertEqual(phony, [], "%s %s (%s)" % (path, group, engine))
                    for name, dataset in sets.items():
                        where = "%s%s/%s (%s)" % (path, group, name, engine)
                        if is_dimension_only(dataset):
                            self.assertNotIn(name, d.variables, where)
                            # (a parent's dimension, for its children, is not among its sizes)
                            self.assertEqual(d.sizes.get(name, dataset.shape[0]),
                                             dataset.shape[0], where)
                            continue
                        self.assertIn(name, d.variables, where)
                        self.assert_same(d[name].values, dataset[()], where)
                for name in ds["netcdf4"].variables:
                    a, b = ds["netcdf4"][name], ds["h5netcdf"][name]
                    self.assertEqual(a.dims, b.dims, "%s%s/%s" % (path, group, name))
                    self.assert_same(a.values, b.values, "%s%s/%s" % (path, group, name))
                # each axis of each array has its scale, for HDF5 readers too
                for name, dataset in sets.items():
                    if not h5py.h5ds.is_scale(dataset.id):
                        for axis, dim in enumerate(dataset.dims):
                            self.assertEqual(len(dim), 1, "%s%s/%s axis %d" % (
                                path, group, name, axis))
                opened[group] = ds["netcdf4"]
        return opened

    def assert_same(self, a, b, where):
        a, b = np.asarray(a), np.asarray(b)
        self.assertEqual(a.shape, b.shape, where)
        if a.dtype.kind in "OSU" or b.dtype.kind in "OSU":
            self.assertEqual(text(a), text(b), where)
        else:
            np.testing.assert_array_equal(a, b, err_msg=where)

    def test_run_files_open_group_by_group_with_named_coordinates(self):
        for key, path in self.run_files.items():
            with self.subTest(file=key):
                opened = self.check_every_group(path)
                with h5py.File(path, "r") as f:
                    self.check_inputs_and_outputs(f, opened)
                    self.check_levers(f, opened)
                    self.check_drivers(f, opened)

    def check_inputs_and_outputs(self, f, opened):
        names = text(f["inputs/name"])
        inputs = opened["/inputs"]
        self.assertEqual(text(inputs["input"].values), names)
        self.assertEqual(inputs["base"].dims, ("input",))
        for j in (0, len(names) - 1, names.index("followers")):
            self.assertEqual(float(inputs["mean"].sel(input=names[j])), f["inputs/mean"][j])
        for output in ("profit", "sales"):
            o = opened["/outputs/" + output]
            levels = f["outputs/%s/quantile_levels" % output][:]
            np.testing.assert_array_equal(o["quantile_levels"].values, levels)
            self.assertEqual(o["quantiles_ci"].dims, ("quantile_levels", "bound"))
            self.assertEqual(text(o["bound"].values), ["low", "high"])
            self.assertEqual(float(o["quantiles_ci"].sel(quantile_levels=levels[1], bound="high")),
                             f["outputs/%s/quantiles_ci" % output][1, 1])
            self.assertEqual(o["hist_counts"].dims, ("bin",))
            self.assertEqual(int(o["hist_counts"].sum()), f["outputs/" + output].attrs["count"])
            np.testing.assert_array_equal(o["hist_edges"].values,
                                          f["outputs/%s/hist_edges" % output][:])

    def check_levers(self, f, opened):
        if "/levers" not in opened:
            return
        levers = opened["/levers"]
        names = text(f["levers/name"])
        inputs = text(f["inputs/name"])
        self.assertEqual(text(levers["lever"].values), names)
        self.assertEqual(text(levers["other_lever"].values), names)
        self.assertEqual(text(levers["input"].values), inputs)
        self.assertEqual(levers["p_beats"].dims, ("lever", "other_lever"))
        self.assertEqual(levers["equivalent_add"].dims, ("lever", "input"))
        self.assertEqual(levers["mean_gain_ci"].dims, ("lever", "bound"))
        self.assertEqual(levers["gain_quantiles_ci"].dims,
                         ("lever", "gain_quantile_levels", "bound"))
        last, j = len(names) - 1, inputs.index("click_rate")
        # a row against a column: not the same as the column against the row
        self.assertEqual(float(levers["p_beats"].sel(lever=names[last], other_lever=names[0])),
                         f["levers/p_beats"][last, 0])
        self.assertEqual(float(levers["p_beats"].sel(lever=names[0], other_lever=names[last])),
                         f["levers/p_beats"][0, last])
        np.testing.assert_array_equal(
            levers["equivalent_add"].sel(lever=names[last], input="click_rate").values,
            f["levers/equivalent_add"][last, j])
        self.assertEqual(float(levers["net_gain_ci"].sel(lever=names[0], bound="low")),
                         f["levers/net_gain_ci"][0, 0])
        voi = opened["/levers/value_of_information"]
        self.assertEqual(voi["input_evppi"].dims, ("input",))
        self.assertEqual(text(voi["group"].values), text(f["levers/value_of_information/group"]))
        if "/levers/pairs" in opened:
            pairs = opened["/levers/pairs"]
            self.assertEqual(pairs["net_gain_ci"].dims, ("pair", "bound"))
            self.assertEqual(text(pairs["first"].values), text(f["levers/pairs/first"]))
        if "horizon" in f:
            T = int(f["horizon"].attrs["periods"])
            self.assertEqual(list(levers["period"].values), list(range(1, T + 1)))
            self.assertEqual(levers["period_net"].dims, ("lever", "period"))
            self.assertEqual(float(levers["period_net"].sel(lever=names[last], period=T)),
                             f["levers/period_net"][last, T - 1])
            self.assertEqual(levers["payback_counts"].dims, ("lever", "payback_period"))
            horizon = opened["/horizon"]
            self.assertEqual(horizon["profit_quantiles_ci"].dims,
                             ("period", "profit_quantile_levels", "bound"))

    def check_drivers(self, f, opened):
        tornado = opened["/tornado"]
        order = text(f["tornado/input"])
        self.assertEqual(text(tornado["input"].values), order)
        # the tornado's own order, not the scenario's: selecting by name finds the row
        self.assertEqual(float(tornado["swing"].sel(input=order[-1])), f["tornado/swing"][-1])
        self.assertEqual(tornado["spider_profit"].dims, ("input", "spider_levels"))
        mc = opened["/tornado/monte_carlo"]
        self.assertEqual(mc["bin_edges"].dims, ("input", "edge"))
        self.assertEqual(mc["bin_mean"].dims, ("input", "bin"))
        sensitivity = opened["/sensitivity"]
        names = text(f["inputs/name"])
        self.assertEqual(text(sensitivity["input"].values), names)
        j = names.index("followers")
        self.assertEqual(float(sensitivity["spearman"].sel(input="followers")),
                         f["sensitivity/spearman"][j])
        if "sobol_first_ci" in sensitivity:
            self.assertEqual(sensitivity["sobol_first_ci"].dims, ("input", "bound"))
            groups = text(f["sensitivity/group"])
            self.assertEqual(float(sensitivity["group_total"].sel(group=groups[-1])),
                             f["sensitivity/group_total"][-1])

    def test_coffee_roaster_has_every_optional_group(self):
        # so that the walk above met them all
        opened = self.check_every_group(self.run_files["coffee"])
        for group in ("/correlations", "/levers/pairs", "/levers/value_of_information",
                      "/samples/inputs", "/samples/outputs", "/break_even", "/inputs/fit/hours"):
            self.assertIn(group, opened)
        self.assertEqual(opened["/samples/outputs"].sizes["sample"], 20000)
        self.assertEqual(opened["/correlations"]["realised"].dims, ("pair",))
        self.assertIn("/horizon", groups_of(self.run_files["year"]))
        self.assertIn("/portfolio", groups_of(self.run_files["shop"]))
        portfolio = self.check_every_group(self.run_files["shop"])["/portfolio"]
        self.assertEqual(portfolio["in_set"].dims, ("rank", "lever"))

    def test_batch_file_opens_with_every_scenario_group_and_its_sweeps(self):
        opened = self.check_every_group(self.batch)
        with h5py.File(self.batch, "r") as f:
            names = text(f["batch/name"])
            table = opened["/batch"]
            self.assertEqual(text(table["scenario"].values), names)
            self.assertEqual(float(table["mean"].sel(scenario=names[-1])), f["batch/mean"][-1])
            for name in names:
                # the copied scenario's scales are its own copies, in the batch file
                gain = f[name + "/levers/mean_gain"]
                self.assertEqual(gain.dims[0][0].name, "/%s/levers/lever" % name)
                sweeps = [g for g in opened if g.startswith("/%s/sweeps/" % name)]
                self.assertTrue(sweeps, name)
                for group in sweeps:
                    axes = opened[group]["mean"].dims
                    self.assertEqual(f[group + "/mean"].dims[0][0].name, group + "/" + axes[0])
                levers = opened["/%s/levers" % name]
                self.assertEqual(text(levers["lever"].values), text(f[name + "/levers/name"]))

    def test_bench_file_opens_with_threads_as_coordinate(self):
        opened = self.check_every_group(self.bench)
        self.assertEqual(list(opened["/bench"]["threads"].values), [1.0, 2.0])
        workloads = [g for g in opened if g.startswith("/bench/")]
        self.assertTrue(workloads)
        with h5py.File(self.bench, "r") as f:
            for group in workloads:
                w = opened[group]
                self.assertEqual(w["median_seconds"].dims, ("threads",))
                self.assertEqual(float(w["speedup"].sel(threads=2)), f[group + "/speedup"][1])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
