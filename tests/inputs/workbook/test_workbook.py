"""The planners' input workbook (mcda/inputs/workbook/): template -> edit -> read back.

Oracles: a case read back from its own template equals the case (provenance aside), for
generated cases and the shipped ones; LibreOffice (a real spreadsheet) saves and edits the
workbook, and what it wrote reads back as the planner meant it; a judgement edited in the
workbook ranks exactly as the same judgement set with --set on the TOML case.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from clirun import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda import pipeline
from mcda.errors import CaseError, Problems
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.inputs.workbook import read_file
from mcda.inputs.workbook.layout import BUDGET_RULES, DATA_FIRST_ROW, MAX_BYTES
from mcda.inputs.workbook.read import read_workbook, without_provenance
from mcda.inputs.workbook.read_cells import MAX_LISTED
from mcda.inputs.workbook.write import write_template
from mcda.vocabulary import METHODS, MISSING_POLICIES, RI_TABLES, SAATY
from mcda.weighting.weights import weights as weights_of

ROOT = Path(__file__).resolve().parents[3]
UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REQUIRED = os.environ.get("MCDA_REQUIRE_SOFFICE") == "1"


def need_soffice():
    if SOFFICE is None:
        if REQUIRED:
            pytest.fail("MCDA_REQUIRE_SOFFICE=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")


def uno_python() -> str | None:
    """A Python that can import LibreOffice's uno module (Debian's python3-uno)."""
    for exe in ("/usr/bin/python3", shutil.which("python3"), "/usr/lib/libreoffice/program/python"):
        if exe and os.path.exists(exe) and subprocess.run([exe, "-c", "import uno"],
                                                          capture_output=True).returncode == 0:
            return exe
    return None


def same(a, b) -> bool:
    """Equal cases, where they came from aside (the what-ifs they were built with, Case.overrides, included:
    a template holds their values as its own, and a planner's edit is a value, not a --set)."""
    return without_provenance(a) == without_provenance(b)




# --------------------------------------------------------------------------- finding cells


def section_rows(ws, label: str) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"no {label} in {ws.title}")


def header_col(ws, row: int, name: str) -> int:
    for cell in ws[row]:
        if cell.value == name:
            return cell.column
    raise AssertionError(f"no header {name} in row {row} of {ws.title}")


def indicator_cell(ws, iid: str, header: str) -> str:
    head = section_rows(ws, "INDICATORS") + 1
    col = header_col(ws, head, header)
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, 2).value == iid:
            return ws.cell(r, col).coordinate
    raise AssertionError(iid)


def criterion_cell(ws, cid: str, header: str) -> str:
    head = section_rows(ws, "CRITERIA") + 1
    col = header_col(ws, head, header)
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, 1).value == cid:
            return ws.cell(r, col).coordinate
    raise AssertionError(cid)


def data_cell(ws, region: str, column: str) -> str:
    col = header_col(ws, 1, column)
    for r in range(DATA_FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, 1).value == region:
            return ws.cell(r, col).coordinate
    raise AssertionError(region)


def judgement_cell(ws, row_id: str, col_id: str, expert: int = 0) -> str:
    tops = [c.row for c in ws["A"] if c.value == "EXPERT"]
    top = tops[expert]
    col = header_col(ws, top + 1, col_id)
    for r in range(top + 2, ws.max_row + 1):
        if ws.cell(r, 1).value == row_id:
            return ws.cell(r, col).coordinate
    raise AssertionError(row_id)


def setting_cell(ws, label: str) -> str:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return f"B{row[0].row}"
    raise AssertionError(label)


def edit(path: Path, changes: dict[tuple[str, str], object], formats: dict[tuple[str, str], str] | None = None):
    """Change cells with openpyxl, as a planner's spreadsheet would, and save in place."""
    wb = openpyxl.load_workbook(path)
    for (sheet, ref), value in changes.items():
        wb[sheet][ref].value = value
    for (sheet, ref), fmt in (formats or {}).items():
        wb[sheet][ref].number_format = fmt
    wb.save(path)


@pytest.fixture(scope="module")
def uz():
    return load(UZ)


@pytest.fixture
def uz_book(uz, tmp_path):
    return write_template(uz, tmp_path / "inputs.xlsx")


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("folder", [UZ, RU], ids=["uzbekistan", "russia"])
def test_shipped_cases_round_trip(folder, tmp_path):
    case = load(folder)
    path = write_template(case, tmp_path / "inputs.xlsx")
    back = load(path)  # through the CASE door every verb uses
    assert same(back, case)
    assert back.path == str(path) and back.inputs == (str(path),)
    assert back.catalogue.path == f"{path}!Criteria" and back.data.file == f"{path}!Data"
    assert back != case  # provenance differs: it really came from the workbook


@pytest.mark.parametrize("settings_", [
    ["weights.research=0.4"],  # direct weights
    ["method.name=vikor", "method.v=0.3", "weighting.ri_table=alonso-lamata-2006", "weighting.threshold=0.05"],
    ["method.name=waspas", "method.l=0.25", "seed=9007199254740993"],  # a seed beyond 2**53
    ["data.missing=median", "data.navoi.unemployment_rate_2021q1_pct=", "indicator_weights.avg_wage_usd=0.5"],
    ["judgements.labour.research=0.3", "judgements.investment.admin_barriers=1/9"],
    ["budget.total=250.5", "budget.mandatory=navoi,bukhara", "budget.cap=none"],
], ids=["direct", "vikor", "waspas-seed", "missing", "judgements", "budget"])
def test_what_ifs_round_trip(uz, settings_, tmp_path):
    case = pipeline.settled(apply(uz, settings_))  # what-if weights are written as the direct weights they give
    assert same(read_workbook(write_template(case, tmp_path / "w.xlsx")), case)


