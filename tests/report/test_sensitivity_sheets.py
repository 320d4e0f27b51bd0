"""mcda/report/sensitivity.py, sweeps.py, smaa.py and pages.py: the Sensitivity sheet (stability intervals, the
tornado chart, the nearest changes in words, a sweep chart per criterion with the weight now marked), its
Sweeps appendix and the SMAA sheet (rank acceptability, central weights, confidence, funding), read back with
openpyxl and compared with the SensitivityResult and SmaaResult they draw; each sheet only when it has content;
and, printed by LibreOffice, each sheet on the pages its row breaks plan (no chart cut by a page, nothing
smaller than 7 pt, no text lost), for both shipped cases and a 200-region case.
"""
from __future__ import annotations

import dataclasses
import itertools
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pytest
import workbook_checks as wc
from synthetic import synthetic_case

from mcda.inputs.load import load
from mcda.model import PERCENTILES, Decision
from mcda.pipeline import decide
from mcda.report import book, smaa, sweeps
from mcda.report.pages import MIN_ROWS, chart_rows
from mcda.report.sensitivity import tornado_rows

ROOT = Path(__file__).resolve().parents[2]
UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"
EXACT = 1e-15  # openpyxl writes 16 significant digits
MINE = ("Sensitivity", "SMAA", "Sweeps")


def named(wb, name: str) -> np.ndarray:
    """The values of a defined name's cells, rows by columns."""
    (sheet, ref), = wb.defined_names[name].destinations
    cells = wb[sheet][ref.replace("$", "")]
    cells = cells if isinstance(cells, tuple) else ((cells,),)
    return np.array([[c.value for c in row] for row in cells], dtype=object)


def cells(wb, formula: str) -> list:
    """The values a chart reference ('Sheet'!$A$1:$A$5, a row or a column) points at."""
    sheet, ref = formula.rsplit("!", 1)
    got = wb[sheet.strip("'")][ref.replace("$", "")]
    flat = [c for row in (got if isinstance(got, tuple) else ((got,),)) for c in (row if isinstance(row, tuple)
                                                                                   else (row,))]
    return [c.value for c in flat]


def texts(ws) -> str:
    return " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))


@pytest.fixture(scope="module")
def uz(tmp_path_factory):
    """The Uzbekistan report as `mcda run --smaa 2000` writes it, read back."""
    d = decide(load(UZ), smaa_samples=2000)
    path = book.write(tmp_path_factory.mktemp("uz") / "uz.xlsx", d)
    return SimpleNamespace(d=d, sens=d.sensitivity, smaa=d.smaa, path=path, wb=openpyxl.load_workbook(path))


# --------------------------------------------------------------------------- Sensitivity


def test_each_sheet_prints_a4_landscape_at_a_legible_scale_with_its_footer(uz):
    """A fixed scale (not "fit to pages", under which Excel and LibreOffice ignore the row breaks) of at least
    70%, so 10-point cells print at 7 points or more."""
    for name in MINE:
        ws = uz.wb[name]
        assert ws.page_setup.orientation == "landscape" and not ws.sheet_properties.pageSetUpPr.fitToPage
        assert 70 <= ws.page_setup.scale <= 100
    assert [p for p in wc.page_problems(uz.wb) if p.split(":")[0] in MINE] == []


def test_the_intervals_table_holds_each_sweeps_intervals(uz):
    want = [[sw.base_weight, *sw.top_stable, *sw.order_stable] for sw in uz.sens.sweeps]
    np.testing.assert_allclose(named(uz.wb, "Stability").astype(float), want, rtol=EXACT)


def test_the_tornado_bars_stack_to_the_stability_intervals_around_the_weight_now(uz):
    ws = uz.wb["Sensitivity"]
    bars = [c for c in ws._charts if c.tagname == "barChart"]
    assert len(bars) == 1 and bars[0].grouping == "stacked" and len(bars[0].series) == 5
    rows = tornado_rows(uz.sens)
    lengths = np.array([cells(uz.wb, s.val.numRef.f) for s in bars[0].series], dtype=float).T  # criteria x 5
    assert lengths.shape == (len(uz.sens.sweeps), 5)
    ends = np.cumsum(lengths, axis=1)  # where each part of a bar ends
    want = np.array([[sw.top_stable[0], sw.order_stable[0], sw.base_weight, *sw.order_stable[1:], sw.top_stable[1]]
                     for sw in rows])
    np.testing.assert_allclose(ends, want, rtol=0, atol=1e-15)
    np.testing.assert_allclose(named(uz.wb, "Tornado_positions").astype(float), want, rtol=EXACT)
    np.testing.assert_allclose(ends[:, 2], [sw.base_weight for sw in rows], rtol=0, atol=1e-15)  # colours meet
    assert bars[0].series[0].graphicalProperties.noFill  # the offset is not drawn
    labels = cells(uz.wb, bars[0].series[0].cat.strRef.f if bars[0].series[0].cat.strRef else
                   bars[0].series[0].cat.numRef.f)
    assert [label.split(" (")[0] for label in labels] == [uz.d.case.catalogue.criterion(sw.criterion).name
                                                          for sw in rows]
    widths = [sw.top_stable[1] - sw.top_stable[0] for sw in rows]
    assert widths == sorted(widths)  # the narrowest interval on top


