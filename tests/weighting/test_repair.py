"""The repair path (Bozoki, Fulop & Poesz 2015): judgements to revisit, in order, until CR <= threshold.

Evidence:
- every step checked independently: the step's values applied to the original matrix in order,
  and CR recomputed with scipy's eigenvalue solver and the RI table (not repair.py's code);
- the fitted value checked against its definition: the Harker completion of the matrix with
  that judgement left blank, and for a 3 x 3 matrix the closed form a_ik a_kj (the only path);
- hypothesis: on near-consistent matrices the path ends at CR <= 0.10 within n steps. The
  family: a consistent matrix from random weights with up to n//2 judgements replaced by random
  Saaty values. Each corrupted judgement can be repaired by one step (the other judgements
  still imply its true ratio), so a path of at most n steps exists; a uniformly random matrix
  may need more than n changes, and no n-step path could be promised for it;
- a blank is never a candidate; the issue's complaint (one change leaving CR 0.117 > 0.10):
  the path goes on until CR <= 0.10.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mcda.vocabulary import SAATY_VALUES, parse_judgement
from mcda.weighting import ahp
from mcda.weighting.random_index import RI_VALUES
from mcda.weighting.repair import fitted_value, repair_path

PROPS = settings(max_examples=60, deadline=None)
SAATY = sorted(SAATY_VALUES.values())
NAN = float("nan")


def cr_scipy(m: np.ndarray, table: str = "saaty1980") -> float:
    n = len(m)
    lam = max(scipy.linalg.eigvals(m).real)
    return (lam - n) / (n - 1) / RI_VALUES[table][n]


def applied(m: np.ndarray, names, steps) -> list[float]:
    """Apply each step's value (its scale text, or the fitted value when it says so) and record CR."""
    m = m.copy()
    out = []
    for s in steps:
        i, j = names.index(s.row), names.index(s.col)
        v = parse_judgement(s.scale) if "fitted value itself" not in s.scale else s.fitted
        m[i, j], m[j, i] = v, 1 / v
        out.append(cr_scipy(m))
    return out


@st.composite
def near_consistent(draw):
    n = draw(st.integers(4, 9))
    w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    m = w[:, None] / w[None, :]
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    bad = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=n // 2, unique=True))
    for i, j in bad:
        v = draw(st.sampled_from(SAATY))
        m[i, j], m[j, i] = v, 1 / v
    return m


@PROPS
@given(near_consistent())
def test_the_path_ends_at_the_threshold_within_n_steps(m):
    names = tuple(f"c{k}" for k in range(len(m)))
    assume(cr_scipy(m) > 0.10)
    steps = repair_path(m, names, "saaty1980", 0.10)
    assert 1 <= len(steps) <= len(m)
    assert steps[-1].cr <= 0.10
    assert [s.cr for s in steps] == pytest.approx(applied(m, names, steps), abs=1e-9)
    assert len({(s.row, s.col) for s in steps}) == len(steps)      # each judgement changed once at most


def test_fitted_value_is_what_the_other_judgements_imply():
    m = ahp.from_upper([[1, 2, 1 / 4], [0, 1, 3], [0, 0, 1]])
    assert fitted_value(m, ("a", "b", "c"), 0, 2) == pytest.approx(2 * 3, rel=1e-9)        # a_ab a_bc
    assert fitted_value(m, ("a", "b", "c"), 1, 2) == pytest.approx(0.25 / 2, rel=1e-9)     # a_ac / a_ab


def test_a_blank_is_never_a_candidate():
    m = ahp.from_upper([[1, 9, 1 / 9, 1, 3], [0, 1, 1 / 9, 9, 1], [0, 0, 1, 5, 1 / 7],
                        [0, 0, 0, 1, 2], [0, 0, 0, 0, 1]])
    m[0, 3] = m[3, 0] = NAN
    names = ("a", "b", "c", "d", "e")
    steps = repair_path(m, names, "saaty1980", 0.10)
    assert steps and all({s.row, s.col} != {"a", "d"} for s in steps)


# A 5 x 5 matrix on the Saaty scale whose first repair step leaves CR above 0.10 (found by a seeded
# search, fixed here): the path does not stop at one suggestion, as the issue asked.
ISSUE_LIKE = [[1, 3, 1 / 2, 5, 1 / 3], [0, 1, 4, 1 / 2, 2], [0, 0, 1, 6, 1 / 5], [0, 0, 0, 1, 3], [0, 0, 0, 0, 1]]


def test_one_change_is_not_enough_and_the_path_goes_on():
    m = ahp.from_upper(ISSUE_LIKE)
    names = ("a", "b", "c", "d", "e")
    r = ahp.analyse(m, names)
    assert r.cr > 0.10 and len(r.repair) >= 2
    assert r.repair[0].cr > 0.10 >= r.repair[-1].cr
    assert [s.cr for s in r.repair] == pytest.approx(applied(m, names, r.repair), abs=1e-9)
    assert "repair path" in ahp.warning_text(r)


def test_a_consistent_matrix_has_no_path():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    assert repair_path(w[:, None] / w[None, :], ("a", "b", "c", "d"), "saaty1980", 0.10) == ()
    assert math.isclose(ahp.analyse(w[:, None] / w[None, :], ("a", "b", "c", "d")).cr, 0.0, abs_tol=1e-12)
