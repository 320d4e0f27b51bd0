"""The report's Allocation sheet (mcda/report/allocation.py): "funded" as the tool defines it (a Funded column
and the rows' colours: green funded, blue held at the floor), the reason for every amount in the words of
mcda.text.split, no raw column name or reason key anywhere, amounts with the budget's decimals; and, printed
by LibreOffice, every reason legible on its page."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from mcda import pipeline
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.report import book
from mcda.text.split import funding_status, reason_words, split_logic
from mcda.vocabulary import REASONS

ROOT = Path(__file__).resolve().parents[2]
UZ = load(ROOT / "cases" / "uzbekistan-regions")
MILP = ["budget.floor=0", "budget.min_grant=40", "budget.mandatory=navoi", "budget.total=600"]
GREEN, BLUE = "C6EFCE", "DDEBF7"


def _written(tmp_path_factory, settings, name):
    case = apply(UZ, settings) if settings else UZ
    d = pipeline.decide(case, sensitivity=False)
    path = tmp_path_factory.mktemp("alloc") / f"{name}.xlsx"
    book.build(d).save(path)
    return d, path, openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def uz(tmp_path_factory):
    return _written(tmp_path_factory, [], "uz")


@pytest.fixture(scope="module")
def milp(tmp_path_factory):
    return _written(tmp_path_factory, MILP, "milp")


def _cells(wb, name):
    """The cells of a one-column defined name (or of one cell)."""
    (sheet, ref), = wb.defined_names[name].destinations
    cells = wb[sheet][ref.replace("$", "")]
    return [row[0] for row in cells] if isinstance(cells, tuple) else [cells]


def _order(a):
    return sorted(range(len(a.ids)), key=lambda k: (a.ranks[k], a.ids[k]))


@pytest.mark.parametrize("which", ["uz", "milp"])
def test_funded_column_and_colours_follow_the_tools_definition(which, request):
    d, _, wb = request.getfixturevalue(which)
    a, ws = d.allocation, wb["Allocation"]
    order = _order(a)
    status = funding_status(a)
    amounts = _cells(wb, "Allocation")
    assert [c.value for c in amounts] == pytest.approx(a.amounts[order].tolist(), rel=1e-15)
    for cell, k in zip(_cells(wb, "Allocation_funded"), order):
        assert cell.value == status[k]
        assert (cell.value == "funded") == bool(a.funded[k])
        colours = {ws.cell(row=cell.row, column=c).fill.fgColor.rgb[-6:] for c in range(1, cell.column + 2)}
        want = GREEN if a.funded[k] else BLUE if status[k].startswith("held") else "000000"
        assert colours == {want}, (a.ids[k], colours)
    if which == "uz":  # the two regions held at the floor of 10, not green
        held = {a.ids[k] for k in order if status[k] == "held at the floor"}
        assert held == {"surkhandarya", "namangan"}
        assert all(abs(a.amounts[a.ids.index(i)] - 10.0) < 1e-9 for i in held)
    else:  # navoi must get 40 but is at its cap: funded; regions with nothing stay white
        assert status[a.ids.index("navoi")] == "funded" and "not funded" in status


@pytest.mark.parametrize("which", ["uz", "milp"])
def test_every_amount_has_its_reason_in_words_and_no_raw_names(which, request):
    d, _, wb = request.getfixturevalue(which)
    a, ws = d.allocation, wb["Allocation"]
    why = reason_words(a, d.case)
    assert [c.value for c in _cells(wb, "Allocation_why")] == [why[k] for k in _order(a)]
    assert _cells(wb, "Split_logic")[0].value == split_logic(a, d.case)
    texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    raw = [c for c in d.case.data.columns if "_" in c]
    assert raw and not [t for t in texts for c in raw if c in t]  # no data column by its raw name
    funded = {c.coordinate for c in _cells(wb, "Allocation_funded")}  # "not funded" there is a status, not a key
    keys = (set(REASONS) | set(a.reasons))
    assert not [c.value for row in ws.iter_rows() for c in row if c.coordinate not in funded
                and isinstance(c.value, str) and (c.value in keys or re.fullmatch(r"\d+/\d+ segments", c.value))]
    assert not [t for t in texts if t.startswith("at group share")]


def test_amounts_show_the_budgets_decimals(uz, milp):
    for (d, _, wb), fmt in ((uz, "#,##0.0"), (milp, "#,##0.00")):
        assert {c.number_format for c in _cells(wb, "Allocation")} == {fmt}
    assert _cells(uz[2], "Split_logic")[0].value.startswith("Samarkand region gets the most (156.3 of 1,000)")


def _words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words (x, y, text), from poppler's pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([(float(x), float(y), html.unescape(w)) for x, y, w in
                      re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" [^>]*>([^<]*)</word>', page)])
    return pages


@pytest.mark.slow
def test_printed_every_reason_is_on_the_page(uz, tmp_path):
    """LibreOffice prints the Allocation sheet: the words and chart, the whole table on one page, every reason
    in full (a row too short would cut it), no raw column name."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    d, _, wb = uz
    only = tmp_path / "allocation.xlsx"
    for name in wb.sheetnames:  # print the Allocation sheet alone
        if name != "Allocation":
            del wb[name]
    wb.save(only)
    profile = tmp_path / "profile"
    done = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(only)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    pages = _words(tmp_path / "allocation.pdf")
    assert len(pages) == 3  # words and chart; the table; the binding rules and simpler splits
    every = " ".join(w for page in pages for _, _, w in page)
    assert "held at the floor" in every and "population_2022" not in every
    a = d.allocation
    table = next(page for page in pages if any(w == "Why" for _, _, w in page))
    left = min(x for x, _, w in table if w == "Why")  # the reasons' column
    column = " ".join(w for x, y, w in sorted(table, key=lambda t: (round(t[1]), t[0])) if x >= left - 1)
    for k in _order(a):  # in the table's order, each in full
        words = " ".join(reason_words(a, d.case)[k].split())
        assert words in column, words
        column = column[column.index(words) + len(words):]
    names = " ".join(w for _, _, w in table)
    assert all(a.names[k] in names for k in range(len(a.ids)))  # the table is not split between pages
