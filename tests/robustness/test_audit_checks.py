"""mcda/robustness/audit.py and mcda/ranking/objective.py: the data and coherence checks of the audit and the
objective weights (issue 14)."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pymcdm.weights as pw
import pytest
import scipy.stats

from mcda.inputs.load import load
from mcda.ranking.matrix import prepare
from mcda.ranking.objective import objective_weights, oriented
from mcda.robustness.audit import audit, coherence, cronbach_alpha
from mcda.vocabulary import OBJECTIVE_WEIGHTS
from mcda.weighting.weights import weights

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def uz():
    case = load(ROOT / "cases" / "uzbekistan-regions")
    return case, weights(case.weighting), audit(case, weights(case.weighting))


def test_cronbach_alpha_of_a_published_example():
    """Statology, "How to Calculate Cronbach's Alpha in Python" (statology.org/cronbachs-alpha-python): ten
    customers rate a restaurant on three questions; pingouin.cronbach_alpha gives 0.7734375 (printed there)."""
    q = np.array([[1, 2, 2, 3, 2, 2, 3, 3, 2, 3],
                  [1, 1, 1, 2, 3, 3, 2, 3, 3, 3],
                  [1, 1, 2, 1, 2, 3, 3, 3, 2, 3]], dtype=float).T
    assert cronbach_alpha(q) == pytest.approx(0.7734375, abs=1e-12)
    assert cronbach_alpha(q[:, :1]) is None


def test_coherence_against_scipy(uz):
    case, w, a = uz
    prep = prepare(case)
    z = oriented(prep.matrix, prep.types)
    c = a.coherence
    assert c.indicators == prep.indicators
    np.testing.assert_allclose(c.correlations, np.corrcoef(z.T), atol=1e-12)
    share = np.asarray(prep.weight_map)
    for j, iid in enumerate(c.indicators):
        crit = int(np.flatnonzero(share[:, j])[0])
        cols = np.flatnonzero(share[crit])
        score = z[:, cols] @ share[crit, cols]
        assert c.with_criterion[j] == pytest.approx(scipy.stats.pearsonr(z[:, j], score)[0], abs=1e-12)
    alphas = dict(c.alpha)
    assert alphas["research"] is None  # one indicator
    assert alphas["labour"] == pytest.approx(cronbach_alpha(z[:, np.flatnonzero(share[0])]), abs=1e-15)
    # TOPSIS: higher is better, so the overall score is the closeness itself
    from mcda.ranking.score import rank
    r = rank(case, w)
    for j in range(len(c.indicators)):
        assert c.with_overall[j] == pytest.approx(scipy.stats.pearsonr(z[:, j], r.scores)[0], abs=1e-12)
    np.testing.assert_array_equal(a.base_ranks, r.ranks)


def test_an_indicator_against_its_criterion_is_named():
    rng = np.random.default_rng(3)
    base = rng.normal(size=30)
    x = np.column_stack([base + 0.1 * rng.normal(size=30), base + 0.1 * rng.normal(size=30), -base,
                         rng.normal(size=30)])
    prep = SimpleNamespace(matrix=x, types=np.array([1, 1, 1, 1]), criteria=("a", "b"),
                           indicators=("i1", "i2", "against", "alone"),
                           weight_map=np.array([[0.4, 0.4, 0.2, 0], [0, 0, 0, 1.0]]))
    c = coherence(prep, np.full(4, 0.25), x[:, 0])
    assert c.negative == ("against",) and c.with_criterion[2] < -0.9
    assert dict(c.alpha)["a"] < 0.5 and dict(c.alpha)["b"] is None  # the reversed indicator breaks the scale
    prep.types = np.array([1, 1, -1, 1])  # said to be a cost indicator: oriented, it agrees
    c = coherence(prep, np.full(4, 0.25), x[:, 0])
    assert c.negative == () and dict(c.alpha)["a"] > 0.95


def test_objective_weights_are_pymcdms(uz):
    case, _, a = uz
    prep = prepare(case)
    z = oriented(prep.matrix, prep.types)
    expected = {"equal": pw.equal_weights(prep.matrix), "entropy": pw.entropy_weights(prep.matrix),
                "critic": pw.critic_weights(z), "std": pw.standard_deviation_weights(z)}
    assert [o.name for o in a.objective] == list(OBJECTIVE_WEIGHTS)
    for o in a.objective:
        np.testing.assert_allclose(o.weights, expected[o.name], atol=1e-14)
        assert o.spearman == pytest.approx(scipy.stats.spearmanr(o.ranks, a.base_ranks)[0], abs=1e-12)
    equal = next(o for o in a.objective if o.name == "equal")
    from mcda.ranking.pymcdm_methods import score_matrix
    np.testing.assert_array_equal(equal.ranks, score_matrix(prep.matrix, expected["equal"], prep.types,
                                                            prep.method, prep.indicators)[1])


def test_entropy_shifts_non_positive_columns_and_says_so():
    x = np.array([[1.0, -2.0], [2.0, 0.0], [4.0, 3.0]])
    w, note = objective_weights(x, "entropy", ("a", "b"))
    shifted = x.copy()
    shifted[:, 1] = x[:, 1] + 2 + 0.05
    np.testing.assert_allclose(w, pw.entropy_weights(shifted), atol=1e-14)
    assert note.startswith("entropy needs positive values: b shifted")  # only the column that needed it


def test_the_capitals_dominance_shows(uz):
    case, w, a = uz
    flagged = [s for s in a.stats if s.flagged]
    assert len(a.stats) == len(case.indicator_ids) and len(flagged) >= 3
    assert all("tashkent_city" in s.outliers for s in flagged) and all(s.treated == () for s in a.stats)
    assert a.treatment == "none" and a.ids[int(np.argmin(a.base_ranks))] == "tashkent_city"
    treated = dataclasses.replace(case, audit=dataclasses.replace(case.audit, treatment="winsorise"))
    b = audit(treated, w)
    assert b.treatment == "winsorise"
    assert {s.indicator for s in b.stats if s.treated} == {s.indicator for s in flagged}
    assert all(s.treated[0][0] == "tashkent_city" for s in b.stats if s.treated)
    assert any(x.startswith("outlier treatment") for x in b.warnings)
    assert not np.array_equal(b.base_ranks, a.base_ranks)  # the treatment moves ranks
