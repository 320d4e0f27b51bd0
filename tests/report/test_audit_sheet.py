"""mcda/report/audit.py and audit_ranks.py: the Audit sheet of mcda run --audit, read back with openpyxl and
compared with the AuditResult it draws (built here by hand on the Uzbekistan case, so the sheet is tested
whatever mcda.robustness computes): only when the decision has an audit, before the appendices; the findings
in words; each indicator's statistics with the JRC flag in red; the correlation matrix on a colour scale,
negative correlations in red, alpha below 0.7 said; the objective weightings' ranks and Spearman; each
region's median rank and 5-95% interval with its chart; the Sobol indices with theirs; and, printed by
LibreOffice (slow), every page at 7 pt or more, nothing cut, no chart split by a page, for 14 and 60 regions.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pytest
import workbook_checks as wc

from mcda.inputs.load import load
from mcda.model import AuditResult, Coherence, IndicatorStats, ObjectiveWeighting, Uncertainty
from mcda.pipeline import decide
from mcda.report import about, audit, audit_ranks, book
from mcda.report.charts import INTERVAL_MARK
from mcda.report.pages import chart_rows
from mcda.text.audit import summary, uncertainty_sentences, wide

UZ = Path(__file__).resolve().parents[2] / "cases" / "uzbekistan-regions"
FACTORS = ("weights", "method", "normalisation", "treatment")


def hand_audit(d, ids=None, names=None, seed=3) -> AuditResult:
    """An AuditResult of a decision's indicators and regions (or ``ids``/``names``), its numbers made up but
    shaped as mcda.robustness makes them: the capital flagged on the first indicator, the second indicator
    negative with its criterion, one criterion's alpha low and one of one indicator."""
    rng = np.random.default_rng(seed)
    r = d.ranking
    ids = tuple(ids or r.ids)
    names = tuple(names or r.names)
    n, inds = len(ids), r.indicators
    k = len(inds)
    x = rng.normal(size=(n, k))
    stats = tuple(IndicatorStats(i, float(3.1 - j * 0.4), float(11.0 - j), j == 0,
                                 outliers=(ids[-1],) if j == 0 else (),
                                 treated=((ids[-1], 1234.5, 456.7),) if j == 0 else ()) for j, i in enumerate(inds))
    corr = np.corrcoef(x.T)
    coherence = Coherence(inds, corr, np.array([0.8, -0.35, *np.linspace(0.2, 0.9, k - 2)]),
                          np.array([0.5, -0.2, *np.linspace(-0.1, 0.7, k - 2)]),
                          (("labour", 0.42), ("investment", 0.81), ("admin_barriers", None)), negative=(inds[1],))
    base = np.arange(1.0, n + 1)
    objective = tuple(ObjectiveWeighting(w, np.full(k, 1 / k), rng.permutation(base), float(s))
                      for w, s in (("equal", 0.91), ("entropy", 0.62), ("critic", 0.85), ("std", 0.88)))
    low = np.maximum(1, base - rng.integers(0, 4, n))
    high = np.minimum(n, base + rng.integers(0, 4, n))
    low[0] = high[0] = 1  # the first region keeps its rank
    u = Uncertainty(10_000, 42, FACTORS, ("around the committee's, +-20%", "topsis, wsm or vikor",
                                          "vector, minmax or max", "on or off"),
                    base, base.copy(), low.astype(float), high.astype(float), np.array([0.55, 0.2, 0.05, 0.0]),
                    np.array([0.7, 0.3, 0.08, 0.01]), "each region's rank", "Saltelli et al. 2010; Jansen 1999",
                    warnings=("10 draws ranked a region with a missing value.",))
    return AuditResult(r.case_title, ids, names, stats, "winsorise", coherence, objective, u, base_ranks=base)


@pytest.fixture(scope="module")
def uz(tmp_path_factory):
    d = decide(load(UZ), sensitivity=False)
    d = dataclasses.replace(d, audit=hand_audit(d))
    path = book.write(tmp_path_factory.mktemp("audit") / "uz.xlsx", d, command="mcda run --audit")
    return SimpleNamespace(d=d, a=d.audit, path=path, wb=openpyxl.load_workbook(path))


def named(wb, name: str) -> list[list]:
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return [[c.value for c in row] for row in wb[sheet][ref.replace("$", "")]]


def texts(ws) -> str:
    return " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))


def test_the_sheet_comes_before_the_appendices_only_with_an_audit(uz):
    assert uz.wb.sheetnames == ["Summary", "Ranking", "Allocation", "What-if", "Weights", "Audit", "Working",
                                "Data", "About"]
    plain = book.build(dataclasses.replace(uz.d, audit=None))
    assert "Audit" not in plain.sheetnames and "Audit_stats" not in plain.defined_names
    assert book.sheet_names(audit=True)[-4:] == ["Audit", "Working", "Data", "About"]
    assert "Audit" in about.SHEET_GUIDE and about.SHEET_GUIDE["Audit"] in texts(uz.wb["About"])


