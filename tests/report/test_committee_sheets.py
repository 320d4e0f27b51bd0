"""What the committee reads about its own judgements in the report: the Weights sheet (aggregation, blanks
greyed with a note, the repair path, the consensus block), the Judged sheet (scale, ratings, the committee's
matrix or its pairs as a list, the column) and the Summary's words; and that these sheets print on A4 at 7 pt
or more with nothing cut and nothing drawn over other text (LibreOffice, slow). The committee's results are
made by hand (tests/committee_samples.py) except for the shipped case cases/uzbekistan-committee."""
from __future__ import annotations

import dataclasses

import numpy as np
import openpyxl
import pytest

from mcda import pipeline
from mcda.inputs.load import load
from mcda.report import book
from mcda.report.judged import MATRIX_MOST
from tests.committee_samples import CAROL_REPAIR, committee_decision, judged_pairwise, judged_rating
from tests.conftest import CASES
from tests.synthetic import synthetic_case
from tests.workbook_checks import (
    missing_texts,
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

GREY = "D9D9D9"


def find(ws, text: str, start: bool = False) -> tuple[int, int]:
    """Row and column of the first cell holding ``text`` (or starting with it)."""
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and (c.value.startswith(text) if start else c.value == text):
                return c.row, c.column
    raise AssertionError(f"{text!r} is not on sheet {ws.title}")


def texts(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))


@pytest.fixture(scope="module")
def plain():
    return pipeline.decide(load(CASES / "uzbekistan-regions"), sensitivity=False, smaa_samples=0)


@pytest.fixture(scope="module")
def split_book(plain):
    d = committee_decision(plain)
    return d, book.build(d, command="mcda run test")


def test_judged_comes_right_after_weights(split_book, plain):
    _, wb = split_book
    assert wb.sheetnames.index("Judged") == wb.sheetnames.index("Weights") + 1
    assert "Judged" not in book.build(plain).sheetnames


def test_blank_judgements_are_grey_with_their_completed_value_and_a_note(split_book):
    d, wb = split_book
    ws = wb["Weights"]
    row, col = find(ws, "Expert: Bob")
    bob = d.weights.experts[1]
    for i in range(4):
        for j in range(4):
            cell = ws.cell(row=row + 2 + i, column=col + 1 + j)
            assert cell.value == pytest.approx(float(bob.matrix[i, j]))
            assert (cell.fill.fgColor.rgb[-6:] == GREY) == bool(bob.blank[i, j]), (i, j)
    cell = ws.cell(row=row + 2 + 1, column=col + 1 + 2)
    assert cell.comment.text.startswith("Left blank; completed from the other judgements: 2.")
    note, _ = find(ws, "Left blank: 1 judgement left blank (investment vs admin_barriers = 2)", start=True)
    assert row < note < find(ws, "Expert: Carol")[0]
    assert "Grey cells hold the completed values" in ws.cell(row=note, column=1).value


def test_the_repair_path_is_a_table_under_the_inconsistent_matrix(split_book):
    _, wb = split_book
    ws = wb["Weights"]
    carol, _ = find(ws, "Expert: Carol")
    head, _ = find(ws, "Repair path: revisit these judgements in order", start=True)
    assert carol < head
    got = [[ws.cell(row=head + 2 + k, column=c).value for c in range(1, 7)] for k in range(len(CAROL_REPAIR))]
    assert got == [[f"{s.row} vs {s.col}", k + 1, "1/5", s.fitted, s.scale, s.cr] for k, s in enumerate(CAROL_REPAIR)]
    assert ws.cell(row=head + 2, column=6).fill.fgColor.rgb[-6:] == "FFC7CE"  # CR still above after step 1
    assert ws.cell(row=head + 3, column=6).fill.fgColor.rgb[-6:] != "FFC7CE"


def test_the_consensus_block_names_the_band_the_pairs_and_each_expert(split_book):
    d, wb = split_book
    ws = wb["Weights"]
    assert "Committee: AIJ (3 experts, aggregation of individual judgements" in texts(ws)
    assert "Forman & Peniwati 1998" in texts(ws)
    row, _ = find(ws, "Consensus of the committee")
    assert ws.cell(row=row + 1, column=1).value == "S* = 52.0%: low consensus - the committee is split"
    assert ws.cell(row=row + 2, column=1).value.startswith("Measure: Goepel's relative homogeneity")
    assert ws.cell(row=row + 3, column=1).value == ("Carol is furthest from the group; without Carol, S* would be "
                                                    "93.0%.")
    pairs, _ = find(ws, "Pair: row vs column")
    first = [ws.cell(row=pairs + 1, column=c).value for c in range(1, 6)]
    assert first == ["labour vs investment", 1.24, 3, "split", "Alice, Bob: labour; Carol: investment"]
    assert ws.cell(row=pairs + 3, column=4).value == "-"
    experts, _ = find(ws, "Expert")
    carol = [ws.cell(row=experts + 3, column=c).value for c in range(1, 8)]
    assert carol == ["Carol", 1, pytest.approx(d.weights.experts[2].cr), 0, 0.41, 0.93, "no"]
    weights = [ws.cell(row=experts + 4, column=c).value for c in range(8, 12)]
    np.testing.assert_allclose(weights, d.weights.values, rtol=1e-12)
    assert ws.cell(row=experts + 4, column=1).value == "Committee"


