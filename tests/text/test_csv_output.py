"""CSV output is safe to open in a spreadsheet: text that would run as a formula starts with a quote.

A region named ``=1+1`` or ``@SUM(1)`` written as-is to `--format csv` becomes a live formula when
Excel or LibreOffice opens the file. Every CSV output goes through mcda.text.tables.csv_text, which
prefixes such text with a single quote (OWASP's advice) and leaves numbers, negative ones too, alone;
JSON keeps every name exact.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from mcda.text.tables import csv_cell, csv_text
from tests.clirun import run

# the names tests/report/test_report.py's INJECTIONS gives regions (the workbook writes them as text); the
# reader strips spaces and tabs around names, so none starts with a tab
INJECTIONS = {"andijan": '=HYPERLINK("http://x","y")', "bukhara": "+1", "jizzakh": "-3", "navoi": "@SUM(1)",
              "namangan": "=1+1"}
NAME_COLUMN = "region_name_en"


@pytest.fixture
def injected(case_copy):
    c = case_copy("uzbekistan-regions")
    for region, name in INJECTIONS.items():
        c.set_cell(region, NAME_COLUMN, name)
    return c


def csv_rows(*args) -> list[dict[str, str]]:
    result = run(*args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def json_of(*args) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_rank_csv_holds_formula_names_as_quoted_text(injected):
    rows = csv_rows("rank", injected.folder)
    names = {r["id"]: r["name"] for r in rows}
    assert names["namangan"] == "'=1+1"
    assert names["navoi"] == "'@SUM(1)"
    assert names["bukhara"] == "'+1"
    assert names["jizzakh"] == "'-3"  # a name, though it looks like a number: text stays text
    assert names["andijan"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert names["tashkent_city"] == "Tashkent city"  # other names untouched
    exact = json_of("rank", injected.folder)["ranking"]
    assert {r["id"]: r["name"] for r in exact} == {**names, **INJECTIONS}  # JSON exact
    assert [(r["id"], float(r["score"]), int(r["rank"])) for r in rows] == [
        (r["id"], r["score"], r["rank"]) for r in exact]  # scores stay numbers, to the last bit


def test_negative_scores_are_left_as_numbers(injected):
    """PROMETHEE II's net flows are negative for the lower half: -0.2..., never '-0.2..."""
    rows = csv_rows("rank", injected.folder, "--method", "promethee2")
    exact = {r["id"]: r["score"] for r in json_of("rank", injected.folder, "--method", "promethee2")["ranking"]}
    negative = [r for r in rows if r["score"].startswith("-")]
    assert len(negative) >= 3
    for r in rows:
        assert float(r["score"]) == exact[r["id"]]
        assert r["score"] == repr(exact[r["id"]])


@pytest.mark.parametrize("verb", [
    ("compare",),
    ("compare-methods",),
    ("allocate",),
    ("sensitivity", "--steps", "4"),
    ("smaa", "--samples", "200", "--quiet"),
])
def test_every_verb_with_names_quotes_them(injected, verb):
    result = run(verb[0], injected.folder, *verb[1:], "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    names = {r["name"] for r in rows}
    for name in INJECTIONS.values():
        assert name not in names, (verb, name)
        assert "'" + name in names, (verb, name)
    cells = [cell for r in rows for cell in r.values()]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    for cell in cells:  # a cell starting with '-' is a number (a score, a change), never text
        if cell.startswith("-"):
            float(cell)


def test_a_name_written_like_a_score_stays_as_it_is(case_copy):
    """The scores reach csv_text as text (repr of a float), so a name such as -2.5 cannot be told from one; it
    is a number to a spreadsheet, not a formula, and nothing runs."""
    c = case_copy("uzbekistan-regions")
    c.set_cell("khorezm", NAME_COLUMN, "-2.5")
    assert {r["id"]: r["name"] for r in csv_rows("rank", c.folder)}["khorezm"] == "-2.5"


def test_csv_cell_numbers_and_text():
    assert csv_cell(-0.5) == -0.5 and csv_cell(-3) == -3
    for number in ("-0.5", "-1e-05", "-2.5e+16", "0.25", "3.0"):
        assert csv_cell(number) == number
    for text in ("=1+1", "+1", "-3", "@x", "\tx", "\rx", "-inf", "-", "=", "-1,5"):
        assert csv_cell(text) == "'" + text
    for text in ("Navoi", "", "1 = 1", "'=1", " =1"):
        assert csv_cell(text) == text


def test_csv_text_protects_headers_too():
    """sweep's CSV has region ids as column names."""
    out = csv_text(["budget", "=evil"], [[repr(-1.5), "@SUM(1)"]])
    assert out == "budget,'=evil\n-1.5,'@SUM(1)\n"
