"""The committee's report workbook: read back with openpyxl and pandas, and opened in LibreOffice.

Numbers on every sheet are compared with what the API computes for the same case;
cells are found through the workbook's defined names (part of the report's
contract) or their section captions. A real spreadsheet application (LibreOffice,
headless) recalculates the What-if sheet's formulas: its closeness must equal the
tool's to 1e-9, with the delivered weights and after a weight cell is changed.
LibreOffice work is shared: one CSV conversion and one PDF export per module.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from mcda import __version__, pipeline
from mcda.cli import cli
from mcda.errors import McdaError
from mcda.files import sha256
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.model import Decision, MethodSpec
from mcda.pipeline import allocate, sensitivity, smaa
from mcda.ranking.working import contributions, steps
from mcda.report import book as report
from mcda.text.split import funding_status, price_words, reason_words

ROOT = Path(__file__).resolve().parents[2]
UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"
SHEETS = ["Summary", "Ranking", "What-if", "Weights", "Working", "Data", "About"]
INJECTIONS = {"andijan": '=HYPERLINK("http://x","y")', "bukhara": "+1+2", "jizzakh": "-3", "navoi": "@SUM(1)",
              "namangan": "=1+1"}
TOL = 1e-9
EXACT = 1e-15  # openpyxl writes numbers with 16 significant digits ("%.16g"): the last bit may round


# --------------------------------------------------------------------------- helpers


def _runner() -> CliRunner:
    return CliRunner()  # click >= 8.2 keeps stdout and stderr apart


def named(wb, name: str) -> list[list]:
    """The cells of a defined name, as rows of cells."""
    (sheet, ref), = wb.defined_names[name].destinations
    cells = wb[sheet][ref.replace("$", "")]
    return [list(row) for row in (cells if isinstance(cells, tuple) else ((cells,),))]


def values(wb, name: str) -> np.ndarray:
    return np.array([[c.value for c in row] for row in named(wb, name)], dtype=object)


def find(ws, text: str) -> tuple[int, int]:
    """Row and column of the first cell holding exactly ``text``."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c.row, c.column
    raise AssertionError(f"{text!r} is not on sheet {ws.title}")


def decision(case, ranking=None, **parts) -> Decision:
    """A Decision of the case's ranking (or the one given) with only the parts given (allocation, sensitivity, smaa)."""
    ranking = ranking if ranking is not None else pipeline.rank(case)
    return Decision(case=case, ranking=ranking, working=pipeline.working(case, ranking),
                    inputs=tuple((p, sha256(p)) for p in case.inputs),
                    verdict=pipeline.verdict(case, ranking, parts.get("smaa")), **parts)


