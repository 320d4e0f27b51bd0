"""A case over several years in the input workbook (issue 13): the Data sheet's year column (one row per
region and year) and the Years sheet ([panel] goalposts, outside, note, targets, support).

Oracles: the workbook of a panel case reads back as the same case, panel included (provenance aside),
for a panel built by hand from cases/uzbekistan-regions, for the shipped cases/uzbekistan-monitoring (both
of its case files), for long- and wide-form cases with a region missing in a year, for random panels
(hypothesis) and after LibreOffice saved it; the order of the rows does not matter; a year a planner
adds as rows at the bottom becomes the case's last year; a workbook without years has no Years sheet and
reads as before; every bad cell is named by its Sheet!Cell; the workbook prints on A4 (file checks here,
LibreOffice's print in the slow tests).
"""
from __future__ import annotations

import dataclasses
import os
import random
import subprocess
from pathlib import Path

import openpyxl
import pytest
from clirun import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_checks import (
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

from mcda import pipeline
from mcda.errors import Problems
from mcda.inputs.load import load
from mcda.inputs.workbook.layout import DATA_FIRST_ROW, YEARS
from mcda.inputs.workbook.read import read_workbook, without_provenance
from mcda.inputs.workbook.write import write_template
from mcda.model import Panel, Support

ROOT = Path(__file__).resolve().parents[3]
UZ = ROOT / "cases" / "uzbekistan-regions"
MONITORING = ROOT / "cases" / "uzbekistan-monitoring"
CATALOGUE = ROOT / "criteria" / "cluster-infrastructure.toml"


def same(a, b) -> bool:
    return without_provenance(a) == without_provenance(b)


def scaled(table, factor: float):
    """The table with every value times ``factor``, rounded to 6 decimals (a typed value, not a computed one:
    LibreOffice keeps 15 significant digits)."""
    return dataclasses.replace(table, values=tuple(tuple(None if v is None else round(v * factor, 6) for v in row)
                                                   for row in table.values))


def hand_panel(goalposts: str = "case", years=(2019, 2020, 2021), factors=(0.8, 0.9, 1.0)):
    """cases/uzbekistan-regions over three years (its values scaled), targets on every indicator, two grants."""
    case = load(UZ)
    tables = tuple(scaled(case.data, f) for f in factors)
    targets = tuple((i, 0.0, 1e6 + k) for k, i in enumerate(case.indicator_ids))
    t = case.data
    panel = Panel(years=tuple(years), tables=tables, goalposts=goalposts, targets=targets, outside="error",
                  support=(Support(t.ids[0], years[0], 100.0, "ILLUSTRATIVE"), Support(t.ids[2], years[-1], 50.5)),
                  note="What the panel cannot say:\nline two")
    return dataclasses.replace(case, panel=panel, data=tables[-1])


@pytest.fixture(scope="module")
def hand_book(tmp_path_factory):
    return write_template(hand_panel(), tmp_path_factory.mktemp("panel") / "panel.xlsx")


def data_rows(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows(min_row=DATA_FIRST_ROW) if row[0].value is not None]


def find(ws, label: str, col: int = 1) -> int:
    return next(c.row for c in ws[openpyxl.utils.get_column_letter(col)] if c.value == label)


def problems_of(path) -> str:
    with pytest.raises(Problems) as e:
        read_workbook(path)
    return str(e.value)


# --------------------------------------------------------------------------- round trips


def test_a_panel_built_by_hand_round_trips(hand_book):
    case = hand_panel()
    back = read_workbook(hand_book)
    assert same(back, case)
    assert back.panel.years == (2019, 2020, 2021) and back.data == back.panel.tables[-1]
    assert back.panel.support[0] == Support(case.data.ids[0], 2019, 100.0, "ILLUSTRATIVE")
    assert back.panel.note == "What the panel cannot say:\nline two"


def test_the_data_sheet_has_one_row_per_region_and_year_years_ascending(hand_book):
    wb = openpyxl.load_workbook(hand_book)
    assert wb.sheetnames.index(YEARS) == wb.sheetnames.index("Data") + 1
    ws = wb["Data"]
    assert [ws.cell(1, c).value for c in (1, 2, 3)] == ["region id", "region name", "year"]
    case = hand_panel()
    assert tuple(ws.cell(1, c).value for c in range(4, 4 + len(case.data.columns))) == case.data.columns
    rows = data_rows(ws)
    assert len(rows) == 3 * 14
    assert [r[2] for r in rows] == sorted(r[2] for r in rows)  # years ascending
    assert {(r[0], r[2]) for r in rows} == {(i, y) for i in case.data.ids for y in (2019, 2020, 2021)}
    t2020 = case.panel.tables[1]
    navoi = next(r for r in rows if r[0] == "navoi" and r[2] == 2020)
    assert navoi[3:3 + len(t2020.columns)] == t2020.values[t2020.ids.index("navoi")]


@pytest.mark.parametrize("file", ["case.toml", "foreign-firms.toml"])
def test_the_shipped_monitoring_cases_round_trip(tmp_path, file):
    case = load(MONITORING / file)
    assert case.panel is not None
    back = read_workbook(pipeline.write_template(case, tmp_path / "m.xlsx"))
    assert same(back, pipeline.for_workbook(case))
    assert back.panel.years == case.panel.years and back.panel.support == case.panel.support


def test_mcda_template_then_monitor_on_the_workbook_prints_what_the_case_does(tmp_path):
    """The planner's path: mcda template on the shipped case, then mcda monitor (csv) on the workbook."""
    book = tmp_path / "monitoring.xlsx"
    assert run("template", MONITORING, "-o", book).exit_code == 0
    on_book, on_case = run("monitor", book, "--format", "csv"), run("monitor", MONITORING, "--format", "csv")
    assert on_book.exit_code == on_case.exit_code == 0, on_book.stderr
    assert on_book.stdout == on_case.stdout and on_book.stdout.count("\n") > 8 * 14


# A small panel in long and wide form: b has no 2019, c an empty wage in 2021 (as tests/inputs/test_panel_case.py)
DATA = {"a": {2019: (200.0, 10.0, 1000.0), 2020: (210.0, 12.0, 1010.0), 2021: (230.0, 15.0, 1020.0)},
        "b": {2020: (180.0, 30.0, 2000.0), 2021: (190.0, 28.0, 2050.0)},
        "c": {2019: (300.0, 5.0, 500.0), 2020: (310.0, 6.0, 505.0), 2021: (None, 7.0, 510.0)}}
TOML = """title = "Panel test"
catalogue = "{catalogue}"
[data]
file = "panel.csv"
id_column = "region_id"
name_column = "name"
{year_column}missing = "exclude-region"
[panel]
{years}goalposts = "case"
outside = "clip"
note = "a test"
[panel.targets]
foreign_firms_per_100k = [0, 5000]
avg_wage_usd = [100, 400]
[denominators]
population = {{ column = "{pop}", factor = 1000 }}
[indicators]
avg_wage_usd = "{wage}"
foreign_firms_per_100k = "{foreign}"
[weighting]
method = "direct"
criteria = ["labour", "investment"]
weights = {{ labour = 2, investment = 1 }}
"""


def small_case(folder: Path, form: str) -> Path:
    cell = lambda v: "" if v is None else repr(v)  # noqa: E731
    if form == "long":
        rows = [["region_id", "name", "year", "wage", "foreign", "pop"],
                *([r, r.upper(), str(y), *map(cell, v)] for r, by in DATA.items() for y, v in by.items())]
        cols = dict(year_column='year_column = "year"\n', years="", wage="wage", foreign="foreign", pop="pop")
    else:
        rows = [["region_id", "name", *(f"{k}_{y}" for y in (2019, 2020, 2021) for k in ("wage", "foreign", "pop"))],
                *([r, r.upper(), *(cell(DATA[r].get(y, (None,) * 3)[j]) for y in (2019, 2020, 2021)
                                   for j in range(3))] for r in DATA)]
        cols = dict(year_column="", years="years = [2019, 2020, 2021]\n", wage="wage_{year}",
                    foreign="foreign_{year}", pop="pop_{year}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "panel.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    (folder / "case.toml").write_text(TOML.format(catalogue=CATALOGUE.as_posix(), **cols), encoding="utf-8")
    return folder


@pytest.mark.parametrize("form", ["long", "wide"])
def test_long_and_wide_form_cases_with_a_gap_round_trip(tmp_path, form):
    case = load(small_case(tmp_path / form, form))
    assert case.panel.tables[0].values[1] == (None, None, None)  # b: no 2019
    path = write_template(case, tmp_path / "p.xlsx")
    back = read_workbook(path)
    assert same(back, case)
    assert back.panel.targets == (("avg_wage_usd", 100.0, 400.0), ("foreign_firms_per_100k", 0.0, 5000.0))
    rows = data_rows(openpyxl.load_workbook(path)["Data"])
    assert ("b", "B", 2019, None, None, None) in rows  # the region's row is written, empty
    if form == "wide":
        assert back.data.columns == ("wage_{year}", "foreign_{year}", "pop_{year}")


def test_a_workbook_without_years_reads_as_before(tmp_path):
    case = load(UZ)
    path = write_template(case, tmp_path / "uz.xlsx")
    wb = openpyxl.load_workbook(path)
    assert YEARS not in wb.sheetnames and wb["Data"]["C1"].value == case.data.columns[0]
    back = read_workbook(path)
    assert back.panel is None and same(back, case)


def test_the_order_of_the_rows_does_not_matter(hand_book, tmp_path):
    """Years descending: the same case. Rows shuffled: the same values for each region and year (the regions
    are listed in the order they first appear, as in the case file's long form)."""
    case = hand_panel()
    wb = openpyxl.load_workbook(hand_book)
    ws = wb["Data"]
    rows = data_rows(ws)
    blocks = [rows[k:k + 14] for k in range(0, len(rows), 14)][::-1]
    for orders, name in (([r for b in blocks for r in b], "descending"), (random.Random(3).sample(rows, len(rows)),
                                                                          "shuffled")):
        for r, values in enumerate(orders, start=DATA_FIRST_ROW):
            for c, v in enumerate(values, start=1):
                ws.cell(r, c).value = v
        wb.save(tmp_path / f"{name}.xlsx")
        back = read_workbook(tmp_path / f"{name}.xlsx")
        if name == "descending":
            assert same(back, case)
        cells = lambda p: {(y, i): v for y, t in zip(p.years, p.tables)  # noqa: E731
                           for i, v in zip(t.ids, t.values)}
        assert cells(back.panel) == cells(case.panel)
        assert back.panel.years == case.panel.years


def test_a_year_added_as_rows_at_the_bottom_becomes_the_last_year(hand_book, tmp_path):
    case = hand_panel()
    wb = openpyxl.load_workbook(hand_book)
    ws = wb["Data"]
    rows = data_rows(ws)
    last = rows[-14:]
    for r, values in enumerate(last, start=DATA_FIRST_ROW + len(rows)):
        for c, v in enumerate(values, start=1):
            ws.cell(r, c).value = 2022 if c == 3 else (v * 2 if isinstance(v, float) and c > 3 else v)
    wb.save(tmp_path / "more.xlsx")
    back = read_workbook(tmp_path / "more.xlsx")
    assert back.panel.years == (2019, 2020, 2021, 2022)
    assert back.panel.tables[:3] == tuple(dataclasses.replace(t, file=u.file)
                                          for t, u in zip(case.panel.tables, back.panel.tables))
    assert back.data == back.panel.tables[-1]
    assert back.data.values[0][0] == pytest.approx(2 * case.data.values[0][0])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(1990, 2030), min_size=1, max_size=4, unique=True),
       st.lists(st.floats(0.5, 2.0), min_size=4, max_size=4), st.sampled_from(["period", "case"]),
       st.lists(st.tuples(st.integers(0, 13), st.integers(0, 3), st.floats(0, 1e9)), max_size=4))