def test_unsettled_what_if_weights_are_not_silently_dropped(uz, tmp_path):
    what_if = apply(uz, ["weights.research=0.4"])
    with pytest.raises(CaseError, match="what-if weights"):
        write_template(what_if, tmp_path / "w.xlsx")
    back = read_workbook(pipeline.write_template(what_if, tmp_path / "w.xlsx"))  # the API settles them
    assert back.weighting.method == "direct" and pipeline.weights(back).of("research") == pytest.approx(0.4)


# Generated cases, written as TOML + CSV and loaded by load_case, so every one is a case the
# tool can really meet. Text avoids control characters other than newline and tab (a
# workbook cannot store them; test_control_characters_are_refused) and carriage returns
# (XML turns them into newlines).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\n\t"), max_size=12)
PREFIX = st.sampled_from(["", "", "=", "+", "-", "@", "=1+1 "])
NAME = st.builds(lambda p, t: (p + t).strip(), PREFIX,
                 st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=10)
                 ).filter(bool)
IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
# any digits; magnitudes that cannot overflow column x factor / denominator, nor fall below what the data
# checks accept (mcda.inputs.datacheck: nothing subnormal or under 1e-150 once converted)
ANY = st.one_of(st.just(0.0), st.floats(1e-6, 1e15), st.floats(-1e15, -1e-6))
COUNT = st.one_of(st.just(0.0), st.floats(1e-6, 1e15))  # a column divided by a denominator: not negative
POSITIVE = st.floats(min_value=1e-9, max_value=1e9)
SHARE = st.floats(min_value=0.0, max_value=1.0)
JUDGEMENT = st.one_of(st.sampled_from(SAATY), st.floats(min_value=0.111, max_value=9.0))


def toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return "{ " + ", ".join(f"{toml(k)} = {toml(v)}" for k, v in value.items()) + " }"


def table(name: str, values: dict) -> str:
    return f"[{name}]\n" + "".join(f"{toml(k)} = {toml(v)}\n" for k, v in values.items())


