"""mcda/ranking/kernels.py and matrix.scores: the batched TOPSIS kernel against pymcdm; COPRAS's limit; prepare()."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm
from pymcdm import normalizations as nz

from mcda import pipeline
from mcda.inputs.load import load
from mcda.model import MethodSpec, Weights
from mcda.ranking import kernels
from mcda.ranking.matrix import prepare
from mcda.ranking.matrix import scores as batch_scores
from mcda.ranking.pymcdm_methods import score_matrix

ROOT = Path(__file__).resolve().parents[2]
UZ = load(ROOT / "cases" / "uzbekistan-regions")
RU = load(ROOT / "cases" / "russia-regions-research")
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
    ours = kernels.topsis_scores(matrix, types, norm, weights)
    for s, w in enumerate(weights):
        np.testing.assert_allclose(ours[s], pymcdm_topsis(norm, matrix, w, types), rtol=0, atol=1e-12)


@PROPS
@given(problems(), st.sampled_from(sorted(NORMS)), st.floats(0.01, 0.5))
def test_kernel_with_perturbed_values_equals_pymcdm_on_each_sample(problem, norm, e):
    matrix, types, weights, rng = problem
    matrices = matrix * (1 + e * rng.uniform(-1, 1, (len(weights), *matrix.shape)))
    ours = kernels.topsis_scores(matrix, types, norm, weights, matrices)
    for s, w in enumerate(weights):
        np.testing.assert_allclose(ours[s], pymcdm_topsis(norm, matrices[s], w, types), rtol=0, atol=1e-12)


@pytest.mark.parametrize("norm", sorted(NORMS))
def test_batched_normalisations_equal_pymcdm_column_by_column(norm):
    rng = np.random.default_rng(3)
    x = rng.uniform(0.1, 50, (9, 5))
    types = np.array([1, -1, 1, -1, -1])
    ours = kernels.normalize(x, types, norm)
    for j in range(5):
        np.testing.assert_allclose(ours[:, j], NORMS[norm](x[:, j], cost=types[j] == -1), rtol=1e-14)


# --------------------------------------------------------------------------- prepared cases


@PROPS
@given(st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1.0)), min_size=4, max_size=4).filter(lambda w: sum(w) > 1e-3))
def test_prepared_indicator_weights_equal_rank_and_scores_equal_rank(raw):
    w = np.array(raw) / sum(raw)
    weights = Weights(criteria=UZ.weighting.criteria, values=w, source="direct")
    for method in (MethodSpec("topsis"), MethodSpec("vikor"), MethodSpec("copras")):
        r = pipeline.rank(UZ, weights, method)
        prep = prepare(UZ, method)
        iw = prep.indicator_weights(w)
        np.testing.assert_allclose(iw, r.indicator_weights, rtol=0, atol=1e-15)
        np.testing.assert_allclose(batch_scores(prep, iw[None])[0], r.scores, rtol=0, atol=1e-12)


def test_copras_with_zero_weighted_costs_is_the_limit_of_small_cost_weights():
    """Sweeps and samples reach weights of exactly 0: COPRAS's cost term (0/0 there) tends to 0."""
    rng = np.random.default_rng(5)
    matrix, types = rng.uniform(1, 10, (6, 4)), np.array([1, -1, 1, -1])
    at_zero, _ = score_matrix(matrix, np.array([0.5, 0.0, 0.5, 0.0]), types, MethodSpec("copras"))
    near, _ = score_matrix(matrix, np.array([0.5, 1e-9, 0.5, 1e-9]), types, MethodSpec("copras"))
    np.testing.assert_allclose(at_zero, near, atol=1e-8)
    assert np.isfinite(at_zero).all()


def test_prepare_keeps_rank_decisions_on_missing_and_constant_data():
    prep = prepare(RU)
    r = pipeline.rank(RU)
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
    prep = prepare(const)
    assert "hei_per_million" not in prep.indicators
    assert not prep.weight_map[UZ.weighting.criteria.index("research")].any()
    r = pipeline.rank(const)
    np.testing.assert_allclose(prep.indicator_weights(np.array(r.weights.values)), r.indicator_weights, atol=1e-15)


# --------------------------------------------------------------------------- ranks and ties
