"""Group AHP (Forman & Peniwati 1998): AIJ and AIP, with blank judgements, and a committee's Weights.

Evidence:
- oracles written out here: the element-wise weighted geometric mean over the experts who gave
  each judgement, and the normalised weighted geometric mean of priority vectors;
- a theorem as oracle: for consistent matrices, AIJ (geometric mean of judgements, then the
  eigenvector) and AIP (geometric mean of the eigenvectors) give the same priorities, because
  the geometric mean of consistent matrices w^k_i/w^k_j is the consistent matrix of the
  geometric mean of the w^k (Forman & Peniwati 1998, section 3; Barzilai & Golany 1994);
- hypothesis properties: AIJ of identical experts equals each expert; AIJ of consistent
  matrices is consistent (CR ~ 0); AIJ is reciprocal;
- weights(): the aggregation chosen, the consensus present for 2+ experts, AIP has no group
  matrix, the warnings name the dissenter and the blanks.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda.errors import JudgementError
from mcda.model import Expert, Weighting
from mcda.weighting import ahp, group
from mcda.weighting.weights import weights as weights_of

PROPS = settings(max_examples=60, deadline=None)
NAN = float("nan")


def consistent(w) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    return w[:, None] / w[None, :]


def as_tuple(m) -> tuple:
    return tuple(tuple(float(x) for x in row) for row in m)


weight_vectors = st.integers(3, 8).flatmap(
    lambda n: st.lists(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n), min_size=2, max_size=5))


# --------------------------------------------------------------------------- AIJ / AIP oracles

def test_aij_is_the_weighted_geometric_mean_over_those_who_judged():
    a = np.array([[1, 4, 2], [1 / 4, 1, NAN], [1 / 2, NAN, 1]])
    b = np.array([[1, 1, 8], [1, 1, 3], [1 / 8, 1 / 3, 1]])
    c = np.array([[1, 2, NAN], [1 / 2, 1, NAN], [NAN, NAN, 1]])
    g = group.aij([a, b, c], [1, 2, 1])
    assert g[0, 1] == pytest.approx((4 ** 1 * 1 ** 2 * 2 ** 1) ** (1 / 4), rel=1e-12)
    assert g[0, 2] == pytest.approx((2 ** 1 * 8 ** 2) ** (1 / 3), rel=1e-12)   # c left it blank
    assert g[1, 2] == pytest.approx(3.0, rel=1e-12)                             # only b judged it
    assert np.allclose(g * g.T, 1.0)                                             # reciprocal
    none = group.aij([c, c], None)
    assert math.isnan(none[0, 2]) and math.isnan(none[2, 0]) and none[0, 0] == 1.0


def test_aip_is_the_normalised_weighted_geometric_mean():
    p = [[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]
    g = np.array([(0.5 ** 3 * 0.2) ** 0.25, (0.3 ** 3 * 0.2) ** 0.25, (0.2 ** 3 * 0.6) ** 0.25])
    assert group.aip(p, [3, 1]) == pytest.approx(g / g.sum(), rel=1e-12)


@PROPS
@given(weight_vectors, st.data())
def test_aij_and_aip_agree_on_consistent_matrices(ws, data):
    expert_w = data.draw(st.lists(st.floats(0.1, 5), min_size=len(ws), max_size=len(ws)))
    mats = [consistent(w) for w in ws]
    names = tuple(f"c{k}" for k in range(len(ws[0])))
    r = ahp.analyse(group.aij(mats, expert_w), names)
    assert r.cr == pytest.approx(0.0, abs=1e-9)                    # AIJ of consistent matrices is consistent
    vectors = [np.asarray(w) / sum(w) for w in ws]
    assert r.weights == pytest.approx(group.aip(vectors, expert_w), rel=1e-8)


@PROPS
@given(st.integers(3, 9), st.integers(1, 6), st.data())
def test_aij_of_identical_experts_is_each_expert(n, k, data):
    logs = data.draw(st.lists(st.floats(-math.log(9), math.log(9)), min_size=n * (n - 1) // 2,
                              max_size=n * (n - 1) // 2))
    m = np.ones((n, n))
    iu = np.triu_indices(n, 1)
    m[iu] = np.exp(logs)
    m[iu[1], iu[0]] = 1 / m[iu]
    wts = data.draw(st.lists(st.floats(0.1, 10), min_size=k, max_size=k))
    assert group.aij([m] * k, wts) == pytest.approx(m, rel=1e-12)


# --------------------------------------------------------------------------- a committee's Weights

CRITERIA = ("labour", "investment", "barriers", "research")
ALICE = consistent([0.4, 0.3, 0.2, 0.1])
BOB = consistent([0.35, 0.35, 0.2, 0.1])
CAROL = consistent([0.1, 0.2, 0.3, 0.4])          # reverses the others' order


def committee(aggregation="aij", alice=ALICE):
    experts = (Expert("Alice", as_tuple(alice)), Expert("Bob", as_tuple(BOB)), Expert("Carol", as_tuple(CAROL)))
    return Weighting("ahp", CRITERIA, experts=experts, aggregation=aggregation)


def test_aij_committee_has_a_group_matrix_and_a_consensus():
    w = weights_of(committee("aij"))
    assert w.aggregation == "aij" and w.ahp is not None and len(w.experts) == 3
    expected = ahp.analyse(group.aij([ALICE, BOB, CAROL], [1, 1, 1]), CRITERIA).weights
    assert w.values == pytest.approx(expected, rel=1e-12)
    assert w.consensus is not None and 0 <= w.consensus.s_star <= 1
    assert w.consensus.furthest == "Carol"
    assert any("Carol" in x and "reverse" in x for x in w.warnings)
    assert any("Carol is the expert furthest" in x for x in w.warnings)


def test_aip_committee_keeps_the_experts_and_has_no_group_matrix():
    w = weights_of(committee("aip"))
    assert w.aggregation == "aip" and w.ahp is None and len(w.experts) == 3
    expected = group.aip([r.weights for r in w.experts], [1, 1, 1])
    assert w.values == pytest.approx(expected, rel=1e-12)
    assert w.consensus is not None


def test_a_blank_judgement_is_completed_and_said():
    alice = ALICE.copy()
    alice[0, 3] = alice[3, 0] = NAN
    w = weights_of(committee("aij", alice))
    first = w.experts[0]
    assert first.blanks == 1 and first.blank[0, 3]
    # consistent elsewhere, so Harker's completion restores Alice's own ratio 0.4/0.1
    assert first.matrix[0, 3] == pytest.approx(4.0, rel=1e-9)
    assert any(x.startswith("Alice: 1 judgement left blank (labour vs research") for x in w.warnings)


def test_an_expert_whose_judgements_fall_apart_is_refused_by_name():
    alice = ALICE.copy()
    for i, j in ((0, 2), (0, 3), (1, 2), (1, 3)):
        alice[i, j] = alice[j, i] = NAN
    with pytest.raises(JudgementError) as e:
        weights_of(committee("aij", alice))
    assert e.value.where == "expert Alice" and "labour vs barriers" in e.value.fix