@st.composite
def case_files(draw):
    """(catalogue.toml, case.toml, data.csv) texts of a valid case."""
    ids = draw(st.lists(IDENT, min_size=12, max_size=12, unique=True))
    n_crit = draw(st.integers(1, 4))
    criteria = []
    for k in range(n_crit):
        inds = []
        for m in range(draw(st.integers(0 if k else 1, 2))):
            inds.append(dict(id=ids.pop(), name=draw(TEXT), unit=draw(st.sampled_from(["%", "t", ""]) | TEXT),
                             direction=draw(st.sampled_from(["max", "min"])),
                             source=draw(TEXT), proxy=draw(TEXT), scale=draw(POSITIVE),
                             **({"per": draw(st.sampled_from(["population", "area"]))} if draw(st.booleans())
                                else {})))
        criteria.append(dict(id=ids.pop(), name=draw(TEXT), description=draw(TEXT),
                             kind=draw(st.sampled_from(["infrastructure", "component"])), indicators=inds))
    catalogue = "".join(f"{toml(k)} = {toml(draw(TEXT))}\n" for k in ("id", "title", "source"))
    for c in criteria:
        catalogue += "[[criteria]]\n" + "".join(f"{toml(k)} = {toml(v)}\n" for k, v in c.items())

    pool = [i for c in criteria for i in c["indicators"]]
    used = draw(st.lists(st.sampled_from(pool), min_size=1, unique_by=lambda i: i["id"]))
    used_crit = list(dict.fromkeys(c["id"] for c in criteria for i in c["indicators"] if i in used))
    order = draw(st.permutations(used_crit))
    columns = draw(st.lists(NAME.filter(lambda s: s not in ("region_id", "region_name")), min_size=len(used) + 2,
                            max_size=len(used) + 2, unique=True))
    missing = draw(st.sampled_from(MISSING_POLICIES))
    indicators, col_of, dens = {}, {}, {}
    for k, ind in enumerate(used):
        col = columns[k] if draw(st.integers(0, 4)) or k == 0 else columns[0]  # sometimes two share one column
        spec = {"column": col, "factor": draw(POSITIVE), "year": draw(TEXT), "note": draw(TEXT)}
        if "per" in ind:
            if draw(st.booleans()):
                spec["already_relative"] = True
            else:
                dens[ind["per"]] = {"column": columns[-1 if ind["per"] == "population" else -2],
                                    "factor": draw(POSITIVE), "year": draw(TEXT), "note": draw(TEXT)}
        indicators[ind["id"]] = spec
        col_of[ind["id"]] = col
    n = draw(st.integers(2, 5))
    regions = draw(st.lists(NAME, min_size=n, max_size=n, unique=True))
    names = [draw(st.one_of(st.just(""), NAME)) for _ in regions]
    den_cols = {d["column"] for d in dens.values()}
    per_cols = {col_of[i["id"]] for i in used if "per" in i}
    data_cols = list(dict.fromkeys([*col_of.values(), *den_cols]))
    rows = [["region_id", "region_name", *data_cols]]
    for rid, nm in zip(regions, names):
        row = [rid, nm]
        for col in data_cols:
            value = draw(POSITIVE) if col in den_cols else draw(COUNT) if col in per_cols else draw(ANY)
            if missing != "error" and col not in den_cols and draw(st.integers(0, 5)) == 0:
                row.append("")
            else:
                row.append(repr(value))
        rows.append(row)

    case = "".join(f"{k} = {toml(v)}\n" for k, v in (
        ("title", draw(TEXT)), ("description", draw(TEXT)), ("catalogue", "catalogue.toml"),
        ("seed", draw(st.integers(0, 2**63 - 1)))))
    case += table("data", {"file": "data.csv", "id_column": "region_id", "name_column": "region_name",
                           "missing": missing})
    if dens:
        case += table("denominators", dens)
    case += table("indicators", indicators)
    weights = {i: draw(POSITIVE) for i in indicators if draw(st.booleans())}
    case += table("indicator_weights", weights)
    weighting = {"method": draw(st.sampled_from(["ahp", "direct"])), "criteria": list(order),
                 "ri_table": draw(st.sampled_from(sorted(RI_TABLES))), "threshold": draw(st.floats(0.001, 0.999)),
                 "note": draw(TEXT)}
    if weighting["method"] == "direct":
        direct = [draw(st.floats(0, 1e6)) for _ in order]
        direct[0] = direct[0] or 1.0
        weighting["weights"] = dict(zip(order, direct))
    case += table("weighting", weighting)
    if weighting["method"] == "ahp":  # experts' names differ (ignoring case and edge spaces): a name is an expert
        names = draw(st.lists(NAME, min_size=1, max_size=3, unique_by=lambda x: x.strip().casefold()))
        for name in names:
            m = len(order)
            cells = [["" if j != i else 1 for j in range(m)] for i in range(m)]
            for i in range(m):
                for j in range(i + 1, m):
                    v = draw(JUDGEMENT)
                    if draw(st.booleans()):
                        cells[i][j] = v
                    else:  # the lower triangle given instead
                        cells[j][i] = v
            case += "[[weighting.experts]]\n" + "".join(f"{k} = {toml(v)}\n" for k, v in (
                ("name", name), ("weight", draw(POSITIVE)), ("note", draw(TEXT)), ("judgements", cells)))
    method = {"name": draw(st.sampled_from(sorted(METHODS)))}
    spec = METHODS[method["name"]]
    if spec["normalizations"] and draw(st.booleans()):
        method["normalization"] = draw(st.sampled_from(spec["normalizations"]))
    for key in ("v", "l"):
        if key in spec["params"] and draw(st.booleans()):
            method[key] = draw(SHARE)
    if "preference_function" in spec["params"]:
        method["preference_function"] = draw(st.sampled_from(["usual", "ushape", "vshape", "level", "vshape_2"]))
        for key in ("p", "q"):
            method[key] = {i: draw(st.floats(0, 1e9)) for i in indicators}
    case += table("method", method)
    if draw(st.booleans()):
        budget = {"total": draw(POSITIVE), "unit": draw(TEXT), "note": draw(TEXT),
                  "segments": draw(st.integers(1, 50)), "decay": draw(st.floats(0.01, 1.0)),
                  "floor": draw(st.floats(0, 1e6)), "solver": draw(st.sampled_from(["cbc", "highs"]))}
        if draw(st.booleans()):
            budget["cap"] = draw(st.floats(0, 1e9))
        picked = draw(st.lists(st.sampled_from(regions), unique=True, max_size=3))
        if picked:
            budget["mandatory"] = picked[:1]
            budget["excluded"] = picked[1:]
            budget["groups"] = [{"name": "west", "regions": picked, "min_share": 0.0,
                                 "max_share": draw(SHARE), "note": draw(TEXT)}]
        if den_cols and draw(st.booleans()):
            budget["cap_rate"] = draw(POSITIVE)
            budget["cap_rate_column"] = sorted(den_cols)[0]
        groups = budget.pop("groups", [])
        case += table("budget", budget)
        for g in groups:
            case += "[[budget.groups]]\n" + "".join(f"{toml(k)} = {toml(v)}\n" for k, v in g.items())
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return catalogue, case, out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(case_files())
def test_round_trip_property(files):
    catalogue, case_toml, data = files
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        (folder / "catalogue.toml").write_text(catalogue, encoding="utf-8")
        (folder / "case.toml").write_text(case_toml, encoding="utf-8")
        (folder / "data.csv").write_text(data, encoding="utf-8")
        case = load(folder)
        back = read_workbook(write_template(case, folder / "inputs.xlsx"))
    assert same(back, case)


def test_the_budget_sheet_carries_every_budget_rule():
    """A rule added to [budget] must get a row on the Budget sheet (or the round trip would drop it)."""
    from mcda.model import Budget
    from mcda.vocabulary import BUDGET_KEYS
    on_sheet = {key for key, _ in BUDGET_RULES} | {"mandatory", "excluded", "groups"}
    assert on_sheet == set(BUDGET_KEYS) == {f.name for f in dataclasses.fields(Budget)}


