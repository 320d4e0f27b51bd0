"""mcda/ranking/promethee.py: PROMETHEE II net flows by sorting equal pymcdm's n x n PROMETHEE_II (and the
positive and negative flows its PROMETHEE_I).

Every preference function, random p and q (zero, q above p, thresholds equal to differences that occur),
ties in the data, benefit and cost criteria; and the shipped cases' matrices.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm
from pymcdm.helpers import rankdata
from pymcdm.methods.partial import PROMETHEE_I

from mcda.inputs.load import load
from mcda.ranking import promethee
from mcda.ranking.matrix import prepare
from mcda.ranking.promethee import net_flows, outranking_flows
from mcda.vocabulary import PREFERENCE_FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUNCTIONS = tuple(PREFERENCE_FUNCTIONS)


def oracle(x, w, t, pf, p, q):
    """pymcdm's flows (a fresh object each call: pymcdm keeps its thresholds in a one-shot generator)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(pm.PROMETHEE_II(pf, p=p, q=q)(x, w, t, validation=False), dtype=float)


def assert_same(x, w, t, pf, p, q):
    ref = oracle(x, w, t, pf, p, q)
    got = net_flows(x, w, t, pf, p=p, q=q)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(w).sum())))
    # equal rows: exactly equal flows (ties ranked alike); clearly different flows: the same order
    same = (x[:, None, :] == x[None, :, :]).all(axis=2)
    assert (got[:, None] == got[None, :])[same].all()
    apart = np.abs(ref[:, None] - ref[None, :]) > 1e-9
    assert np.array_equal(np.sign(got[:, None] - got[None, :])[apart], np.sign(ref[:, None] - ref[None, :])[apart])
    if not (np.abs(ref[:, None] - ref[None, :])[~same] < 1e-9).any():  # no near-ties but true ones: same ranks
        assert np.array_equal(rankdata(got, reverse=True), rankdata(ref, reverse=True))
    # each criterion's part in phi+ and phi-: their sums are PROMETHEE I's flows, their difference the net flow
    plus, minus = outranking_flows(x, w, t, pf, p=p, q=q)
    with np.errstate(divide="ignore", invalid="ignore"):
        ref_plus, ref_minus = PROMETHEE_I(pf, p=p, q=q)(x, w, t, validation=False)
    tol = 1e-12 * max(1.0, float(np.abs(w).sum()))
    np.testing.assert_allclose(plus.sum(axis=1), ref_plus, rtol=1e-12, atol=tol)
    np.testing.assert_allclose(minus.sum(axis=1), ref_minus, rtol=1e-12, atol=tol)
    np.testing.assert_allclose((plus - minus).sum(axis=1), got, rtol=1e-12, atol=tol)


@st.composite
def problems(draw, wide=False):
    """A matrix (integer grid with ties, or spread floats), weights, types and thresholds p, q per column."""
    n = draw(st.integers(2, 25))
    m = draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        x = rng.integers(0, draw(st.integers(1, 8)), (n, m)).astype(float) * draw(st.sampled_from([1.0, 0.1, 2.5]))
        x[rng.random(n) < 0.3] = x[0]  # whole rows repeated
    else:
        x = rng.lognormal(2.0, 1.0, (n, m)) * 10.0 ** rng.integers(-3, 4, m)
    spread = np.ptp(x, axis=0) + (np.ptp(x, axis=0) == 0)
    diffs = [np.abs(x[:, None, j] - x[None, :, j]).ravel() for j in range(m)]

    def threshold():
        kind = draw(st.sampled_from(["zero", "fraction", "a difference", "large"]))
        if kind == "zero":
            return np.zeros(m)
        if kind == "a difference":  # exactly a difference that occurs: pymcdm's <= and > decide
            return np.array([rng.choice(d) for d in diffs])
        return rng.uniform(0.0, 1.0 if kind == "fraction" else 3.0, m) * spread

    p, q = threshold(), threshold()
    if wide:  # a linear band far wider than the rounding of the differences (or none): pymcdm rounds each one
        q = np.where((p > q) & (p - q < 1e-6 * spread), p, q)
    w = rng.dirichlet(np.ones(m))
    w[rng.random(m) < 0.15] = 0.0
    return x, w, rng.choice([1, -1], m), p, q


@PROPS
@given(problem=problems(), pf=st.sampled_from(FUNCTIONS))
def test_equal_to_pymcdm(problem, pf):
    x, w, t, p, q = problem
    assert_same(x, w, t, pf, p, q)


@PROPS
@given(problem=problems(wide=True), pf=st.sampled_from(("vshape", "vshape_2")))
def test_prefix_sums_equal_to_pymcdm(problem, pf):
    """The linear bands through prefix sums (no band summed pair by pair), where bands are not degenerate."""
    x, w, t, p, q = problem
    budget, promethee.PAIR_BUDGET = promethee.PAIR_BUDGET, 0
    try:
        assert_same(x, w, t, pf, p, q)
    finally:
        promethee.PAIR_BUDGET = budget


@pytest.mark.parametrize("pf", FUNCTIONS)
def test_ordered_thresholds(pf):
    """The usual case q < p, with many ties, on a few hundred alternatives."""
    rng = np.random.default_rng(7)
    x = np.round(rng.normal(50, 15, (300, 4)), 1)
    x[::7] = x[3]
    spread = np.ptp(x, axis=0)
    assert_same(x, rng.dirichlet(np.ones(4)), np.array([1, -1, 1, -1]), pf, spread / 3, spread / 12)


@pytest.mark.parametrize("case", ["uzbekistan-regions", "russia-regions-research"])
@pytest.mark.parametrize("pf", FUNCTIONS)
def test_shipped_cases(case, pf):
    prep = prepare(load(ROOT / "cases" / case))
    x = prep.matrix
    m = x.shape[1]
    spread = np.ptp(x, axis=0)
    w = np.random.default_rng(3).dirichlet(np.ones(m))
    assert_same(x, w, prep.types, pf, spread / 4, spread / 20)


def test_vocabulary_matches():
    """Every preference function the case file accepts is one net_flows computes, with the thresholds it needs."""
    x = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
    for pf, needs in PREFERENCE_FUNCTIONS.items():
        given_ = {k: [1.0, 1.0] for k in needs}
        net_flows(x, np.array([0.5, 0.5]), np.array([1, 1]), pf, **given_)
        for k in needs:
            with pytest.raises(ValueError, match=k):
                net_flows(x, np.array([0.5, 0.5]), np.array([1, 1]), pf, **{**given_, k: None})
    with pytest.raises(ValueError, match="unknown"):
        net_flows(x, np.array([0.5, 0.5]), np.array([1, 1]), "gaussian")
