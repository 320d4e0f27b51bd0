"""Joint uncertainty (mcda.robustness.uncertainty): Sobol indices on cases whose answer is known, the batch
against a plain pymcdm loop over the same draws, seeds."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from synthetic import synthetic_case

from mcda.model import AuditSpec, MethodSpec
from mcda.ranking.pymcdm_methods import score_matrix
from mcda.robustness.uncertainty import FACTORS, batch_ranks, batch_scores, draws, evaluate, plan, uncertainty
from mcda.weighting.weights import weights


def audited(case, **kw):
    return dataclasses.replace(case, audit=AuditSpec(**kw))


def method_driven():
    """Two criteria with the same two indicator columns: any criteria weights give the same composite
    (TOPSIS, WSM); TOPSIS and WSM (min-max) order the balanced and the lopsided regions differently."""
    xy = np.array([[0.0, 0.0], [1.0, 1.0], [0.54, 0.54], [0.9, 0.2], [0.35, 0.35], [0.05, 0.6], [0.7, 0.7],
                   [0.95, 0.5]])
    matrix = np.hstack([xy, xy])
    case = synthetic_case(matrix, [1, 1, 1, 1], groups=[0, 0, 1, 1], crit_weights=[0.6, 0.4],
                          method=MethodSpec("topsis", "minmax"))
    return audited(case, methods=("topsis", "wsm"), normalizations=("minmax",), spread=0.5)


def test_one_choice_drives_the_ranks():
    case = method_driven()
    u = uncertainty(case, weights(case.weighting), samples=2000, seed=3)
    i = {f: k for k, f in enumerate(FACTORS)}
    assert u.total[i["method"]] == pytest.approx(1.0, abs=0.05)
    assert u.first_order[i["method"]] == pytest.approx(1.0, abs=0.1)
    assert abs(u.total[i["weights"]]) < 0.02 and abs(u.first_order[i["weights"]]) < 0.05
    assert u.factor_notes[i["normalisation"]].startswith("fixed")
    assert u.total[i["normalisation"]] == u.total[i["imputation"]] == u.total[i["treatment"]] == 0.0
    assert np.any(u.high > u.low)  # the methods do disagree


def test_no_uncertainty_gives_the_case_rank():
    rng = np.random.default_rng(5)
    case = audited(synthetic_case(rng.uniform(1, 10, (12, 4)), [1, -1, 1, 1], method=MethodSpec("topsis", "vector")),
                   methods=("topsis",), normalizations=("vector",), spread=0.0)
    u = uncertainty(case, weights(case.weighting), samples=200)
    assert np.array_equal(u.median_rank, u.base_ranks)
    assert np.array_equal(u.low, u.high) and np.array_equal(u.low, u.base_ranks)
    assert not u.total.any() and not u.first_order.any()
    assert all(note.startswith("fixed") for note in u.factor_notes)


def random_case(seed, missing=True):
    rng = np.random.default_rng(seed)
    matrix = rng.lognormal(2.0, 0.7, (15, 6))
    if missing:
        matrix[rng.integers(0, 15, 3), rng.integers(0, 6, 3)] = np.nan
    case = synthetic_case(matrix, [1, -1, 1, 1, -1, 1], groups=[0, 0, 1, 1, 2, 2],
                          crit_weights=rng.uniform(0.5, 2, 3), seed=seed)
    return dataclasses.replace(case, missing="worst",
                               audit=AuditSpec(imputations=("worst", "median"), spread=0.4))


def test_seeded_runs_are_identical():
    case = random_case(1)
    w = weights(case.weighting)
    a, b = uncertainty(case, w, samples=300, seed=9), uncertainty(case, w, samples=300, seed=9)
    for f in ("median_rank", "low", "high", "first_order", "total"):
        assert np.array_equal(getattr(a, f), getattr(b, f))
    assert uncertainty(case, w, samples=300).seed == case.seed
    c = uncertainty(case, w, samples=300, seed=10)
    assert not np.array_equal(a.total, c.total)


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_first_order_at_most_total(seed):
    case = random_case(seed)
    u = uncertainty(case, weights(case.weighting), samples=3000, seed=seed)
    assert u.factor_notes[3].startswith("drawn among worst, median")
    assert np.all(u.first_order <= u.total + 0.05)
    assert np.all(u.total >= 0) and u.total.max() > 0.05


def plain_ranks(design, u):
    """One draw at a time: the level combination's matrix, pymcdm's scores and ranks (the reference)."""
    w_crit, codes = design.weights(u[:, :design.k]), design.codes(u)
    out = []
    for w, code in zip(w_crit, codes):
        prep = design.prepared(code)
        out.append(score_matrix(prep.matrix, prep.indicator_weights(w), prep.types, prep.method, prep.indicators)[1])
    return np.array(out)


@pytest.mark.parametrize("spec", [dict(imputations=("worst", "median"), treatment="winsorise"),
                                  dict(imputations=("worst", "median"), treatment="log", methods=("topsis",)),
                                  dict(methods=("topsis", "wsm", "vikor", "ahp"),
                                       normalizations=("vector", "minmax", "max", "sum", "linear", "none"),
                                       weights="simplex"),
                                  dict(methods=("vikor", "waspas"), normalizations=("none", "linear", "max"))])
def test_batch_equals_plain_loop(spec):
    case = dataclasses.replace(random_case(8), audit=AuditSpec(**spec))
    design = plan(case, weights(case.weighting))
    if "treatment" in spec:  # the treatment does change this case's matrix (the JRC rule flags an indicator)
        assert not np.array_equal(design.prepared((0, 0, 0, 0)).matrix, design.prepared((0, 0, 0, 1)).matrix)
    u, _ = draws(design, 60, seed=4)
    got = np.empty((len(u), len(case.data.ids)))

    def sink(rows, r):
        got[rows] = r
    evaluate(design, u, sink)
    assert len(design.cache) > 3
    assert np.array_equal(got, plain_ranks(design, u))


@pytest.mark.parametrize("name,norm", [("wsm", "vector"), ("wsm", "sum"), ("vikor", "none"), ("vikor", "minmax"),
                                       ("ahp", "max"), ("ahp", "sum"), ("topsis", "max")])
def test_batch_scores_match_pymcdm(name, norm):
    case = dataclasses.replace(random_case(11, missing=False), method=MethodSpec(name, norm))
    design = plan(dataclasses.replace(case, audit=AuditSpec(methods=(name,), normalizations=(norm,))),
                  weights(case.weighting))
    prep = design.prepared((0, 0, 0, 0))
    w = prep.indicator_weights(np.random.default_rng(0).dirichlet(np.ones(3), 20))
    want = np.array([score_matrix(prep.matrix, x, prep.types, prep.method, prep.indicators)[0] for x in w])
    assert np.allclose(batch_scores(prep, w), want, rtol=1e-10, atol=1e-12)


def test_batch_ranks_average_ties():
    m = np.array([[0.3, 0.9, 0.9, 0.1], [1.0, 2.0, 3.0, 4.0]])
    assert batch_ranks(m).tolist() == [[3.0, 1.5, 1.5, 4.0], [4.0, 3.0, 2.0, 1.0]]


def test_progress_counts_every_run():
    case = random_case(2)
    done = []
    uncertainty(case, weights(case.weighting), samples=100, progress=done.append)
    assert sum(done) == 100 and len(done) > 1 and min(done) > 0  # one step per chunk (level combination)


def test_an_invalid_normalisation_is_dropped_and_said():
    rng = np.random.default_rng(0)
    matrix = rng.normal(0, 1, (10, 3))  # negative values: sum normalisation cannot take them
    case = audited(synthetic_case(matrix, [1, 1, 1]), methods=("topsis", "wsm"), normalizations=("vector", "sum"))
    u = uncertainty(case, weights(case.weighting), samples=50)
    assert any("sum normalisation is not drawn" in w for w in u.warnings)
    assert "topsis vector; wsm vector" in u.factor_notes[2]