def test_random_panels_round_trip(tmp_path, years, factors, goalposts, grants):
    years = sorted(years)
    case = hand_panel(goalposts, years=years, factors=factors[:len(years)])
    t = case.data
    support = tuple(sorted((Support(t.ids[r], years[y % len(years)], a) for r, y, a in grants),
                           key=lambda s: (s.year, t.ids.index(s.region))))
    case = dataclasses.replace(case, missing="exclude-region",
                               panel=dataclasses.replace(case.panel, support=support))
    path = write_template(case, tmp_path / f"r{random.random()}.xlsx", force=True)
    assert same(read_workbook(path), case)


# --------------------------------------------------------------------------- errors at their cells


def test_bad_rows_and_cells_are_named_by_sheet_and_cell(hand_book, tmp_path):
    wb = openpyxl.load_workbook(hand_book)
    ws, ys = wb["Data"], wb[YEARS]
    ws["A6"] = ws["A5"].value  # rows 5 and 6: the first two regions in 2019, now the first region twice
    ws["C7"] = 2019.5  # not a whole year
    ws["C8"] = "soon"
    support = find(ys, "SUPPORT") + 2
    ys.cell(support, 1).value = "atlantis"
    ys.cell(support + 1, 2).value = 1999
    targets = find(ys, "TARGETS") + 2
    ys.cell(targets, 2).value, ys.cell(targets, 3).value = 5, 5  # lower not below upper
    spare = targets + len(hand_panel().indicator_ids)
    ys.cell(spare, 1).value, ys.cell(spare, 2).value, ys.cell(spare, 3).value = "no_such", 1, 2
    wb.save(tmp_path / "bad.xlsx")
    text = problems_of(tmp_path / "bad.xlsx")
    first = ws["A5"].value
    assert f"Data!A6: region '{first}' has two rows for 2019 (also Data!A5)" in text
    assert "Data!C7: the year of region" in text and "must be a whole number, found 2019.5" in text
    assert 'Data!C8: "soon" is not a number (the year of region' in text
    assert f"{YEARS}!A{support}: region 'atlantis' is not on the Data sheet" in text
    assert f"{YEARS}!B{support + 1}: 1999 is not a year of the data (2019-2021)" in text
    assert f"{YEARS}!B{targets}: the lower goalpost 5 of " in text and "is not below the upper 5" in text
    assert f"{YEARS}!A{spare}: 'no_such' is not an indicator of this case" in text


