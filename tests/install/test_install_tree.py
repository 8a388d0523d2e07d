"""`cmake --install` into a scratch prefix, then use only what it installed.

Usage: test_install_tree.py CMAKE BUILD_DIR SOURCE_DIR C_COMPILER VERSION

Checks the installed tree (the program, libfunnelmc.a, libfunnelmc.so with
its soname and links, every public header, funnelmc.pc, the CMake package
config, the scenario library, the documentation); that every installed
header compiles on its own with no other include directory; and that
examples/embed.c, built from the installed copy against the shared library
(pkg-config), the static one (pkg-config --static) and both imported
targets of find_package(funnelmc), prints the mean profit the installed
program writes for the same scenario.
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

import h5py

CMAKE, BUILD, SOURCE, CC, VERSION = sys.argv[1:6]
# before 1.0 a minor version may change the interface, so it is in the soname
SONAME_VERSION = ".".join(VERSION.split(".")[:2]) if VERSION.startswith("0.") else VERSION.split(".")[0]


def run(args, **kwargs):
    """Runs ARGS; a failure shows its output."""
    r = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def needed(program):
    """The shared libraries PROGRAM names (its DT_NEEDED entries)."""
    return re.findall(r"\(NEEDED\).*\[(.*)\]", run(["readelf", "-d", program]).stdout)


def declared_names(header_dir):
    """The functions and the extern variables the headers in HEADER_DIR
    declare: what the shared library must export, and all it may."""
    names = set()
    for h in os.listdir(header_dir):
        with open(os.path.join(header_dir, h)) as f:
            text = f.read()
        text = re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.S)
        text = re.sub(r"^\s*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
        # every body in braces (structs, enums, static inline functions)
        # becomes the end of a statement
        while True:
            text, n = re.subn(r"\{[^{}]*\}", ";", text)
            if not n:
                break
        for statement in text.split(";"):
            statement = " ".join(statement.split())
            if statement.startswith("typedef") or "static " in statement:
                continue
            if statement.startswith("extern "):
                # extern const T a, b[N];
                names.update(n for n in re.findall(r"\b(fmc_\w+)\s*(?=,|\[|$)", statement))
                continue
            m = re.search(r"(?<![(*\w])\*?\s*\b(fmc_\w+)\s*\(", statement)
            if m:
                names.add(m.group(1))
    return names


def exported_names(library):
    """The C names LIBRARY defines in its dynamic symbol table (not _init,
    _fini and the like, nor OpenMP's .gomp_critical_user_* locks, which
    must stay global)."""
    out = run(["nm", "-D", "--defined-only", library]).stdout
    names = {line.split()[-1].split("@")[0] for line in out.splitlines()}
    return {n for n in names if re.fullmatch(r"[A-Za-z]\w*", n)}


def embed_mean(program, env):
    """The mean profit and standard error embed prints."""
    out = run([program], env=env).stdout
    m = re.fullmatch(r"mean profit: (\S+) ± (\S+) \(se\), \d+ samples\n", out)
    if not m:
        raise AssertionError(f"unexpected output of {program}: {out!r}")
    return float(m.group(1)), float(m.group(2))


class InstallTree(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory(prefix="funnelmc-install-")
        cls.prefix = os.path.join(cls.scratch.name, "prefix")
        run([CMAKE, "--install", BUILD, "--prefix", cls.prefix])
        # GNUInstallDirs may say lib or lib64 or lib/<triplet>: find it
        pcs = [os.path.join(d, f) for d, _, files in os.walk(cls.prefix)
               for f in files if f == "funnelmc.pc"]
        assert len(pcs) == 1, pcs
        cls.libdir = os.path.dirname(os.path.dirname(pcs[0]))
        cls.env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]),
                       LD_LIBRARY_PATH=cls.libdir)
        cls.embed = os.path.join(cls.prefix, "share/doc/funnelmc/examples/embed.c")
        # what the installed program writes for embed's scenario (its text,
        # cut out of the example itself)
        with open(cls.embed) as f:
            lines = re.findall(r'^\s*"(.*)\\n";?$', f.read(), re.M)
        scenario = os.path.join(cls.scratch.name, "embedded.yaml")
        with open(scenario, "w") as f:
            f.write("\n".join(lines) + "\n")
        results = os.path.join(cls.scratch.name, "embedded.h5")
        run([os.path.join(cls.prefix, "bin/funnelmc"), "run", scenario, "-q", "-o", results],
            env=dict(os.environ, PATH="/usr/bin:/bin"))
        with h5py.File(results, "r") as f:
            p = f["outputs/profit"]
            cls.program_mean, cls.program_se = float(p.attrs["mean"]), float(p.attrs["se"])

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def path(self, *parts):
        return os.path.join(self.prefix, *parts)

    def test_program_and_libraries_are_installed(self):
        self.assertTrue(os.access(self.path("bin/funnelmc"), os.X_OK))
        self.assertTrue(os.path.isfile(os.path.join(self.libdir, "libfunnelmc.a")))
        real = os.path.join(self.libdir, f"libfunnelmc.so.{VERSION}")
        self.assertTrue(os.path.isfile(real) and not os.path.islink(real))
        soname = f"libfunnelmc.so.{SONAME_VERSION}"
        self.assertEqual(os.readlink(os.path.join(self.libdir, soname)), f"libfunnelmc.so.{VERSION}")
        self.assertEqual(os.readlink(os.path.join(self.libdir, "libfunnelmc.so")), soname)
        dynamic = run(["readelf", "-d", real]).stdout
        self.assertIn(f"Library soname: [{soname}]", dynamic)

    def test_shared_library_exports_exactly_what_the_headers_declare(self):
        declared = declared_names(self.path("include/funnelmc"))
        self.assertIn("fmc_version", declared)
        self.assertIn("fmc_dist_types", declared)  # an extern variable
        exported = exported_names(os.path.join(self.libdir, f"libfunnelmc.so.{VERSION}"))
        self.assertEqual(sorted(exported - declared), [], "exported but in no public header")
        self.assertEqual(sorted(declared - exported), [], "declared but not exported")

    def test_installed_program_says_its_version(self):
        out = run([self.path("bin/funnelmc"), "--version"]).stdout
        self.assertEqual(out.split("\n")[0], f"funnelmc {VERSION}")

    def test_every_public_header_is_installed_and_compiles_alone(self):
        headers = sorted(f for f in os.listdir(os.path.join(SOURCE, "include/funnelmc"))
                         if f.endswith(".h"))
        self.assertEqual(sorted(os.listdir(self.path("include/funnelmc"))), headers)
        for h in headers:
            with self.subTest(header=h):
                # no include directory but the prefix's: a private header,
                # HDF5's or Random123's would not be found
                run([CC, "-std=c17", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                     "-I", self.path("include"), "-x", "c", "-"],
                    input=f"#include <funnelmc/{h}>\n")

    def test_data_and_documentation_are_installed(self):
        scenarios = sorted(f for f in os.listdir(os.path.join(SOURCE, "scenarios"))
                           if f.endswith(".yaml"))
        self.assertEqual(sorted(os.listdir(self.path("share/funnelmc/scenarios"))), scenarios)
        doc = self.path("share/doc/funnelmc")
        for name in ["README.md", "CHANGELOG.md", "docs/cli.md", "docs/scenario-format.md",
                     "docs/hdf5-layout.md", "docs/install.md"]:
            self.assertTrue(os.path.isfile(os.path.join(doc, name)), name)
        # the relative links between them resolve, as in the source tree
        # (but those into src/ and bench/, which are not installed)
        for name in ["README.md", "CHANGELOG.md"] + [
                os.path.join("docs", f) for f in os.listdir(os.path.join(doc, "docs"))
                if f.endswith(".md")]:
            with open(os.path.join(doc, name)) as f:
                targets = re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", f.read())
            for target in targets:
                resolved = os.path.normpath(os.path.join(doc, os.path.dirname(name), target))
                if not os.path.relpath(resolved, doc).startswith(("src/", "bench/")):
                    with self.subTest(document=name, link=target):
                        self.assertTrue(os.path.exists(resolved))
        for name in ["funnelmcConfig.cmake", "funnelmcConfigVersion.cmake",
                     "funnelmcTargets.cmake"]:
            self.assertTrue(os.path.isfile(os.path.join(self.libdir, "cmake/funnelmc", name)))

    def test_pkg_config_describes_the_installed_library(self):
        self.assertEqual(run(["pkg-config", "--modversion", "funnelmc"], env=self.env).stdout.strip(),
                         VERSION)
        flags = run(["pkg-config", "--cflags", "--libs", "funnelmc"], env=self.env).stdout.split()
        self.assertIn("-I" + self.path("include"), flags)
        self.assertIn("-L" + self.libdir, flags)

    def test_embed_links_the_shared_library_through_pkg_config(self):
        program = os.path.join(self.scratch.name, "embed-shared")
        flags = run(["pkg-config", "--cflags", "--libs", "funnelmc"], env=self.env).stdout.split()
        run([CC, self.embed, *flags, "-o", program])
        self.assertIn(f"libfunnelmc.so.{SONAME_VERSION}", needed(program))
        self.assertEqual(embed_mean(program, self.env), (self.program_mean, self.program_se))

    def test_embed_links_the_static_library_with_its_private_libraries(self):
        program = os.path.join(self.scratch.name, "embed-static")
        flags = run(["pkg-config", "--static", "--cflags", "--libs", "funnelmc"],
                    env=self.env).stdout.split()
        run([CC, self.embed, os.path.join(self.libdir, "libfunnelmc.a"), *flags, "-o", program])
        self.assertFalse([n for n in needed(program) if n.startswith("libfunnelmc")])
        self.assertEqual(embed_mean(program, self.env), (self.program_mean, self.program_se))

    def test_find_package_gives_both_imported_targets(self):
        project = os.path.join(self.scratch.name, "consumer")
        os.mkdir(project)
        with open(os.path.join(project, "CMakeLists.txt"), "w") as f:
            f.write(f"cmake_minimum_required(VERSION 3.18)\n"
                    f"project(consumer LANGUAGES C)\n"
                    f"find_package(funnelmc {VERSION} CONFIG REQUIRED)\n"
                    f"add_executable(embed_shared {self.embed})\n"
                    f"target_link_libraries(embed_shared PRIVATE funnelmc::funnelmc)\n"
                    f"add_executable(embed_static {self.embed})\n"
                    f"target_link_libraries(embed_static PRIVATE funnelmc::funnelmc_static)\n")
        build = os.path.join(project, "build")
        run([CMAKE, "-S", project, "-B", build, "-DCMAKE_PREFIX_PATH=" + self.prefix,
             "-DCMAKE_C_COMPILER=" + CC])
        run([CMAKE, "--build", build])
        shared, static = (os.path.join(build, p) for p in ("embed_shared", "embed_static"))
        self.assertIn(f"libfunnelmc.so.{SONAME_VERSION}", needed(shared))
        self.assertFalse([n for n in needed(static) if n.startswith("libfunnelmc")])
        for program in (shared, static):
            self.assertEqual(embed_mean(program, self.env), (self.program_mean, self.program_se))

    def test_embed_prints_the_worked_example_profit(self):
        # domain.md's worked numbers: every input fixed, profit 2500
        self.assertEqual((self.program_mean, self.program_se), (2500.0, 0.0))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
