"""An expert's own workbook (mcda/inputs/workbook/expert.py, write_judged.py) and the judged indicators'
sheets of the full input workbook (issue 12).

On the file: the sheets an expert fills in (About, Judgements, one per judged indicator), protected without
a password with exactly the yellow cells unlocked, drop-downs (Saaty values; a rating scale's labels), A4
with a footer, named fonts (tests/workbook_checks.py); prefilled from the case's expert of that name, else
blank; the completed block (Harker 1987) greyed exactly where a judgement was left blank.
Round trips: the full workbook of the committee case reads back the same case (blank judgements as NaN,
the judged indicator, its scale and every expert's ratings); a pairwise judged indicator over any number of
regions, and a scale given by values, too.
Printed by LibreOffice (slow): every cell's text printed whole, nothing overprinted, no text below 7 pt.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import os
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from clirun import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_checks import (
    is_locked,
    missing_texts,
    overlapping_validations,
    overprinted_words,
    page_problems,
    pages_by_sheet,
    pdf_pages,
    protection_problems,
    ruler,
    ruler_height,
    soffice,
    to_pdf,
    unnamed_fonts,
)

from mcda.errors import CaseError, Problems
from mcda.inputs.load import load
from mcda.inputs.workbook.expert import expert_file_name, write_expert_workbook
from mcda.inputs.workbook.read import read_workbook, without_provenance
from mcda.inputs.workbook.read_expert import read_expert_workbook
from mcda.inputs.workbook.write import write_template
from mcda.inputs.workbook.write_judged import judged_sheet_names
from mcda.model import Expert, JudgedIndicator, RegionJudgements, Scale

ROOT = Path(__file__).resolve().parents[3]
COMMITTEE = ROOT / "cases" / "uzbekistan-committee"
UZ = ROOT / "cases" / "uzbekistan-regions"
SHEET = "Judged barriers_committee"


def nan_free(x):
    """A value with every NaN replaced by None, so that equal cases compare equal (NaN != NaN)."""
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, tuple):
        return tuple(nan_free(v) for v in x)
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return dataclasses.replace(x, **{f.name: nan_free(getattr(x, f.name)) for f in dataclasses.fields(x)
                                         if f.init})
    return x


def committee():
    if not COMMITTEE.is_dir():
        pytest.skip("cases/uzbekistan-committee is not there yet")
    return load(COMMITTEE)


def pairwise_case(regions: int = 14):
    """Uzbekistan's case with a judged indicator compared pairwise (neighbours only, the rest blank), one
    rated on a scale given by values, and two experts (one with a blank criteria judgement)."""
    case = load(UZ)
    ids = case.data.ids[:regions]
    case = dataclasses.replace(case, data=dataclasses.replace(case.data, ids=ids, names=case.data.names[:regions],
                                                              values=case.data.values[:regions]))
    n = len(ids)
    chain = [[1.0 if i == j else math.nan for j in range(n)] for i in range(n)]
    for i in range(n - 1):
        chain[i][i + 1], chain[i + 1][i] = 2.0, 0.5
    scale = Scale("levels", ("high", "medium", "low"), values=(1.0, 0.5, 0.2), note="ILLUSTRATIVE")
    judged = (JudgedIndicator("barriers_committee", "pairwise", ids, ideal=True, note="ILLUSTRATIVE pairs"),
              JudgedIndicator("inventive_activity", "rating", ids, scale=scale))
    e = case.weighting.experts[0]
    m = [list(r) for r in e.matrix]
    m[0][3] = m[3][0] = math.nan
    first = dataclasses.replace(e, matrix=tuple(map(tuple, m)), judged=(
        ("barriers_committee", RegionJudgements(matrix=tuple(map(tuple, chain)))),
        ("inventive_activity", RegionJudgements(ratings=((ids[0], "high"), (ids[-1], "low"))))))
    second = Expert("Bobur", e.matrix, weight=2.0, note="second", judged=(
        ("inventive_activity", RegionJudgements(ratings=((ids[1], "medium"),))),))
    crit = {i.id: c.id for c in case.catalogue.criteria for i in c.indicators}
    order = case.weighting.criteria
    weights = sorted([*case.indicator_weights, *((j.id, 1.0) for j in judged)],  # as the case file orders them
                     key=lambda item: order.index(crit[item[0]]))
    return dataclasses.replace(case, judged=judged, budget=None, indicator_weights=tuple(weights),
                               weighting=dataclasses.replace(case.weighting, experts=(first, second)))


# --------------------------------------------------------------------------- an expert's workbook


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("experts")
    case = committee()
    blank_name = "Dr. New Expert"
    return {
        "new": write_expert_workbook(case, blank_name, folder / "new.xlsx"),
        "b": write_expert_workbook(case, "Expert B", folder / "b.xlsx",
                                   completed={("", "Expert B"): np.full((4, 4), 0.5)}),
        "pairwise": write_expert_workbook(pairwise_case(), "Bobur", folder / "pairwise.xlsx"),
        "many": write_expert_workbook(pairwise_case(14), "Expert 9", folder / "many.xlsx"),
        "full": write_template(case, folder / "full.xlsx"),
        "full_pairwise": write_template(pairwise_case(), folder / "full_pairwise.xlsx", completed={
            ("barriers_committee", "Illustrative committee view"): np.full((14, 14), 2.0)}),
    }


def test_an_expert_workbook_holds_only_that_experts_judgement_sheets(books):
    wb = openpyxl.load_workbook(books["new"])
    assert wb.sheetnames == ["About", "Judgements", SHEET]
    assert [c.value for c in wb["Judgements"]["A"] if c.value == "EXPERT"] == ["EXPERT"]  # one block
    about = wb["About"]
    assert about["A4"].value == "expert" and about["B4"].value == "Dr. New Expert"
    assert about["A5"].value == "weight" and about["B5"].value == 1
    text = " ".join(str(c.value) for row in about.iter_rows() for c in row if c.value is not None)
    for words in ("Harker", "left blank", "labour", "barriers_committee", "tashkent_city", "Tashkent city"):
        assert words in text


@pytest.mark.parametrize("name", ["new", "b", "pairwise", "many", "full", "full_pairwise"])
def test_expert_workbooks_are_protected_print_on_a4_and_use_named_fonts(books, name):
    wb = openpyxl.load_workbook(books[name])
    assert protection_problems(wb) == []
    assert overlapping_validations(wb) == []
    assert unnamed_fonts(wb) == []
    assert page_problems(wb) == []
    if name.startswith("full"):
        assert any(n.startswith("Judged ") for n in wb.sheetnames)
        return
    assert not is_locked(wb["About"], 5, 2)  # the expert's weight
    assert is_locked(wb["About"], 4, 2)  # the expert's name


def test_a_new_expert_starts_blank_and_a_known_one_prefilled(books):
    case = committee()
    new = openpyxl.load_workbook(books["new"])
    ws = new["Judgements"]
    assert all(ws.cell(5 + i, 2 + j).value is None for i in range(4) for j in range(4) if j > i)
    assert all(new[SHEET].cell(12 + k, 3).value is None for k in range(14))
    b = next(e for e in case.weighting.experts if e.name == "Expert B")
    back = read_expert_workbook(books["b"], case.weighting.criteria, case.judged, case.data.ids)
    assert (back.name, back.weight, back.source) == ("Expert B", b.weight, str(books["b"]))
    assert nan_free(back.matrix) == nan_free(b.matrix) and back.judged == b.judged
    assert np.isnan(np.array(back.matrix)).sum() == 2  # the blank (investment vs research) and its mirror


def test_the_ratings_offer_the_scales_labels(books):
    ws = openpyxl.load_workbook(books["b"])[SHEET]
    (dv,) = [dv for dv in ws.data_validations.dataValidation if "C12" in dv.sqref]
    first, last = dv.formula1.replace("$", "").split(":")
    assert [ws[f"A{r}"].value for r in range(int(first[1:]), int(last[1:]) + 1)] == ["excellent", "good", "fair",
                                                                                      "poor"]
    assert dv.type == "list" and dv.errorStyle == "stop"


def test_the_completed_block_greys_exactly_the_blank_judgements(books):
    ws = openpyxl.load_workbook(books["b"])["Judgements"]
    top = next(c.row for c in ws["A"] if c.value == "COMPLETED")
    assert "Harker" in ws.cell(top, 2).value
    grey = {(c.row - top - 2, c.column - 2) for row in ws.iter_rows() for c in row if c.style == "mcda completed"}
    assert grey == {(1, 3), (3, 1)}  # investment vs research, both ways
    assert ws.cell(top + 3, 5).value == "1/2" and ws.cell(top + 5, 3).value == "1/2"  # 0.5 both ways (as given)
    assert is_locked(ws, top + 3, 5)


def test_a_pairwise_judged_sheet_has_the_saaty_drop_downs_over_every_region(books):
    case = pairwise_case(14)
    ws = openpyxl.load_workbook(books["many"])[SHEET]
    head = [ws.cell(11, 2 + j).value for j in range(14)]
    assert head == list(case.data.ids)
    (dv,) = [dv for dv in ws.data_validations.dataValidation]
    assert dv.formula1.strip('"').split(",")[0] == "1/9" and len(dv.sqref.ranges) == 14 * 13 // 2
    with pytest.raises(Problems) as e:  # nothing judged yet
        read_expert_workbook(books["many"], case.weighting.criteria, case.judged, case.data.ids)
    assert [(p.where, p.what) for p in e.value.problems] == [
        ("Judgements!C5", "the workbook holds no judgement: every cell to fill in is blank")]
    assert e.value.where == str(books["many"])


def test_a_name_a_file_cannot_hold_is_made_safe(tmp_path):
    assert expert_file_name('A/B: "K"?') == "A_B_ _K_.xlsx"
    assert expert_file_name("...") == "expert.xlsx"
    case = load(UZ)
    with pytest.raises(CaseError, match="control character"):
        write_expert_workbook(case, "bad\x01name", tmp_path / "x.xlsx")
    out = write_expert_workbook(case, 'A/B: "K"?', tmp_path / expert_file_name('A/B: "K"?'))
    assert openpyxl.load_workbook(out)["About"]["B4"].value == 'A/B: "K"?'


def test_the_cli_writes_an_experts_workbook_and_keeps_an_existing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("template", UZ, "--expert", "Dr. X/Y")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "Dr. X_Y.xlsx").is_file() and "blank" in result.output
    again = run("template", UZ, "--expert", "Dr. X/Y")
    assert again.exit_code == 1 and "the file exists" in again.stderr
    assert run("template", UZ, "--expert", "Dr. X/Y", "--force").exit_code == 0
    assert run("template", "--expert", "A", "-o", "a.xlsx").exit_code == 2  # no case


def test_the_judged_sheets_names_fit_and_differ():
    ids = ("a" * 40, "a" * 40 + "b", "short")
    names = judged_sheet_names(tuple(JudgedIndicator(i, "pairwise", ()) for i in ids))
    assert all(len(v) <= 31 for v in names.values()) and len(set(names.values())) == 3
    assert names["short"] == "Judged short"


# --------------------------------------------------------------------------- the full input workbook


def test_the_committee_case_round_trips_through_the_input_workbook(tmp_path):
    case = committee()
    path = write_template(case, tmp_path / "inputs.xlsx")
    assert openpyxl.load_workbook(path).sheetnames[:4] == ["Instructions", "Criteria", "Judgements", SHEET]
    back = read_workbook(path)
    assert nan_free(without_provenance(back)) == nan_free(without_provenance(case))
    assert back.judged == case.judged and back.judged[0].scale.matrix == case.judged[0].scale.matrix


@pytest.mark.parametrize("regions", [3, 14])
def test_a_pairwise_judged_indicator_and_a_scale_of_values_round_trip(tmp_path, regions):
    case = pairwise_case(regions)
    back = read_workbook(write_template(case, tmp_path / "inputs.xlsx"))
    assert back.judged == case.judged
    assert nan_free(back.weighting.experts) == nan_free(case.weighting.experts)
    assert nan_free(without_provenance(back)) == nan_free(without_provenance(case))


def test_a_rating_off_the_scale_and_an_unknown_expert_are_refused_at_their_cells(tmp_path):
    case = pairwise_case(3)
    path = write_template(case, tmp_path / "inputs.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Judged inventive_activity"]
    ws["C12"] = "superb"
    ws["D11"] = "Nobody"
    wb.save(path)
    with pytest.raises(Problems) as e:
        read_workbook(path)
    found = {p.where: p.what for p in e.value.problems}
    assert "'superb' is not an intensity of the scale 'levels' (high, medium, low)" in found[
        "Judged inventive_activity!C12"]
    assert "'Nobody' is not an expert of the Judgements sheet" in found["Judged inventive_activity!D11"]


def test_a_blank_judgement_reads_as_nan_and_an_expert_with_none_is_refused(tmp_path):
    case = load(UZ)
    path = write_template(case, tmp_path / "inputs.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Judgements"]
    for i in range(4):
        for j in range(i + 1, 4):
            ws.cell(5 + i, 2 + j).value = None
    wb.save(path)
    with pytest.raises(Problems) as e:
        read_workbook(path)
    assert [(p.where, p.what) for p in e.value.problems] == [
        ("Judgements!B3", "expert 'Illustrative committee view' has left every judgement blank")]


# --------------------------------------------------------------------------- printed by LibreOffice


@pytest.fixture(scope="module")
def printed(books, tmp_path_factory):
    if soffice() is None:
        if os.environ.get("MCDA_REQUIRE_SOFFICE") == "1":
            pytest.fail("MCDA_REQUIRE_SOFFICE=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("expert-pdf")
    files = [books["b"], books["pairwise"], books["full"], books["full_pairwise"], ruler(folder / "ruler.xlsx")]
    pdfs = to_pdf(files, folder, tmp_path_factory.mktemp("lo-profile"))
    return {path.stem: pdf_pages(path) for path in pdfs}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["b", "pairwise", "full", "full_pairwise"])
def test_an_expert_workbook_prints_whole_and_legible(books, printed, name):
    wb = openpyxl.load_workbook(books[name])
    by_sheet = pages_by_sheet(printed[name], wb.sheetnames)
    assert by_sheet.get("", []) == []
    for ws in wb:
        assert by_sheet[ws.title], ws.title
        assert missing_texts(ws, by_sheet[ws.title]) == []
    assert overprinted_words(printed[name]) == []
    seven = ruler_height(printed["ruler"])
    assert min(w.height for p in printed[name] for w in p.words) >= seven - 0.01


def test_the_cli_greys_the_harker_completion_of_blank_judgements(tmp_path):
    """A committee case whose experts compare only neighbouring regions (a chain, the rest blank) and one
    expert (B) leaving a criteria judgement blank: B's workbook shows both matrices as the weighting
    completed them (mcda.pipeline), the blank cells greyed."""
    from mcda import pipeline
    from mcda.inputs.workbook.write_criteria import ratio_text
    case = committee()
    text = (COMMITTEE / "case.toml").read_text(encoding="utf-8")
    text = text.replace('catalogue = "../../', f'catalogue = "{ROOT.as_posix()}/')
    data = (ROOT / "cases" / "uzbekistan-regions").as_posix()
    text = text.replace('file = "../uzbekistan-regions/', f'file = "{data}/')
    text = text.replace('mode = "rating"\nscale = "barriers"', 'mode = "pairwise"')
    ids = case.data.ids
    chain = "pairs = [" + ", ".join(f'["{a}", "{b}", "2"]' for a, b in itertools.pairwise(ids)) + "]"
    lines = [chain if line.strip().startswith("ratings = {") else line for line in text.splitlines()]
    (tmp_path / "case.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairwise = load(tmp_path / "case.toml")
    result = run("template", tmp_path / "case.toml", "--expert", "Expert B", "-o", tmp_path / "b.xlsx")
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    expected = next(r for r in pipeline.weights(pairwise).experts if r.label == "Expert B")
    ws = wb["Judgements"]
    top = next(c.row for c in ws["A"] if c.value == "COMPLETED")
    grey = {(c.row - top - 2, c.column - 2) for row in ws.iter_rows() for c in row if c.style == "mcda completed"}
    assert grey == {(i, j) for i in range(4) for j in range(4) if expected.blank[i, j]} and len(grey) == 2
    assert all(ws.cell(top + 2 + i, 2 + j).value == ratio_text(expected.matrix[i, j]) for i in range(4)
               for j in range(4))
    ws = wb[SHEET]
    top = next(c.row for c in ws["A"] if c.value == "COMPLETED")
    n = len(ids)
    grey = [c for row in ws.iter_rows() for c in row if c.style == "mcda completed"]
    assert len(grey) == n * (n - 1) - 2 * (n - 1)  # all but the chain, both ways
    assert ws.cell(top + 2, 2 + 2).value == "4"  # karakalpakstan vs bukhara: 2 x 2 along the chain, consistent
    back = read_expert_workbook(tmp_path / "b.xlsx", pairwise.weighting.criteria, pairwise.judged, ids)
    assert nan_free(back.judged) == nan_free(next(e for e in pairwise.weighting.experts
                                                  if e.name == "Expert B").judged)


JUDGEMENT = st.one_of(st.none(), st.sampled_from([1 / k for k in range(2, 10)] + [float(k) for k in range(1, 10)]))


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(upper=st.lists(JUDGEMENT, min_size=6, max_size=6).filter(lambda xs: any(x is not None for x in xs)),
       pairs=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), JUDGEMENT), max_size=8),
       weight=st.sampled_from([0.5, 1.0, 3.0]))
def test_any_experts_judgements_with_blanks_come_back_as_written(tmp_path_factory, upper, pairs, weight):
    """Property: an expert's criteria judgements (Saaty values, any of them blank) and regions judged
    pairwise (any subset of pairs) written to their workbook read back exactly, blanks as NaN."""
    case = pairwise_case(5)
    m = [[1.0 if i == j else math.nan for j in range(4)] for i in range(4)]
    for (i, j), v in zip(PAIRS, upper):
        if v is not None:
            m[i][j], m[j][i] = v, 1 / v
    r = [[1.0 if i == j else math.nan for j in range(5)] for i in range(5)]
    for i, j, v in pairs:
        if i != j and v is not None:
            r[i][j], r[j][i] = v, 1 / v
    judged = (("barriers_committee", RegionJudgements(matrix=tuple(map(tuple, r)))),) if not all(
        math.isnan(r[i][j]) for i in range(5) for j in range(5) if i != j) else ()
    e = Expert("Property", tuple(map(tuple, m)), weight=weight, judged=judged)
    case = dataclasses.replace(case, weighting=dataclasses.replace(case.weighting, experts=(e,)))
    path = write_expert_workbook(case, "Property", tmp_path_factory.mktemp("property") / "p.xlsx")
    back = read_expert_workbook(path, case.weighting.criteria, case.judged, case.data.ids)
    assert nan_free(back.matrix) == nan_free(e.matrix) and back.weight == weight
    assert nan_free(back.judged) == nan_free(judged)


PAIRS = [(i, j) for i in range(4) for j in range(i + 1, 4)]
