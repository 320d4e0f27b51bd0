"""The hostile-input corpus (issue 11): one small damaged input per family, built from a shipped case, and one
parametrised test holding each to the same rules. A bad input exits with a clear message naming its place
(status 1, or 2 for a bad command-line value); it never ends in a traceback or an internal error (status 3),
never leaves a file behind and never changes an input. An input that is merely unusual (a BOM, CRLF line
ends, a quoted comma, a long field) ranks exactly as the untouched case.

Each entry says how to damage a fresh copy of the case (``edit``), the command, the exit status expected and
words the message must hold (its place first).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from tests.clirun import run
from tests.conftest import CaseCopy

UZ = "uzbekistan-regions"
RU = "russia-regions-research"
NAVOI = "navoi,Navoi region,1712,"


@dataclass(frozen=True)
class Hostile:
    name: str
    edit: Callable[[CaseCopy], None]
    args: tuple[str, ...] = ()  # after the verb and the case folder
    status: int = 1
    says: tuple[str, ...] = ()  # the message holds each of these
    verb: str = "rank"
    case: str = UZ
    same_ranking: bool = False  # accepted: the ranking equals the untouched case's
    target: str = ""  # the file the command reads, in the case folder (default: the folder itself)


def _text(c: CaseCopy, old: str, new: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    text = c.csv.read_text(encoding="utf-8-sig")
    assert old in text
    c.csv.write_bytes(text.replace(old, new, 1).replace("\n", newline).encode(encoding))


def _prefix(c: CaseCopy, data: bytes) -> None:
    c.csv.write_bytes(data + c.csv.read_bytes())


def _nothing(c: CaseCopy) -> None:
    pass


def _stale_book(c: CaseCopy) -> None:
    """The case's input workbook whose Data sheet states a size of 50 rows (it holds more)."""
    from tests.inputs.workbook.test_dimensions import _with_dimension
    assert run("template", c.folder, "-o", c.folder / "full.xlsx").exit_code == 0
    _with_dimension(c.folder / "full.xlsx", c.folder / "inputs.xlsx", "Data", "A1:L50")
    (c.folder / "full.xlsx").unlink()


CORPUS = [
    # CSV: rows of the wrong length, text encodings, long fields
    Hostile("csv: an unquoted comma in a name", lambda c: _text(c, NAVOI, "navoi,Navoi, region of,1712,"),
            says=("regions.csv", "line 7")),
    Hostile("csv: a value deleted with its comma", lambda c: _text(c, "navoi,Navoi region,1712,1033869,30.3,",
                                                                  "navoi,Navoi region,1712,1033869,"),
            says=("regions.csv", "line 7")),
    Hostile("csv: a quoted comma in a name", lambda c: _text(c, NAVOI, 'navoi,"Navoi, region of",1712,'),
            status=0, same_ranking=True),
    Hostile("csv: a byte-order mark", lambda c: _prefix(c, b"\xef\xbb\xbf"), status=0, same_ranking=True),
    Hostile("csv: CRLF line ends", lambda c: _text(c, NAVOI, NAVOI, newline="\r\n"), status=0, same_ranking=True),
    Hostile("csv: cp1251 bytes", lambda c: _text(c, NAVOI, "navoi,Навои,1712,", encoding="cp1251"),
            says=("regions.csv", "UTF-8")),
    Hostile("csv: latin-1 bytes", lambda c: _text(c, NAVOI, "navoi,Navoï région,1712,", encoding="latin-1"),
            says=("regions.csv", "UTF-8")),
    Hostile("csv: a 200 KB name", lambda c: _text(c, NAVOI, "navoi," + "N" * 200_000 + ",1712,"), status=0,
            same_ranking=True),
    # numbers: not finite, out of range, negative counts
    *[Hostile(f"--set data: {bad}", _nothing, ("--set", f"data.navoi.unemployment_rate_2021q1_pct={bad}"),
              says=("--set data.navoi.unemployment_rate_2021q1_pct",)) for bad in ("inf", "nan", "-inf", "1e400")],
    Hostile("--set data: a negative count", _nothing,
            ("--set", "data.karakalpakstan.higher_education_students_2022_23_thousand=-57.5"),
            says=("higher_education_students_2022_23_thousand",)),
    Hostile("toml: an expert's weight inf", lambda c: c.replace(
        'name = "Illustrative committee view"', 'name = "Illustrative committee view"\nweight = inf'),
        says=("case.toml", "weight")),
    Hostile("toml: threshold 1e308", lambda c: c.replace("threshold = 0.10", "threshold = 1e308"),
            says=("case.toml", "threshold")),
    Hostile("toml: an indicator's factor nan", lambda c: c.replace('factor = 1000, year = "2022/23"',
                                                                    'factor = nan, year = "2022/23"'),
            says=("case.toml", "factor")),
    Hostile("toml: the catalogue is the case file", lambda c: c.replace(
        'catalogue = "../../criteria/cluster-infrastructure.toml"', 'catalogue = "case.toml"'),
        says=("case.toml", "catalogue")),
    Hostile("csv: a value of 1e-320", lambda c: c.set_cell("navoi", "population_2022_01_01_persons", "1e-320"),
            says=("regions.csv",)),
    # workbooks
    Hostile("workbook: a stale stored size on Data", _stale_book, case=RU, target="inputs.xlsx", status=0,
            same_ranking=True),
    # the command line
    Hostile("weights --threshold -1", _nothing, ("--threshold", "-1"), status=2, says=("threshold",),
            verb="weights"),
    Hostile("weights --threshold 0", _nothing, ("--threshold", "0"), status=2, says=("threshold",), verb="weights"),
    Hostile("run -o into a missing folder", _nothing, ("-o", "missing/report.xlsx"), says=("missing",), verb="run"),
]


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _ranking(result) -> list[tuple[str, float]]:
    return [(r["id"], r["score"]) for r in json.loads(result.stdout)["ranking"]]


@pytest.mark.parametrize("h", CORPUS, ids=[h.name for h in CORPUS])
def test_hostile_input(h, case_copy, monkeypatch):
    c = case_copy(h.case)
    base = _ranking(run("rank", c.folder, "--format", "json")) if h.same_ranking else None
    h.edit(c)
    root = c.folder.parent.parent
    monkeypatch.chdir(root)
    before = _hashes(root)
    args = [h.verb, c.folder / h.target if h.target else c.folder, *h.args] + (["--format", "json"] if h.same_ranking else [])
    result = run(*args)
    said = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code == h.status, said
    assert "Traceback" not in said and "internal error" not in said
    for words in h.says:
        assert words in said, said
    assert _hashes(root) == before  # nothing written, nothing changed
    if h.same_ranking:
        assert _ranking(result) == base