def test_aip_shows_each_expert_and_no_combined_matrix(plain):
    d = committee_decision(plain, "aip", judged=False)
    wb = book.build(d)
    ws = wb["Weights"]
    assert "Aggregated:" not in texts(ws) and "Judged" not in wb.sheetnames
    assert "Committee: AIP (3 experts, aggregation of individual priorities" in texts(ws)
    (sheet, ref), = wb.defined_names["CR"].destinations
    assert sheet == "Weights" and ws[ref.replace("$", "")].value == pytest.approx(d.weights.experts[0].cr)
    summary = texts(wb["Summary"])
    assert "Alice CR 0.029 (consistent); Bob CR 0.004 (consistent); Carol CR 0.491 (NOT consistent)" in summary


def test_the_judged_sheet_shows_scale_ratings_matrix_and_column(split_book):
    d, wb = split_book
    ws = wb["Judged"]
    row, _ = find(ws, "Note: ILLUSTRATIVE", start=True)
    assert ws.cell(row=row, column=1).font.b
    scale, _ = find(ws, "Intensity")
    assert [ws.cell(row=scale + 1 + k, column=2).value for k in range(4)] == [1.0, 0.5, 0.25, 0.125]
    head, _ = find(ws, "Ratings and the resulting column (sum 1)")
    assert [ws.cell(row=head + 1, column=c).value for c in range(1, 7)] == ["Region", "Name", "Alice", "Bob", "Carol",
                                                                            "Priority"]
    j = d.judged[0]
    assert ws.cell(row=head + 2, column=1).value == j.regions[0]
    assert ws.cell(row=head + 2, column=3).value == dict(j.ratings[0][1])[j.regions[0]]
    np.testing.assert_allclose([ws.cell(row=head + 2 + k, column=6).value for k in range(len(j.regions))], j.values)
    m, _ = find(ws, "The committee's judgements: row vs column", start=True)
    n = len(d.judged[1].regions)
    corner = ws.cell(row=m + 2, column=2 + n)
    assert corner.fill.fgColor.rgb[-6:] == GREY and corner.value == pytest.approx(n)
    assert ws.cell(row=m + 2, column=3 + n - 2).fill.fgColor.rgb[-6:] != GREY
    col, _ = find(ws, "The resulting column (sum 1)")
    np.testing.assert_allclose([ws.cell(row=col + 2 + k, column=3).value for k in range(n)], d.judged[1].values)


def big_case(n: int = 40):
    rng = np.random.default_rng(5)
    return synthetic_case(rng.lognormal(size=(n, 3)), [1, 1, -1], groups=[0, 1, 2])


def test_more_regions_than_a_page_list_the_pairs_given():
    d = pipeline.decide(big_case(), sensitivity=False, smaa_samples=0)
    ids = d.case.data.ids
    assert len(ids) > MATRIX_MOST
    d = dataclasses.replace(d, judged=(judged_pairwise(ids),))
    ws = book.build(d)["Judged"]
    row, _ = find(ws, "The committee's judgements: 779 pairs given of 780", start=True)
    assert [ws.cell(row=row + 1, column=c).value for c in range(1, 4)] == ["Row", "Column", "Judgement"]
    assert [ws.cell(row=row + 2, column=c).value for c in range(1, 4)] == [ids[0], ids[1], "1.03"]  # 40/39
    assert ws.max_column <= 6


def test_the_shipped_committee_case_report_names_consensus_dissenter_and_judged():
    d = pipeline.decide(load(CASES / "uzbekistan-committee"), sensitivity=False, smaa_samples=0)
    wb = book.build(d)
    summary = texts(wb["Summary"])
    assert "coherent view" not in summary
    assert "Expert C (dissenting) is furthest from the group and reverses its order of priorities" in summary
    assert "(ILLUSTRATIVE, rated on a scale)" in summary
    assert "Judged" in wb.sheetnames and "barriers_committee" in texts(wb["Judged"])
    ws = wb["Weights"]
    row, col = find(ws, "Expert: Expert B")
    greys = [(i, j) for i in range(4) for j in range(4)
             if ws.cell(row=row + 2 + i, column=col + 1 + j).fill.fgColor.rgb[-6:] == GREY]
    assert greys == [(1, 3), (3, 1)]  # investment vs research, left blank


# --------------------------------------------------------------------------- printing

SHEETS = ("Summary", "Weights", "Judged")