def test_user_text_is_written_as_text_never_as_formula(uz, tmp_path):
    tricky = ("=1+1", "+1", "-2", "@SUM(A1)", '=HYPERLINK("http://example.org","x")', "=cmd|' /C calc'!A0")
    t = uz.data
    case = dataclasses.replace(uz, title=tricky[4], data=dataclasses.replace(
        t, names=tuple(tricky[k % len(tricky)] for k in range(len(t.ids)))))
    path = write_template(case, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(path)
    for k, name in enumerate(case.data.names):
        cell = wb["Data"].cell(DATA_FIRST_ROW + k, 2)
        assert (cell.value, cell.data_type) == (name, "s")
    title = wb["Method"][setting_cell(wb["Method"], "title")]
    assert (title.value, title.data_type) == (tricky[4], "s")
    with zipfile.ZipFile(path) as z:  # the only formulas: the reciprocals shown on the Judgements sheet
        sheets = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
    with_formulas = [n for n, xml in sheets.items() if "<f>" in xml]
    assert len(with_formulas) == 1 and "IF(LEFT(" in sheets[with_formulas[0]]
    assert same(read_workbook(path), case)


def test_control_characters_are_refused_and_nothing_is_written(uz, tmp_path):
    case = dataclasses.replace(uz, title="bell \x07 here")
    with pytest.raises(CaseError, match=r"^\w+!\w+: the text 'bell \\x07 here' holds a control character"):
        write_template(case, tmp_path / "w.xlsx")
    assert list(tmp_path.iterdir()) == []  # no workbook, no temporary file


def test_toml_cases_do_not_import_openpyxl():
    code = ("import sys; from mcda.inputs.load import load; load(sys.argv[1]); "
            "print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(UZ)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- edits a planner makes


def test_a_judgement_edited_in_the_workbook_ranks_like_set_on_the_toml_case(uz, uz_book):
    ws = openpyxl.load_workbook(uz_book)["Judgements"]
    ref = judgement_cell(ws, "labour", "research")
    assert ws[ref].value == "1"
    edit(uz_book, {("Judgements", ref): "1/5"})
    got = pipeline.rank(read_workbook(uz_book))
    want = pipeline.rank(apply(uz, ["judgements.labour.research=1/5"]))
    before = pipeline.rank(uz)
    assert np.array_equal(got.weights.values, want.weights.values)
    assert np.array_equal(got.scores, want.scores) and np.array_equal(got.ranks, want.ranks)
    assert got.weights.of("research") > 2 * before.weights.of("labour") / 1.5  # the edit mattered
    assert not np.array_equal(got.scores, before.scores)


def test_switching_to_direct_weights_in_the_workbook(uz, uz_book):
    wb = openpyxl.load_workbook(uz_book)
    changes = {("Method", setting_cell(wb["Method"], "weighting method")): "direct"}
    for cid, w in zip(uz.weighting.criteria, (4, 3, 2, 1)):
        changes[("Criteria", criterion_cell(wb["Criteria"], cid, "direct weight"))] = w
    edit(uz_book, changes)
    case = read_workbook(uz_book)
    assert case.weighting.method == "direct" and case.weighting.direct == (4.0, 3.0, 2.0, 1.0)
    assert np.allclose(weights_of(case.weighting).values, [0.4, 0.3, 0.2, 0.1])


def test_leaving_an_indicator_and_a_criterion_out(uz, uz_book):
    """Clearing data columns drops indicators; a criterion left with none drops out of the matrices."""
    wb = openpyxl.load_workbook(uz_book)
    ws = wb["Criteria"]
    edit(uz_book, {("Criteria", indicator_cell(ws, "hei_per_million", "data column")): None,
                   ("Criteria", indicator_cell(ws, "avg_wage_usd", "data column")): None})
    case = read_workbook(uz_book)
    assert case.weighting.criteria == ("labour", "investment", "admin_barriers")
    assert "avg_wage_usd" not in case.indicator_ids and "hei_per_million" not in case.indicator_ids
    m = np.array(uz.weighting.experts[0].matrix)[:3, :3]
    assert np.array_equal(np.array(case.weighting.experts[0].matrix), m)


def test_adding_a_criterion_to_an_ahp_case(uz, uz_book):
    """A planner maps a new indicator, adds its column of data and its criterion's row and column."""
    wb = openpyxl.load_workbook(uz_book)
    crit, data, judge = wb["Criteria"], wb["Data"], wb["Judgements"]
    crit[indicator_cell(crit, "industry_share_grp", "data column")].value = "industry_share"
    col = data.max_column + 1
    data.cell(1, col).value = "industry_share"
    shares = [float(k + 1) for k in range(len(uz.data.ids))]
    for k, v in enumerate(shares):
        data.cell(DATA_FIRST_ROW + k, col).value = v
    judge.protection.sheet = False
    judge["F4"].value, judge["A9"].value = "leading_enterprises", "leading_enterprises"
    for r, v in zip(range(5, 9), ("3", "1/2", "1", "2")):
        judge[f"F{r}"].value = v
    wb.save(uz_book)
    case = read_workbook(uz_book)
    assert case.weighting.criteria == (*uz.weighting.criteria, "leading_enterprises")
    m = np.array(case.weighting.experts[0].matrix)
    assert np.array_equal(m[:4, :4], np.array(uz.weighting.experts[0].matrix))
    assert m[:4, 4].tolist() == [3.0, 0.5, 1.0, 2.0] and m[4, :4].tolist() == [1 / 3, 2.0, 1.0, 0.5]
    assert case.data.columns[-1] == "industry_share" and [r[-1] for r in case.data.values] == shares


# How cells typed or pasted in a spreadsheet are read: (sheet, where, value, number format, expected).
READ_AS_MEANT = [
    ("Judgements", ("labour", "research"), "1/3 ", None, 1 / 3),
    ("Judgements", ("labour", "research"), " 3", None, 3.0),
    ("Judgements", ("labour", "research"), 7, None, 7.0),
    ("Judgements", ("labour", "research"), 0.333333333333333, None, 1 / 3),  # 1/3 as a spreadsheet stores it
    ("Judgements", ("labour", "research"), "½", None, 0.5),  # LibreOffice's AutoCorrect of 1/2
    ("Judgements", ("labour", "research"), dt.datetime(2026, 1, 3), "mm/dd/yy", 1 / 3),  # "1/3" as month/day
    ("Judgements", ("labour", "research"), dt.datetime(2026, 3, 1), "dd/mm/yy", 1 / 3),  # "1/3" as day/month
    ("Judgements", ("labour", "research"), 46025, "@", 1 / 3),  # that date's serial without its format
    ("Judgements", ("labour", "research"), "0.33", None, 0.33),  # off the drop-down, as in case.toml
    ("Judgements", ("labour", "research"), None, None, math.nan),  # left blank: completed later (Harker 1987)
    ("Judgements", ("labour", "research"), "  ", None, math.nan),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), " 250.5 ", None, 250.5),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), "1 234 567", None, 1234567.0),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), "1\u00a0234.5", None, 1234.5),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), "\u2212250", None, -250.0),
    ("Data", ("navoi", "unemployment_rate_2021q1_pct"), 0.098, "0.0%", 9.8),  # a % column: read as shown
    ("Data", ("navoi", "unemployment_rate_2021q1_pct"), "9.8%", None, 9.8),
    ("Data", ("navoi", "unemployment_rate_2021q1_pct"), None, None, None),  # empty: missing (policy error)
]


