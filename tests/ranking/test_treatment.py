"""mcda/ranking/treatment.py: the JRC skewness/kurtosis rule, Tukey's outliers, and the treatments applied in
mcda.ranking.matrix.prepare before normalising (issue 14)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import scipy.stats
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mcda.inputs.load import load
from mcda.pipeline import decide
from mcda.ranking.matrix import prepare
from mcda.ranking.treatment import WINMAX, flags, kurtosis, outliers, skewness, transform, treat, winsorise
from mcda.report import book

ROOT = Path(__file__).resolve().parents[2]
UZ = ROOT / "cases" / "uzbekistan-regions"
# COINr's own example (winsorise() and the treat vignette): 1..10 and two outliers, 30 and 100
COIN_X = np.array([*range(1, 11), 30.0, 100.0])


def treated(case, how):
    return dataclasses.replace(case, audit=dataclasses.replace(case.audit, treatment=how))


@pytest.fixture(scope="module")
def uz():
    return load(UZ)


def test_moments_equal_scipy_with_the_same_corrections():
    rng = np.random.default_rng(14)
    for x in (COIN_X, rng.lognormal(size=14), rng.normal(size=85), np.array([1.0, 2, 4, 8])):
        assert skewness(x) == pytest.approx(scipy.stats.skew(x, bias=False), rel=1e-12)
        assert kurtosis(x) == pytest.approx(scipy.stats.kurtosis(x, fisher=True, bias=False), rel=1e-12)


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=4, max_size=60))
@settings(max_examples=200, deadline=None)
def test_moments_equal_scipy_on_any_sample(values):
    x = np.array(values)
    if np.ptp(x) <= 1e-6 * max(1.0, np.abs(x).max()):  # (near-)constant: undefined
        return
    assert skewness(x) == pytest.approx(scipy.stats.skew(x, bias=False), rel=1e-6, abs=1e-9)
    assert kurtosis(x) == pytest.approx(scipy.stats.kurtosis(x, bias=False), rel=1e-6, abs=1e-9)


def test_kurtosis_is_excess_and_undefined_cases_never_flag():
    x = np.random.default_rng(1).normal(size=100_000)
    assert abs(kurtosis(x)) < 0.1  # excess: a normal sample gives about 0, not 3
    assert np.isnan(skewness([1.0, 1.0, 1.0, 1.0])) and np.isnan(kurtosis([1.0, 2.0, 3.0]))
    assert not flags([5.0] * 10) and not flags([1.0, 2.0, 100.0])


def test_the_rule_needs_both_skew_and_kurtosis():
    assert flags(COIN_X)  # skew 3.06, kurtosis 9.74
    x = np.array([0.0] * 6 + [1.0] * 2)  # skewed (1.44) but short-tailed (kurtosis 0.24)
    assert abs(skewness(x)) < 2 and not flags(x)


def test_tukeys_fences():
    q1, q3 = np.quantile(COIN_X, [0.25, 0.75])
    high = q3 + 1.5 * (q3 - q1)
    assert list(outliers(COIN_X)) == [10, 11] and COIN_X[9] <= high < 30
    assert list(outliers(np.arange(10.0))) == []


def test_winsorise_as_coinr_value_by_value():
    y = winsorise(COIN_X)
    changed = np.flatnonzero(y != COIN_X)
    assert list(changed) == [11] and y[11] == 30.0  # 100 -> 30, the nearest value kept: skew 1.71, kurtosis 1.82
    assert skewness(y) == pytest.approx(1.712038, abs=1e-6) and kurtosis(y) == pytest.approx(1.815781, abs=1e-6)
    assert not flags(y) and flags(COIN_X)
    assert list(y[:10]) == list(COIN_X[:10])


def test_winsorise_stops_at_five_values_and_keeps_order():
    x = np.array([*np.arange(40.0), *(1e3 * 2.0 ** np.arange(8))])
    y = winsorise(x)
    assert (y != x).sum() == WINMAX
    assert np.all(np.diff(y[np.argsort(x, kind="stable")]) >= 0)  # no value overtakes another
    kept = y[y == x]
    for v in y[y != x]:
        assert v == kept.max()  # each set to the nearest value kept


@given(st.lists(st.floats(0, 1e3, allow_nan=False), min_size=4, max_size=40),
       st.lists(st.floats(1e4, 1e7, allow_nan=False), min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
@example(body=[0.0, 4.0, 5.0, 5.0], tail=[10000.0])  # the high end's change flips the skew: the low end follows
def test_winsorised_values_equal_the_nearest_kept_value_and_the_flag_clears_or_five_are_changed(body, tail):
    x = np.array(body + tail)
    y = winsorise(x)
    changed = y != x
    if not flags(x):
        assert not changed.any()
        return
    assert changed.any() and np.all(np.diff(y[np.argsort(x, kind="stable")]) >= 0)
    kept = y[~changed]
    # each equals the nearest value kept, at an end: the skew's side first; COINr re-reads the skew after every
    # change, so a value moved on the far side can flip it and the low end is treated too ([0, 4, 5, 5, 1e4])
    side = (y[changed] >= kept.max()) | (y[changed] <= kept.min())
    assert np.all(side) and np.all(np.isin(y[changed], kept))
    first = y[changed] >= kept.max() if skewness(x) >= 0 else y[changed] <= kept.min()
    assert first.any()  # the skew's own side was treated
    assert not flags(y) or changed.sum() >= WINMAX


def test_negative_skew_winsorises_the_low_end():
    y = winsorise(-COIN_X)
    assert list(np.flatnonzero(y != -COIN_X)) == [11] and y[11] == -30.0


@pytest.mark.parametrize("how", ["log", "sqrt"])
def test_transforms_keep_order_and_range_and_handle_non_positive_values(how):
    for x in (COIN_X, COIN_X - 50, -COIN_X):
        y = transform(x, how)
        assert np.all(np.diff(y[np.argsort(x)]) > 0)  # strictly monotone: direction and order unchanged
        assert y.min() == pytest.approx(x.min()) and y.max() == pytest.approx(x.max())
        assert abs(skewness(y)) < abs(skewness(x))


def test_treat_reports_value_by_value():
    values = np.column_stack([COIN_X, np.arange(12.0)])
    ids = tuple(f"r{k}" for k in range(12))
    out, stats = treat(values, np.array([1, -1]), ids, ("a", "b"), "winsorise")
    assert stats[0].flagged and not stats[1].flagged and stats[1].treated == ()
    assert stats[0].treated == (("r11", 100.0, 30.0),)
    assert stats[0].outliers == ("r10", "r11")
    assert np.array_equal(out[:, 1], values[:, 1])
    none, stats0 = treat(values, np.array([1, -1]), ids, ("a", "b"), "none")
    assert np.array_equal(none, values) and stats0[0].flagged and stats0[0].treated == ()


def test_the_capitals_dominance_shows_on_uzbekistan(uz):
    p = prepare(treated(uz, "winsorise"))
    by = {s.indicator: s for s in p.stats}
    flagged = {i for i, s in by.items() if s.flagged}
    assert {"students_per_1000", "foreign_firms_per_100k", "hei_per_million"} <= flagged
    for iid in flagged:
        assert "tashkent_city" in by[iid].outliers
        assert [r for r, _, _ in by[iid].treated] == ["tashkent_city"]
    note = [w for w in p.warnings if w.startswith("outlier treatment")]
    assert len(note) == 1 and "students_per_1000 (tashkent_city 123.8 -> 29.51)" in note[0]
    k = p.ids.index("tashkent_city")
    j = p.indicators.index("students_per_1000")
    assert p.matrix[k, j] == pytest.approx(by["students_per_1000"].treated[0][2])
    assert p.matrix[k, j] == np.delete(p.matrix[:, j], k).max()  # the nearest value kept


def test_no_treatment_leaves_the_ranking_unchanged(uz):
    a, b = prepare(uz), prepare(treated(uz, "none"))
    assert np.array_equal(a.matrix, b.matrix) and a.stats == () and a.warnings == b.warnings


@pytest.mark.parametrize("how", ["winsorise", "log", "sqrt"])
def test_the_report_reads_the_treated_matrix(uz, how):
    """The Data sheet (which the What-if formulas and the Working read) holds the treated values the
    ranking scored; the Working's last step is the ranking's score."""
    d = decide(treated(uz, how), sensitivity=False)
    r = d.ranking
    assert any(w.startswith("outlier treatment") for w in r.warnings)
    assert np.array_equal(r.matrix, prepare(treated(uz, how)).matrix)
    assert not np.array_equal(r.matrix, prepare(uz).matrix)
    assert np.allclose(d.working.steps[-1].values, r.scores)
    ws = book.build(d)["Data"]
    stats = {s.indicator: s for s in prepare(treated(uz, how)).stats}
    region, before, after = stats["students_per_1000"].treated[0]
    k, j = r.ids.index(region), r.indicators.index("students_per_1000")
    assert r.matrix[k, j] == after and prepare(uz).matrix[k, j] == before
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert any(v == pytest.approx(after, rel=1e-12) for v in cells)
    assert not any(v == pytest.approx(before, rel=1e-9) for v in cells)
    # every changed value, and only those, is lilac with a note giving the value in the data file
    changed = {(rg, iid): b for iid, st_ in stats.items() for rg, b, _ in st_.treated}
    assert {(rg, iid) for rg, iid, _, _ in r.treated} == set(changed)
    first = next(c.row for c in ws["A"] if c.value == r.ids[0])
    col = {iid: 3 + j for j, iid in enumerate(r.indicators)}
    for (rg, iid), b in changed.items():
        cell = ws.cell(first + r.ids.index(rg), col[iid])
        assert cell.fill.fgColor.rgb.endswith("E4DFEC") and f"changed {b:,.6g} to" in cell.comment.text
    untouched = ws.cell(first + next(k for k, rg in enumerate(r.ids) if (rg, "students_per_1000") not in changed),
                        col["students_per_1000"])
    assert untouched.comment is None and not untouched.fill.fgColor.rgb.endswith("E4DFEC")


@pytest.mark.slow
def test_the_what_if_sheet_recomputes_the_treated_ranking(tmp_path):
    """LibreOffice recalculates the What-if sheet of a winsorised case at typed weights: its live ranking is
    the tool's at those weights, on the treated values (helpers of tests/report/test_whatif_office.py)."""
    import csv
    import sys
    sys.path.insert(0, str(ROOT / "tests" / "report"))
    import openpyxl
    from test_report import CSV_FILTER, PROFILE, _convert, _soffice
    from test_whatif_office import UZ_TYPED, at_weights, cells, write
    _soffice()
    (tmp_path / "profile" / "user").mkdir(parents=True)
    (tmp_path / "profile" / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    case = treated(load(UZ), "winsorise")
    path = write(tmp_path, "treated", case, UZ_TYPED)
    _convert([path], CSV_FILTER, tmp_path / "csv", tmp_path / "profile")
    with open(tmp_path / "csv" / "treated-What-if.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    wb = openpyxl.load_workbook(path)

    def shown(name):
        col, first, _, last = cells(wb, name)
        return [rows[r - 1][col - 1] for r in range(first, last + 1)]

    r = at_weights(case, UZ_TYPED)
    order = np.argsort(-r.scores, kind="stable")
    assert shown("WhatIf_order_region") == [r.names[k] for k in order]
    np.testing.assert_allclose([float(x) for x in shown("WhatIf_order_score")], r.scores[order], rtol=0, atol=1e-9)
    untreated = at_weights(load(UZ), UZ_TYPED)
    assert not np.allclose(untreated.scores, r.scores)  # the check could fail: the treatment changes the scores
