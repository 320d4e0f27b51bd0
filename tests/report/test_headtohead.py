"""mcda/report/headtohead.py and mcda/report/radar.py on the Ranking sheet (mcda/report/ranking.py).

The head-to-head block is live formulas: LibreOffice recalculates it and its cells must equal the tool's
per-criterion parts (Working.parts, and gaps, scores, ranks) of the chosen pair to 1e-9, with the pair
the report chooses (the first two) and after a committee member picks another pair in the drop-downs
(edited with openpyxl, saved, recalculated). The drop-downs list exactly the ranked regions' names; the
radar's series are the rows of the top 3 and the median region, and those cells hold the results' values.
"""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pytest
from openpyxl.chart import RadarChart
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.cell_range import MultiCellRange

from mcda import pipeline
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.model import Decision
from mcda.report import book
from tests.report.test_report import CSV_FILTER, PROFILE, _convert, _soffice

ROOT = Path(__file__).resolve().parents[2]
UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"
TOL = 1e-9
EXACT = 1e-15  # openpyxl writes numbers with 16 significant digits


def decision(path: Path, method: str | None = None) -> Decision:
    """The decision the report shows for a case (under another method when given, as ``--set`` sets it)."""
    case = load(path)
    return pipeline.decide(apply(case, [f"method.name={method}"]) if method else case, sensitivity=False)