@pytest.mark.parametrize("sheet,where,value,fmt,expected", READ_AS_MEANT)
def test_cells_are_read_as_a_person_meant_them(uz, uz_book, sheet, where, value, fmt, expected):
    ws = openpyxl.load_workbook(uz_book)[sheet]
    ref = judgement_cell(ws, *where) if sheet == "Judgements" else data_cell(ws, *where)
    edit(uz_book, {(sheet, ref): value}, {(sheet, ref): fmt} if fmt else None)
    if expected is None:
        with pytest.raises(Problems, match=rf"Data!{ref}: value missing for region navoi"):
            read_workbook(uz_book)
        return
    case = read_workbook(uz_book)
    if sheet == "Judgements":
        i, j = (case.weighting.criteria.index(c) for c in where)
        if math.isnan(expected):
            assert math.isnan(case.weighting.experts[0].matrix[i][j])
            assert math.isnan(case.weighting.experts[0].matrix[j][i])
            return
        assert case.weighting.experts[0].matrix[i][j] == expected
        assert case.weighting.experts[0].matrix[j][i] == 1 / expected
    else:
        assert case.data.values[case.data.ids.index(where[0])][case.data.columns.index(where[1])] == expected


REFUSED = [
    ("Judgements", ("labour", "research"), "11", None, "11 is not on the Saaty scale (1/9 .. 9)"),
    ("Judgements", ("labour", "research"), "0", None, "0 is not positive"),
    ("Judgements", ("labour", "research"), "three", None, "'three' is not a number or a fraction like 1/3"),
    ("Judgements", ("labour", "research"), dt.datetime(2026, 5, 17), "dd/mm/yy", "holds a date (17 May)"),
    ("Judgements", ("labour", "research"), "=1/3", None, "the cell holds a formula (=1/3)"),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), "n/a", None, '"n/a" is not a number (region navoi'),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), "250,5", None, "a comma is not a decimal point"),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), 2.5, "0%", "250% is a percentage, but this column is not "
                                                                 "measured in percent"),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), dt.datetime(2026, 1, 3), "mm/dd/yy", "holds a date"),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), "=B5*2", None, "the cell holds a formula (=B5*2)"),
    ("Data", ("navoi", "avg_monthly_wage_2022_usd"), True, None, "True is not a number"),
]


@pytest.mark.parametrize("sheet,where,value,fmt,message", REFUSED)
def test_cells_that_cannot_be_read_are_refused_with_their_place(uz_book, sheet, where, value, fmt, message):
    ws = openpyxl.load_workbook(uz_book)[sheet]
    ref = judgement_cell(ws, *where) if sheet == "Judgements" else data_cell(ws, *where)
    edit(uz_book, {(sheet, ref): value}, {(sheet, ref): fmt} if fmt else None)
    with pytest.raises(Problems) as e:
        read_workbook(uz_book)
    assert len(e.value.problems) == 1
    assert e.value.problems[0].where == f"{sheet}!{ref}"
    assert message in e.value.problems[0].what