def test_a_target_in_percent_reads_as_shown_for_an_indicator_in_percent(hand_book, tmp_path):
    """unemployment_rate is measured in % (its data: 9.8% is 9.8); a goalpost typed 25% is 25 there, and is
    refused for an indicator in another unit."""
    wb = openpyxl.load_workbook(hand_book)
    ys = wb[YEARS]
    rate, students = find(ys, "unemployment_rate"), find(ys, "students_per_1000")
    ys.cell(rate, 3).value = 0.25
    ys.cell(rate, 3).number_format = "0%"
    wb.save(tmp_path / "pct.xlsx")
    back = read_workbook(tmp_path / "pct.xlsx")
    assert ("unemployment_rate", 0.0, 25.0) in back.panel.targets
    ys.cell(students, 3).value = "40%"
    wb.save(tmp_path / "pct2.xlsx")
    assert f"{YEARS}!C{students}: 40% is a percentage" in problems_of(tmp_path / "pct2.xlsx")


def test_case_goalposts_need_every_target_and_a_year_column(hand_book, tmp_path):
    wb = openpyxl.load_workbook(hand_book)
    ys = wb[YEARS]
    targets = find(ys, "TARGETS") + 2
    iid = ys.cell(targets, 1).value
    ys.cell(targets, 2).value = ys.cell(targets, 3).value = None
    wb["Data"]["C1"] = "when"
    wb.save(tmp_path / "bad.xlsx")
    text = problems_of(tmp_path / "bad.xlsx")
    assert f"{YEARS}!B{find(ys, 'goalposts')}: goalposts = case needs targets for every indicator; {iid} has none" \
        in text
    assert "Data!C1: the workbook has a Years sheet, so column C of the Data sheet must hold each row's year" in text