def write_report(folder: Path, case, ranking=None, name="report.xlsx", command="mcda run test") -> Path:
    return report.write(folder / name, decision(case, ranking), command=command)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    case = load(UZ)
    ranking = pipeline.rank(case)
    path = write_report(folder, case, ranking, command="mcda run cases/uzbekistan-regions -o report.xlsx")
    return SimpleNamespace(case=case, ranking=ranking, path=path, folder=folder,
                           wb=openpyxl.load_workbook(path))


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """The report with an allocation, weight sweeps and SMAA, as `mcda run --smaa` writes it."""
    folder = tmp_path_factory.mktemp("full")
    case = load(UZ)
    ranking = pipeline.rank(case)
    parts = dict(allocation=allocate(case, ranking), sensitivity=sensitivity(case),
                 smaa=smaa(case, samples=2000, allocate=True))
    path = report.write(folder / "full.xlsx", decision(case, ranking, **parts), command="mcda run")
    return SimpleNamespace(case=case, ranking=ranking, path=path, wb=openpyxl.load_workbook(path), **parts)


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """A case whose region names try to be formulas, and its report."""
    base = tmp_path_factory.mktemp("inject")
    shutil.copytree(ROOT / "criteria", base / "criteria")
    shutil.copytree(UZ, base / "cases" / "uz")
    data = base / "cases" / "uz" / "regions.csv"
    with open(data, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    name_col = rows[0].index("region_name_en")
    for row in rows[1:]:
        row[name_col] = INJECTIONS.get(row[0], row[name_col])
    with open(data, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    case = load(base / "cases" / "uz")
    return write_report(base, case, name="injected.xlsx")


# --------------------------------------------------------------------------- the sheets, read back


def test_every_sheet_is_there_in_reading_order(built):
    assert built.wb.sheetnames == SHEETS
    assert pd.ExcelFile(built.path).sheet_names == SHEETS


def test_summary_recommends_the_ranking_best_first(built):
    r = built.ranking
    rec = values(built.wb, "Recommendation")
    assert [row[1] for row in rec] == [r.names[k] for k in r.order]
    np.testing.assert_array_equal([row[0] for row in rec], r.ranks[r.order])
    np.testing.assert_allclose([row[2] for row in rec], r.scores[r.order], rtol=EXACT, atol=0)
    weights = values(built.wb, "Criteria_weights")
    names = [built.case.catalogue.criterion(c).name for c in r.weights.criteria]
    assert list(weights[:, 0]) == names
    np.testing.assert_allclose(weights[:, 1].astype(float), r.weights.values, rtol=EXACT, atol=0)
    ws = built.wb["Summary"]
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "are consistent: the consistency ratio CR = 0.004" in texts
    assert "ILLUSTRATIVE" in texts  # the case's note on its judgements reaches the committee
    assert not ws._charts  # the Summary is words and one table; the charts are on Ranking and Allocation


def test_ranking_sheet_holds_scores_ranks_and_parts_that_add_up(built):
    r = built.ranking
    ws = built.wb["Ranking"]
    cells = named(built.wb, "Scores")
    order = r.order
    np.testing.assert_allclose([row[0].value for row in cells], r.scores[order], rtol=EXACT, atol=0)
    criteria, parts, gaps = contributions(built.case, r)
    for k, row in enumerate(cells):
        i = order[k]
        line = [ws.cell(row=row[0].row, column=c).value for c in range(1, 5 + 2 * len(criteria))]
        assert line[0] == r.ranks[i] and line[1] == r.ids[i] and line[2] == r.names[i]
        np.testing.assert_allclose(line[4:4 + len(criteria)], parts[i], rtol=EXACT, atol=0)
        np.testing.assert_allclose(sum(line[4:4 + len(criteria)]), line[3], rtol=1e-12)
        np.testing.assert_allclose(line[4 + len(criteria):], gaps[i], rtol=EXACT, atol=0)
    assert ws.freeze_panes == f"D{cells[0][0].row}"


def test_data_sheet_read_with_pandas_is_the_decision_matrix(built):
    r = built.ranking
    df = pd.read_excel(built.path, sheet_name="Data", header=3, nrows=3 + len(r.ids))
    body = df.iloc[3:]  # below the unit, direction and year rows
    assert list(body["Region id"]) == list(r.ids)
    names = [built.case.catalogue.indicator(i)[1].name for i in r.indicators]
    np.testing.assert_allclose(body[names].to_numpy(dtype=float), r.matrix, rtol=EXACT, atol=0)
    assert list(df.iloc[1][names]) == [built.case.catalogue.indicator(i)[1].direction.value for i in r.indicators]
    assert list(df.iloc[2][names]) == [dict(built.case.indicators)[i].year for i in r.indicators]
    ws = built.wb["Data"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for iid, src in built.case.indicators:  # every column says where it comes from
        text, = [t for t in texts if t.startswith(f"{iid}: ")]
        assert src.column in text and "Source:" in text


def test_weights_sheet_holds_matrix_weights_and_consistency(built):
    w = built.ranking.weights
    np.testing.assert_allclose(values(built.wb, "Weights")[:, 0].astype(float), w.values, rtol=EXACT, atol=0)
    ws = built.wb["Weights"]
    (cr,), = named(built.wb, "CR")
    got = [ws.cell(row=cr.row - k, column=2).value for k in (3, 2, 1, 0)]
    np.testing.assert_allclose(got, [w.ahp.lambda_max, w.ahp.ci, w.ahp.ri, w.ahp.cr], rtol=EXACT, atol=0)
    row, col = find(ws, "Judgement: row vs column")
    n = len(w.criteria)
    matrix = [[ws.cell(row=row + 1 + i, column=col + 1 + j).value for j in range(n)] for i in range(n)]
    np.testing.assert_allclose(matrix, w.ahp.matrix, rtol=EXACT, atol=0)
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert any(rule.operator == "greaterThan" for rule in rules)  # CR above the threshold turns red
    row, _ = find(ws, "Random-index table used: saaty1980")
    ri = [ws.cell(row=row + 3 + 2 * (k // 8), column=2 + k % 8).value for k in range(15)]  # 8 to a row
    assert ri == [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]  # Saaty 1980


def test_working_sheet_holds_pymcdm_steps(built):
    r = built.ranking
    ws = built.wb["Working"]
    n, m = len(r.ids), len(r.indicators)
    for s in steps(built.case, r):
        if s.kind == "matrix":
            row, _ = find(ws, f"{s.caption} ({s.symbol})")
            got = [[ws.cell(row=row + 2 + i, column=3 + j).value for j in range(m)] for i in range(n)]
            np.testing.assert_allclose(got, s.values, rtol=EXACT, atol=0)
        elif s.kind == "regions":
            row, col = find(ws, f"{s.caption} ({s.symbol})")
            np.testing.assert_allclose([ws.cell(row=row + 1 + i, column=col).value for i in range(n)], s.values,
                                       rtol=EXACT, atol=0)
        else:
            row, _ = find(ws, s.symbol)
            np.testing.assert_allclose([ws.cell(row=row, column=3 + j).value for j in range(m)], s.values,
                                       rtol=EXACT, atol=0)


def test_about_sheet_names_version_command_and_hash_of_every_input(built):
    ws = built.wb["About"]
    cells = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
    assert cells["Tool"] == f"cluster-mcda {__version__}"
    assert cells["Command line"] == "mcda run cases/uzbekistan-regions -o report.xlsx"
    assert cells["Seed"] == str(built.case.seed)
    assert cells["Method"].startswith("TOPSIS, vector normalisation")
    start, _ = find(ws, "Inputs (SHA-256 of each file as read)")
    listed = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=3).value for r in range(start + 2, ws.max_row + 1)}
    for path in built.case.inputs:
        assert listed[path] == hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_what_if_is_formulas_over_the_data_sheet(built):
    wb = built.wb
    weights = named(wb, "WhatIf_weights")
    np.testing.assert_allclose([row[0].value for row in weights], built.ranking.weights.values, rtol=EXACT, atol=0)
    for row in named(wb, "WhatIf_closeness") + named(wb, "WhatIf_rank"):
        assert row[0].data_type == "f"
    ws = wb["What-if"]
    row, _ = find(ws, "Normalised matrix r_ij (vector normalisation, as pymcdm)")
    assert ws.cell(row=row + 2, column=3).value.startswith("=Data!C8/")
    assert wb.calculation.fullCalcOnLoad  # Excel recalculates on opening


def test_presentation_frozen_headers_landscape_one_page_wide(built):
    for ws in built.wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddFooter.right.text
    for name in ("Ranking", "Data", "Working", "What-if"):
        assert built.wb[name].freeze_panes
    assert built.wb["Summary"].page_setup.fitToHeight == 1  # the summary prints on one page
    assert set(built.wb.defined_names) >= {"Recommendation", "Criteria_weights", "Scores", "Data_values",
                                           "WhatIf_weights", "WhatIf_closeness", "WhatIf_rank", "Weights", "CR"}


def test_inconsistent_judgements_are_red_with_the_suggested_value(case_copy, tmp_path):
    c = case_copy("uzbekistan-regions")
    c.replace('[ 1,      2,          3,              1     ],  # labour',
              '[ 1,      "1/5",      9,              1     ],  # labour')
    case = load(c.folder)
    r = pipeline.rank(case)
    mi = r.weights.ahp.most_inconsistent
    assert not r.weights.ahp.consistent and mi is not None
    wb = openpyxl.load_workbook(write_report(tmp_path, case, r))
    summary = " ".join(str(x.value) for row in wb["Summary"].iter_rows() for x in row if isinstance(x.value, str))
    assert "are NOT consistent" in summary and f"(on the scale: {mi.suggested_scale})" in summary
    ws = wb["Weights"]
    row, col = find(ws, "Judgement: row vs column")
    names = r.weights.criteria
    cell = ws.cell(row=row + 1 + names.index(mi.row), column=col + 1 + names.index(mi.col))
    assert cell.value == pytest.approx(mi.value) and cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert f"{mi.suggested:.3g}" in cell.comment.text and mi.suggested_scale in cell.comment.text
    (cr,), = named(wb, "CR")
    assert cr.value > ws.cell(row=cr.row + 1, column=2).value  # the rule that turns it red applies


def test_several_experts_each_matrix_and_the_aggregate(case_copy, tmp_path):
    c = case_copy("uzbekistan-regions")
    c.replace("\n[method]", '\n[[weighting.experts]]\nname = "Second view"\n'
              'judgements = [[1, 1, 1, 1], ["", 1, 1, 1], ["", "", 1, 1], ["", "", "", 1]]\n\n[method]')
    case = load(c.folder)
    r = pipeline.rank(case)
    ws = openpyxl.load_workbook(write_report(tmp_path, case, r))["Weights"]
    find(ws, "Expert: Illustrative committee view")
    find(ws, "Expert: Second view")
    row, _ = find(ws, f"Aggregated: {r.weights.ahp.label}")
    agg = [[ws.cell(row=row + 2 + i, column=2 + j).value for j in range(4)] for i in range(4)]
    np.testing.assert_allclose(agg, r.weights.ahp.matrix, rtol=EXACT, atol=0)


def test_direct_weights_are_said_plainly(tmp_path):
    case = apply(load(UZ), ["weights.research=0.5"])
    wb = openpyxl.load_workbook(write_report(tmp_path, case))
    summary = " ".join(str(x.value) for row in wb["Summary"].iter_rows() for x in row if isinstance(x.value, str))
    assert "given directly" in summary and "what-if weights (--set): research=0.5" in summary
    assert "CR" not in wb.defined_names


@pytest.mark.parametrize("method", ["vikor", "promethee2", "copras", "waspas", "wsm"])
def test_every_method_gets_its_working_and_a_ranking(method, tmp_path):
    case = load(UZ)
    r = pipeline.rank(case, method=MethodSpec(method))
    wb = openpyxl.load_workbook(write_report(tmp_path, case, r))
    np.testing.assert_allclose([row[0].value for row in named(wb, "Scores")], r.scores[r.order], rtol=EXACT, atol=0)
    ws = wb["Working"]
    last = steps(case, r)[-1]
    row, col = find(ws, f"{last.caption} ({last.symbol})")
    np.testing.assert_allclose([ws.cell(row=row + 1 + i, column=col).value for i in range(len(r.ids))],
                               last.values, rtol=EXACT, atol=0)
    assert ("WhatIf_score" in wb.defined_names) == (method == "wsm")


def test_region_names_that_look_like_formulas_stay_text(injected):
    wb = openpyxl.load_workbook(injected)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in INJECTIONS.values():
                    assert c.data_type == "s", (ws.title, c.coordinate)
                    seen += 1
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert not any(v[1:] in c.value for v in INJECTIONS.values() if v.startswith("="))
    assert seen >= 5 * 5  # Summary, Ranking, What-if (three tables), Working, Data


def test_allocation_sheet_and_summary_hold_the_optimal_split(full):
    a, r, wb = full.allocation, full.ranking, full.wb
    assert wb.sheetnames[:4] == ["Summary", "Ranking", "Allocation", "Sensitivity"]
    order = sorted(range(len(a.ids)), key=lambda k: (a.ranks[k], a.ids[k]))
    np.testing.assert_allclose([row[0].value for row in named(wb, "Allocation")], a.amounts[order], rtol=EXACT)
    (mv,), = named(wb, "Marginal_value")
    assert mv.value == pytest.approx(a.marginal_value, rel=EXACT)
    ws = wb["Allocation"]
    for price in a.shadow_prices:  # which rules bind, with their prices
        row, _ = find(ws, price_words(a, price))
        assert ws.cell(row=row, column=5).value == pytest.approx(price.value, rel=EXACT)
    why, status = reason_words(a, full.case), funding_status(a)
    for k, (w, f) in enumerate(zip(named(wb, "Allocation_why"), named(wb, "Allocation_funded"), strict=True)):
        assert ws.cell(row=w[0].row, column=2).value == a.names[order[k]]
        assert w[0].value == why[order[k]] and f[0].value == status[order[k]]
    rec = values(wb, "Recommendation")
    amounts = dict(zip(a.ids, a.amounts))
    np.testing.assert_allclose(rec[:, 3].astype(float), [amounts[r.ids[k]] for k in r.order], rtol=EXACT)
    rules = [rule for cf in wb["Summary"].conditional_formatting for rule in cf.rules]  # funded regions are green
    assert any(rule.formula == ['$F7="funded"'] or (rule.formula and rule.formula[0].endswith('="funded"'))
               for rule in rules if rule.dxf.fill.fgColor.rgb.endswith("C6EFCE"))
    summary = " ".join(str(x.value) for row in wb["Summary"].iter_rows() for x in row if isinstance(x.value, str))
    assert "ILLUSTRATIVE total" in summary and "how should the support budget be split" in summary


def test_sensitivity_sheet_holds_stability_intervals_and_acceptability(full):
    wb, sens, sm = full.wb, full.sensitivity, full.smaa
    got = values(wb, "Stability").astype(float)
    want = [[sw.base_weight, *sw.top_stable, *sw.order_stable] for sw in sens.sweeps]
    np.testing.assert_allclose(got, want, rtol=EXACT)
    order = np.argsort(sm.expected_rank, kind="stable")
    np.testing.assert_allclose(values(wb, "Acceptability").astype(float), sm.acceptability[order], rtol=EXACT)
    assert wb.sheetnames.index("SMAA") == wb.sheetnames.index("Sensitivity") + 1
    assert len(wb["Sensitivity"]._charts) == len(sens.sweeps) + 1  # the tornado, one sweep chart per criterion
    assert [c.tagname for c in wb["SMAA"]._charts] == ["barChart"] and wb["SMAA"]._charts[0].grouping == "stacked"
    ws = wb["Sweeps"]
    for sw in sens.sweeps:  # the rank table behind each sweep chart: a row per leading region, a column per weight
        row, col = find(ws, f"Region / weight of {sw.criterion}")
        k = int(np.argmin(np.abs(sw.points - 0.5)))
        first = full.ranking.names[full.ranking.ids.index(sens.base_order[0])]
        assert ws.cell(row=row + 1, column=col).value == first
        half = [ws.cell(row=row, column=col + 1 + g).value for g in range(21)].index(0.5)
        assert ws.cell(row=row + 1, column=col + 1 + half).value == sw.ranks[k, sens.ids.index(sens.base_order[0])]


def test_smaa_sheet_holds_the_budget_under_the_sampled_weights(full):
    """mcda run --smaa N on a case with budget rules: the allocation re-solved per sample (mcda.smaa_allocation)."""
    a, sm = full.smaa.allocation, full.smaa
    got = values(full.wb, "Funding")
    ws = full.wb["SMAA"]
    names = [ws.cell(row=row[0].row, column=1).value for row in named(full.wb, "Funding")]  # column A: the region
    order = np.argsort(sm.expected_rank, kind="stable")
    assert names == [sm.names[i] for i in order]  # by mean rank, as the acceptability
    k = [a.names.index(x) for x in names]
    want = np.column_stack([a.base_amounts, a.guaranteed, a.funded, a.percentiles])[k]
    np.testing.assert_allclose(got.astype(float), want, rtol=EXACT)
    np.testing.assert_allclose(want[:, 0], full.allocation.amounts[k], rtol=1e-9)  # "now" is the Allocation sheet's
    classes = [row[-1].offset(column=1).value for row in named(full.wb, "Funding")]
    assert classes == [a.classes[j] for j in k] and "core" in classes and "borderline" in classes
    said = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert any(x.startswith("Funded: a grant above what the rules guarantee") for x in said)


def test_about_records_the_smaa_seed(full):
    ws = full.wb["About"]
    row, _ = find(ws, "Seed")
    assert ws.cell(row=row, column=2).value == f"{full.case.seed} (SMAA: 2,000 samples, seed {full.smaa.seed})"


# --------------------------------------------------------------------------- writing safely


def test_refuses_to_write_over_an_input(tmp_path):
    case = load(UZ)
    xlsx = tmp_path / "inputs.xlsx"
    xlsx.write_bytes(b"the planners' workbook")
    case = dataclasses.replace(case, inputs=(*case.inputs, str(xlsx)))
    with pytest.raises(McdaError, match="one of the case's inputs"):
        report.write(xlsx, decision(case))
    link = tmp_path / "report.xlsx"
    link.symlink_to(xlsx)
    with pytest.raises(McdaError, match="one of the case's inputs"):
        report.write(link, decision(case))
    assert xlsx.read_bytes() == b"the planners' workbook"


@pytest.mark.parametrize("name, message", [("report.csv", "ends in '.csv'"), ("missing/report.xlsx", "does not exist"),
                                           (".", "ends in ''")])
def test_bad_output_names_are_refused(tmp_path, name, message):
    case = load(UZ)
    with pytest.raises(McdaError, match=message):
        report.write(tmp_path / name, decision(case))


def test_an_existing_report_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    case = load(UZ)
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"last week's report")

    def fail(self, filename):
        Path(filename).write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", fail)
    with pytest.raises(McdaError, match="No space left on device"):
        report.write(out, decision(case))
    assert out.read_bytes() == b"last week's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]  # no temporary file left
    monkeypatch.undo()
    report.write(out, decision(case))
    assert openpyxl.load_workbook(out).sheetnames == SHEETS
    assert stat.S_IMODE(out.stat().st_mode) & 0o044  # readable by others, as any new file (not mkstemp's 0600)


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path, monkeypatch):
    case = load(UZ)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(McdaError, match=r"cannot write the report \(Permission denied\)"):
        report.write(tmp_path / "report.xlsx", decision(case))
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- the command


def test_mcda_run_writes_the_report_and_says_so(tmp_path):
    out = tmp_path / "r.xlsx"
    result = _runner().invoke(cli, ["run", str(UZ), "-o", str(out), "--set", "weights.research=0.5"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.stdout and "Tashkent city" in result.stdout
    assert "Budget: 1,000.00 of 1,000.00 billion UZS allocated (optimal, LP)" in result.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == report.sheet_names(True, True, True)
    assert "Acceptability" in wb.defined_names  # SMAA by default
    case = apply(load(UZ), ["weights.research=0.5"])
    r = pipeline.rank(case)
    np.testing.assert_allclose([row[0].value for row in named(wb, "Scores")], r.scores[r.order], rtol=EXACT, atol=0)
    about = wb["About"]
    row, _ = find(about, "Command line")
    assert about.cell(row=row, column=2).value == f"mcda run {UZ} -o {out} --set weights.research=0.5"


def test_mcda_run_smaa_adds_rank_acceptability(tmp_path):
    out = tmp_path / "r.xlsx"
    result = _runner().invoke(cli, ["run", str(RU), "-o", str(out), "--smaa", "500"])
    assert result.exit_code == 0, result.output
    assert "Allocation" not in (wb := openpyxl.load_workbook(out)).sheetnames  # no budget rules in this case
    case = load(RU)
    np.testing.assert_allclose(values(wb, "Acceptability").astype(float).sum(axis=1), 1.0, rtol=1e-12)
    want = smaa(case, samples=500)  # the case's seed: the same numbers
    order = np.argsort(want.expected_rank, kind="stable")
    np.testing.assert_allclose(values(wb, "Acceptability").astype(float), want.acceptability[order], rtol=EXACT)


def test_mcda_run_smaa_with_budget_rules_carries_the_uncertainty_into_the_budget(tmp_path):
    out = tmp_path / "r.xlsx"
    result = _runner().invoke(cli, ["run", str(UZ), "-o", str(out), "--smaa", "300"])
    assert result.exit_code == 0, result.output
    want = smaa(load(UZ), samples=300, allocate=True).allocation
    got = values(openpyxl.load_workbook(out), "Funding").astype(float)
    np.testing.assert_allclose(np.sort(got[:, 2]), np.sort(want.funded), rtol=EXACT)


@pytest.mark.parametrize("args, message", [
    (["-o", "{tmp}/report.txt"], "ends in '.txt'"),
    (["-o", str(UZ / "case.toml")], "ends in '.toml'"),
    (["-o", "{tmp}/no/such/folder/r.xlsx"], "does not exist"),
    (["-o", "{tmp}/r.xlsx", "--set", "weights.nothing=0.3"], "'nothing' is not a criterion"),
])
def test_mcda_run_bad_input_is_one_error_line(tmp_path, args, message):
    result = _runner().invoke(cli, ["run", str(UZ), *[a.format(tmp=tmp_path) for a in args]])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert not list(tmp_path.glob("*.xlsx")) and not list(tmp_path.glob(".*"))


def test_mcda_run_needs_an_output():
    result = _runner().invoke(cli, ["run", str(UZ)])
    assert result.exit_code == 2 and "Missing option '-o'" in result.stderr


# --------------------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1"
# LibreOffice keeps the cached values of an .xlsx unless told to recalculate on load
# (openpyxl writes none, but a file saved by Excel has them): a private profile sets
# Calc > Formula > "Recalculation on file load" for Excel 2007+ files to "always".
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _soffice() -> str:
    if SOFFICE:
        return SOFFICE
    if os.environ.get("MCDA_REQUIRE_SOFFICE") == "1":
        pytest.fail("MCDA_REQUIRE_SOFFICE=1 but LibreOffice (soffice) is not installed")
    pytest.skip("LibreOffice (soffice) is not installed")


def _convert(files: list[Path], target: str, outdir: Path, profile: Path) -> None:
    done = subprocess.run([_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _sheet(folder: Path, stem: str, sheet: str) -> list[list[str]]:
    with open(folder / f"{stem}-{sheet}.csv", newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _column(rows: list[list[str]], wb, name: str) -> np.ndarray:
    (_, ref), = wb.defined_names[name].destinations
    first, last = ref.replace("$", "").split(":")
    c0 = openpyxl.utils.cell.coordinate_from_string(first)
    c1 = openpyxl.utils.cell.coordinate_from_string(last)
    col = openpyxl.utils.column_index_from_string(c0[0]) - 1
    return np.array([float(rows[r - 1][col]) for r in range(c0[1], c1[1] + 1)])


VARIANTS = {  # file stem -> (case, method, normalisation)
    "topsis-minmax": (UZ, "topsis", "minmax"), "topsis-max": (UZ, "topsis", "max"),
    "topsis-sum": (UZ, "topsis", "sum"), "topsis-linear": (UZ, "topsis", "linear"), "wsm-sum": (UZ, "wsm", None),
    "russia": (RU, "topsis", None),
}
CHANGED = ("research", 0.05)


@pytest.fixture(scope="module")
def office(built, full, injected, tmp_path_factory):
    """The reports recalculated by LibreOffice: one CSV conversion of them all, one PDF export."""
    _soffice()
    folder = tmp_path_factory.mktemp("office")
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    files = {"report": built.path, "injected": injected}
    rankings = {"report": (built.case, built.ranking)}
    for stem, (path, method, norm) in VARIANTS.items():
        case = load(path)
        r = pipeline.rank(case, method=MethodSpec(method, norm))
        files[stem] = write_report(folder, case, r, name=f"{stem}.xlsx")
        rankings[stem] = (case, r)
    # a committee member changes one weight in the yellow cells
    wb = openpyxl.load_workbook(built.path)
    ws = wb["What-if"]
    row, _ = find(ws, CHANGED[0])
    ws.cell(row=row, column=3).value = CHANGED[1]
    files["changed"] = folder / "changed.xlsx"
    wb.save(files["changed"])
    csv_dir, pdf_dir = folder / "csv", folder / "pdf"
    _convert(list(files.values()), CSV_FILTER, csv_dir, profile)
    _convert([full.path], "pdf", pdf_dir, profile)
    return SimpleNamespace(files=files, rankings=rankings, csv=csv_dir, pdf=pdf_dir / "full.pdf")


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["report", *VARIANTS])
def test_libreoffice_recalculates_the_what_if_to_the_tools_scores(office, stem):
    case, r = office.rankings[stem]
    wb = openpyxl.load_workbook(office.files[stem])
    rows = _sheet(office.csv, stem, "What-if")
    score = "WhatIf_closeness" if r.method.name == "topsis" else "WhatIf_score"
    np.testing.assert_allclose(_column(rows, wb, score), r.scores, rtol=0, atol=TOL)
    np.testing.assert_array_equal(_column(rows, wb, "WhatIf_rank"), r.ranks)


@pytest.mark.slow
def test_changing_a_weight_cell_matches_the_tool_run_with_set(office, built):
    criterion, value = CHANGED
    w = built.ranking.weights
    used = value / (value + sum(w.of(c) for c in w.criteria if c != criterion))
    r = pipeline.rank(apply(built.case, [f"weights.{criterion}={used!r}"]))
    wb = openpyxl.load_workbook(office.files["changed"])
    rows = _sheet(office.csv, "changed", "What-if")
    closeness = _column(rows, wb, "WhatIf_closeness")
    np.testing.assert_allclose(closeness, r.scores, rtol=0, atol=TOL)
    np.testing.assert_array_equal(_column(rows, wb, "WhatIf_rank"), r.ranks)
    assert not np.allclose(closeness, built.ranking.scores, atol=1e-3)  # the change did move the scores


@pytest.mark.slow
def test_libreoffice_shows_formula_like_names_literally(office):
    wb = openpyxl.load_workbook(office.files["injected"])
    names = [row[1].value for row in named(wb, "Recommendation")]
    assert set(INJECTIONS.values()) <= set(names)
    rows = _sheet(office.csv, "injected", "Summary")
    first = named(wb, "Recommendation")[0][1].row
    assert [rows[first - 1 + k][1] for k in range(len(names))] == names  # shown as typed, not evaluated
    for sheet in ("Ranking", "Data", "What-if", "Working"):
        text = {cell for row in _sheet(office.csv, "injected", sheet) for cell in row}
        assert set(INJECTIONS.values()) <= text, sheet


@pytest.mark.slow
def test_the_report_exports_to_pdf(office):
    data = office.pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(office.pdf)], capture_output=True, text=True, check=True).stdout
        assert int(info.split("Pages:")[1].split()[0]) >= len(SHEETS) + 2
