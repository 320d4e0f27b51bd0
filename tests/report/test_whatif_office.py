"""mcda/report/whatif*.py recalculated by LibreOffice: weights typed into the What-if sheet's yellow cells give
the live ranking, best first, that the tool computes at those weights (TOPSIS and WSM, both shipped cases, a
tie); a negative, text, empty or all-zero input gives the check in words and no ranking; and the sheet prints
legibly (no text smaller than 7 pt, nothing cut or overprinted, no heading alone at the foot of a page, the
live chart on the page of its table).

One CSV conversion of every edited report and one PDF export per module (LibreOffice is slow).
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pytest
from openpyxl.utils import range_boundaries
from test_report import CSV_FILTER, PROFILE, _convert, _soffice
from workbook_checks import missing_texts, overprinted_words, pages_by_sheet, pdf_pages, ruler, ruler_height, to_pdf

from mcda import pipeline
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.model import Weights
from mcda.report import book

ROOT = Path(__file__).resolve().parents[2]
UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"
TOL = 1e-9
UZ_TYPED = {"labour": 0.1, "investment": 0.6, "admin_barriers": 0, "research": 0.3}  # a zero drops a criterion
RU_TYPED = {"research": 2, "labour": 5, "leading_enterprises": 3}  # relative: scaled to sum 1
BAD = {  # typed weights that cannot be used -> (the check's words, what the weight's own check says)
    "negative": ({"labour": -0.5}, "one is negative", {"labour": "negative"}),
    "text": ({"research": "35%"}, "one is empty or holds text", {"research": "not a number"}),
    "empty": ({"investment": None}, "one is empty or holds text", {"investment": "empty"}),
    "zeros": ({c: 0 for c in UZ_TYPED}, "all are 0", {}),
}


def write(folder: Path, stem: str, case, typed: dict) -> Path:
    """The case's report with ``typed`` in the What-if sheet's yellow cells, as a committee member types them."""
    path = book.write(folder / f"{stem}-plain.xlsx", pipeline.decide(case, sensitivity=False))
    wb = openpyxl.load_workbook(path)
    ws = wb["What-if"]
    col, first, _, last = cells(wb, "WhatIf_weights")
    row_of = {ws.cell(r, 1).value: r for r in range(first, last + 1)}
    for criterion, value in typed.items():
        ws.cell(row_of[criterion], col).value = value
    wb.save(folder / f"{stem}.xlsx")
    return folder / f"{stem}.xlsx"


def cells(wb, name: str) -> tuple[int, int, int, int]:
    (_, ref), = wb.defined_names[name].destinations
    return range_boundaries(ref.replace("$", ""))


def tied_case(folder: Path):
    """Uzbekistan with Navoi's data made Bukhara's: the two tie (they are 2nd and 3rd as shipped)."""
    shutil.copytree(ROOT / "criteria", folder / "criteria")
    shutil.copytree(UZ, folder / "cases" / "uz")
    data = folder / "cases" / "uz" / "regions.csv"
    with open(data, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    ids = [r[0] for r in rows]
    keep = {rows[0].index(c) for c in ("region_id", "region_name_en", "soato_code")
            if c in rows[0]}
    bukhara, navoi = rows[ids.index("bukhara")], rows[ids.index("navoi")]
    rows[ids.index("navoi")] = [navoi[j] if j in keep else bukhara[j] for j in range(len(navoi))]
    with open(data, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return load(folder / "cases" / "uz")


def at_weights(case, typed: dict):
    """The tool's ranking of the case at the typed weights (scaled to sum 1, as the sheet does)."""
    w = pipeline.rank(case).weights
    values = np.array([float(typed.get(c, w.of(c))) for c in w.criteria])
    return pipeline.rank(case, weights=Weights(w.criteria, values / values.sum(), "direct"))


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The edited reports recalculated by LibreOffice (one CSV conversion) and two printed (one PDF export)."""
    _soffice()
    folder = tmp_path_factory.mktemp("whatif")
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    uz, ru = load(UZ), load(RU)
    wsm = apply(uz, ["method.name=wsm"])
    tied = tied_case(tmp_path_factory.mktemp("tied"))
    cases = {"uz-typed": (uz, UZ_TYPED), "ru-typed": (ru, RU_TYPED), "wsm-typed": (wsm, UZ_TYPED),
             "tied": (tied, {}), **{stem: (uz, typed) for stem, (typed, _, _) in BAD.items()}}
    files = {stem: write(folder, stem, case, typed) for stem, (case, typed) in cases.items()}
    _convert(list(files.values()), CSV_FILTER, folder / "csv", profile)
    printed = [folder / "uz-typed-plain.xlsx", folder / "ru-typed-plain.xlsx", ruler(folder / "ruler.xlsx")]
    pdfs = to_pdf(printed, folder / "pdf", profile)
    return SimpleNamespace(cases=cases, files=files, csv=folder / "csv", pdfs=pdfs, plain=printed[:2])


def shown(office, stem: str, name: str) -> list[str]:
    """What LibreOffice shows in a defined name's cells (full precision), top to bottom."""
    with open(office.csv / f"{stem}-What-if.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    col, first, _, last = cells(openpyxl.load_workbook(office.files[stem]), name)
    return [rows[r - 1][col - 1] if col <= len(rows[r - 1]) else "" for r in range(first, last + 1)]


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["uz-typed", "ru-typed", "wsm-typed"])
def test_typed_weights_give_the_tools_ranking_best_first(office, stem):
    case, typed = office.cases[stem]
    r = at_weights(case, typed)
    order = np.argsort(-r.scores, kind="stable")
    assert shown(office, stem, "WhatIf_order_region") == [r.names[k] for k in order]
    np.testing.assert_allclose([float(x) for x in shown(office, stem, "WhatIf_order_score")], r.scores[order],
                               rtol=0, atol=TOL)
    np.testing.assert_array_equal([float(x) for x in shown(office, stem, "WhatIf_order_rank")], r.ranks[order])
    delivered = pipeline.rank(case)
    assert list(order) != list(np.argsort(-delivered.scores, kind="stable"))  # the typed weights moved the ranking
    assert shown(office, stem, "WhatIf_check") == ["OK: the weights used sum to 1"]