def test_each_sweep_chart_draws_the_ranks_and_marks_the_weight_now(uz):
    ws, sens = uz.wb["Sensitivity"], uz.sens
    lines = [c for c in ws._charts if c.tagname == "scatterChart"]
    assert len(lines) == len(sens.sweeps)
    lead = sens.base_order[:sweeps.LEAD]
    for chart, sw in zip(lines, sens.sweeps):
        *regions, now = chart.series
        assert cells(uz.wb, now.xVal.numRef.f) == pytest.approx([sw.base_weight] * 2, rel=EXACT)  # a vertical line
        assert now.graphicalProperties.line.dashStyle == "dash"
        top, bottom = cells(uz.wb, now.yVal.numRef.f)
        grid = sweeps.grid(sw.points)
        assert len(regions) == len(lead)
        for series, rid in zip(regions, lead):
            name_ref = series.tx.strRef.f
            assert cells(uz.wb, name_ref) == [sens.names[sens.ids.index(rid)]]
            assert cells(uz.wb, series.xVal.numRef.f) == pytest.approx(sw.points[grid], abs=1e-15)
            assert cells(uz.wb, series.yVal.numRef.f) == list(sw.ranks[grid, sens.ids.index(rid)])
        shown = sw.ranks[np.ix_(grid, [sens.ids.index(i) for i in lead])]
        assert (top, bottom) == (1, max(2, int(np.ceil(shown.max()))))  # the line spans the ranks drawn
        assert name_ref.lstrip("'").startswith("Sweeps")  # the numbers are on the appendix


def test_the_nearest_changes_are_told_in_words(uz):
    """One sentence per criterion: who passes whom at the nearest change below and above the weight now."""
    sens = uz.sens
    names = dict(zip(sens.ids, sens.names))
    words = texts(uz.wb["Sensitivity"])
    for sw in sens.sweeps:
        below = [c for c in sw.changes if c.weight < sw.base_weight]
        above = [c for c in sw.changes if c.weight >= sw.base_weight]
        if below:
            up, down = below[-1].swaps[0]  # as the weight rises; below the change the reverse holds
            assert f"below {below[-1].weight:.4f} {names[down]} passes {names[up]}" in words
        if above:
            up, down = above[0].swaps[0]
            assert f"above {above[0].weight:.4f} {names[up]} passes {names[down]}" in words
        assert f"weight now {sw.base_weight:.4f}" in words
    leader = names[sens.base_order[0]]
    assert words.count(f"{leader} stays first at any weight from 0 to 1") == sum(
        sw.top_stable == (0.0, 1.0) for sw in sens.sweeps)


def test_a_first_place_that_changes_names_who_takes_it(tmp_path):
    """Russia: the leader stays first only within an interval of research's and leading_enterprises' weight;
    the words name who is first beyond it (the order just past the interval's end)."""
    d = decide(load(RU), smaa_samples=0)
    wb = book.build(d)
    words = texts(wb["Sensitivity"])
    names = dict(zip(d.sensitivity.ids, d.sensitivity.names))
    bounded = [sw for sw in d.sensitivity.sweeps if sw.top_stable != (0.0, 1.0)]
    assert bounded
    for sw in bounded:
        lo, hi = sw.top_stable
        if hi < 1:
            after = next(c for c in sw.changes if c.weight >= hi)
            assert f"above {hi:.4f} {names[after.order[0]]} is first" in words
            assert after.order[0] != d.sensitivity.base_order[0]
        if lo > 0:
            before = [c for c in sw.changes if c.weight < lo]
            first = (before[-1].order if before else sw.start_order)[0]
            assert f"below {lo:.4f} {names[first]} is first" in words and first != d.sensitivity.base_order[0]


def test_the_sweeps_appendix_holds_every_sweeps_ranks_on_the_grid(uz):
    ws, sens = uz.wb["Sweeps"], uz.sens
    for sw in sens.sweeps:
        row = next(c.row for c in ws["A"] if c.value == f"Region / weight of {sw.criterion}")
        grid = sweeps.grid(sw.points)
        assert [ws.cell(row, 2 + g).value for g in range(len(grid))] == pytest.approx(sw.points[grid], abs=1e-15)
        for j, rid in enumerate(sens.base_order[:sweeps.LEAD]):
            assert ws.cell(row + 1 + j, 1).value == sens.names[sens.ids.index(rid)]
            got = [ws.cell(row + 1 + j, 2 + g).value for g in range(len(grid))]
            assert got == list(sw.ranks[grid, sens.ids.index(rid)])


