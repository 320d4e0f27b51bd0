"""mcda/robustness/ties.py: rank tallies, first places and orders against brute force."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda.robustness import ties

PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
    tally = ties.RankTally(n, 3)
    tally.add(m[:25], w[:25])
    tally.add(m[25:], w[25:])
    counts, first, fw = brute_force_tally(m, w)
    np.testing.assert_allclose(tally.counts, counts, atol=1e-12)
    np.testing.assert_allclose(tally.first, first, atol=1e-12)
    np.testing.assert_allclose(tally.first_weights, fw, atol=1e-12)
    np.testing.assert_allclose(tally.acceptability.sum(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(tally.acceptability.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(ties.first_place(m), counts_first_share(m), atol=1e-12)


def counts_first_share(m):
    top = m.max(axis=1, keepdims=True)
    win = (m == top).astype(float)
    return win / win.sum(axis=1, keepdims=True)


def test_scores_within_the_tie_tolerance_are_tied_and_beyond_it_are_not():
    m = np.array([[0.5, 0.5 + 1e-13, 0.2], [0.5, 0.5 + 1e-9, 0.2]])
    tally = ties.RankTally(3, 1)
    tally.add(m, np.ones((2, 1)))
    # row 1: regions 0 and 1 share places 1 and 2; row 2: region 1 is first outright
    np.testing.assert_allclose(tally.counts, [[0.5, 1.5, 0], [1.5, 0.5, 0], [0, 0, 2]])


@pytest.mark.parametrize("n", [2, 3, 17, 200, 5000])
def test_sort_regions_orders_like_argsort(n):
    rng = np.random.default_rng(n)
    m = rng.normal(size=(40, n)) * 10.0 ** rng.integers(-5, 5, (40, 1))
    for x in (m, np.abs(m)):
        order, ranked = ties.sort_regions(x)
        np.testing.assert_array_equal(order, np.argsort(-x, axis=1))
        exact = -np.sort(-x, axis=1)
        np.testing.assert_allclose(ranked, exact, rtol=2.0 ** -(52 - max(1, (n - 1).bit_length())), atol=0)


def test_orders_break_ties_by_id_and_within_tolerance():
    id_rank = np.array([2, 0, 1])  # region 1 has the first id, then 2, then 0
    m = np.array([[0.3, 0.3, 0.3], [0.3, 0.3 + 1e-14, 0.1], [0.9, 0.3, 0.31]])
    assert ties.orders(m, id_rank).tolist() == [[1, 2, 0], [1, 0, 2], [0, 2, 1]]
