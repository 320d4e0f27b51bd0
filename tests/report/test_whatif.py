"""mcda/report/whatif*.py, read back with openpyxl: the What-if sheet's yellow cells take only numbers of 0 or
more (a data validation on exactly them), the sheet is protected without a password with only those cells
unlocked, the live chart draws the first rows of the live ranking (20 at most, said in its title), beside it
and clear of the working below, and the print set-up keeps the text at 7.2 pt or more.

What LibreOffice computes from these formulas is tested in test_whatif_office.py.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest
from openpyxl.utils import range_boundaries
from workbook_checks import is_locked, overlapping_validations, page_problems, protection_problems

from mcda.inputs.load import load
from mcda.pipeline import decide
from mcda.report import book
from mcda.report.whatif_print import MIN_SCALE, pages_breaks, width_scale

ROOT = Path(__file__).resolve().parents[2]
CASES = {"uz": ROOT / "cases" / "uzbekistan-regions", "ru": ROOT / "cases" / "russia-regions-research"}


@pytest.fixture(scope="module")
def books():
    """Each shipped case's report, built in memory: (case, workbook)."""
    out = {}
    for stem, path in CASES.items():
        case = load(path)
        out[stem] = (case, book.build(decide(case, sensitivity=False)))
    return out


def area(wb, name: str) -> tuple[int, int, int, int]:
    """A defined name's cells as (min_col, min_row, max_col, max_row)."""
    (sheet, ref), = wb.defined_names[name].destinations
    assert sheet == "What-if"
    return range_boundaries(ref.replace("$", ""))


def find_row(ws, prefix: str) -> int:
    """The row of the first cell whose text starts with ``prefix``."""
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith(prefix):
                return c.row
    raise AssertionError(f"no cell starting {prefix!r} on {ws.title}")


@pytest.mark.parametrize("stem", CASES)
def test_the_weight_cells_take_only_numbers_of_zero_or_more(books, stem):
    _, wb = books[stem]
    ws = wb["What-if"]
    col, first, _, last = area(wb, "WhatIf_weights")
    (dv,) = ws.data_validations.dataValidation  # one validation, on exactly the yellow cells
    assert [r.bounds for r in dv.sqref.ranges] == [(col, first, col, last)]
    assert (dv.type, dv.operator, dv.formula1, dv.allow_blank) == ("decimal", "greaterThanOrEqual", "0", False)
    assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.showInputMessage
    assert "number of 0 or more" in dv.error and "number of 0 or more" in dv.prompt
    assert len(dv.error) <= 255 and len(dv.prompt) <= 255 and len(dv.errorTitle) <= 32  # Excel's limits
    assert not [p for p in overlapping_validations(wb) if p.startswith("What-if:")]


