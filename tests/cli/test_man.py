#!/usr/bin/env python3
"""The man pages agree with the program and the docs, as a user reads them.

Each page is rendered by man(1) from the roff that scdoc made in the build tree
(what `man funnelmc-run` shows once installed), with every groff warning on:

- every option, long and short, that `funnelmc COMMAND --help` prints (in its
  usage line or its list of options) heads an entry of the OPTIONS section of
  funnelmc-COMMAND(1);
- every command `funnelmc --help` lists has its page and an entry under
  COMMANDS in funnelmc(1), and each top-level option heads an entry there;
- every top-level key of docs/scenario-format.md heads an entry of the
  TOP-LEVEL KEYS section of funnelmc-scenario(5), and every key of the doc's
  key tables, and every distribution, is named in that page;
- every page renders without a warning.

Run by ctest as: python3 test_man.py FUNNELMC_BINARY SOURCE_DIR MAN_DIR
"""
import functools
import glob
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_cli import SOURCE, run  # noqa: E402  (the program, under valgrind too)

MAN_DIR = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else "build/docs/man"
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
# a table of docs/scenario-format.md whose first column is a key: its rows
KEY_TABLE = re.compile(r"^\| (?:range )?key \|.*\n\|[-|]+\|\n((?:\|.*\n)+)", re.M)
PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_.|]*$")  # FILE, N|NAME, OUT.h5 ...


@functools.lru_cache(maxsize=None)
def render(path):
    """PATH as man shows it on an 80-column terminal, its status and groff's
    warnings (all of them: --warnings=w); each page is rendered once."""
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    env.pop("MAN_KEEP_FORMATTING", None)
    r = subprocess.run(["man", "--warnings=w", "-l", path], capture_output=True, text=True,
                       env=env, timeout=60)
    # groff breaks a word at a line's end with U+2010 (a real hyphen stays '-')
    return r.returncode, re.sub("\u2010\n *", "", r.stdout), r.stderr


def sections(text):
    """The rendered page's sections, by heading (a line flush left in capitals)."""
    found, name = {}, None
    for line in text.splitlines():
        if re.fullmatch(r"[A-Z][A-Z -]*", line):
            name = line
            found[name] = []
        elif name:
            found[name].append(line)
    return found