def test_every_problem_is_reported_in_one_run(uz_book):
    """The issue's three examples at once, each naming its cell, and the CLI lists them and exits 1."""
    wb = openpyxl.load_workbook(uz_book)
    direction = indicator_cell(wb["Criteria"], "students_per_1000", "direction")
    assert judgement_cell(wb["Judgements"], "labour", "admin_barriers") == "D5"
    assert data_cell(wb["Data"], "bukhara", "higher_education_students_2022_23_thousand") == "C7"
    edit(uz_book, {("Judgements", "D5"): "11", ("Data", "C7"): "n/a", ("Criteria", direction): "maximum"})
    with pytest.raises(Problems) as e:
        read_workbook(uz_book)
    found = [str(p) for p in e.value.problems]
    assert found == [
        f"Criteria!{direction}: direction must be max or min, found 'maximum'. Pick max (more is better) or min "
        "(less is better) from the drop-down.",
        "Judgements!D5: 11 is not on the Saaty scale (1/9 .. 9). Pick a value from the drop-down: "
        "1/9 .. 1/2, 1, 2 .. 9.",
        'Data!C7: "n/a" is not a number (region bukhara, column higher_education_students_2022_23_thousand). '
        "Type a number (with a point for decimals), or leave the cell empty.",
    ]
    result = run("rank", uz_book)
    assert result.exit_code == 1 and "Traceback" not in result.output + result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {uz_book}: 3 problems; fix them and run again:"
    assert lines[1:] == [f"  - {p}" for p in found]


def test_many_problems_are_capped_with_a_count(uz_book):
    wb = openpyxl.load_workbook(uz_book)
    ws = wb["Data"]
    columns = [ws.cell(1, c).value for c in range(3, 5)]
    regions = [ws.cell(r, 1).value for r in range(DATA_FIRST_ROW, DATA_FIRST_ROW + 14)]
    edit(uz_book, {("Data", data_cell(ws, r, c)): "?" for r in regions for c in columns})  # 28 bad cells
    with pytest.raises(Problems) as e:
        read_workbook(uz_book)
    assert len(e.value.problems) == MAX_LISTED == 20 and e.value.more == 8
    assert str(e.value).endswith("  ... and 8 more (only the first 20 are listed)")


def test_structural_problems_name_their_place(uz_book):
    wb = openpyxl.load_workbook(uz_book)
    crit, data = wb["Criteria"], wb["Data"]
    column = indicator_cell(crit, "unemployment_rate", "data column")
    per = indicator_cell(crit, "students_per_1000", "already relative")
    changes = {("Criteria", column): "unemployment_rate_2021q1_pc",  # a typo of a Data column
               ("Criteria", per): "yes please",
               ("Data", data_cell(data, "navoi", "avg_monthly_wage_2022_usd").replace("C", "A")): None,
               ("Data", f"A{DATA_FIRST_ROW + 2}"): "andijan"}  # bukhara's id duplicates andijan's
    edit(uz_book, changes)
    with pytest.raises(Problems) as e:
        read_workbook(uz_book)
    text = str(e.value)
    assert (f"Criteria!{column}: column 'unemployment_rate_2021q1_pc' (indicator unemployment_rate) is not on "
            "the Data sheet (row 1). Add the column to the Data sheet, or correct the name. Did you mean "
            "'unemployment_rate_2021q1_pct'?") in text
    assert f"Criteria!{per}: already relative must be yes or no, found 'yes please'" in text
    assert f"Data!A{DATA_FIRST_ROW + 2}: region id 'andijan' is used twice (also " \
           f"Data!A{DATA_FIRST_ROW + 1})" in text


# --------------------------------------------------------------------------- files that are refused


def _zip_with(path: Path, out: Path, change) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data)
    return out