# --------------------------------------------------------------------------- SMAA


def test_the_smaa_sheet_holds_the_smaa_result(uz):
    sm, wb = uz.smaa, uz.wb
    order = smaa.order_of(sm)
    n, k = len(sm.ids), smaa.shown_ranks(len(sm.ids))
    np.testing.assert_allclose(named(wb, "Acceptability").astype(float), sm.acceptability[order], rtol=EXACT)
    np.testing.assert_allclose(named(wb, "First_ranks").astype(float), sm.acceptability[order, :k], rtol=EXACT)
    np.testing.assert_allclose(named(wb, "Mean_rank")[:, 0].astype(float), sm.expected_rank[order], rtol=EXACT)
    ws = wb["SMAA"]
    first = int(re.search(r"\$(\d+):", wb.defined_names["First_ranks"].attr_text)[1])
    assert [ws.cell(first + g, 1).value for g in range(n)] == [sm.names[i] for i in order]
    rest = [ws.cell(first + g, 3 + k).value for g in range(n)]
    np.testing.assert_allclose(rest, sm.acceptability[order, k:].sum(axis=1), rtol=1e-14, atol=1e-15)
    winners = [i for i in np.argsort(-sm.acceptability[:, 0], kind="stable") if sm.acceptability[i, 0] > 0]
    np.testing.assert_allclose(named(wb, "Confidence")[:, 0].astype(float), sm.confidence[winners], rtol=EXACT)
    np.testing.assert_allclose(named(wb, "Central_weights").astype(float), sm.central_weights[winners], rtol=EXACT)
    words = texts(ws)
    assert f"{sm.samples:,} sets of criteria weights were drawn at random" in words and f"seed {sm.seed}" in words


def test_the_smaa_sheet_holds_each_regions_chance_of_being_funded(uz):
    a, wb = uz.smaa.allocation, uz.wb
    ws = wb["SMAA"]
    funding = named(wb, "Funding")
    first = int(re.search(r"\$(\d+):", wb.defined_names["Funding"].attr_text)[1])
    col = openpyxl.utils.column_index_from_string(re.search(r"\$([A-Z]+)\$", wb.defined_names["Funding"].attr_text)[1])
    names = [ws.cell(first + g, 1).value for g in range(len(funding))]
    j = [a.names.index(x) for x in names]
    want = np.column_stack([a.base_amounts, a.guaranteed, a.funded, a.percentiles])[j]
    assert funding.shape[1] == 3 + len(PERCENTILES)
    np.testing.assert_allclose(funding.astype(float), want, rtol=EXACT)
    np.testing.assert_allclose(want[:, 0], [dict(zip(uz.d.allocation.names, uz.d.allocation.amounts))[x]
                                            for x in names], rtol=1e-9)  # "now" is the Allocation sheet's
    assert [ws.cell(first + g, col + 3 + len(PERCENTILES)).value for g in range(len(j))] == [a.classes[i] for i in j]
    words = texts(ws)
    assert a.funded_rule[1:] in words  # what "funded" means: above the guarantee, the floor is not funding
    for i, c in enumerate(a.classes):
        if c == "borderline":
            assert f"{a.names[i]} ({smaa.share_words(a.funded[i])})" in words


# --------------------------------------------------------------------------- which sheets


@pytest.mark.parametrize("allocation, sensitivity, with_smaa", list(itertools.product((False, True), repeat=3)))
def test_sheet_names_list_a_sheet_only_with_its_content(allocation, sensitivity, with_smaa):
    got = book.sheet_names(allocation, sensitivity, with_smaa)
    want = ["Summary", "Ranking"] + ["Allocation"] * allocation + ["Sensitivity"] * sensitivity + \
        ["SMAA"] * with_smaa + ["What-if", "Weights", "Working"] + ["Sweeps"] * sensitivity + ["Data", "About"]
    assert got == want


@pytest.mark.parametrize("has_sensitivity, has_smaa", list(itertools.product((False, True), repeat=2)))
def test_the_report_has_each_sheet_only_when_the_decision_has_its_results(uz, has_sensitivity, has_smaa):
    d = dataclasses.replace(uz.d, sensitivity=uz.sens if has_sensitivity else None,
                            smaa=uz.smaa if has_smaa else None)
    wb = book.build(d)
    assert wb.sheetnames == book.sheet_names(True, has_sensitivity, has_smaa)
    if has_sensitivity:
        said = texts(wb["Sensitivity"])
        assert ("The SMAA sheet shows" in said) == has_smaa and ("was not computed" in said) == (not has_smaa)
    assert ("Acceptability" in wb.defined_names) == has_smaa