def area(wb, name: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of a defined name."""
    (_, ref), = wb.defined_names[name].destinations
    return range_boundaries(ref.replace("$", ""))


def drawn(working) -> np.ndarray:
    """What the radar must show: the results' 0..1 profile when they carry one, else the parts."""
    profile = getattr(working, "profile", None)
    return np.asarray(profile if profile is not None else working.parts)


def choose(path: Path, out: Path, a: str, b: str) -> Path:
    """The report with regions ``a`` and ``b`` picked in the head-to-head drop-downs, as a reader would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Ranking"]
    for name, value in (("HeadToHead_A", a), ("HeadToHead_B", b)):
        col, row, _, _ = area(wb, name)
        ws.cell(row=row, column=col).value = value
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("h2h")
    made = {}
    for stem, (path, method) in {"uz": (UZ, None), "ru": (RU, None), "wsm": (UZ, "wsm"),
                                 "vikor": (UZ, "vikor")}.items():
        d = decision(path, method)
        made[stem] = SimpleNamespace(decision=d, path=book.write(folder / f"{stem}.xlsx", d))
    return SimpleNamespace(folder=folder, **made)


# --------------------------------------------------------------------------- without LibreOffice


@pytest.mark.parametrize("stem", ["uz", "ru", "wsm"])
def test_the_drop_downs_list_exactly_the_ranked_regions_and_start_on_the_first_two(reports, stem):
    r = getattr(reports, stem).decision.ranking
    wb = openpyxl.load_workbook(getattr(reports, stem).path)
    ws = wb["Ranking"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    dv, = lists
    a, b = area(wb, "HeadToHead_A"), area(wb, "HeadToHead_B")
    assert {str(c) for c in dv.sqref.ranges} == {f"C{a[1]}:C{b[1]}"} and a[0] == b[0] == 3 and b[1] == a[1] + 1
    col, first, _, last = range_boundaries(dv.formula1.replace("$", ""))
    offered = [ws.cell(row=k, column=col).value for k in range(first, last + 1)]
    assert offered == [r.names[i] for i in r.order] and sorted(offered) == sorted(r.names)
    assert [ws.cell(row=a[1] + k, column=3).value for k in (0, 1)] == [r.names[r.order[0]], r.names[r.order[1]]]


def test_no_two_validations_share_a_cell_anywhere_in_the_report(reports):
    for stem in ("uz", "ru"):
        wb = openpyxl.load_workbook(getattr(reports, stem).path)
        for ws in wb.worksheets:
            seen: dict[tuple[int, int], str] = {}
            for dv in ws.data_validations.dataValidation:
                for rng in MultiCellRange(str(dv.sqref)).ranges:
                    for row in range(rng.min_row, rng.max_row + 1):
                        for col in range(rng.min_col, rng.max_col + 1):
                            assert (row, col) not in seen, f"{stem} {ws.title}: {rng} overlaps {seen[(row, col)]}"
                            seen[(row, col)] = str(rng)


def test_two_regions_with_one_name_are_chosen_by_id(case_copy, tmp_path):
    copy = case_copy("uzbekistan-regions")
    rows = copy.rows()
    j = rows[0].index("region_name_en")
    rows[2][j] = rows[1][j]  # two regions now share a name: the drop-downs offer ids instead
    copy.write_rows(rows)
    d = decision(copy.folder)
    wb = openpyxl.load_workbook(book.write(tmp_path / "dup.xlsx", d))
    ws = wb["Ranking"]
    dv, = ws.data_validations.dataValidation
    col, first, _, last = range_boundaries(dv.formula1.replace("$", ""))
    assert [ws.cell(row=k, column=col).value for k in range(first, last + 1)] == [d.ranking.ids[i] for i in
                                                                                  d.ranking.order]
    a = area(wb, "HeadToHead_A")
    assert ws.cell(row=a[1], column=3).value == d.ranking.ids[d.ranking.order[0]]
    assert f"$B${first}:$B${last}" in ws.cell(row=a[1], column=4).value  # MATCH over the ids


def test_a_method_without_parts_says_so_instead(reports):
    ws = openpyxl.load_workbook(reports.vikor.path)["Ranking"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "VIKOR does not split a score into per-criterion parts" in text
    assert not ws.data_validations.dataValidation and not any(isinstance(c, RadarChart) for c in ws._charts)
    assert "HeadToHead_A" not in ws.parent.defined_names


@pytest.mark.parametrize("stem", ["uz", "ru", "wsm"])
def test_the_radar_draws_the_rows_of_the_top_3_and_the_median_region(reports, stem):
    d = getattr(reports, stem).decision
    r, working = d.ranking, d.working
    wb = openpyxl.load_workbook(getattr(reports, stem).path)
    ws = wb["Ranking"]
    radar, = [c for c in ws._charts if isinstance(c, RadarChart)]
    c0, first, c1, last = area(wb, "Radar_values")
    n = len(r.order)
    regions = [*r.order[:3], r.order[(n - 1) // 2]]  # the median region: the middle of the ranking
    assert last - first + 1 == len(radar.series) == 4 and c1 - c0 + 1 == len(working.criteria)
    expected = drawn(working)
    for k, (series, i) in enumerate(zip(radar.series, regions)):
        row = first + k
        assert series.val.numRef.f == f"'Ranking'!${_col(c0)}${row}:${_col(c1)}${row}"
        assert series.tx.strRef.f == f"'Ranking'!$C${row}" and ws.cell(row=row, column=3).value == r.names[i]
        np.testing.assert_allclose([ws.cell(row=row, column=c).value for c in range(c0, c1 + 1)], expected[i],
                                   rtol=EXACT, atol=0)
    cats = radar.series[0].cat.numRef.f if radar.series[0].cat.numRef else radar.series[0].cat.strRef.f
    hc0, hrow, hc1, _ = range_boundaries(cats.split("!")[1].replace("$", ""))
    names = [d.case.catalogue.criterion(c).name for c in working.criteria]
    assert (hc0, hc1) == (c0, c1) and [ws.cell(row=hrow, column=c).value for c in range(hc0, hc1 + 1)] == names


def _col(c: int) -> str:
    return openpyxl.utils.get_column_letter(c)


# --------------------------------------------------------------------------- recalculated by LibreOffice


def _pair(stem: str, r) -> tuple[int, int]:
    """Another pair to pick: a lower-ranked region as A against a higher one as B (negative differences)."""
    n = len(r.order)
    return {"uz": (int(r.order[4]), int(r.order[1])), "ru": (int(r.order[n - 1]), int(r.order[n // 2])),
            "wsm": (int(r.order[2]), int(r.order[0]))}[stem]


@pytest.fixture(scope="module")
def office(reports):
    """Every report as written and with another pair picked, recalculated by LibreOffice into CSV."""
    _soffice()
    folder = reports.folder / "office"
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    files, pairs = [], {}
    for stem in ("uz", "ru", "wsm"):
        rep = getattr(reports, stem)
        r = rep.decision.ranking
        pairs[stem] = (int(r.order[0]), int(r.order[1]))
        a, b = _pair(stem, r)
        pairs[f"{stem}-picked"] = (a, b)
        files += [rep.path, choose(rep.path, reports.folder / f"{stem}-picked.xlsx", r.names[a], r.names[b])]
    _convert(files, CSV_FILTER, folder, profile)
    return SimpleNamespace(folder=folder, pairs=pairs)


def _grid(folder: Path, stem: str) -> list[list[str]]:
    with open(folder / f"{stem}-Ranking.csv", newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _numbers(grid, c0: int, r0: int, c1: int, r1: int) -> np.ndarray:
    return np.array([[float(grid[r - 1][c - 1]) for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)])


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["uz", "ru", "wsm", "uz-picked", "ru-picked", "wsm-picked"])
def test_libreoffice_recalculates_the_head_to_head_to_the_tools_parts(reports, office, stem):
    d = getattr(reports, stem.split("-")[0]).decision
    r, w = d.ranking, d.working
    a, b = office.pairs[stem]
    wb = openpyxl.load_workbook(getattr(reports, stem.split("-")[0]).path)
    grid = _grid(office.folder, stem)
    c0, r0, c1, r1 = area(wb, "HeadToHead_parts")
    assert (r1 - r0, c1 - c0 + 1) == (1, len(w.criteria))
    assert [grid[r0 - 1][2], grid[r1 - 1][2]] == [r.names[a], r.names[b]]
    parts = _numbers(grid, c0, r0, c1, r1)
    np.testing.assert_allclose(parts, w.parts[[a, b]], rtol=0, atol=TOL)
    np.testing.assert_allclose(_numbers(grid, *area(wb, "HeadToHead_scores")).ravel(), r.scores[[a, b]],
                               rtol=0, atol=TOL)
    np.testing.assert_array_equal([float(grid[r0 - 1][0]), float(grid[r1 - 1][0])], r.ranks[[a, b]])
    if w.gaps is not None:  # the gaps to the ideal, right of the parts, as in the table
        n = len(w.criteria)
        shown = [[float(grid[row - 1][c - 1].rstrip("%")) / 100 for c in range(c1 + 1, c1 + 1 + n)]
                 for row in (r0, r1)]
        np.testing.assert_allclose(shown, w.gaps[[a, b]], rtol=0, atol=TOL)
    dc0, drow, dc1, _ = area(wb, "HeadToHead_difference")
    diff = _numbers(grid, dc0, drow, dc1, drow).ravel()
    np.testing.assert_allclose(diff, np.r_[r.scores[a] - r.scores[b], w.parts[a] - w.parts[b]], rtol=0, atol=TOL)
    np.testing.assert_allclose(diff[1:].sum(), diff[0], rtol=0, atol=TOL)  # the differences add up to the score's
    share = [float(x.rstrip("%")) / 100 for x in grid[drow][dc0 - 1:dc1]]
    np.testing.assert_allclose(share, diff / diff[0], rtol=0, atol=TOL)
    gains = grid[drow + 1][dc0 - 1:dc1]
    assert gains == [r.names[a] if x > 0 else r.names[b] if x < 0 else "neither" for x in diff]


# --------------------------------------------------------------------------- printed


def _page_texts(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout.split("\f")


def _printed_sizes(pdf: Path, page: int) -> list[float]:
    """The printed font size (pt) of every word on a page above its footer: a word's box is its ascent +
    descent, 1.117 x the size in Liberation Sans (LibreOffice's Arial)."""
    done = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True)
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', done.stdout)[1])
    boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', done.stdout)
    return [(float(y1) - float(y0)) / 1.117 for y0, y1 in boxes if float(y1) < height - 40]  # 40 pt: the footer


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler's pdftotext is not installed")
def test_the_blocks_print_legibly_each_on_a_page_of_its_own(reports):
    _soffice()
    folder = reports.folder / "pdf"
    profile = reports.folder / "pdf-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    _convert([reports.uz.path, reports.ru.path], "pdf", folder, profile)
    for stem in ("uz", "ru"):
        d = getattr(reports, stem).decision
        r = d.ranking
        pages = _page_texts(folder / f"{stem}.pdf")
        ranking = [k for k, p in enumerate(pages) if re.search(r"Ranking, page \d+ of", p)]
        h2h = [k for k in ranking if "Head-to-head: why does one region rank above another?" in pages[k]]
        assert len(h2h) == 1 and "Gains more" in pages[h2h[0]] and "Share of the difference" in pages[h2h[0]]
        radar = [k for k in ranking if "The top 3 regions against the median region" in pages[k]]  # chart title
        median = r.names[r.order[(len(r.order) - 1) // 2]]
        assert len(radar) == 1 and radar[0] != h2h[0]
        assert "against the median region" in pages[radar[0]].split("The top 3 regions against")[0]  # its heading
        legend = pages[radar[0]].split("The top 3 regions against the median region")[-1]
        assert median in legend and r.names[r.order[0]] in legend  # the chart whole on its page, legend too
        for k in (h2h[0], radar[0]):
            sizes = _printed_sizes(folder / f"{stem}.pdf", k + 1)
            assert len(sizes) > 50 and min(sizes) >= 7, (stem, k, min(sizes))
