"""Tests for mcda/ranking/goalposts.py: fixed-goalpost normalisation and TOPSIS/WSM scores on fixed
reference points. Oracles: values worked by hand, a plain loop over regions (the textbook formulas one
region at a time), pymcdm's rankdata; properties with hypothesis (scores in [0, 1], monotone in every
indicator the right way, a region's score never depends on the other regions)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm.helpers import rankdata

from mcda.errors import DataError
from mcda.ranking.goalposts import degenerate, fixed_scores, goalposts, normalised, outside, ranks

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loop_topsis(row, L, U, types, w):
    """TOPSIS closeness of one region to the fixed ideal (weights) and anti-ideal (0), written out."""
    plus = minus = 0.0
    for x, lo, hi, t, wj in zip(row, L, U, types, w):
        r = (x - lo) / (hi - lo) if t == 1 else (hi - x) / (hi - lo)
        r = min(1.0, max(0.0, r))
        plus += (wj * r - wj) ** 2
        minus += (wj * r) ** 2
    return math.sqrt(minus) / (math.sqrt(plus) + math.sqrt(minus))


def test_one_indicator_scores_its_normalised_value():
    m = np.array([[0.0], [2.5], [10.0]])
    L, U = np.array([0.0]), np.array([10.0])
    for method in ("topsis", "wsm"):  # one indicator: d- = r, d+ = 1 - r, so closeness = r = WSM
        assert fixed_scores(m, L, U, np.array([1]), np.array([1.0]), method).tolist() == [0.0, 0.25, 1.0]
    assert fixed_scores(m, L, U, np.array([-1]), np.array([1.0]), "topsis").tolist() == [1.0, 0.75, 0.0]


def test_halfway_by_hand():
    # r = (1, 0) with equal weights: d+ = d- = 0.5, closeness 0.5; r = (1, 1/2): d+ = 0.25, d- = sqrt(0.3125)
    m = np.array([[10.0, 5.0], [10.0, 2.5]])
    L, U, types, w = np.array([0.0, 0.0]), np.array([10.0, 5.0]), np.array([1, -1]), np.array([0.5, 0.5])
    s = fixed_scores(m, L, U, types, w, "topsis")
    assert s[0] == pytest.approx(0.5, abs=1e-15)
    assert s[1] == pytest.approx(math.sqrt(0.3125) / (0.25 + math.sqrt(0.3125)), abs=1e-15)
    assert fixed_scores(m, L, U, types, w, "wsm").tolist() == [0.5, 0.75]


def test_against_a_loop_over_years_and_regions():
    rng = np.random.default_rng(7)
    m = rng.uniform(-5, 50, size=(4, 9, 5))
    types = np.array([1, -1, 1, 1, -1])
    w = rng.dirichlet(np.ones(5))
    L, U = goalposts(m, types)
    s = fixed_scores(m, L, U, types, w, "topsis")
    for t in range(4):
        for i in range(9):
            assert s[t, i] == pytest.approx(loop_topsis(m[t, i], L, U, types, w), abs=1e-14)
    wsm = fixed_scores(m, L, U, types, w, "wsm")
    assert wsm == pytest.approx(np.einsum("tij,j->ti", normalised(m, L, U, types), w), abs=1e-14)


def test_period_goalposts_are_the_period_extremes_ignoring_gaps():
    m = np.array([[[1.0, np.nan], [4.0, 7.0]], [[np.nan, 2.0], [-3.0, 9.0]]])
    L, U = goalposts(m, np.array([1, -1]))
    assert L.tolist() == [-3.0, 2.0] and U.tolist() == [4.0, 9.0]
    L, U = goalposts(m, np.array([1, -1]), targets=np.array([[0.0, 10.0], [1.0, 3.0]]))
    assert L.tolist() == [0.0, 1.0] and U.tolist() == [10.0, 3.0]  # targets win, whatever the data


def test_a_gap_scores_nan_and_leaves_the_others_alone():
    m = np.array([[1.0, 2.0], [np.nan, 3.0], [2.0, 4.0]])
    L, U, types, w = np.array([0.0, 0.0]), np.array([4.0, 4.0]), np.array([1, 1]), np.array([0.3, 0.7])
    s = fixed_scores(m, L, U, types, w, "topsis")
    assert np.isnan(s[1]) and not np.isnan(s[[0, 2]]).any()
    assert s[[0, 2]] == pytest.approx(fixed_scores(m[[0, 2]], L, U, types, w, "topsis"), abs=0)


def test_a_value_outside_the_goalposts_scores_as_on_them():
    L, U, types, w = np.array([0.0, 0.0]), np.array([10.0, 10.0]), np.array([1, -1]), np.array([0.5, 0.5])
    beyond = np.array([[14.0, -3.0], [-1.0, 11.0]])
    on = np.array([[10.0, 0.0], [0.0, 10.0]])
    for method in ("topsis", "wsm"):
        clipped, exact = fixed_scores(beyond, L, U, types, w, method), fixed_scores(on, L, U, types, w, method)
        assert clipped.tolist() == exact.tolist()
    assert outside(beyond, L, U).all() and not outside(on, L, U).any()
    assert not outside(np.array([[np.nan, 10.0 + 1e-13]]), L, U).any()  # a gap, and rounding, are not outside


def test_coinciding_goalposts_are_degenerate():
    assert degenerate(np.array([1.0, 5.0, 0.0, np.nan]), np.array([2.0, 5.0, 0.0, 3.0])).tolist() == [
        False, True, True, True]


def test_another_method_is_an_error_naming_the_supported_ones():
    with pytest.raises(DataError, match="topsis, wsm"):
        fixed_scores(np.ones((2, 1)), np.zeros(1), np.ones(1) * 2, np.array([1]), np.ones(1), "vikor")


def test_ranks_match_pymcdm_and_leave_gaps_out():
    s = np.array([[0.2, 0.9, 0.9, np.nan, 0.1], [0.5, 0.4, 0.3, 0.2, 0.1]])
    r = ranks(s)
    assert r[0, [0, 1, 2, 4]].tolist() == rankdata([0.2, 0.9, 0.9, 0.1], reverse=True).tolist() == [3, 1.5, 1.5, 4]
    assert np.isnan(r[0, 3]) and r[1].tolist() == [1, 2, 3, 4, 5]


# --------------------------------------------------------------------------- properties

@st.composite
def problems(draw):
    years, regions, n = draw(st.integers(1, 3)), draw(st.integers(1, 6)), draw(st.integers(1, 4))
    values = draw(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=years * regions * n,
                           max_size=years * regions * n))
    m = np.array(values).reshape(years, regions, n)
    types = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=n, max_size=n)))
    raw = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n)))
    lo = np.array(draw(st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n)))
    width = np.array(draw(st.lists(st.floats(1.0, 1e3), min_size=n, max_size=n)))
    return m, types, raw / raw.sum(), lo, lo + width


@PROPS
@given(problems(), st.sampled_from(["topsis", "wsm"]))
def test_scores_lie_in_0_1(problem, method):
    m, types, w, L, U = problem
    s = fixed_scores(m, L, U, types, w, method)
    assert s.shape == m.shape[:2]
    assert np.all((s >= -1e-12) & (s <= 1 + 1e-12))


@PROPS
@given(problems(), st.sampled_from(["topsis", "wsm"]), st.data())
def test_better_on_one_indicator_never_scores_lower(problem, method, data):
    """Monotone: moving one value the good way (up for a benefit, down for a cost) never lowers the score."""
    m, types, w, L, U = problem
    j = data.draw(st.integers(0, m.shape[-1] - 1))
    step = data.draw(st.floats(0.0, 2e3))
    better = m.copy()
    better[..., j] += types[j] * step
    before = fixed_scores(m, L, U, types, w, method)
    after = fixed_scores(better, L, U, types, w, method)
    assert np.all(after >= before - 1e-12)
    inside = (~outside(m[..., j], L[j], U[j])) & (~outside(better[..., j], L[j], U[j]))
    if method == "wsm":  # within the goalposts the score moves by exactly w_j x the step's share of U - L
        gain = w[j] * step / (U[j] - L[j])
        assert after[inside] == pytest.approx(before[inside] + gain, abs=1e-9)


@PROPS
@given(problems(), st.sampled_from(["topsis", "wsm"]), st.data())
def test_a_region_score_does_not_depend_on_the_others(problem, method, data):
    m, types, w, L, U = problem
    k = data.draw(st.integers(0, m.shape[1] - 1))
    alone = fixed_scores(m[:, [k]], L, U, types, w, method)[:, 0]
    assert alone == pytest.approx(fixed_scores(m, L, U, types, w, method)[:, k], abs=1e-15)  # rounding only


@PROPS
@given(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, float("nan")]), min_size=1, max_size=12))
def test_ranks_are_pymcdm_average_ranks(row):
    s = np.array(row)
    ok = ~np.isnan(s)
    r = ranks(s[None, :])[0]
    assert np.isnan(r[~ok]).all()
    if ok.any():
        assert r[ok].tolist() == rankdata(s[ok].tolist(), reverse=True).tolist()