# --------------------------------------------------------------------------- printed


def breaks_cut_no_chart(ws) -> list[str]:
    """Charts that a manual row break cuts (a break after row r cuts a chart covering rows r and r + 1)."""
    breaks = [b.id for b in ws.row_breaks.brk]
    return [f"{ws.title}: a chart on rows {a}-{b} is cut after row {r}" for c in ws._charts
            for a, b in [chart_rows(ws, c)] for r in breaks if a <= r < b]


def synthetic_decision(n: int = 200) -> Decision:
    """A 200-region case with SMAA only: the SMAA sheet's table runs over several pages."""
    rng = np.random.default_rng(7)
    case = synthetic_case(rng.random((n, 8)), [1] * 8, groups=[0, 0, 1, 1, 2, 2, 3, 3])
    return decide(case, sensitivity=False, smaa_samples=500)


@pytest.fixture(scope="module")
def printed(uz, tmp_path_factory):
    """Uzbekistan (with SMAA 2000 and its budget), Russia (SMAA 2000) and 200 synthetic regions (SMAA only),
    printed by LibreOffice in one run, next to a 7-point ruler."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        if os.environ.get("MCDA_REQUIRE_SOFFICE") == "1":
            pytest.fail("MCDA_REQUIRE_SOFFICE=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("printed")
    ru = book.write(folder / "ru.xlsx", decide(load(RU), smaa_samples=2000))
    many = book.write(folder / "many.xlsx", synthetic_decision())
    files = {"uz": uz.path, "ru": ru, "many": many, "ruler": wc.ruler(folder / "ruler.xlsx")}
    pdfs = dict(zip(files, wc.to_pdf(list(files.values()), folder, folder / "profile")))
    return SimpleNamespace(files=files, pages={k: wc.pdf_pages(p) for k, p in pdfs.items()})


def inside_print_area(ws):
    """A copy of the sheet's cells limited to its print area (the chart data and the whole matrix right of it
    are not printed, by design)."""
    last = openpyxl.utils.column_index_from_string(re.search(r":\$?([A-Z]+)\$?\d+$", ws.print_area)[1])
    return SimpleNamespace(title=ws.title, iter_rows=lambda: ws.iter_rows(max_col=last))


@pytest.mark.slow
@pytest.mark.parametrize("stem, most", [("uz", {"Sensitivity": 3, "SMAA": 3, "Sweeps": 2}),
                                        ("ru", {"Sensitivity": 3, "SMAA": 6, "Sweeps": 2}),
                                        ("many", {"SMAA": 12})])
def test_each_sheet_prints_on_the_pages_it_plans(printed, stem, most):
    """LibreOffice breaks the pages where the sheet's row breaks say (so no chart is cut and no table leaves
    fewer than MIN_ROWS rows alone), prints nothing smaller than 7 pt and every cell's text whole."""
    wb = openpyxl.load_workbook(printed.files[stem])
    seven = wc.ruler_height(printed.pages["ruler"])
    by_sheet = wc.pages_by_sheet(printed.pages[stem], wb.sheetnames)
    assert set(most) == {n for n in MINE if n in wb.sheetnames}
    for name, limit in most.items():
        ws, pages = wb[name], by_sheet[name]
        assert len(pages) == len(ws.row_breaks.brk) + 1 <= limit, (name, len(pages), len(ws.row_breaks.brk))
        assert breaks_cut_no_chart(ws) == []
        footer = max(w.y0 for p in pages for w in p.words)
        small = [(p.number, w.text) for p in pages for w in p.words if w.height < seven - 0.05 and w.y0 < footer - 2]
        assert small == [], (name, small[:5])
        assert wc.missing_texts(inside_print_area(ws), pages) == []
        assert wc.overprinted_words(pages) == []


@pytest.mark.slow
def test_a_long_smaa_table_repeats_its_header_and_leaves_no_row_alone(printed):
    wb = openpyxl.load_workbook(printed.files["many"])
    ws = wb["SMAA"]
    pages = wc.pages_by_sheet(printed.pages["many"], wb.sheetnames)["SMAA"]
    first = int(re.search(r"\$(\d+):", wb.defined_names["Mean_rank"].attr_text)[1])
    header = first - 1
    assert ws.print_title_rows == f"${header}:${header}"
    table = [p for p in pages if "Mean" in p.raw]
    assert len(table) >= 5 and all("Mean rank" in re.sub(r"\s+", " ", p.raw) for p in table)
    shown = [re.findall(r"Region (\d+)\s+\d+\.\d\d\s", p.raw) for p in table]  # a name, then its mean rank
    assert sorted(int(x) for page in shown for x in page if page) == list(range(200))  # every region, once
    regions_per_page = [len(set(page)) for page in shown if page]
    assert min(regions_per_page[1:]) >= MIN_ROWS
