#!/usr/bin/env python3
"""Sweep groups opened where analysts work: xarray (Debian's python3-xarray)
through both of its HDF5 engines, netcdf4 and h5netcdf, on the sweeps of
tests/cli/report-grid.yaml (one to four axes, three levers), on a one-lever
sweep (its runner-up is "none") and on the sweep groups a batch copies.
Every array has named dimensions (the inputs its axes vary, `lever`), a
range written in decimals can be selected by its decimals, the decision maps
decode to lever names through CF's flag_values and flag_meanings, and the
values are those h5py reads from the file by index.

Run by ctest as: python3 test_xarray_sweep.py FUNNELMC_BINARY SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import xarray as xr
import yaml

FUNNELMC = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
SOURCE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "."
WRAPPER = os.environ.get("FUNNELMC_TEST_WRAPPER", "").split()
GRIDS = os.path.join(SOURCE, "tests", "cli", "report-grid.yaml")
ENGINES = ("netcdf4", "h5netcdf")
CODES = ("best_lever", "runner_up_lever")


def run(*args, cwd=None):
    result = subprocess.run([*WRAPPER, FUNNELMC, *args], capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise AssertionError(f"funnelmc {' '.join(args)} failed:\n{result.stderr}")
    return result


def one_lever_scenario():
    """report-grid.yaml with its first lever only and its two-axis sweep."""
    with open(GRIDS) as f:
        scenario = yaml.safe_load(f)
    first = next(iter(scenario["levers"]))
    scenario["name"] = "one-lever"
    scenario["levers"] = {first: scenario["levers"][first]}
    scenario["sweeps"] = {"map": scenario["sweeps"]["map"]}
    return scenario


def decode(codes, attrs):
    """The labels of CODES through CF's flag_values and flag_meanings."""
    meanings = dict(zip(np.atleast_1d(attrs["flag_values"]).tolist(), attrs["flag_meanings"].split()))
    return np.vectorize(meanings.__getitem__, otypes=[object])(codes)