def test_a_panel_without_its_years_sheet_says_to_keep_it(hand_book, tmp_path):
    wb = openpyxl.load_workbook(hand_book)
    del wb[YEARS]
    wb.save(tmp_path / "no-years.xlsx")
    text = problems_of(tmp_path / "no-years.xlsx")
    assert f"Data!A{DATA_FIRST_ROW + 14}: region id " in text and f"keep the {YEARS} sheet" in text


def test_missing_values_are_named_per_year(hand_book, tmp_path):
    """missing = error: a region with no row for a year, and an empty cell, each at its place."""
    case = hand_panel()
    wb = openpyxl.load_workbook(hand_book)
    ws = wb["Data"]
    rows = data_rows(ws)
    gone = rows[14]  # the first region's 2020 row
    ws.delete_rows(DATA_FIRST_ROW + 14)
    ws.cell(DATA_FIRST_ROW + 30, 4).value = None  # 2021, a region's first column
    wb.save(tmp_path / "gaps.xlsx")
    text = problems_of(tmp_path / "gaps.xlsx")
    assert case.missing == "error"
    assert f"Data!A{DATA_FIRST_ROW}: region {gone[0]} has no row for {gone[2]}" in text
    assert f"Data!D{DATA_FIRST_ROW + 30}: value missing for region" in text and "in 2021, column" in text


