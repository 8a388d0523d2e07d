#!/usr/bin/env python3
"""A portable build writes the same bits as a native one (issue 19).

Run by ctest (test portable_same_bits, registered in a build with
-DFUNNELMC_NATIVE=OFF and FUNNELMC_NATIVE_PROGRAM naming a native build's
program) as:

    python3 test_portable.py PORTABLE_FUNNELMC NATIVE_FUNNELMC SOURCE_DIR

The native program runs everything compiled for this CPU (-march=native);
the portable one runs baseline x86-64 code outside its hot loops and, in
them, the clone the loader chose (AVX-512 here when the CPU has it).  Each
case is run by both with 1 and 2 threads and every object of every file is
compared bit for bit with the native 1-thread file (tests/h5objects.py:
all but the time of writing).  Under valgrind, which offers a program no
AVX-512, the portable program runs its AVX2 clones: one more comparison
when valgrind is there.  The baseline clones cannot be forced on a CPU
with AVX2 (GCC's resolvers have no switch); they are the code the portable
build compiles everywhere else, which every case runs.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else "."
sys.path.insert(0, os.path.join(SOURCE, "tests"))
from h5objects import differences, objects  # noqa: E402

PORTABLE = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "funnelmc"
NATIVE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "funnelmc"
SCENARIOS = os.path.join(SOURCE, "scenarios")
REFERENCE = os.path.join(SCENARIOS, "reference.yaml")

# name: the arguments after the program; each writes its file with -o
CASES = {
    "worked example": ["run", "-n", "60000"],
    "reference, every analysis": ["run", REFERENCE, "-n", "40000", "--combine"],
    "sweep": ["sweep", REFERENCE, "-n", "6000"],
    "horizon": ["run", os.path.join(SCENARIOS, "handmade-year.yaml"), "-n", "12000"],
    "qmc": ["run", os.path.join(SCENARIOS, "coffee-roaster.yaml"), "-n", "32768"],
    "saved samples": ["run", REFERENCE, "-n", "9000", "--summary-only", "--save-samples"],
}


def build_line(program, wrapper=()):
    done = subprocess.run([*wrapper, program, "--version"], capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("build: ")]
    return lines[0] if lines else done.stdout + done.stderr


class SameBits(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="funnelmc-portable-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def file_of(self, program, arguments, threads, wrapper=()):
        out = os.path.join(self.dir, "%d-%d.h5" % (len(os.listdir(self.dir)), threads))
        done = subprocess.run([*wrapper, program, *arguments, "-j", str(threads), "-q", "-o", out],
                              capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        found = objects(out)
        self.assertGreater(len(found), 10, "%s wrote almost nothing" % out)
        return found

    def test_the_programs_are_the_builds_compared(self):
        self.assertEqual(build_line(NATIVE), "build: native (-march=native)")
        self.assertTrue(build_line(PORTABLE).startswith("build: portable x86-64, hot loops chosen"
                                                        " at run time: "), build_line(PORTABLE))

    def test_native_and_portable_files_are_the_same_for_one_and_two_threads(self):
        for name, arguments in CASES.items():
            with self.subTest(case=name):
                expected = self.file_of(NATIVE, arguments, 1)
                for program, threads in ((NATIVE, 2), (PORTABLE, 1), (PORTABLE, 2)):
                    found = self.file_of(program, arguments, threads)
                    self.assertTrue(expected == found, "%s -j %d: %s" % (
                        "portable" if program == PORTABLE else "native", threads,
                        differences(expected, found)))

    def test_the_avx2_clones_under_valgrind_write_the_same_file(self):
        valgrind = shutil.which("valgrind")
        if not valgrind:
            self.skipTest("no valgrind: the AVX2 clones are not compared")
        wrapper = (valgrind, "-q", "--tool=none")
        self.assertEqual(build_line(PORTABLE, wrapper),
                         "build: portable x86-64, hot loops chosen at run time: AVX2")
        arguments = ["run", REFERENCE, "-n", "6000"]
        expected = self.file_of(NATIVE, arguments, 1)
        found = self.file_of(PORTABLE, arguments, 2, wrapper)
        self.assertTrue(expected == found, differences(expected, found))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