def test_the_findings_come_first_as_mcda_audit_says_them(uz):
    ws, a = uz.wb["Audit"], uz.a
    said = texts(ws)
    assert said.index("What the audit finds") < said.index("The data: skewness")
    for text in summary(a):  # one voice with the command line
        assert text in said
    assert audit.finding_words(uz.d) == summary(a)
    flagged = a.stats[0]
    assert f"{flagged.indicator} (skewness 3.10, kurtosis 11.00; outliers: {a.names[-1]})" in said
    assert "10,000 draws, seed 42" in said and "each region's rank" in said


def test_each_indicator_s_statistics_flag_in_red_and_the_treatment_value_by_value(uz):
    ws, a = uz.wb["Audit"], uz.a
    assert named(uz.wb, "Audit_stats") == [[pytest.approx(s.skewness), pytest.approx(s.kurtosis)] for s in a.stats]
    sheet, ref = next(iter(uz.wb.defined_names["Audit_stats"].destinations))
    first = int(re.search(r"\$(\d+):", ref)[1])
    flags = [ws.cell(first + k, 4) for k in range(len(a.stats))]
    assert [c.value for c in flags] == ["flagged" if s.flagged else "-" for s in a.stats]
    assert [c.fill.fgColor.rgb[-6:] == "FFC7CE" for c in flags] == [s.flagged for s in a.stats]
    assert ws.cell(first, 5).value == f"Outliers: {a.names[-1]}. Changed: {a.names[-1]}: 1234 -> 456.7"
    assert ws.cell(first + 1, 5).value == "Outliers: none"


def test_the_correlations_on_a_colour_scale_negative_in_red_alpha_said(uz):
    ws, a = uz.wb["Audit"], uz.a
    c = a.coherence
    assert np.allclose(np.array(named(uz.wb, "Audit_correlations"), dtype=float), c.correlations)
    rules = [r for cf in ws.conditional_formatting for r in cf.rules if r.type == "colorScale"]
    assert [float(v.val) for v in rules[0].colorScale.cfvo] == [-1, 0, 1]
    got = np.array(named(uz.wb, "Audit_with_criterion"), dtype=float)
    assert np.allclose(got, np.column_stack([c.with_criterion, c.with_overall]))
    sheet, ref = next(iter(uz.wb.defined_names["Audit_with_criterion"].destinations))
    first = int(re.search(r"\$(\d+):", ref)[1])
    colour = [[str(getattr(ws.cell(first + k, 2 + j).font.color, "rgb", "")) for j in (0, 1)] for k in range(len(got))]
    red = [[c[-6:] == "9C0006" for c in row] for row in colour]
    assert red == [[v < 0 for v in row] for row in got]
    assert named(uz.wb, "Audit_alpha") == [[0.42], [0.81], ["-"]]
    said = texts(ws)
    assert "below 0.7: its indicators do not measure one thing" in said and "one indicator: no alpha" in said


def test_the_objective_weightings_ranks_beside_the_case_s_with_spearman(uz):
    a = uz.a
    order = audit_ranks.order(uz.d)
    assert named(uz.wb, "Audit_objective_ranks") == [[o.ranks[k] for o in a.objective] for k in order]
    assert named(uz.wb, "Audit_spearman") == [[pytest.approx(o.spearman) for o in a.objective]]
    ws = uz.wb["Audit"]
    assert "Standard deviation" in texts(ws) and "Spearman with the case's" in texts(ws)


def test_each_region_s_median_rank_and_interval_and_the_sobol_indices_with_their_charts(uz):
    a, u = uz.a, uz.a.uncertainty
    order = audit_ranks.order(uz.d)
    assert named(uz.wb, "Audit_intervals") == [[u.base_ranks[k], u.median_rank[k], u.low[k], u.high[k]]
                                                for k in order]
    assert np.allclose(np.array(named(uz.wb, "Audit_sobol"), dtype=float), np.column_stack([u.first_order, u.total]))
    ws = uz.wb["Audit"]
    sheet, area = next(iter(uz.wb.defined_names["Audit_intervals"].destinations))
    first = int(re.search(r"\$(\d+):", area)[1])
    shaded = [ws.cell(first + g, 3).fill.fgColor.rgb[-6:] == "FFEB9C" for g in range(len(order))]
    assert shaded == [k in wide(a) for k in order] and any(shaded)  # intervals wider than a quarter of the ranks
    assert len(ws._charts) == 2
    bars, = [c for c in ws._charts if len(c.series) == 4]  # offset and three lengths
    sobol, = [c for c in ws._charts if len(c.series) == 2]  # first-order and total
    # the floating bar of each region spans its interval, a dark mark at its median
    parts = np.array([[row[0].value for row in ws[ref(s.val.numRef.f)]] for s in bars.series], dtype=float)
    assert parts.shape == (4, len(a.ids))
    shown = order[:parts.shape[1]]
    half = INTERVAL_MARK / 2
    assert np.allclose(parts[0], [min(u.low[k], u.median_rank[k] - half) for k in shown])  # the bar starts low
    assert np.allclose(parts.sum(axis=0), [max(u.high[k], u.median_rank[k] + half) for k in shown])  # ends high
    assert np.allclose(parts[0] + parts[1] + half, [u.median_rank[k] for k in shown])  # the dark mark's middle
    assert np.allclose(parts[2], INTERVAL_MARK) and (parts >= 0).all()
    assert bars.y_axis.scaling.min == 0 and bars.y_axis.scaling.max == len(a.ids)
    sobol_parts = np.array([[row[0].value for row in ws[ref(s.val.numRef.f)]] for s in sobol.series], dtype=float)
    assert np.allclose(sobol_parts.T, np.column_stack([u.first_order, u.total]))
    assert [ws[ref(s.tx.strRef.f)].value for s in sobol.series] == ["First-order", "Total"]