def entries(lines):
    """The lines that head an entry: at the section's own indentation (the
    text of an entry is indented further)."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    indent = min(len(line) - len(line.lstrip()) for line in filled)
    return [line.strip() for line in filled if len(line) - len(line.lstrip()) == indent]


def documented_options(text):
    """The options that head an entry of the OPTIONS section of a rendered page."""
    heads = [line for line in entries(sections(text).get("OPTIONS", [])) if line.startswith("-")]
    return {option for line in heads for option in OPTION.findall(line)}


def help_options(help_text):
    """Every option a --help text names: in its usage lines (up to the first
    blank line), and at the head of each line of its list of options (the
    options and their placeholders, up to the first word of the meaning)."""
    usage = help_text.split("\n\n", 1)[0]
    options = set(OPTION.findall(usage.replace("usage: funnelmc", "")))
    for line in help_text.splitlines():
        if not line.startswith(" ") or not line.lstrip().startswith("-"):
            continue
        for word in line.split():
            word = word.rstrip(",")
            head = OPTION.match(word)
            if head:
                options.add(head.group())
            elif not PLACEHOLDER.match(word):
                break
    return options


def page_path(name):
    return os.path.join(MAN_DIR, name)


def help_commands():
    """The commands `funnelmc --help` lists, one a line under 'commands:'."""
    r = run("--help")
    assert r.returncode == 0, r.stderr
    block = r.stdout.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines()]


class ManPages(unittest.TestCase):
    def rendered(self, name):
        status, text, warnings = render(page_path(name))
        self.assertEqual(status, 0, name)
        self.assertEqual(warnings, "", name)
        return text

    def test_every_command_has_a_page_and_an_entry_in_funnelmc_1(self):
        commands = help_commands()
        self.assertIn("run", commands)
        overview = self.rendered("funnelmc.1")
        listed = {line.split()[0] for line in entries(sections(overview)["COMMANDS"])}
        for command in commands:
            self.assertTrue(os.path.isfile(page_path("funnelmc-%s.1" % command)), command)
            self.assertIn(command, listed)
            name = sections(self.rendered("funnelmc-%s.1" % command))["NAME"]
            self.assertTrue(name[0].strip().startswith("funnelmc-%s - " % command), name)
        top = help_options(run("--help").stdout)
        self.assertLessEqual({"--version", "--help"}, top)
        self.assertLessEqual(top, documented_options(overview))

    def test_every_option_of_every_help_is_in_its_page(self):
        for command in help_commands():
            r = run(command, "--help")
            self.assertEqual(r.returncode, 0, command)
            wanted = help_options(r.stdout)
            self.assertIn("--help", wanted, command)
            self.assertIn("-h", wanted, command)
            missing = wanted - documented_options(self.rendered("funnelmc-%s.1" % command))
            self.assertEqual(missing, set(), "funnelmc-%s(1) lacks %s" % (command, missing))

    def test_a_missing_entry_is_noticed(self):
        # the check above would pass on a page it cannot parse: prove it sees
        # an entry go, and only that one
        text = self.rendered("funnelmc-run.1")
        self.assertIn("--seed", documented_options(text))
        cut = re.sub(r"\n {7}--seed S\n( {11}.*\n)+", "\n", text)
        self.assertEqual(documented_options(text) - documented_options(cut), {"--seed"})

    def test_every_key_of_the_scenario_format_is_in_funnelmc_scenario_5(self):
        with open(os.path.join(SOURCE, "docs", "scenario-format.md")) as f:
            doc = f.read()
        # the table of the section "Top-level keys": a row per key
        table = doc.split("\n## Top-level keys\n", 1)[1].split("\n## ", 1)[0]
        top = re.findall(r"^\| `(\w+)` \|", table, re.M)
        self.assertLessEqual({"name", "inputs", "levers", "sweeps"}, set(top))
        page = self.rendered("funnelmc-scenario.5")
        heads = entries(sections(page)["TOP-LEVEL KEYS"])
        documented = {key for line in heads for key in re.findall(r"\w+", line)}
        self.assertEqual(set(top) - documented, set())
        # the keys of every table whose first column is a key, and the
        # distributions, each named somewhere in the page
        nested = set()
        for body in KEY_TABLE.findall(doc):
            for row in body.splitlines():
                for key in re.findall(r"`([^`]+)`", row.split("|")[1]):
                    nested.update(re.findall(r"\w+", key))
        section = doc.split("\n## Distributions\n", 1)[1].split("\n## ", 1)[0]
        dists = re.findall(r"^\| `(\w+)` \|", section, re.M)
        self.assertIn("lognormal", dists)
        self.assertLessEqual({"method", "periods", "spacing", "plan"}, nested)
        words = set(re.findall(r"\w+", page))
        self.assertEqual((nested | set(dists)) - words, set())

    def test_every_page_renders_without_a_warning(self):
        pages = sorted(glob.glob(os.path.join(MAN_DIR, "funnelmc*.[15]")))
        self.assertGreaterEqual(len(pages), len(help_commands()) + 2)
        for path in pages:
            status, text, warnings = render(path)
            self.assertEqual((status, warnings), (0, ""), path)
            self.assertIn("NAME", sections(text), path)
        # and a page with a fault does warn
        with tempfile.NamedTemporaryFile("w", suffix=".1") as bad:
            bad.write('.TH "x" "1"\n.SH NAME\nx \\- y\n.UNKNOWN\n')
            bad.flush()
            self.assertIn("UNKNOWN", render(bad.name)[2])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
