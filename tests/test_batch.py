"""mcda/batch.py: the batched TOPSIS kernel against pymcdm, rank tallies against brute force."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm
from pymcdm import normalizations as nz

from mcda import batch, scoring
from mcda.cases import load_case
from mcda.model import MethodSpec, Weights

ROOT = Path(__file__).resolve().parent.parent
UZ = load_case(ROOT / "cases" / "uzbekistan-regions")
RU = load_case(ROOT / "cases" / "russia-regions-research")
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NORMS = {"vector": nz.vector_normalization, "minmax": nz.minmax_normalization, "max": nz.max_normalization,
         "sum": nz.sum_normalization, "linear": nz.linear_normalization}


@st.composite
def problems(draw, max_alt=12, max_crit=7):
    """A positive decision matrix with distinct columns, benefit/cost types and random weight rows."""
    n = draw(st.integers(2, max_alt))
    m = draw(st.integers(1, max_crit))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(0.5, 100.0, (n, m)) * 10.0 ** rng.integers(-3, 4, m)
    types = rng.choice([1, -1], m)
    weights = rng.dirichlet(np.ones(m), size=25)
    weights[rng.random((25, m)) < 0.15] = 0.0  # some zero weights
    weights[weights.sum(axis=1) == 0, 0] = 1.0
    return matrix, types, weights, rng


def pymcdm_topsis(norm, matrix, w, types):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pm.TOPSIS(NORMS[norm])(matrix, w, types)  # pymcdm's default validation on


@PROPS
@given(problems(), st.sampled_from(sorted(NORMS)))
def test_kernel_equals_pymcdm_topsis_for_random_weight_samples(problem, norm):
    matrix, types, weights, _ = problem
    ours = batch.topsis_scores(matrix, types, norm, weights)
    for s, w in enumerate(weights):
        np.testing.assert_allclose(ours[s], pymcdm_topsis(norm, matrix, w, types), rtol=0, atol=1e-12)


@PROPS
@given(problems(), st.sampled_from(sorted(NORMS)), st.floats(0.01, 0.5))
def test_kernel_with_perturbed_values_equals_pymcdm_on_each_sample(problem, norm, e):
    matrix, types, weights, rng = problem
    matrices = matrix * (1 + e * rng.uniform(-1, 1, (len(weights), *matrix.shape)))
    ours = batch.topsis_scores(matrix, types, norm, weights, matrices)
    for s, w in enumerate(weights):
        np.testing.assert_allclose(ours[s], pymcdm_topsis(norm, matrices[s], w, types), rtol=0, atol=1e-12)


@pytest.mark.parametrize("norm", sorted(NORMS))
def test_batched_normalisations_equal_pymcdm_column_by_column(norm):
    rng = np.random.default_rng(3)
    x = rng.uniform(0.1, 50, (9, 5))
    types = np.array([1, -1, 1, -1, -1])
    ours = batch.normalize(x, types, norm)
    for j in range(5):
        np.testing.assert_allclose(ours[:, j], NORMS[norm](x[:, j], cost=types[j] == -1), rtol=1e-14)


# --------------------------------------------------------------------------- prepared cases


@PROPS
@given(st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1.0)), min_size=4, max_size=4).filter(lambda w: sum(w) > 1e-3))
def test_prepared_indicator_weights_equal_rank_and_scores_equal_rank(raw):
    w = np.array(raw) / sum(raw)
    weights = Weights(criteria=UZ.weighting.criteria, values=w, source="direct")
    for method in (MethodSpec("topsis"), MethodSpec("vikor"), MethodSpec("copras")):
        r = scoring.rank(UZ, weights, method)
        prep = scoring.prepare(UZ, method)
        iw = prep.indicator_weights(w)
        np.testing.assert_allclose(iw, r.indicator_weights, rtol=0, atol=1e-15)
        np.testing.assert_allclose(batch.scores(prep, iw[None])[0], r.scores, rtol=0, atol=1e-12)


def test_copras_with_zero_weighted_costs_is_the_limit_of_small_cost_weights():
    """Sweeps and samples reach weights of exactly 0: COPRAS's cost term (0/0 there) tends to 0."""
    rng = np.random.default_rng(5)
    matrix, types = rng.uniform(1, 10, (6, 4)), np.array([1, -1, 1, -1])
    at_zero, _ = scoring.score_matrix(matrix, np.array([0.5, 0.0, 0.5, 0.0]), types, MethodSpec("copras"))
    near, _ = scoring.score_matrix(matrix, np.array([0.5, 1e-9, 0.5, 1e-9]), types, MethodSpec("copras"))
    np.testing.assert_allclose(at_zero, near, atol=1e-8)
    assert np.isfinite(at_zero).all()


