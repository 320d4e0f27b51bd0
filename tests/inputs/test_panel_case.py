"""Panel cases (issue 13): long and wide form read into the same Panel, the order of rows and years does not
matter, every bad input is refused at its file and line or field, and the shipped uzbekistan-monitoring case
loads with every cell copied from the shared data."""
from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from clirun import run
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mcda.errors import CaseError, DataError
from mcda.inputs.load import load
from mcda.model import Support

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "criteria" / "cluster-infrastructure.toml"
SHIPPED = ROOT / "cases" / "uzbekistan-monitoring"
SHARED = ROOT.parent / "shared" / "data" / "uzbekistan-regions"

# region -> year -> (wage, foreign firms, population in thousands); b lacks 2019, c has an empty wage in 2021
DATA = {
    "a": {2019: (200.0, 10.0, 1000.0), 2020: (210.0, 12.0, 1010.0), 2021: (230.0, 15.0, 1020.0)},
    "b": {2020: (180.0, 30.0, 2000.0), 2021: (190.0, 28.0, 2050.0)},
    "c": {2019: (300.0, 5.0, 500.0), 2020: (310.0, 6.0, 505.0), 2021: (None, 7.0, 510.0)},
}
NAMES = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
YEARS = [2019, 2020, 2021]

TOML = """title = "Panel test"
catalogue = "{catalogue}"
[data]
file = "{file}"
id_column = "region_id"
name_column = "name"
{year_column}missing = "{missing}"
{panel}
[denominators]
population = {{ column = "{population}", factor = 1000 }}
[indicators]
avg_wage_usd = "{wage}"
foreign_firms_per_100k = "{foreign}"
[weighting]
method = "direct"
criteria = ["labour", "investment"]
weights = {{ labour = 2, investment = 1 }}
"""


def cell(v) -> str:
    return "" if v is None else repr(v)


def long_rows(order=None) -> list[list[str]]:
    rows = [[r, NAMES[r], str(y), *map(cell, v)] for r, by in DATA.items() for y, v in by.items()]
    return [["region_id", "name", "year", "wage", "foreign", "pop"], *(order(rows) if order else rows)]


def wide_rows() -> list[list[str]]:
    head = ["region_id", "name", *(f"{k}_{y}" for y in YEARS for k in ("wage", "foreign", "pop"))]
    return [head, *([r, NAMES[r], *(cell(DATA[r].get(y, (None,) * 3)[j]) for y in YEARS for j in range(3))]
                    for r in DATA)]


