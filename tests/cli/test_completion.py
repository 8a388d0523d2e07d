#!/usr/bin/env python3
"""The bash completion of completion/funnelmc.bash, as bash runs it on Tab.

A non-interactive bash loads bash-completion and the script, is given the
words of a command line (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT) and
calls the completion function, in a scratch directory of scenarios, results
files and others; what it offers (COMPREPLY) must be the commands of
`funnelmc --help`, the options of `funnelmc COMMAND --help`, scenario files
where a scenario goes, results files where one goes, directories for
--charts, and the values of --format and --sampling.

Run by ctest as: python3 test_completion.py FUNNELMC_BINARY SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_cli import FUNNELMC, SOURCE, TempDir, run  # noqa: E402

BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"
SCRIPT = os.path.join(SOURCE, "completion", "funnelmc.bash")
# COMP_WORDS come as the arguments; the function gets the command, the word
# being completed and the one before, as bash gives them
CALL = r"""
source "$BASH_COMPLETION" && source "$SCRIPT" || exit 3
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_funnelmc "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
"""


def offers(line, cwd):
    """What Tab offers at the end of LINE (the last word may be empty), run in
    CWD with the program under test first on PATH as 'funnelmc': the words in
    the order offered, each as often as it is offered."""
    words = line.split(" ")
    if words[-1].endswith("="):  # bash's COMP_WORDBREAKS split --opt=value
        words[-1:] = [words[-1][:-1], "=", ""]
    env = dict(os.environ, BASH_COMPLETION=BASH_COMPLETION, SCRIPT=SCRIPT, COMP_LINE=line,
               PATH=os.path.dirname(FUNNELMC) + os.pathsep + os.environ.get("PATH", ""))
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", CALL, "bash", *words], cwd=cwd,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, (line, r.returncode, r.stderr)
    return r.stdout.split()


def complete(line, cwd):
    """The words Tab offers at the end of LINE, as a set."""
    return set(offers(line, cwd))


def long_options(command):
    """The long options `funnelmc COMMAND --help` lists at the head of a line."""
    r = run(command, "--help")
    assert r.returncode == 0, r.stderr
    return set(re.findall(r"^ +(?:-\w, )?(--[a-z][a-z-]*)", r.stdout, re.M))


class Completion(TempDir):
    def setUp(self):
        super().setUp()
        for name in ("shop.yaml", "other.yml", "out.h5", "notes.txt", "page.html"):
            open(self.path(name), "w").close()
        os.mkdir(self.path("charts"))

    def offered(self, line):
        return complete(line, self.dir)

    def test_commands_are_those_of_help(self):
        self.assertEqual(os.path.basename(FUNNELMC), "funnelmc")
        r = run("--help")
        listed = re.findall(r"^  ([a-z]+) ", r.stdout.split("commands:\n", 1)[1], re.M)
        self.assertLessEqual({"run", "check", "sweep", "batch", "bench", "show", "report"},
                             set(listed))
        self.assertEqual(self.offered("funnelmc "), set(listed))
        self.assertEqual(self.offered("funnelmc r"), {c for c in listed if c.startswith("r")})
        self.assertEqual(self.offered("funnelmc --"), {"--version", "--help"})

    def test_options_are_those_of_each_commands_help(self):
        for command in ("run", "check", "sweep", "batch", "bench", "fit", "show", "report"):
            options = long_options(command)
            self.assertIn("--help", options, command)
            self.assertEqual(self.offered("funnelmc %s --" % command), options, command)
        self.assertEqual(self.offered("funnelmc run shop.yaml --sa"),
                         {"--samples", "--sampling", "--save-samples"})

    def test_each_option_is_offered_once(self):
        # bash-completion reads every help line that starts with '-' after
        # blanks as an option entry: a description wrapped onto an option's
        # name ("  ... --json, threads and seconds null") offers it twice
        entry = re.compile(r"^(  -\w, --[a-z]|      --[a-z])")
        for command in ("run", "check", "sweep", "batch", "bench", "fit", "show", "report"):
            lines = run(command, "--help").stdout.splitlines()
            self.assertEqual([line for line in lines
                              if re.match(r"[ \t]*-", line) and not entry.match(line)], [],
                             command)
            words = offers("funnelmc %s --" % command, self.dir)
            self.assertEqual(len(words), len(set(words)), (command, sorted(words)))

    def test_scenarios_where_a_scenario_goes(self):
        for command in ("run", "check --strict", "sweep", "batch -o all.h5"):
            offered = self.offered("funnelmc %s " % command)
            self.assertLessEqual({"shop.yaml", "other.yml"}, offered, command)
            self.assertFalse(offered & {"out.h5", "notes.txt", "page.html"}, command)
        self.assertEqual(self.offered("funnelmc run sh"), {"shop.yaml"})

    def test_results_files_where_one_goes(self):
        for line in ("funnelmc show ", "funnelmc report ", "funnelmc run shop.yaml -o ",
                     "funnelmc sweep shop.yaml --output "):
            offered = self.offered(line)
            self.assertIn("out.h5", offered, line)
            self.assertFalse(offered & {"shop.yaml", "other.yml", "notes.txt"}, line)

    def test_pages_directories_and_values(self):
        self.assertEqual(self.offered("funnelmc report out.h5 -o p"), {"page.html"})
        self.assertEqual(self.offered("funnelmc run shop.yaml --report="), {"page.html", "charts"})
        self.assertEqual(self.offered("funnelmc report out.h5 --charts "), {"charts"})
        self.assertEqual(self.offered("funnelmc report out.h5 --format "), {"svg", "png", "pdf"})
        self.assertEqual(self.offered("funnelmc run --sampling "), {"mc", "lhs", "qmc"})
        self.assertEqual(self.offered("funnelmc run -n "), set())


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=1)