# --------------------------------------------------------------------------- on paper


def test_the_panel_workbook_is_protected_and_prints_on_a4(hand_book):
    wb = openpyxl.load_workbook(hand_book)
    assert protection_problems(wb) == []
    assert overlapping_validations(wb) == []
    assert unnamed_fonts(wb) == []
    assert page_problems(wb) == []
    assert wb["Data"].print_title_cols == "$A:$C" or wb["Data"].sheet_properties.pageSetUpPr.fitToPage


def need_soffice():
    if soffice() is None:
        if os.environ.get("MCDA_REQUIRE_SOFFICE") == "1":
            pytest.fail("MCDA_REQUIRE_SOFFICE=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")


@pytest.mark.slow
def test_a_panel_workbook_saved_by_libreoffice_reads_back_identically(hand_book, tmp_path):
    need_soffice()
    out = tmp_path / "out"
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "xlsx", "--outdir", str(out), str(hand_book)],
                   check=True, capture_output=True, timeout=300)
    assert same(read_workbook(out / hand_book.name), hand_panel())


@pytest.mark.slow
def test_the_panel_workbook_prints_whole_on_a4_at_7_pt_or_more(hand_book, tmp_path):
    need_soffice()
    wb = openpyxl.load_workbook(hand_book)
    pdfs = to_pdf([hand_book, ruler(tmp_path / "ruler.xlsx")], tmp_path, tmp_path / "lo")
    pages, seven = pdf_pages(pdfs[0]), ruler_height(pdf_pages(pdfs[1]))
    assert min(w.height for p in pages for w in p.words) >= seven - 0.01
    by_sheet = pages_by_sheet(pages, wb.sheetnames)
    # 42 rows of regions and years and 10 empty ones: two pages long, one wide (fitted to the width)
    assert len(by_sheet["Data"]) == 2 and len(by_sheet[YEARS]) == 1
    assert wb["Data"].sheet_properties.pageSetUpPr.fitToPage and wb["Data"].page_setup.fitToWidth == 1
    for ws in wb:
        assert missing_texts(ws, by_sheet[ws.title]) == []
    assert overprinted_words(pages) == []