@pytest.mark.slow
def test_tied_regions_share_a_rank_and_each_is_listed_once(office):
    case, _ = office.cases["tied"]
    r = pipeline.rank(case)
    b, n = case.data.ids.index("bukhara"), case.data.ids.index("navoi")
    assert r.scores[b] == r.scores[n]  # the tool ties them too
    names = shown(office, "tied", "WhatIf_order_region")
    assert sorted(names) == sorted(r.names)  # every region once
    assert names == [r.names[k] for k in np.argsort(-r.scores, kind="stable")]  # ties in the Data sheet's order
    ranks = [float(x) for x in shown(office, "tied", "WhatIf_order_rank")]
    first = names.index(r.names[b])
    assert names[first + 1] == r.names[n] and ranks[first] == ranks[first + 1] == first + 1
    assert ranks[first + 2] == first + 3  # the next rank skips the shared one, as Excel's RANK does


@pytest.mark.slow
@pytest.mark.parametrize("stem", BAD)
def test_a_weight_that_cannot_be_used_shows_the_check_and_no_ranking(office, stem):
    _, words, own = BAD[stem]
    (check,) = shown(office, stem, "WhatIf_check")
    assert check.startswith("Check the weights:") and words in check
    assert set(shown(office, stem, "WhatIf_closeness")) == {"check the weights"}
    assert set(shown(office, stem, "WhatIf_rank")) == {"-"}
    regions = shown(office, stem, "WhatIf_order_region")
    assert regions[0] == "Check the weights above" and set(regions[1:]) == {""}
    assert set(shown(office, stem, "WhatIf_order_score")) == {""}
    wb = openpyxl.load_workbook(office.files[stem])
    ws = wb["What-if"]
    _, first, _, last = cells(wb, "WhatIf_weights")
    with open(office.csv / f"{stem}-What-if.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    for r in range(first, last + 1):  # each weight's own check, column F
        assert rows[r - 1][5] == own.get(ws.cell(r, 1).value, "OK")
        assert rows[r - 1][3] == "-"  # no weight is used


@pytest.mark.slow
@pytest.mark.parametrize("k", [0, 1])
def test_the_sheet_prints_legibly(office, k):
    seven = ruler_height(pdf_pages(office.pdfs[2]))  # how tall a word of 7 pt prints
    wb = openpyxl.load_workbook(office.plain[k])
    pages = pages_by_sheet(pdf_pages(office.pdfs[k]), wb.sheetnames)["What-if"]
    small = sorted({w.text for p in pages for w in p.words if w.height < seven - 0.01})
    assert not small, f"printed smaller than 7 pt: {small[:10]}"
    assert missing_texts(wb["What-if"], pages) == []
    assert overprinted_words(pages) == []
    first = pages[0].raw
    assert "What-if: change the weights" in first and "OK: the weights used sum to 1" in first
    texts = [p.raw for p in pages]
    chart = next(i for i, t in enumerate(texts) if "Live closeness P, best first" in t)
    assert "The ranking at these weights" in texts[chart]  # the chart prints with its table
    for heading, then in (("How the ranking is computed", "D+ (from ideal)"), ("Indicators", "Share within"),
                          ("Normalised matrix", "Region"), ("Weighted normalised matrix", "Region")):
        page = next(t for t in texts if heading in t)
        assert then in page.split(heading, 1)[1], f"{heading!r} is alone at the foot of a page"
    assert len(pages) <= (3 if k == 0 else 9)