class SweepGroupsInXarray(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="funnelmc-xarray-sweep-")
        with open(GRIDS) as f:
            cls.grids = yaml.safe_load(f)
        cls.one = os.path.join(cls.dir, "one-lever.yaml")
        with open(cls.one, "w") as f:
            yaml.safe_dump(one_lever_scenario(), f, sort_keys=False)
        cls.sweeps = os.path.join(cls.dir, "grids.h5")
        cls.one_sweeps = os.path.join(cls.dir, "one.h5")
        run("sweep", GRIDS, "-o", cls.sweeps, "-j", "2", "--quiet")
        run("sweep", cls.one, "-o", cls.one_sweeps, "-j", "2", "--quiet")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def open_both(self, path, group):
        """The group opened by each engine, closed at the end of the test."""
        sets = {}
        for engine in ENGINES:
            ds = xr.open_dataset(path, group=group, engine=engine)
            self.addCleanup(ds.close)
            sets[engine] = ds
        return sets

    def check_group(self, path, group, axes, levers):
        """Group GROUP of PATH, a sweep over AXES (input names, in order)
        with LEVERS: its dimensions, values and codes in both engines."""
        sets = self.open_both(path, group)
        with h5py.File(path, "r") as f:
            g = f[group]
            names = [n for n in g if isinstance(g[n], h5py.Dataset)]
            for engine, ds in sets.items():
                with self.subTest(group=group, engine=engine):
                    self.assertFalse([d for d in ds.dims if d.startswith("phony_dim")])
                    self.assertEqual(set(ds.dims), set(axes) | ({"lever"} if levers else set()))
                    self.assertEqual(sorted(ds.variables), sorted(names))
                    for a in axes:
                        self.assertIn(a, ds.coords)
                        np.testing.assert_array_equal(ds[a].values, g[a][:])
                    for name in names:
                        if name in axes or name == "lever":
                            continue
                        self.assertEqual(ds[name].dims, tuple(axes), name)
                        np.testing.assert_array_equal(ds[name].values, g[name][:], err_msg=name)
                    if levers:
                        self.assertEqual(list(ds["lever"].values), list(levers))
                        self.assertEqual(list(g["lever"].asstr()[:]), list(levers))
                        self.check_codes(ds, g, levers)
            a, b = sets.values()
            for name in a.variables:
                np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)
                for key in ("flag_values", "flag_meanings"):
                    if key in a[name].attrs:
                        np.testing.assert_array_equal(a[name].attrs[key], b[name].attrs[key])

    def check_codes(self, ds, g, levers):
        """best_lever and runner_up_lever decode to the lever names h5py finds
        by index into `lever`; -1 (no runner-up, one lever) to "none"."""
        names = np.array(levers, dtype=object)
        for code in CODES:
            attrs = ds[code].attrs
            self.assertIn("flag_values", attrs, code)
            values = np.atleast_1d(attrs["flag_values"]).tolist()
            self.assertEqual(values[-len(levers):], list(range(len(levers))), code)
            raw = g[code][:]
            labels = decode(ds[code].values, attrs)
            known = raw >= 0
            np.testing.assert_array_equal(labels[known], names[raw[known]], err_msg=code)
            self.assertTrue((labels[~known] == "none").all(), code)
        self.assertTrue((g["best_lever"][:] >= 0).all())
        self.assertNotIn(-1, np.atleast_1d(ds["best_lever"].attrs["flag_values"]).tolist())
        self.assertEqual(np.atleast_1d(ds["runner_up_lever"].attrs["flag_values"]).tolist()[0], -1)
        self.assertEqual(ds["runner_up_lever"].attrs["flag_meanings"].split()[0], "none")

    def test_sweeps_of_one_to_four_axes_open_with_named_dimensions(self):
        levers = list(self.grids["levers"])
        for name, sweep in self.grids["sweeps"].items():
            self.check_group(self.sweeps, f"/sweeps/{name}", list(sweep["axes"]), levers)

    def test_a_one_lever_sweep_decodes_its_missing_runner_up_as_none(self):
        scenario = one_lever_scenario()
        self.check_group(self.one_sweeps, "/sweeps/map", list(scenario["sweeps"]["map"]["axes"]),
                         list(scenario["levers"]))
        with h5py.File(self.one_sweeps, "r") as f:
            self.assertTrue((f["/sweeps/map/runner_up_lever"][:] == -1).all())

    def test_a_range_written_in_decimals_is_selected_by_its_decimals(self):
        # report-grid's map: click_rate {add: {from: -0.04, to: 0.08, steps: 4}},
        # so the values are -0.04 + 0.04 k
        self.assertEqual(self.grids["sweeps"]["map"]["axes"]["click_rate"]["add"],
                         {"from": -0.04, "to": 0.08, "steps": 4})
        with h5py.File(self.sweeps, "r") as f:
            mean = f["/sweeps/map/mean"][:]
        for engine, ds in self.open_both(self.sweeps, "/sweeps/map").items():
            for k, decimal in enumerate((-0.04, 0, 0.04, 0.08)):
                with self.subTest(engine=engine, click_rate=decimal):
                    at = ds.sel(click_rate=decimal)
                    np.testing.assert_array_equal(at["mean"].values, mean[:, k])
                    self.assertEqual(at["best_lever"].dims, ("followers",))

    def test_the_sweep_groups_of_a_batch_open_alike(self):
        batch = os.path.join(self.dir, "batch.h5")
        run("batch", GRIDS, self.one, "--sweeps", "-o", batch, "-j", "2", "--quiet")
        for scenario in (self.grids, one_lever_scenario()):
            for name, sweep in scenario["sweeps"].items():
                self.check_group(batch, f"/{scenario['name']}/sweeps/{name}", list(sweep["axes"]),
                                 list(scenario["levers"]))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
