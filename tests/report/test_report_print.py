"""Every sheet of the committee's report prints legibly (mcda/report/*.py through LibreOffice's PDF): both
shipped cases with SMAA and a synthetic case of 200 regions with a budget. No text below 7 pt (measured
against a printed 7 pt ruler), nothing drawn over other text, every text cell printed whole, A4 with a
footer in a named font, no overlapping data validations, every font named."""
from __future__ import annotations

import dataclasses

import numpy as np
import openpyxl
import pytest

from mcda import pipeline
from mcda.inputs.load import load
from mcda.model import Budget
from mcda.report import book
from tests.conftest import CASES
from tests.synthetic import synthetic_case
from tests.workbook_checks import (
    in_print_area,
    missing_texts,
    overlapping_validations,
    overprinted_words,
    page_problems,
    pages_by_sheet,
    pdf_pages,
    ruler,
    ruler_height,
    soffice,
    to_pdf,
    unnamed_fonts,
)

STEMS = ("uz", "ru", "big")


def _big():
    rng = np.random.default_rng(11)
    case = synthetic_case(rng.lognormal(size=(200, 6)), [1, 1, -1, 1, 1, -1], groups=[0, 0, 1, 1, 2, 2],
                          crit_weights=[0.5, 0.3, 0.2])
    return dataclasses.replace(case, budget=Budget(total=1000.0, unit="units", floor=1.0, cap=20.0))


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    cases = {"uz": load(CASES / "uzbekistan-regions"), "ru": load(CASES / "russia-regions-research"), "big": _big()}
    return folder, {stem: book.write(folder / f"{stem}.xlsx", pipeline.decide(case, smaa_samples=500),
                                     command="mcda run test") for stem, case in cases.items()}


@pytest.fixture(scope="module")
def printed(reports, tmp_path_factory):
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    folder, paths = reports
    profile = tmp_path_factory.mktemp("profile")
    pdfs = to_pdf([*paths.values(), ruler(folder / "ruler.xlsx")], folder / "pdf", profile)
    ruled = ruler_height(pdf_pages(pdfs[-1]))
    return ruled, {stem: pdf_pages(pdf) for stem, pdf in zip(paths, pdfs)}


@pytest.mark.parametrize("stem", STEMS)
def test_the_workbook_is_set_up_to_print(reports, stem):
    wb = openpyxl.load_workbook(reports[1][stem])
    assert page_problems(wb) == []
    assert overlapping_validations(wb) == []
    assert unnamed_fonts(wb) == []


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_every_sheet_prints_at_seven_points_whole_and_without_overprinting(reports, printed, stem):
    ruled, pages = printed
    wb = openpyxl.load_workbook(reports[1][stem])
    by_sheet = pages_by_sheet(pages[stem], wb.sheetnames)
    assert not by_sheet.get(""), "pages without a footer"
    small = {name: min(w.height for p in ps for w in p.words) for name, ps in by_sheet.items() if ps}
    assert {name: round(h / ruled * 7, 2) for name, h in small.items() if h < ruled - 0.05} == {}
    assert overprinted_words(pages[stem]) == []
    for name in wb.sheetnames:  # (cells outside the print area, e.g. a chart's data, are not printed)
        assert [x for x in missing_texts(wb[name], by_sheet[name]) if in_print_area(wb[name], x)] == []