def write(folder: Path, rows, form: str = "long", missing: str = "exclude-region", panel: str = "",
          file: str = "panel.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / file, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    if form == "long":
        cols = dict(year_column='year_column = "year"\n', wage="wage", foreign="foreign", population="pop")
    else:
        cols = dict(year_column="", wage="wage_{year}", foreign="foreign_{year}", population="pop_{year}")
        panel = panel or "[panel]\nyears = [2021, 2019, 2020]\n"
    (folder / "case.toml").write_text(TOML.format(catalogue=CATALOGUE.as_posix(), file=file, missing=missing,
                                                  panel=panel, **cols), encoding="utf-8")
    return folder


def by_cell(panel):
    """(region, year, column position) -> value: a panel's content whatever its order of regions."""
    return {(r, y, j): v for y, t in zip(panel.years, panel.tables) for r, row in zip(t.ids, t.values)
            for j, v in enumerate(row)}


def test_long_and_wide_forms_read_into_the_same_panel(tmp_path):
    long = load(write(tmp_path / "long", long_rows())).panel
    wide = load(write(tmp_path / "wide", wide_rows(), form="wide")).panel
    assert long.years == wide.years == (2019, 2020, 2021)
    assert [t.ids for t in long.tables] == [t.ids for t in wide.tables] == [("a", "b", "c")] * 3
    assert [t.names for t in long.tables] == [t.names for t in wide.tables] == [("Alpha", "Beta", "Gamma")] * 3
    assert [t.values for t in long.tables] == [t.values for t in wide.tables]
    assert long.tables[0].columns == ("wage", "foreign", "pop")
    assert wide.tables[0].columns == ("wage_{year}", "foreign_{year}", "pop_{year}")  # the pattern text
    # every value is the one written for that region and year; a missing region-year is None throughout
    for (r, y, j), v in by_cell(long).items():
        assert v == DATA[r].get(y, (None,) * 3)[j]


def test_the_case_data_is_the_last_year_and_equals_a_one_year_case(tmp_path):
    case = load(write(tmp_path / "p", long_rows()))
    assert case.data == case.panel.tables[-1]
    one = [[r, NAMES[r], *map(cell, DATA[r][2021])] for r in DATA]
    write(tmp_path / "one", [["region_id", "name", "wage", "foreign", "pop"], *one])
    text = (tmp_path / "one" / "case.toml").read_text().replace('year_column = "year"\n', "")
    (tmp_path / "one" / "case.toml").write_text(text)
    single = load(tmp_path / "one")
    assert single.panel is None
    assert (single.data.ids, single.data.values) == (case.data.ids, case.data.values)


@pytest.mark.parametrize("seed", range(5))
def test_the_order_of_rows_and_years_does_not_matter(tmp_path, seed):
    base = load(write(tmp_path / "base", long_rows())).panel
    shuffled = load(write(tmp_path / "s", long_rows(lambda rows: random.Random(seed).sample(rows, len(rows))))).panel
    assert shuffled.years == base.years == tuple(sorted(base.years))
    assert by_cell(shuffled) == by_cell(base)
    # the years alone reversed (regions in the same order): the very same panel
    by_year = load(write(tmp_path / "y", long_rows(lambda rows: sorted(rows, key=lambda r: -int(r[2]))))).panel
    assert by_year.years == base.years
    assert [(t.ids, t.names, t.columns, t.values) for t in by_year.tables] == \
        [(t.ids, t.names, t.columns, t.values) for t in base.tables]


def test_panel_years_choose_the_years_and_their_order_does_not_matter(tmp_path):
    p = load(write(tmp_path, long_rows(), panel="[panel]\nyears = [2021, 2020]\n")).panel
    assert p.years == (2020, 2021)
    assert p.tables[0].values[0] == DATA["a"][2020]


def test_a_region_missing_in_a_year_is_kept_and_the_policy_decides_year_by_year(tmp_path):
    case = load(write(tmp_path / "ok", long_rows()))
    t2019 = case.panel.tables[0]
    assert t2019.ids == ("a", "b", "c") and t2019.values[1] == (None, None, None)
    with pytest.raises(DataError, match="region b .* in 2019") as e:
        load(write(tmp_path / "strict", long_rows(), missing="error"))
    assert "panel.csv" in e.value.where and "missing" in e.value.fix
    # c's 2021 wage is empty: with missing = "error" only a panel without b's gap reaches it, named in 2021
    rows = long_rows()
    rows.append(["b", "Beta", "2019", "170.0", "25.0", "1990.0"])
    with pytest.raises(DataError, match="region c .* in 2021"):
        load(write(tmp_path / "strict2", rows, missing="error"))


def test_each_year_s_data_is_checked(tmp_path):
    rows = long_rows()
    rows[1][5] = "0"  # a's population in 2019
    with pytest.raises(DataError, match="population is 0 for region a.* in 2019"):
        load(write(tmp_path, rows))


def test_a_year_with_no_data_at_all(tmp_path):
    with pytest.raises(DataError, match="the year 2018 has no data at all") as e:
        load(write(tmp_path / "l", long_rows(), panel="[panel]\nyears = [2018, 2019]\n"))
    assert "2018" in e.value.fix and "year" in e.value.fix
    rows = [r if r[2] != "2020" else [*r[:3], "", "", ""] for r in long_rows()]
    with pytest.raises(DataError, match="the year 2020 has no data at all"):
        load(write(tmp_path / "empty", rows))
    wide = wide_rows()
    wide[0] = [h.replace("2021", "2022") for h in wide[0]]
    with pytest.raises(DataError, match="column 'wage_2021' .*avg_wage_usd for 2021.* is not in the data"):
        load(write(tmp_path / "w", wide, form="wide"))
    blank = [wide_rows()[0], *([*r[:2], *r[2:5], "", "", "", *r[8:]] for r in wide_rows()[1:])]
    with pytest.raises(DataError, match="the year 2020 has no data at all") as e:
        load(write(tmp_path / "w2", blank, form="wide"))
    assert "wage_2020" in e.value.fix


def test_duplicate_region_year_rows_name_both_lines(tmp_path):
    rows = long_rows()
    rows.insert(3, ["a", "Alpha", "2019", "1", "1", "1"])  # line 4; a's first 2019 row is on line 2
    with pytest.raises(DataError, match="region 'a' has two rows for 2019: lines 2 and 4") as e:
        load(write(tmp_path, rows))
    assert e.value.where.endswith("panel.csv line 4")


@pytest.mark.parametrize("year, what", [("", "'' is not a year"), ("2019.5", "'2019.5' is not a year"),
                                        ("nineteen", "'nineteen' is not a year")])
def test_a_bad_year_cell(tmp_path, year, what):
    rows = long_rows()
    rows[2][2] = year
    with pytest.raises(DataError, match=what) as e:
        load(write(tmp_path, rows))
    assert e.value.where.endswith("line 3")


def test_a_spreadsheet_s_year_2019_0_reads_as_2019(tmp_path):
    rows = long_rows()
    for r in rows[1:]:
        r[2] += ".0"
    assert load(write(tmp_path, rows)).panel.years == (2019, 2020, 2021)


SUPPORT_HEAD = "region_id,year,amount,note\n"


@pytest.mark.parametrize("line, what", [
    ("z,2020,5,", "region 'z' is not in the data"),
    ("a,2018,5,", "2018 is not a year of the panel"),
    ("a,2020,-1,", "amount.* must be a number of at least 0, found -1"),
    ("a,2020,nan,", "amount.* must be a finite number of at least 0, found nan"),
    ("a,2020,inf,", "amount.* must be a finite number of at least 0, found inf"),
    ("a,2020,lots,", "amount 'lots' is not a number"),
    ("a,2020,,", "amount '' is not a number"),
])
def test_bad_support_rows_are_refused_at_their_line(tmp_path, line, what):
    write(tmp_path, long_rows(), panel='[panel]\nsupport = "support.csv"\n')
    (tmp_path / "support.csv").write_text(SUPPORT_HEAD + "b,2020,1,fine\n" + line + "\n")
    with pytest.raises(DataError, match=what) as e:
        load(tmp_path)
    assert e.value.where == f"{tmp_path / 'support.csv'} line 3" and e.value.fix


def test_support_rows_are_read_in_year_order(tmp_path):
    write(tmp_path, long_rows(), panel='[panel]\nsupport = "support.csv"\n')
    with pytest.raises(CaseError, match="support file not found") as e:
        load(tmp_path)
    assert e.value.where.endswith("panel.support") and "support" in e.value.fix
    (tmp_path / "support.csv").write_text(SUPPORT_HEAD + "c,2021,2.5,later\na,2020,1,\nb,2020,0,nothing\n")
    case = load(tmp_path)
    assert case.panel.support == (Support("a", 2020, 1.0), Support("b", 2020, 0.0, "nothing"),
                                  Support("c", 2021, 2.5, "later"))
    assert str(tmp_path / "support.csv") in case.inputs


def test_a_support_file_without_its_columns(tmp_path):
    write(tmp_path, long_rows(), panel='[panel]\nsupport = "support.csv"\n')
    (tmp_path / "support.csv").write_text("region,year,amount\na,2020,1\n")
    with pytest.raises(DataError, match="column 'region_id' .* is not in the data") as e:
        load(tmp_path)
    assert "Did you mean 'region'" in e.value.fix


@pytest.mark.parametrize("panel, error, what, where", [
    ('goalposts = "case"\n[panel.targets]\navg_wage_usd = [100, 400]\n', CaseError,
     "needs a target for every indicator; foreign_firms_per_100k has none", "panel.targets"),
    ('[panel.targets]\ngrp_per_capita_usd = [1, 2]\n', CaseError, "'grp_per_capita_usd' is not an indicator",
     "panel.targets.grp_per_capita_usd"),
    ('[panel.targets]\navg_wage_usd = [400, 400]\n', CaseError, "lower goalpost 400 is not below the upper 400",
     "panel.targets.avg_wage_usd"),
    ('[panel.targets]\navg_wage_usd = [500, 100]\n', CaseError, "lower goalpost 500 is not below the upper 100",
     "panel.targets.avg_wage_usd"),
    ('[panel.targets]\navg_wage_usd = [100]\n', CaseError, "must be \\[lower, upper\\]",
     "panel.targets.avg_wage_usd"),
    ('[panel.targets]\navg_wage_usd = [100, "x"]\n', CaseError, "must be a number", "panel.targets.avg_wage_usd"),
    ('goalposts = "fixed"\n', CaseError, "unknown goalposts 'fixed'", "panel.goalposts"),
    ('outside = "ignore"\n', CaseError, "unknown outside 'ignore'", "panel.outside"),
    ('yeras = [2019]\n', CaseError, "unknown key 'yeras'", "panel.yeras"),
    ('years = [2019, 2019]\n', CaseError, "year 2019 is listed twice", "panel.years"),
    ('years = ["2019"]\n', CaseError, "'2019' is not a year", "panel.years"),
    ('years = []\n', CaseError, "must be a list of years", "panel.years"),
])
def test_bad_panel_tables(tmp_path, panel, error, what, where):
    with pytest.raises(error, match=what) as e:
        load(write(tmp_path, long_rows(), panel="[panel]\n" + panel))
    assert e.value.where.endswith(where) and str(tmp_path / "case.toml") in e.value.where and e.value.fix


def test_case_goalposts_with_every_target(tmp_path):
    panel = ('[panel]\ngoalposts = "case"\noutside = "error"\n[panel.targets]\n'
             'foreign_firms_per_100k = [0, 2000]\navg_wage_usd = [100, 400]\n')
    p = load(write(tmp_path, long_rows(), panel=panel)).panel
    assert (p.goalposts, p.outside) == ("case", "error")
    assert p.targets == (("avg_wage_usd", 100.0, 400.0), ("foreign_firms_per_100k", 0.0, 2000.0))  # case order


def test_the_wide_form_needs_its_years_and_the_long_form_no_pattern(tmp_path):
    with pytest.raises(CaseError, match="the wide form needs the years") as e:
        load(write(tmp_path / "w", wide_rows(), form="wide", panel="[panel]\n"))
    assert e.value.where.endswith("panel.years")
    write(tmp_path / "x", long_rows())
    toml = tmp_path / "x" / "case.toml"
    toml.write_text(toml.read_text().replace('avg_wage_usd = "wage"', 'avg_wage_usd = "wage_{year}"'))
    with pytest.raises(CaseError, match="holds \\{year\\}, but the data is in long form"):
        load(tmp_path / "x")
    write(tmp_path / "n", long_rows(), panel="[panel]\nyears = [2019]\n")
    toml = tmp_path / "n" / "case.toml"
    toml.write_text(toml.read_text().replace('year_column = "year"\n', ""))
    with pytest.raises(CaseError, match="no column names a year"):
        load(tmp_path / "n")


def test_a_missing_year_column(tmp_path):
    rows = long_rows()
    rows[0][2] = "yr"
    with pytest.raises(DataError, match="column 'year' \\(used by \\[data\\] year_column\\) is not in the data") as e:
        load(write(tmp_path, rows))
    assert "Did you mean 'yr'" in e.value.fix


def test_a_one_year_case_has_no_panel():
    assert load(ROOT / "cases" / "uzbekistan-regions").panel is None


# --------------------------------------------------------------------------- the shipped case


def shared(file: str) -> dict[str, dict[str, str]]:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not here (the shared data are not part of the repository)")
    with open(SHARED / file, newline="", encoding="utf-8") as f:
        return {r["region_id"]: r for r in csv.DictReader(f)}


def test_every_cell_of_the_shipped_panel_is_copied_from_the_shared_data():
    demo, lab, eco = shared("uz_demography.csv"), shared("uz_labour.csv"), shared("uz_economy_investment.csv")
    foreign = {2021: "foreign_capital_enterprises_2022q1_units", 2022: "foreign_capital_enterprises_2023_01_01_units",
               2024: "foreign_capital_enterprises_2025_01_01_units"}
    with open(SHIPPED / "panel.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 14 * 8
    assert {(r["region_id"], int(r["year"])) for r in rows} == {(k, y) for k in demo for y in range(2017, 2025)}
    for r in rows:
        rid, y = r["region_id"], int(r["year"])
        assert r["region_name_en"] == demo[rid]["region_name_en"]
        assert r["population_thousand"] == demo[rid][f"population_{y}_thousand"]
        assert r["grp_per_capita_usd"] == eco[rid][f"grp_per_capita_{y}_usd"]
        assert r["avg_monthly_wage_usd"] == lab[rid][f"avg_monthly_wage_{y}_usd"]
        assert r["foreign_capital_enterprises_units"] == (eco[rid][foreign[y]] if y in foreign else "")


def test_the_shipped_case_loads_and_validates():
    case = load(SHIPPED)
    p = case.panel
    assert p.years == tuple(range(2017, 2025)) and p.goalposts == "period"
    assert all(t.ids == case.data.ids and len(t.ids) == 14 for t in p.tables)
    assert case.data == p.tables[-1]
    assert {s.region for s in p.support} == {"tashkent_city", "tashkent_region", "jizzakh", "surkhandarya"}
    assert {s.year for s in p.support} == {2019}
    assert case.method.name == "topsis" and case.weighting.method == "ahp"
    assert "ILLUSTRATIVE" in case.weighting.note
    assert "ILLUSTRATIVE" in (SHIPPED / "support.csv").read_text()
    sources = (SHIPPED / "SOURCES.md").read_text()
    assert "## What this panel cannot say" in sources and "ILLUSTRATIVE" in sources
    result = run("validate", SHIPPED)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:")


def test_the_foreign_firms_case_covers_only_the_years_a_count_stands_for():
    case = load(SHIPPED / "foreign-firms.toml")
    assert case.panel.years == (2021, 2022, 2024)
    assert "foreign_firms_per_100k" in case.indicator_ids
    j = case.data.columns.index("foreign_capital_enterprises_units")
    assert all(row[j] is not None for t in case.panel.tables for row in t.values)
    assert dict(zip(case.data.ids, case.data.column("foreign_capital_enterprises_units")))["tashkent_city"] == 9676


# --------------------------------------------------------------------------- property: any panel, either form


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_panel_reads_the_same_in_long_and_wide_form_in_any_row_order(tmp_path_factory, data):
    """Random regions, years, gaps (a region absent in a year, an empty cell) and row order: the long form
    (rows shuffled) and the wide form hold the same value for every region and year, None where absent."""
    years = sorted(data.draw(st.sets(st.integers(2000, 2030), min_size=1, max_size=4)))
    regions = [f"r{k}" for k in range(data.draw(st.integers(1, 4)))]
    value = st.floats(1.0, 1e6, allow_nan=False)
    triple = st.one_of(st.none(), st.tuples(st.one_of(st.none(), value), value, value))
    cells = {(r, y): data.draw(triple) for r in regions for y in years}
    assume(all(any(cells[r, y] is not None for r in regions) for y in years))  # no year without data
    head = ["region_id", "name", "year", "wage", "foreign", "pop"]
    rows = [[r, r.upper(), str(y), *map(cell, v)] for (r, y), v in cells.items() if v is not None]
    rows = data.draw(st.permutations(rows))
    folder = tmp_path_factory.mktemp("prop")
    long = load(write(folder / "long", [head, *rows])).panel
    wide_head = ["region_id", "name", *(f"{k}_{y}" for y in years for k in ("wage", "foreign", "pop"))]
    wide = [[r, r.upper(), *(cell((cells[r, y] or (None,) * 3)[j]) for y in years for j in range(3))]
            for r in regions if any(cells[r, y] for y in years)]
    panel = f"[panel]\nyears = {data.draw(st.permutations(years))}\n"
    wide_panel = load(write(folder / "wide", [wide_head, *wide], form="wide", panel=panel)).panel
    assert long.years == wide_panel.years == tuple(years)
    assert by_cell(long) == by_cell(wide_panel)
    for (r, y, j), v in by_cell(long).items():
        assert v == (cells[r, y] or (None,) * 3)[j]