def test_prepare_keeps_rank_decisions_on_missing_and_constant_data():
    prep = scoring.prepare(RU)
    r = scoring.rank(RU)
    assert prep.ids == r.ids and prep.indicators == r.indicators and prep.imputed == r.imputed
    np.testing.assert_array_equal(prep.matrix, r.matrix)
    assert set(prep.warnings) <= set(r.warnings)
    # A criterion left without a usable indicator gives its weight to the others.
    col = dict(UZ.indicators)["hei_per_million"].column
    rows = [list(x) for x in UZ.data.values]
    for x in rows:
        x[UZ.data.columns.index(col)] = 7.0
    pop = dict(UZ.denominators)["population"].column
    for x in rows:  # the same count per person everywhere: a constant indicator
        x[UZ.data.columns.index(pop)] = 1000.0
    from dataclasses import replace
    const = replace(UZ, data=replace(UZ.data, values=tuple(map(tuple, rows))))
    prep = scoring.prepare(const)
    assert "hei_per_million" not in prep.indicators
    assert not prep.weight_map[UZ.weighting.criteria.index("research")].any()
    r = scoring.rank(const)
    np.testing.assert_allclose(prep.indicator_weights(np.array(r.weights.values)), r.indicator_weights, atol=1e-15)


# --------------------------------------------------------------------------- ranks and ties


def brute_force_tally(m, w):
    """Acceptability, first places and first-place weight sums, sample by sample in Python,
    with ties (equal merits) sharing the ranks they span."""
    s, n = m.shape
    counts, first, fw = np.zeros((n, n)), np.zeros(n), np.zeros((n, w.shape[1]))
    for row, wr in zip(m, w):
        for i in range(n):
            better = sum(1 for k in range(n) if row[k] > row[i])
            same = sum(1 for k in range(n) if row[k] == row[i])
            for r in range(better, better + same):
                counts[i, r] += 1 / same
            if better == 0:
                first[i] += 1 / same
                fw[i] += wr / same
    return counts, first, fw


@PROPS
@given(st.integers(0, 2**32 - 1), st.integers(2, 9), st.booleans(), st.sampled_from([1.0, -1.0]))
def test_rank_tally_equals_brute_force_with_ties(seed, n, coarse, sign):
    rng = np.random.default_rng(seed)
    m = rng.random((60, n)) * sign
    if coarse:  # few distinct values: many ties, including for first place
        m = np.round(m * 3) / 3
    w = rng.dirichlet(np.ones(3), 60)
    tally = batch.RankTally(n, 3)
    tally.add(m[:25], w[:25])
    tally.add(m[25:], w[25:])
    counts, first, fw = brute_force_tally(m, w)
    np.testing.assert_allclose(tally.counts, counts, atol=1e-12)
    np.testing.assert_allclose(tally.first, first, atol=1e-12)
    np.testing.assert_allclose(tally.first_weights, fw, atol=1e-12)
    np.testing.assert_allclose(tally.acceptability.sum(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(tally.acceptability.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(batch.first_place(m), counts_first_share(m), atol=1e-12)


def counts_first_share(m):
    top = m.max(axis=1, keepdims=True)
    win = (m == top).astype(float)
    return win / win.sum(axis=1, keepdims=True)


def test_scores_within_the_tie_tolerance_are_tied_and_beyond_it_are_not():
    m = np.array([[0.5, 0.5 + 1e-13, 0.2], [0.5, 0.5 + 1e-9, 0.2]])
    tally = batch.RankTally(3, 1)
    tally.add(m, np.ones((2, 1)))
    # row 1: regions 0 and 1 share places 1 and 2; row 2: region 1 is first outright
    np.testing.assert_allclose(tally.counts, [[0.5, 1.5, 0], [1.5, 0.5, 0], [0, 0, 2]])


@pytest.mark.parametrize("n", [2, 3, 17, 200, 5000])
def test_sort_regions_orders_like_argsort(n):
    rng = np.random.default_rng(n)
    m = rng.normal(size=(40, n)) * 10.0 ** rng.integers(-5, 5, (40, 1))
    for x in (m, np.abs(m)):
        order, ranked = batch.sort_regions(x)
        np.testing.assert_array_equal(order, np.argsort(-x, axis=1))
        exact = -np.sort(-x, axis=1)
        np.testing.assert_allclose(ranked, exact, rtol=2.0 ** -(52 - max(1, (n - 1).bit_length())), atol=0)


def test_orders_break_ties_by_id_and_within_tolerance():
    id_rank = np.array([2, 0, 1])  # region 1 has the first id, then 2, then 0
    m = np.array([[0.3, 0.3, 0.3], [0.3, 0.3 + 1e-14, 0.1], [0.9, 0.3, 0.31]])
    assert batch.orders(m, id_rank).tolist() == [[1, 2, 0], [1, 0, 2], [0, 2, 1]]