@pytest.fixture(scope="module")
def reports(tmp_path_factory, plain):
    folder = tmp_path_factory.mktemp("committee-print")
    big = pipeline.decide(big_case(), sensitivity=False, smaa_samples=0)
    ids = big.case.data.ids
    decisions = {
        "split": committee_decision(plain),
        "aip": committee_decision(plain, "aip"),
        "shipped": pipeline.decide(load(CASES / "uzbekistan-committee"), smaa_samples=300),
        "big": dataclasses.replace(big, judged=(judged_rating(ids), judged_pairwise(ids))),
    }
    return folder, {k: book.write(folder / f"{k}.xlsx", d, command="mcda run test") for k, d in decisions.items()}


@pytest.mark.parametrize("stem", ["split", "aip", "shipped", "big"])
def test_committee_reports_are_set_up_to_print(reports, stem):
    wb = openpyxl.load_workbook(reports[1][stem])
    assert page_problems(wb) == [] and unnamed_fonts(wb) == []


@pytest.mark.slow
def test_committee_sheets_print_at_seven_points_whole(reports, tmp_path_factory):
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    folder, paths = reports
    profile = tmp_path_factory.mktemp("profile")
    pdfs = to_pdf([*paths.values(), ruler(folder / "ruler.xlsx")], folder / "pdf", profile)
    ruled = ruler_height(pdf_pages(pdfs[-1]))
    for stem, pdf in zip(paths, pdfs):
        wb = openpyxl.load_workbook(paths[stem])
        pages = pdf_pages(pdf)
        by_sheet = pages_by_sheet(pages, wb.sheetnames)
        for name in SHEETS:
            if name not in wb.sheetnames:
                continue
            small = min(w.height for p in by_sheet[name] for w in p.words)
            assert small >= ruled - 0.05, (stem, name, round(small / ruled * 7, 2))
            assert missing_texts(wb[name], by_sheet[name]) == [], (stem, name)
        assert overprinted_words([p for name in SHEETS for p in by_sheet.get(name, [])]) == [], stem


def test_sub_criteria_matrices_are_on_the_weights_sheet_and_judgements_on_the_scale_are_fractions():
    d = pipeline.decide(load(CASES / "examples" / "ahpy-vehicle"), sensitivity=False, smaa_samples=0)
    wb = book.build(d)
    ws = wb["Weights"]
    for criterion, r in d.subcriteria:
        row, col = find(ws, f"Sub-criteria of {d.case.catalogue.criterion(criterion).name}: their indicators "
                            "compared pairwise")
        assert [ws.cell(row=row + 1, column=col + 1 + k).value for k in range(len(r.names))] == list(r.names)
        np.testing.assert_allclose([ws.cell(row=row + 2 + k, column=col + 1 + len(r.names)).value
                                    for k in range(len(r.names))], r.weights, rtol=1e-12)
    judged = wb["Judged"]
    row, _ = find(judged, "The committee's judgements: row vs column", start=True)
    assert judged.cell(row=row + 3, column=3).number_format == "# ?/?"  # 1/9 shows as 1/9, not 0.11


def test_a_consensus_over_many_regions_lists_the_worst_pairs_and_no_column_per_region():
    """A judged indicator of 200 regions has 19,900 pairs: the report lists the MOST_PAIRS most disputed and says
    how many more there are (and where to find them all), and sets no column per region for the experts'
    priorities (it took 16 s and printed 200 columns); a committee of four criteria keeps its columns."""
    from mcda.model import Consensus, PairSpread
    from mcda.report.consensus import MOST_PAIRS, consensus_block
    from mcda.report.sheet import Sheet
    from tests.committee_samples import ALICE, BOB, expert
    regions = [f"r{k:03d}" for k in range(200)]
    pairs = tuple(PairSpread(regions[i], regions[j], 1.0 / (1 + i + j), 2, False)
                  for i in range(200) for j in range(i + 1, 200))
    c = Consensus(0.9, "very high", "m", pairs, (("A", 0.1), ("B", 0.05)), (("A", 1.0), ("B", 1.0)))
    experts = (expert(ALICE, "A"), expert(BOB, "B"))
    ws = openpyxl.Workbook().active
    end = consensus_block(Sheet(ws), 1, c, experts, np.full(200, 1 / 200), regions, {})
    assert end < 40 and ws.max_column <= 8
    said = texts(ws)
    assert f"{len(pairs) - MOST_PAIRS:,} more pairs, less disputed" in said and "consensus.pairs" in said
    assert f"{pairs[0].row} vs {pairs[0].col}" in said and f"{pairs[-1].row} vs {pairs[-1].col}" not in said
    small = openpyxl.Workbook().active
    consensus_block(Sheet(small), 1, dataclasses.replace(c, pairs=pairs[:3]), experts, np.full(4, 0.25),
                    ["labour", "investment", "admin_barriers", "research"], {})
    assert small.max_column == 7 + 4 and "more pairs" not in texts(small)
