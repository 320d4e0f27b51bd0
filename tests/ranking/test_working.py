"""The working behind a ranking: pymcdm's steps replayed, and each criterion's part in a score."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mcda import pipeline
from mcda.inputs.load import load
from mcda.model import MethodSpec, frozen_array
from mcda.ranking.matrix import spread, weight_map
from mcda.ranking.pymcdm_methods import score_matrix
from mcda.ranking.working import contributions, directions, steps
from mcda.vocabulary import METHODS, resolved

ROOT = Path(__file__).resolve().parents[2]
CASE = load(ROOT / "cases" / "uzbekistan-regions")


def _hwang_yoon(x: np.ndarray, w: np.ndarray, types: np.ndarray):
    """Classic TOPSIS written from Hwang & Yoon (1981), independently of pymcdm: vector
    normalisation; the ideal takes the max of benefit and the min of cost columns."""
    v = x / np.sqrt((x ** 2).sum(axis=0)) * w
    ideal = np.where(types == 1, v.max(axis=0), v.min(axis=0))
    worst = np.where(types == 1, v.min(axis=0), v.max(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - worst) ** 2).sum(axis=1))
    return v, ideal, worst, d_plus, d_minus, d_minus / (d_plus + d_minus)


def _ranking_for(matrix: np.ndarray, criteria_weights: np.ndarray, method: str = "topsis"):
    """A Ranking of the Uzbekistan case's indicators on another matrix and other weights."""
    base = pipeline.rank(CASE)
    weights = dataclasses.replace(base.weights, values=frozen_array(criteria_weights / criteria_weights.sum()))
    share, _ = weight_map(CASE, list(base.indicators))
    w = spread(weights, CASE.weighting.criteria, share)
    spec = MethodSpec(method)
    types = directions(CASE, base.indicators)
    scores, ranks = score_matrix(matrix, w, types, spec, base.indicators)
    return dataclasses.replace(base, method=resolved(spec), matrix=frozen_array(matrix), weights=weights,
                               indicator_weights=frozen_array(w), scores=frozen_array(scores),
                               ranks=frozen_array(ranks), higher_is_better=METHODS[method]["higher_is_better"])


@pytest.mark.parametrize("method", list(METHODS))
def test_replayed_steps_end_in_the_scores_the_ranking_holds(method):
    r = pipeline.rank(CASE, method=MethodSpec(method))
    s = steps(CASE, r)
    assert s[-1].kind == "regions"
    np.testing.assert_allclose(s[-1].values, r.scores, rtol=0, atol=1e-12)
    for step in s:
        shape = {"matrix": r.matrix.shape, "pairs": (len(r.ids),) * 2, "regions": (len(r.ids),),
                 "indicators": (len(r.indicators),)}[step.kind]
        assert step.values.shape == shape, step.label
        assert "$" not in step.symbol and "{" not in step.caption


def test_topsis_steps_agree_with_hwang_and_yoon_written_independently():
    r = pipeline.rank(CASE)
    by = {s.label: s.values for s in steps(CASE, r)}
    types = directions(CASE, r.indicators)
    v, ideal, worst, d_plus, d_minus, p = _hwang_yoon(np.asarray(r.matrix), np.asarray(r.indicator_weights), types)
    # pymcdm turns a cost column into 1 - x/|x|, a shift that leaves every distance unchanged
    np.testing.assert_allclose(by["dpis"], d_plus, rtol=1e-12)
    np.testing.assert_allclose(by["dnis"], d_minus, rtol=1e-12)
    np.testing.assert_allclose(by["pref"], p, rtol=1e-12)
    benefit = types == 1
    np.testing.assert_allclose(by["wnmatrix"][:, benefit], v[:, benefit], rtol=1e-12)


def test_hwang_yoon_fighter_aircraft_closeness():
    # Hwang & Yoon (1981), pp. 131-134: four aircraft, six attributes; closeness 0.643, 0.268, 0.614, 0.312
    x = np.array([[2.0, 1500, 20000, 5.5, 5, 9], [2.5, 2700, 18000, 6.5, 3, 5],
                  [1.8, 2000, 21000, 4.5, 7, 7], [2.2, 1800, 20000, 5.0, 5, 5]])
    *_, p = _hwang_yoon(x, np.array([.2, .1, .1, .1, .2, .3]), np.array([1, 1, 1, -1, 1, 1]))
    np.testing.assert_allclose(p, [0.643, 0.268, 0.614, 0.312], atol=5e-4)


def test_topsis_parts_are_the_score_split_by_shares_of_the_squared_distance_from_the_worst():
    r = pipeline.rank(CASE)
    criteria, parts, gaps = contributions(CASE, r)
    assert criteria == CASE.weighting.criteria
    types = directions(CASE, r.indicators)
    v, ideal, worst, d_plus, d_minus, p = _hwang_yoon(np.asarray(r.matrix), np.asarray(r.indicator_weights), types)
    crit_of = [CASE.catalogue.indicator(i)[0].id for i in r.indicators]
    for k, c in enumerate(criteria):
        cols = [j for j, x in enumerate(crit_of) if x == c]
        lo = ((v[:, cols] - worst[cols]) ** 2).sum(axis=1) / d_minus ** 2
        hi = ((v[:, cols] - ideal[cols]) ** 2).sum(axis=1) / d_plus ** 2
        np.testing.assert_allclose(parts[:, k], p * lo, rtol=1e-10)
        np.testing.assert_allclose(gaps[:, k], hi, rtol=1e-10)


positive = arrays(float, (14, 9), elements=st.floats(0.5, 1000, allow_nan=False))
weights4 = arrays(float, 4, elements=st.floats(0.01, 1, allow_nan=False))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(positive, weights4)
def test_topsis_parts_add_up_to_the_score_and_gaps_to_one(matrix, cw):
    matrix[:, 0] += np.arange(14)  # no constant column
    r = _ranking_for(matrix, cw)
    _, parts, gaps = contributions(CASE, r)
    assert (parts >= -1e-15).all() and (gaps >= -1e-15).all()
    np.testing.assert_allclose(parts.sum(axis=1), r.scores, rtol=1e-10, atol=1e-14)
    at_ideal = {s.label: s.values for s in steps(CASE, r)}["dpis"] == 0
    np.testing.assert_allclose(gaps.sum(axis=1), np.where(at_ideal, 0.0, 1.0), rtol=1e-10)


def test_a_region_at_the_worst_point_on_a_criterion_gets_no_part_from_it():
    m = np.asarray(pipeline.rank(CASE).matrix).copy()
    # research has one indicator (hei_per_million, max): give region 0 the lowest value
    j = pipeline.rank(CASE).indicators.index("hei_per_million")
    m[0, j] = m[:, j].min() / 2
    r = _ranking_for(m, np.array([1.0, 1, 1, 1]))
    criteria, parts, _ = contributions(CASE, r)
    assert parts[0, criteria.index("research")] == 0.0
    assert parts[0].sum() == pytest.approx(r.scores[0], rel=1e-12)


def test_wsm_parts_are_the_weighted_normalised_sums_and_other_methods_have_none():
    r = pipeline.rank(CASE, method=MethodSpec("wsm"))
    criteria, parts, gaps = contributions(CASE, r)
    assert gaps is None
    np.testing.assert_allclose(parts.sum(axis=1), r.scores, rtol=1e-12)
    for name in ("vikor", "promethee2", "copras", "waspas"):
        assert contributions(CASE, pipeline.rank(CASE, method=MethodSpec(name))) is None