@pytest.mark.parametrize("stem", CASES)
def test_only_the_weight_cells_can_be_changed(books, stem):
    _, wb = books[stem]
    ws = wb["What-if"]
    col, first, _, last = area(wb, "WhatIf_weights")
    assert ws.protection.sheet and not ws.protection.password and not ws.protection.hashValue
    assert protection_problems(wb, sheets=["What-if"]) == []  # yellow cells unlocked, every other cell locked
    assert [r for r in range(first, last + 1) if is_locked(ws, r, col)] == []
    formulas = [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert len(formulas) > 100 and all(is_locked(ws, c.row, c.column) for c in formulas)
    assert not ws.protection.formatColumns  # a reader may still widen a column


@pytest.mark.parametrize("stem, shown, title", [("uz", 14, "Live closeness P, best first"),
                                                ("ru", 20, "Live closeness P, best first: the top 20 of 85 regions")])
def test_the_live_chart_draws_the_first_rows_of_the_live_ranking(books, stem, shown, title):
    _, wb = books[stem]
    ws = wb["What-if"]
    (chart,) = ws._charts
    (series,) = chart.series
    _, first, _, last = area(wb, "WhatIf_order_score")
    assert last - first + 1 == len(books[stem][0].data.ids)  # the table lists every region
    assert series.val.numRef.f == f"'What-if'!$C${first}:$C${first + shown - 1}"
    _, names_first, _, _ = area(wb, "WhatIf_order_region")
    assert names_first == first
    assert series.cat.numRef.f == f"'What-if'!$B${first}:$B${first + shown - 1}"
    assert "".join(r.t for p in chart.title.tx.rich.p for r in p.r) == title


@pytest.mark.parametrize("stem", CASES)
def test_the_chart_sits_beside_the_live_ranking_clear_of_the_working(books, stem):
    _, wb = books[stem]
    ws = wb["What-if"]
    (chart,) = ws._charts
    section = find_row(ws, "The ranking at these weights")
    assert chart.anchor == f"G{section}"  # as written (a workbook read back holds a OneCellAnchor)
    covered = math.ceil(chart.height / 2.54 * 72 / 14.5)  # LibreOffice prints such rows 14.75 pt tall
    assert section + covered < find_row(ws, "How the ranking is computed")
    _, first, last_col, _ = area(wb, "WhatIf_order_score")
    assert last_col == 3 and all(ws.cell(r, c).value is None for r in range(first, section + covered)
                                 for c in range(7, ws.max_column + 1))  # nothing under the chart


@pytest.mark.parametrize("stem", CASES)
def test_the_sheet_prints_a4_landscape_at_a_legible_scale(books, stem):
    _, wb = books[stem]
    ws = wb["What-if"]
    assert not [p for p in page_problems(wb) if p.startswith("What-if:")]
    assert ws.page_setup.orientation == "landscape"
    fitted = ws.sheet_properties.pageSetUpPr.fitToPage
    scale = width_scale(ws, ws.max_column) if fitted else ws.page_setup.scale / 100
    assert scale >= MIN_SCALE
    assert ws.row_breaks.brk or stem == "ru"  # Uzbekistan: the working starts a page; Russia's tables run on
    assert {b.id + 1 for b in ws.row_breaks.brk} <= {find_row(ws, t) for t in (
        "The ranking at these weights", "How the ranking is computed", "Indicators", "Normalised matrix",
        "Weighted normalised matrix")}


def test_a_block_that_does_not_fit_the_rest_of_the_page_starts_the_next():
    twenty = [(1, 20, 20), (22, 41, 41), (43, 62, 62)]  # 20 rows of 15 pt each, a page holds 30 rows
    assert pages_breaks({}, twenty, page=450.0) == [21, 42]
    assert pages_breaks({}, twenty, page=1000.0) == []
    assert pages_breaks({5: 300.0}, [(1, 10, 10), (12, 14, 14)], page=450.0) == [11]  # a tall row counts
    # a block longer than a page keeps only its first rows with the page it starts on
    assert pages_breaks({}, [(1, 20, 20), (22, 100, 27)], page=450.0) == []
    assert pages_breaks({}, [(1, 26, 26), (28, 100, 33)], page=450.0) == [27]


def test_the_intro_and_check_say_what_to_type(books):
    _, wb = books["uz"]
    ws = wb["What-if"]
    (_, ref), = wb.defined_names["WhatIf_check"].destinations
    formula = ws[ref.replace("$", "")].value
    assert "every yellow cell needs a number of 0 or more" in formula
    assert "one is negative" in formula and "all are 0" in formula
    assert "protected, without a password" in ws["A2"].value


def test_a_sheet_a_little_too_wide_narrows_its_number_columns_instead_of_splitting_the_page():
    """The committee case scores 10 indicators: at the measured widths the What-if sheet would print at 69%,
    so it used to fall back to pages side by side (its heading, chart and tables cut across them). Narrowing
    the columns right of the regions' (none below NARROWEST) fits the page width at MIN_SCALE or more, and
    the wrapped headings' rows grow to hold their extra lines."""
    from mcda.report.pages import wrapped_lines
    from mcda.report.whatif_print import NARROWEST
    d = decide(load(ROOT / "cases" / "uzbekistan-committee"), sensitivity=False)
    ws = book.build(d)["What-if"]
    last = 2 + len(d.ranking.indicators)
    assert len(d.ranking.indicators) == 10
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert not ws.print_title_cols
    assert width_scale(ws, last) >= MIN_SCALE
    widths = [ws.column_dimensions[chr(ord("A") + c - 1)].width for c in range(3, last + 1)]
    assert min(widths) >= NARROWEST
    for c in range(3, last + 1):
        for cell in ws[chr(ord("A") + c - 1)]:
            if isinstance(cell.value, str) and cell.alignment.wrap_text and not cell.value.startswith("="):
                lines = wrapped_lines(cell.value, 1.25 * ws.column_dimensions[cell.column_letter].width, most=None)
                assert (ws.row_dimensions[cell.row].height or 15) >= 13 * lines, (cell.coordinate, cell.value)