def ref(formula: str) -> str:
    return formula.split("!")[1].replace("$", "")


def test_without_the_monte_carlo_the_sheet_says_so_and_draws_no_chart(uz):
    d = dataclasses.replace(uz.d, audit=dataclasses.replace(uz.a, uncertainty=None, objective=()))
    ws = book.build(d)["Audit"]
    assert ws._charts == [] and "Audit_intervals" not in ws.parent.defined_names
    assert uncertainty_sentences(d.audit)[0] in texts(ws)  # "... were not assessed (no Monte-Carlo draws)."


def _many(n: int = 60):
    d = decide(load(UZ), sensitivity=False)
    ids = [f"region_{k:03d}" for k in range(n)]
    return dataclasses.replace(d, audit=hand_audit(d, ids, [f"Region number {k}" for k in range(n)], seed=5))


def test_a_long_list_of_regions_charts_the_first_twenty(tmp_path):
    wb = openpyxl.load_workbook(book.write(tmp_path / "many.xlsx", _many()))
    bars, = [c for c in wb["Audit"]._charts if len(c.series) == 4]
    ref = bars.series[0].val.numRef.f.split("!")[1].replace("$", "")
    assert len(wb["Audit"][ref]) == audit_ranks.CHART_REGIONS
    assert wc.page_problems(wb) == [] and wc.unnamed_fonts(wb) == []


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The Uzbekistan case audited by the pipeline (mcda run --audit), a few draws."""
    d = decide(load(UZ), sensitivity=False, audit=True, audit_samples=256)
    path = book.write(tmp_path_factory.mktemp("real") / "real.xlsx", d, command="mcda run --audit")
    return SimpleNamespace(d=d, a=d.audit, path=path, wb=openpyxl.load_workbook(path))


def test_the_pipeline_s_audit_is_what_the_sheet_shows(real):
    a, u = real.a, real.a.uncertainty
    assert "Audit" in real.wb.sheetnames and u is not None
    stats = [[s.skewness, s.kurtosis] for s in a.stats]
    assert np.allclose(np.array(named(real.wb, "Audit_stats"), dtype=float), stats)
    assert np.allclose(np.array(named(real.wb, "Audit_correlations"), dtype=float), a.coherence.correlations)
    order = audit_ranks.order(real.d)
    got = np.array(named(real.wb, "Audit_intervals"), dtype=float)
    assert np.allclose(got, [[a.base_ranks[k], u.median_rank[k], u.low[k], u.high[k]] for k in order])
    assert np.allclose(np.array(named(real.wb, "Audit_sobol"), dtype=float), np.column_stack([u.first_order, u.total]),
                       equal_nan=True)
    assert list(a.base_ranks[order]) == sorted(a.base_ranks)  # the regions by the case's own rank
    said = texts(real.wb["Audit"])
    assert all(text in said for text in summary(a))
    assert wc.page_problems(real.wb) == [] and wc.unnamed_fonts(real.wb) == []


@pytest.mark.slow
def test_the_audit_sheet_prints_whole_at_seven_points_with_no_chart_cut(uz, real, tmp_path):
    if wc.soffice() is None:
        pytest.skip("LibreOffice is not installed")
    russia = decide(load(UZ.parent / "russia-regions-research"), sensitivity=False, audit=True, audit_samples=256)
    paths = [uz.path, real.path, book.write(tmp_path / "many.xlsx", _many()),
             book.write(tmp_path / "russia.xlsx", russia), wc.ruler(tmp_path / "ruler.xlsx")]
    pdfs = wc.to_pdf(paths, tmp_path / "pdf", tmp_path / "profile")
    seven = wc.ruler_height(wc.pdf_pages(pdfs[-1]))
    for path, pdf in zip(paths[:-1], pdfs):
        wb = openpyxl.load_workbook(path)
        pages = wc.pages_by_sheet(wc.pdf_pages(pdf), wb.sheetnames)["Audit"]
        ws = wb["Audit"]
        assert pages
        small = [(p.number, w.text) for p in pages for w in p.words if w.height < seven - 0.05]
        assert small == [], small[:5]
        assert [x for x in wc.missing_texts(ws, pages) if wc.in_print_area(ws, x)] == []
        assert wc.overprinted_words(pages) == []
        assert len(pages) == len(ws.row_breaks.brk) + 1
        breaks = [b.id for b in ws.row_breaks.brk]
        assert [(a, b, r) for c in ws._charts for a, b in [chart_rows(ws, c)] for r in breaks if a <= r < b] == []
        assert wc.page_problems(wb) == []