def test_files_that_are_not_sane_workbooks_are_refused(uz_book, tmp_path, monkeypatch):
    csv_file = tmp_path / "renamed.xlsx"
    csv_file.write_text("region_id,value\nnavoi,1\n")
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(uz_book.read_bytes()[:3000])
    ods = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    old_xls = tmp_path / "old.xlsx"
    old_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    huge = tmp_path / "huge.xlsx"
    with open(huge, "wb") as f:
        f.truncate(MAX_BYTES + 1)
    spread = _zip_with(uz_book, tmp_path / "spread.xlsx", lambda name, data: re.sub(
        rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', data) if name.endswith("sheet4.xml") else data)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
              b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    bomb = _zip_with(uz_book, tmp_path / "laughs.xlsx", lambda name, data: laughs + re.sub(
        rb"^<\?xml[^>]*\?>", b"", data).replace(b"<t>region id</t>", b"<t>&lol2;</t>")
        if name.endswith("sheet4.xml") else data)
    no_budget = _zip_with(uz_book, tmp_path / "nobudget.xlsx", lambda name, data: data)
    wb = openpyxl.load_workbook(no_budget)
    del wb["Budget"]
    wb.save(no_budget)
    cases = [
        (csv_file, "not an Excel workbook (a text or CSV file named .xlsx)"),
        (truncated, "the workbook is damaged"),
        (ods, "not an Excel workbook: this is an OpenDocument spreadsheet (.ods)"),
        (old_xls, "this is an old binary Excel file (.xls) named .xlsx"),
        (ROOT / "tests" / "fixtures" / "encrypted.xlsx", "the workbook is encrypted (password-protected)"),
        (huge, "the workbook is 20.0 MB, over the 20 MB limit"),
        (bomb, "the workbook's XML declares entities or a DTD (EntitiesForbidden), refused for safety"),
        (no_budget, "no sheet named Budget (sheets: Instructions, Criteria, Judgements, Data, Method)"),
    ]
    for path, message in cases:
        with pytest.raises(CaseError) as e:
            read_workbook(path)
        assert e.value.where == str(path) and message in e.value.what, (path, str(e.value))
        result = run("validate", path)
        assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.stderr
    # a stored size (<dimension>) is not trusted: the whole sheet stated, the data held, reads as it is
    assert without_provenance(read_workbook(spread)) == without_provenance(read_workbook(uz_book))
    monkeypatch.setattr(read_file, "MAX_UNPACKED", 50_000)  # a zip bomb stops before it is unpacked
    with pytest.raises(CaseError, match="unpacks to 0 MB, over the 0 MB limit"):
        read_workbook(uz_book)


def test_only_xlsx_and_xlsm_are_cases(tmp_path):
    for suffix in (".xls", ".ods"):
        (tmp_path / f"old{suffix}").write_bytes(b"x")
        result = run("rank", tmp_path / f"old{suffix}")
        assert result.exit_code == 1 and f"a '{suffix}' spreadsheet cannot be read" in result.stderr


def test_an_xlsm_workbook_is_read(uz, uz_book, tmp_path):
    xlsm = tmp_path / "inputs.xlsm"
    shutil.copy(uz_book, xlsm)
    assert same(load(xlsm), uz)


# --------------------------------------------------------------------------- the template verb


def test_template_verb_writes_and_never_overwrites_inputs(tmp_path):
    out = tmp_path / "inputs.xlsx"
    result = run("template", UZ, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith(f"Wrote {out}: 14 regions, 9 indicators in 4 criteria, 1 expert")
    before = out.read_bytes()
    again = run("template", UZ, "-o", out)
    assert again.exit_code == 1 and "the file exists. Choose another name, or give --force" in again.stderr
    assert out.read_bytes() == before
    assert run("template", UZ, "-o", out, "--force").exit_code == 0
    own = run("template", out, "-o", out, "--force")  # a workbook is never written over itself
    assert own.exit_code == 1 and "one of the case's own input files" in own.stderr
    bad = run("template", UZ, "-o", tmp_path / "inputs.csv")
    assert bad.exit_code == 1 and "the template must be an .xlsx file" in bad.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs.xlsx"]  # no temporary file left


def test_template_verb_with_set_bakes_in_the_what_if(uz, tmp_path):
    out = tmp_path / "w.xlsx"
    assert run("template", UZ, "-o", out, "--set", "method.name=vikor").exit_code == 0
    assert read_workbook(out).method.name == "vikor"
    wb = openpyxl.load_workbook(out)
    assert "uzbekistan-regions --set method.name=vikor" in wb["Instructions"]["B4"].value
    assert run("template", "-o", tmp_path / "b.xlsx", "--set", "seed=1").exit_code == 2
    assert run("template", UZ, "-o", tmp_path / "c.xlsx", "--catalogue", "x.toml").exit_code == 2


def test_blank_template_can_be_filled_in_and_run(tmp_path):
    out = tmp_path / "blank.xlsx"
    result = run("template", "-o", out, "--catalogue", ROOT / "criteria" / "cluster-infrastructure.toml")
    assert result.exit_code == 0 and "a blank workbook on the catalogue 'cluster-infrastructure'" in result.output
    empty = run("validate", out)
    assert empty.exit_code == 1 and f"Data!A{DATA_FIRST_ROW}: there are no regions" in empty.stderr
    wb = openpyxl.load_workbook(out)
    ws = wb["Data"]
    columns = [ws.cell(1, c).value for c in range(3, ws.max_column + 1) if ws.cell(1, c).value]
    rng = np.random.default_rng(5)
    for k in range(4):
        ws.cell(DATA_FIRST_ROW + k, 1).value = f"r{k}"
        ws.cell(DATA_FIRST_ROW + k, 2).value = f"Region {k}"
        for j in range(len(columns)):
            ws.cell(DATA_FIRST_ROW + k, 3 + j).value = float(rng.uniform(1, 100))
    wb.save(out)
    case = read_workbook(out)
    assert case.data.ids == ("r0", "r1", "r2", "r3") and len(case.indicators) == len(columns)
    w = weights_of(case.weighting)
    assert np.allclose(w.values, 1 / len(case.weighting.criteria))  # equal judgements to start from
    result = run("rank", out, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in json.loads(result.output)["ranking"]] == list(pipeline.rank(case).ids[
        i] for i in pipeline.rank(case).order)


# --------------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory):
    """Templates and planner-edited workbooks, each saved again by LibreOffice (one soffice run)."""
    need_soffice()
    src = tmp_path_factory.mktemp("lo-in")
    out = tmp_path_factory.mktemp("lo-out")
    uz, ru = load(UZ), load(RU)
    tricky = ("=1+1", "+SUM(A1:A2)", "-2", "@x", '=HYPERLINK("http://example.org")')
    formulas = dataclasses.replace(uz, title=tricky[0], data=dataclasses.replace(
        uz.data, names=tuple(tricky[k % len(tricky)] for k in range(len(uz.data.ids)))))
    # LibreOffice keeps 15 significant digits (0.3243751545545385 comes back 0.324375154554539), so the
    # direct weights here are ones a person types, not the 17-digit shares --set weights.<c>= computes.
    direct = dataclasses.replace(uz, weighting=dataclasses.replace(uz.weighting, method="direct", experts=(),
                                                                   direct=(0.35, 0.2, 0.1, 0.35)))
    cases = {"uz": uz, "ru": ru, "formulas": formulas, "direct": direct}
    for name, case in cases.items():
        write_template(case, src / f"{name}.xlsx")
    typed = write_template(uz, src / "typed.xlsx")  # values a planner typed as text, then saved by LibreOffice
    wb = openpyxl.load_workbook(typed)
    edit(typed, {("Judgements", judgement_cell(wb["Judgements"], "labour", "research")): "1/4 ",
                 ("Data", data_cell(wb["Data"], "navoi", "avg_monthly_wage_2022_usd")): " 1 250.5"})
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "xlsx",
                    "--outdir", str(out), *(str(p) for p in sorted(src.iterdir()))],
                   check=True, capture_output=True, timeout=300)
    return {**{name: (case, out / f"{name}.xlsx") for name, case in cases.items()},
            "typed": (uz, out / "typed.xlsx")}


@pytest.mark.parametrize("name", ["uz", "ru", "formulas", "direct"])
def test_a_workbook_saved_by_libreoffice_reads_back_identically(libreoffice, name):
    case, path = libreoffice[name]
    assert same(read_workbook(path), case)


def test_formula_like_names_stay_text_in_libreoffice(libreoffice):
    case, path = libreoffice["formulas"]
    ws = openpyxl.load_workbook(path)["Data"]
    cells = [ws.cell(DATA_FIRST_ROW + k, 2) for k in range(len(case.data.ids))]
    assert [(c.value, c.data_type) for c in cells] == [(n, "s") for n in case.data.names]


def test_text_typed_values_survive_libreoffice(libreoffice):
    uz, path = libreoffice["typed"]
    want = apply(uz, ["judgements.labour.research=1/4", "data.navoi.avg_monthly_wage_2022_usd=1250.5"])
    assert same(read_workbook(path), want)


def test_a_planner_types_a_judgement_in_libreoffice(uz, tmp_path):
    """The issue's 'done when': a judgement and data typed in LibreOffice itself, saved by it, then ranked."""
    need_soffice()
    python = uno_python()
    if python is None:
        if REQUIRED:
            pytest.fail("MCDA_REQUIRE_SOFFICE=1 but no Python can import LibreOffice's uno (install python3-uno)")
        pytest.skip("no Python with LibreOffice's uno module (python3-uno)")
    book = write_template(uz, tmp_path / "inputs.xlsx")
    wb = openpyxl.load_workbook(book)
    judgement = judgement_cell(wb["Judgements"], "labour", "research")
    rate = data_cell(wb["Data"], "navoi", "unemployment_rate_2021q1_pct")
    edited = tmp_path / "edited.xlsx"
    subprocess.run([python, str(ROOT / "tests" / "lo_type.py"), str(book), str(edited),
                    f"Judgements!{judgement}=1/3", f"Data!{rate}=9.8%"],
                   check=True, capture_output=True, timeout=300, env={**os.environ, "SOFFICE": SOFFICE})
    raw = openpyxl.load_workbook(edited)
    assert raw["Judgements"][judgement].value == "1/3"  # kept as text: the cell is formatted as text
    assert raw["Data"][rate].value == pytest.approx(0.098) and "%" in raw["Data"][rate].number_format
    got = read_workbook(edited)
    want = apply(uz, ["judgements.labour.research=1/3", "data.navoi.unemployment_rate_2021q1_pct=9.8"])
    assert same(got, want)
    assert np.array_equal(pipeline.rank(got).scores, pipeline.rank(want).scores)
    assert not np.array_equal(pipeline.rank(got).scores, pipeline.rank(uz).scores)


# --------------------------------------------------------------------------- the outlier treatment


def test_the_outlier_treatment_round_trips_and_ranks_alike(uz, tmp_path):
    """[audit] treatment changes the scores (issue 14): the workbook carries it on the Method sheet."""
    case = apply(uz, ["audit.treatment=winsorise"])
    back = read_workbook(write_template(case, tmp_path / "w.xlsx"))
    assert back.audit.treatment == "winsorise"
    got, want = pipeline.rank(back), pipeline.rank(case)
    assert np.array_equal(got.scores, want.scores)
    assert not np.array_equal(got.scores, pipeline.rank(uz).scores)  # the treatment does move scores


def test_a_workbook_without_the_treatment_row_reads_as_untreated(uz, uz_book):
    """Workbooks written before the row existed still read (no treatment), and a wrong value is placed."""
    wb = openpyxl.load_workbook(uz_book)
    ws = wb["Method"]
    ref = setting_cell(ws, "outlier treatment")
    ws[ref].value = "winsorize"
    wb.save(uz_book)
    with pytest.raises(Problems, match=rf"Method!{ref}: .*outlier treatment.*winsorise"):
        read_workbook(uz_book)
    ws.delete_rows(int(ref[1:]))
    wb.save(uz_book)
    assert read_workbook(uz_book).audit.treatment == "none"


def test_template_says_what_of_the_audit_settings_the_workbook_leaves_out(tmp_path):
    out = tmp_path / "w.xlsx"
    res = run("template", str(UZ), "-o", str(out), "--set", "audit.samples=500", "--set", "audit.treatment=log")
    assert res.exit_code == 0, res.output
    assert "not the case's other [audit] settings" in res.output
    assert read_workbook(out).audit.treatment == "log"
