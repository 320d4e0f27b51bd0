"""The README stays true: its commands, every CLI verb and option, every method and RI table."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import click

from mcda.cli import cli
from mcda.inputs.load import load
from mcda.vocabulary import METHODS
from mcda.weighting.random_index import RI_VALUES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_after(marker: str) -> str:
    block = README.split(f"<!-- {marker} -->", 1)[1]
    return re.search(r"```sh\n(.+?)\n", block).group(1).strip()


def test_the_two_setup_commands_are_near_the_top():
    main, tests = _command_after("main-command"), _command_after("test-command")
    assert main.startswith("python3 -m venv .venv") and "pip install ." in main
    assert main.endswith("mcda run cases/uzbekistan-regions -o report.xlsx")
    assert "pip install '.[test]'" in tests and tests.endswith("python -m pytest")
    assert README.index("<!-- test-command -->") < 1500


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    program = re.search(r"awk '(.+?)' README.md", ci).group(1)
    out = subprocess.run(["awk", program, "README.md"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == _command_after("test-command")
    assert 'bash -euo pipefail -c "$cmd"' in ci


def test_every_cli_verb_and_option_is_documented():
    for name, command in cli.commands.items():
        assert f"### `mcda {name}" in README, f"verb {name} has no README section"
        assert re.search(rf"^mcda {name} ", README, re.M), f"verb {name} has no example"
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts:
                    if opt.startswith("--") and opt != "--help":
                        assert opt in README, f"option {opt} of mcda {name} is not in the README"


def test_every_method_and_ri_table_is_documented():
    for name in METHODS:
        assert f"`{name}`" in README
    for table in RI_VALUES:
        assert f"`{table}`" in README
    assert "(default)" in README.split("`saaty1980`", 1)[1][:20]


def test_example_output_in_readme_matches_the_tool():
    from mcda.pipeline import rank
    from mcda.text.ranking import ranking_text
    case = load(ROOT / "cases" / "uzbekistan-regions")
    text = ranking_text(case, rank(case))
    example = README.split("$ mcda rank cases/uzbekistan-regions\n", 1)[1].split("```", 1)[0]
    for line in example.splitlines():
        if line.strip() and line.strip() != "...":
            assert line in text, f"README example line not in the output: {line!r}"
