"""Tests for mcda/ranking/ (matrix, pymcdm_methods, score): published numbers, pymcdm as an oracle, hypothesis properties,
and the stated decisions on degenerate data.

Small cases are built in memory: ``dataclasses.replace`` on the shipped Uzbekistan case (its
real data with a few cells changed), or a synthetic catalogue + table (``synthetic_case``)
when a property needs arbitrary indicator directions and criterion groupings.
"""
from __future__ import annotations

import csv
import math
import statistics
import tomllib
import warnings
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm
from pymcdm import normalizations as nz
from scipy.stats import rankdata

from mcda import pipeline
from mcda.errors import DataError
from mcda.inputs.load import load
from mcda.model import Catalogue, ColumnSource, Criterion, Direction, Indicator, MethodSpec, Table, Weighting, Weights
from mcda.ranking.pymcdm_methods import score_matrix
from mcda.vocabulary import METHODS, describe, resolved
from mcda.weighting.weights import weights as weights_of

ROOT = Path(__file__).resolve().parents[2]
UZ = ROOT / "cases" / "uzbekistan-regions"
RU = ROOT / "cases" / "russia-regions-research"

PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Our own map from normalisation names to pymcdm functions, so that a wrong entry in
# NORMALIZATIONS is caught by the oracle tests rather than copied into them.
ORACLE_NORMS = {
    "vector": nz.vector_normalization,
    "minmax": nz.minmax_normalization,
    "max": nz.max_normalization,
    "sum": nz.sum_normalization,
    "linear": nz.linear_normalization,
}

# Every method with every normalisation it accepts (None: the method's own).
ALL_SPECS = [(name, norm) for name, spec in METHODS.items() for norm in (spec["normalizations"] or (None,))]


@lru_cache(maxsize=None)
def uz_case():
    return load(UZ)


def quiet(call, *args, **kwargs):
    """Call pymcdm with its validation on, silencing its dominance / weight-sum UserWarnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return call(*args, **kwargs)


# --------------------------------------------------------------------------- builders


def synthetic_case(matrix, directions, groups, crit_weights=None, ind_weights=None, method=MethodSpec(),
                   missing="error", p=None):
    """A case over a synthetic catalogue: indicator j is ``i{j}`` in criterion ``c{groups[j]}``.

    ``directions[j]`` is +1 (max) or -1 (min); NaN cells are missing; weights are direct.
    """
    matrix = np.asarray(matrix, dtype=float)
    n, m = matrix.shape
    ncrit = max(groups) + 1
    crit_weights = list(crit_weights) if crit_weights is not None else [1.0] * ncrit
    ind_weights = list(ind_weights) if ind_weights is not None else [1.0] * m
    criteria = []
    for c in range(ncrit):
        inds = tuple(Indicator(id=f"i{j}", name=f"indicator {j}", unit="unit",
                               direction=Direction.MAX if directions[j] == 1 else Direction.MIN)
                     for j in range(m) if groups[j] == c)
        if inds:
            criteria.append(Criterion(id=f"c{c}", name=f"criterion {c}", description="", kind="infrastructure",
                                      indicators=inds))
    catalogue = Catalogue(id="synthetic", title="synthetic catalogue", source="tests", criteria=tuple(criteria))
    table = Table(file="synthetic.csv", ids=tuple(f"R{k:02d}" for k in range(n)),
                  names=tuple(f"Region {k}" for k in range(n)), columns=tuple(f"col{j}" for j in range(m)),
                  values=tuple(tuple(None if math.isnan(v) else float(v) for v in row) for row in matrix))
    crit_ids = tuple(c.id for c in criteria)
    weighting = Weighting(method="direct", criteria=crit_ids,
                          direct=tuple(float(crit_weights[int(c[1:])]) for c in crit_ids))
    if p is not None:
        method = MethodSpec("promethee2", None, (("preference_function", "vshape"),
                                                 ("p", tuple(sorted(p.items()))), ("q", None)))
    return replace(uz_case(), title="synthetic", catalogue=catalogue, data=table,
                   indicators=tuple((f"i{j}", ColumnSource(column=f"col{j}")) for j in range(m)),
                   denominators=(), relative=(), indicator_weights=tuple((f"i{j}", float(ind_weights[j]))
                                                                         for j in range(m)),
                   weighting=weighting, method=method, missing=missing)


def with_cells(case, cells):
    """The case with some data cells replaced: ``{(region_id, column): value or None}``."""
    data = case.data
    rows = [list(r) for r in data.values]
    for (rid, col), value in cells.items():
        rows[data.ids.index(rid)][data.columns.index(col)] = value
    return replace(case, data=replace(data, values=tuple(map(tuple, rows))))


def without_regions(case, region_ids):
    data = case.data
    keep = [k for k, rid in enumerate(data.ids) if rid not in region_ids]
    return replace(case, data=replace(data, ids=tuple(data.ids[k] for k in keep),
                                      names=tuple(data.names[k] for k in keep),
                                      values=tuple(data.values[k] for k in keep)))


def assert_ranks_agree(ranks, reference, higher_is_better=True, tol=1e-9):
    """``ranks`` order every pair as ``reference`` scores do, wherever those scores differ by
    more than ``tol`` (exact mathematical ties may round either way, so they are not checked)."""
    ranks, reference = np.asarray(ranks), np.asarray(reference)
    checked = 0
    for i in range(len(ranks)):
        for j in range(i + 1, len(ranks)):
            d = reference[i] - reference[j]
            if abs(d) > tol:
                i_better = d > 0 if higher_is_better else d < 0
                assert (ranks[i] < ranks[j]) == i_better, (i, j, ranks, reference)
                checked += 1
    return checked


def raw(case, rid, column):
    return case.data.values[case.data.ids.index(rid)][case.data.columns.index(column)]


# --------------------------------------------------------------------------- strategies


@st.composite
def problems(draw, min_alt=2, max_alt=15, min_crit=2, max_crit=8, cost=None):
    """A random positive decision problem with no constant column.

    Each column holds distinct values (0.01 .. 1000 in steps of 0.01), so no column is
    degenerate. ``cost``: None = random types with at least one benefit; False = benefit
    only; True = at least one benefit and at least one cost criterion.
    """
    n = draw(st.integers(min_alt, max_alt))
    m = draw(st.integers(min_crit, max_crit))
    cols = [draw(st.lists(st.integers(1, 100_000), min_size=n, max_size=n, unique=True)) for _ in range(m)]
    matrix = np.array(cols, dtype=float).T / 100.0
    if cost is False:
        types = np.ones(m, dtype=int)
    else:
        types = np.array(draw(st.lists(st.sampled_from([1, -1]), min_size=m, max_size=m)))
        types[draw(st.integers(0, m - 1))] = 1
        if cost is True and not np.any(types == -1):
            k = draw(st.integers(0, m - 1))
            types[k] = -1
            types[(k + 1) % m] = 1
    w = np.array(draw(st.lists(st.integers(1, 100), min_size=m, max_size=m)), dtype=float)
    return matrix, w / w.sum(), types


# --------------------------------------------------------------------------- 1. published numbers

# Hwang, C.-L. & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and Applications.
# Springer (Lecture Notes in Economics and Mathematical Systems 186). Fighter-aircraft example:
# max speed (Mach), ferry range (NM), max payload (lb), acquisition cost ($10^6, cost),
# reliability, maneuverability (benefit); weights .2 .1 .1 .1 .2 .3; TOPSIS, vector normalisation.
HY_MATRIX = np.array([[2.0, 1500, 20000, 5.5, 5, 9],
                      [2.5, 2700, 18000, 6.5, 3, 5],
                      [1.8, 2000, 21000, 4.5, 7, 7],
                      [2.2, 1800, 20000, 5.0, 5, 5]])
HY_WEIGHTS = np.array([.2, .1, .1, .1, .2, .3])
HY_TYPES = np.array([1, 1, 1, -1, 1, 1])
HY_CLOSENESS = [0.643, 0.268, 0.613, 0.312]  # Hwang & Yoon (1981): C*_1..C*_4 as published
HY_ORDER = [0, 2, 3, 1]  # Hwang & Yoon (1981): A1 > A3 > A4 > A2


def test_topsis_hwang_yoon_fighter_aircraft():
    scores, ranks = score_matrix(HY_MATRIX, HY_WEIGHTS, HY_TYPES, MethodSpec("topsis", "vector"))
    assert scores == pytest.approx(HY_CLOSENESS, abs=1e-3)
    assert list(np.argsort(-scores)) == HY_ORDER
    assert list(ranks) == [1, 4, 2, 3]
    # TOPSIS's default normalisation in this product is the published (vector) one.
    default_scores, _ = score_matrix(HY_MATRIX, HY_WEIGHTS, HY_TYPES)
    np.testing.assert_allclose(default_scores, scores, rtol=0, atol=1e-15)


def test_rank_reproduces_hwang_yoon_through_a_case():
    """The whole pipeline (case -> weights -> matrix -> TOPSIS) on the published example."""
    case = synthetic_case(HY_MATRIX, HY_TYPES, groups=list(range(6)), crit_weights=HY_WEIGHTS * 10)
    r = pipeline.rank(case)
    np.testing.assert_allclose(r.indicator_weights, HY_WEIGHTS, rtol=1e-12)
    assert r.scores == pytest.approx(HY_CLOSENESS, abs=1e-3)  # Hwang & Yoon (1981), as above
    assert [r.ids[k] for k in r.order] == ["R00", "R02", "R03", "R01"]
    assert r.higher_is_better is True


# --------------------------------------------------------------------------- 2. pymcdm as an oracle


def oracle_body(name, norm, v, l):
    """pymcdm's own method object, built independently of scoring.pymcdm_method."""
    if name == "topsis":
        return pm.TOPSIS(ORACLE_NORMS[norm])
    if name == "vikor":
        return pm.VIKOR(v=v) if norm == "none" else pm.VIKOR(ORACLE_NORMS[norm], v=v)
    if name == "promethee2":
        return pm.PROMETHEE_II("usual")
    if name == "wsm":
        return pm.WSM(ORACLE_NORMS[norm])
    if name == "waspas":
        return pm.WASPAS(ORACLE_NORMS[norm], l=l)
    if name == "ahp":  # AHP synthesis: WSM of local priorities; ideal mode ("max") is pymcdm's linear normalisation
        return pm.WSM(ORACLE_NORMS["sum" if norm == "sum" else "linear"])
    raise AssertionError(name)


ORACLE_SPECS = [(name, norm) for name, norm in ALL_SPECS if name != "copras"]


def test_oracle_specs_cover_the_methods_that_pymcdm_computes():
    assert {name for name, _ in ORACLE_SPECS} == {"topsis", "vikor", "promethee2", "wsm", "waspas", "ahp"}
    assert {norm for name, norm in ORACLE_SPECS if name == "topsis"} == set(ORACLE_NORMS)


@PROPS
@given(problems(), st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), st.sampled_from([0.0, 0.3, 0.5, 1.0]))
def test_score_matrix_equals_pymcdm(problem, v, l):
    matrix, weights, types = problem
    for name, norm in ORACLE_SPECS:
        params = {"vikor": (("v", v),), "waspas": (("l", l),)}.get(name, ())
        spec = MethodSpec(name, norm, params)
        body = oracle_body(name, norm, v, l)
        expected = np.asarray(quiet(body, matrix, weights, types), dtype=float)  # validation on (default)
        if not np.all(np.isfinite(expected)):
            # VIKOR is undefined when every alternative has the same S or R; what our code does
            # then is tested on its own (test_vikor_degenerate_*), so this draw checks the rest.
            assert name == "vikor"
            continue
        scores, ranks = score_matrix(matrix, weights, types, spec)
        np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-12, err_msg=f"{name}/{norm}")
        # Ranks: pymcdm's own rule applied to our scores. Against the oracle's ranks only where its
        # scores are more than 1e-9 apart: flows that are tied exactly (as PROMETHEE's by sorting
        # computes them) may differ by 1e-16 in pymcdm's n x n sum, which then breaks the tie.
        np.testing.assert_array_equal(ranks, body.rank(scores), err_msg=f"{name}/{norm}")
        oracle = body.rank(expected)
        apart = np.abs(expected[:, None] - expected[None, :]) > 1e-9
        before, oracle_before = ranks[:, None] < ranks[None, :], oracle[:, None] < oracle[None, :]
        assert np.array_equal(before[apart], oracle_before[apart]), name


def test_score_matrix_calls_pymcdm_without_its_slow_validation():
    """The design validates once in our code; pymcdm's validation would warn on a dominant row."""
    matrix = np.array([[9.0, 9.0, 1.0], [1.0, 2.0, 5.0], [2.0, 1.0, 6.0]])  # row 0 dominates
    types = np.array([1, 1, -1])
    weights = np.array([.3, .3, .4])
    with pytest.warns(UserWarning):  # the oracle does warn on this matrix
        pm.TOPSIS(nz.vector_normalization)(matrix, weights, types)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, norm in ALL_SPECS:
            score_matrix(matrix, weights, types, MethodSpec(name, norm))


# Two alternatives, each best on one of two equally weighted criteria: S and R are the same
# for both, so VIKOR's Q is 0/0 (pymcdm returns NaN).
VIKOR_DEGENERATE = np.array([[1.0, 2.0], [2.0, 1.0]])


def test_vikor_degenerate_problem_is_nan_in_pymcdm():
    q = quiet(pm.VIKOR(), VIKOR_DEGENERATE, np.array([.5, .5]), np.array([1, 1]))
    assert np.all(np.isnan(q))


def test_vikor_degenerate_problem_is_a_data_error_not_a_traceback():
    """BUG (see report): score_matrix ranks before it checks the scores are finite, and
    pymcdm's rankdata raises KeyError on NaN, so the stated DataError is never reached."""
    with pytest.raises(DataError, match="VIKOR"):
        score_matrix(VIKOR_DEGENERATE, np.array([.5, .5]), np.array([1, 1]), MethodSpec("vikor"))


def test_vikor_degenerate_case_is_a_data_error_from_rank():
    """The same bug seen from rank(): a case on which VIKOR is undefined."""
    case = synthetic_case(VIKOR_DEGENERATE, [1, 1], [0, 1], crit_weights=[1, 1], method=MethodSpec("vikor"))
    with pytest.raises(DataError, match="VIKOR"):
        pipeline.rank(case)


@PROPS
@given(problems(max_alt=8, max_crit=5), st.data())
def test_promethee_thresholds_are_passed_per_indicator(problem, data):
    matrix, weights, types = problem
    m = matrix.shape[1]
    p = [data.draw(st.sampled_from([0.5, 5.0, 50.0, 500.0])) for _ in range(m)]
    ids = tuple(f"x{m - j}" for j in range(m))  # not in sorted order: the ids, not their order, pair p up
    spec = MethodSpec("promethee2", None, (("preference_function", "vshape"),
                                           ("p", tuple(sorted(zip(ids, p)))), ("q", None)))
    scores, ranks = score_matrix(matrix, weights, types, spec, ids)
    expected = quiet(pm.PROMETHEE_II("vshape", p=p), matrix, weights, types)
    np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-12)


def test_promethee_missing_threshold_names_the_indicator():
    spec = MethodSpec("promethee2", None, (("preference_function", "vshape"), ("p", (("a", 1.0),)), ("q", None)))
    with pytest.raises(DataError, match="'p' is missing for b"):
        score_matrix(HY_MATRIX[:, :2], np.array([.5, .5]), np.array([1, 1]), spec, ("a", "b"))


# --------------------------------------------------------------------------- 3. COPRAS


def copras_literal(matrix, weights, types):
    """Zavadskas & Kaklauskas' relative significance, written out with loops:

    Q_i = S+_i + (min_j S-_j * sum_j S-_j) / (S-_i * sum_j (min_k S-_k / S-_j)).
    """
    n, m = len(matrix), len(matrix[0])
    colsum = [sum(matrix[i][j] for i in range(n)) for j in range(m)]
    s_plus, s_minus = [0.0] * n, [0.0] * n
    for i in range(n):
        for j in range(m):
            d = matrix[i][j] / colsum[j] * weights[j]
            if types[j] == 1:
                s_plus[i] += d
            else:
                s_minus[i] += d
    s_min = min(s_minus)
    total = sum(s_minus)
    inv = sum(s_min / s for s in s_minus)
    return [s_plus[i] + s_min * total / (s_minus[i] * inv) for i in range(n)]


@PROPS
@given(problems(cost=True))
def test_copras_equals_literal_formula(problem):
    matrix, weights, types = problem
    scores, ranks = score_matrix(matrix, weights, types, MethodSpec("copras"))
    expected = copras_literal(matrix.tolist(), weights.tolist(), types.tolist())
    np.testing.assert_allclose(scores, expected, rtol=1e-12, atol=0)
    assert_ranks_agree(ranks, expected)  # higher Q is better


@PROPS
@given(problems(cost=False))
def test_copras_without_cost_criteria_is_wsm_with_sum_normalisation(problem):
    matrix, weights, types = problem
    scores, _ = score_matrix(matrix, weights, types, MethodSpec("copras"))
    expected = quiet(pm.WSM(nz.sum_normalization), matrix, weights, types)
    np.testing.assert_allclose(scores, expected, rtol=0, atol=1e-12)


@PROPS
@given(problems(cost=True), st.data())
def test_copras_raising_a_cost_never_raises_the_score(problem, data):
    matrix, weights, types = problem
    i = data.draw(st.integers(0, matrix.shape[0] - 1))
    k = data.draw(st.sampled_from(list(np.flatnonzero(types == -1))))
    factor = data.draw(st.floats(1.001, 10.0))
    before, _ = score_matrix(matrix, weights, types, MethodSpec("copras"))
    worse = matrix.copy()
    worse[i, k] *= factor
    after, _ = score_matrix(worse, weights, types, MethodSpec("copras"))
    assert after[i] <= before[i] + 1e-12


def test_pymcdm_copras_defect_is_still_there():
    """pymcdm 1.4.0's COPRAS is S+ + S-: a larger cost raises the score. If this test fails,
    pymcdm has fixed COPRAS and scoring may go back to calling it."""
    matrix = np.array([[5.0, 100.0],   # A1: lowest benefit, highest cost (dominated by A2 and A3)
                       [6.0, 10.0],    # A2: highest benefit, lowest cost (dominates both)
                       [5.5, 50.0]])
    weights, types = np.array([.5, .5]), np.array([1, -1])
    theirs = quiet(pm.COPRAS(), matrix, weights, types)
    ours, ranks = score_matrix(matrix, weights, types, MethodSpec("copras"))
    assert int(np.argmax(theirs)) == 0  # pymcdm puts the dominated, most expensive alternative first
    assert int(np.argmax(ours)) == 1
    assert list(ranks) == [3, 1, 2]


# --------------------------------------------------------------------------- 4. properties of rank()


@st.composite
def dominance_problems(draw):
    """A synthetic case in which region ``a`` dominates region ``b``."""
    matrix, weights, types = draw(problems(min_alt=2, max_alt=8, max_crit=6))
    n, m = matrix.shape
    groups = draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))
    a, b = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    f = np.array(draw(st.lists(st.sampled_from([1.0, 1.0, 0.95, 0.8, 0.5]), min_size=m, max_size=m)))
    f[draw(st.integers(0, m - 1))] = draw(st.sampled_from([0.99, 0.9, 0.6]))  # strictly worse somewhere
    matrix[b] = np.where(types == 1, matrix[a] * f, matrix[a] / f)
    crit_w = draw(st.lists(st.integers(1, 9), min_size=3, max_size=3))
    return synthetic_case(matrix, types, groups, crit_weights=crit_w, ind_weights=weights * 100), a, b


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dominance_problems())
def test_dominating_region_never_ranks_below_the_dominated_one(problem):
    case, a, b = problem
    # VIKOR is undefined when every region has the same S or R; such draws are left out of
    # the VIKOR checks (test_vikor_degenerate_* cover them). Whether a draw is one is asked
    # of pymcdm, on the matrix and weights that rank() scores (those of the TOPSIS run).
    ref = pipeline.rank(case, method=MethodSpec("topsis"))
    types = np.array([case.catalogue.indicator(i)[1].direction.sign for i in ref.indicators])
    for name, norm in ALL_SPECS:
        if name == "vikor":
            body = pm.VIKOR() if norm == "none" else pm.VIKOR(ORACLE_NORMS[norm])
            if not np.all(np.isfinite(quiet(body, np.array(ref.matrix), np.array(ref.indicator_weights), types))):
                continue
        r = pipeline.rank(case, method=MethodSpec(name, norm))
        assert r.ranks[a] <= r.ranks[b], f"{name}/{norm}"
        if r.higher_is_better:
            assert r.scores[a] >= r.scores[b] - 1e-12, f"{name}/{norm}"
        else:
            assert r.scores[a] <= r.scores[b] + 1e-12, f"{name}/{norm}"


@PROPS
@given(problems(), st.data())
def test_topsis_vector_scores_do_not_depend_on_an_indicators_unit(problem, data):
    matrix, weights, types = problem
    k = data.draw(st.integers(0, matrix.shape[1] - 1))
    c = 10.0 ** data.draw(st.floats(-6, 6))
    scaled = matrix.copy()
    scaled[:, k] *= c
    spec = MethodSpec("topsis", "vector")
    s0, r0 = score_matrix(matrix, weights, types, spec)
    s1, r1 = score_matrix(scaled, weights, types, spec)
    np.testing.assert_allclose(s1, s0, rtol=0, atol=1e-12)
    assert_ranks_agree(r1, s0)


@PROPS
@given(problems(max_alt=8, max_crit=5), st.data())
def test_rank_topsis_vector_does_not_depend_on_an_indicators_unit(problem, data):
    matrix, weights, types = problem
    k = data.draw(st.integers(0, matrix.shape[1] - 1))
    c = 10.0 ** data.draw(st.floats(-6, 6))
    groups = data.draw(st.lists(st.integers(0, 2), min_size=matrix.shape[1], max_size=matrix.shape[1]))
    scaled = matrix.copy()
    scaled[:, k] *= c
    r0 = pipeline.rank(synthetic_case(matrix, types, groups, ind_weights=weights))
    r1 = pipeline.rank(synthetic_case(scaled, types, groups, ind_weights=weights))
    assert r1.indicators == r0.indicators
    np.testing.assert_allclose(r1.scores, r0.scores, rtol=0, atol=1e-12)
    assert_ranks_agree(r1.ranks, r0.scores)


def test_rank_keeps_an_informative_indicator_measured_in_a_tiny_unit():
    """BUG (see report): the constant-indicator test uses an absolute floor,
    ``spread <= 1e-12 * max(1, |max|)``, so an indicator whose values are all below ~1e-12
    in its unit is declared constant and dropped, although it separates the regions. The
    design says scaling an indicator's unit changes no rank under vector normalisation."""
    case = uz_case()
    column = dict(case.indicators)["avg_wage_usd"].column
    tiny = replace(case, indicators=tuple((i, replace(s, factor=s.factor * 1e-15) if i == "avg_wage_usd" else s)
                                          for i, s in case.indicators))
    wages = case.data.column(column)
    assert np.ptp(wages) > 0.1 * wages.max()  # the wages really differ between regions (by >10 %)
    r0, r1 = pipeline.rank(case), pipeline.rank(tiny)
    assert "avg_wage_usd" in r1.indicators
    assert not any("same value" in w for w in r1.warnings)
    np.testing.assert_allclose(r1.scores, r0.scores, rtol=0, atol=1e-12)


@PROPS
@given(problems(max_alt=6, max_crit=8), st.data())
def test_global_weights_are_criterion_weight_times_share(problem, data):
    matrix, _, types = problem
    m = matrix.shape[1]
    groups = data.draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    crit_w = data.draw(st.lists(st.integers(1, 20), min_size=4, max_size=4))
    ind_w = data.draw(st.lists(st.floats(0.1, 10), min_size=m, max_size=m))
    case = synthetic_case(matrix, types, groups, crit_weights=crit_w, ind_weights=ind_w)

    def expected(w: Weights):
        rel = dict(case.indicator_weights)
        out = []
        for j in range(m):
            crit = f"c{groups[j]}"
            share = rel[f"i{j}"] / sum(rel[f"i{t}"] for t in range(m) if groups[t] == groups[j])
            out.append(w.of(crit) * share)
        return np.array(out)

    w_case = weights_of(case.weighting)
    present = sorted(set(groups))
    np.testing.assert_allclose(w_case.values, np.array([crit_w[c] for c in present]) / sum(crit_w[c] for c in present),
                               rtol=1e-12)
    r = pipeline.rank(case)
    assert r.indicators == tuple(f"i{j}" for j in range(m))
    assert r.indicator_weights.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(r.indicator_weights, expected(w_case), rtol=1e-12)
    rel = dict(case.indicator_weights)  # each indicator's share within its criterion, as the report shows it
    np.testing.assert_allclose(r.indicator_shares, [rel[f"i{j}"] / sum(rel[f"i{t}"] for t in range(m) if groups[t] ==
                                                                       groups[j]) for j in range(m)], rtol=1e-12)

    # Weights given explicitly replace the case's own.
    other = np.array(data.draw(st.lists(st.floats(0.05, 1.0), min_size=len(present), max_size=len(present))))
    w_given = Weights(criteria=tuple(f"c{c}" for c in present), values=other / other.sum(), source="direct")
    r2 = pipeline.rank(case, weights=w_given)
    assert r2.indicator_weights.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(r2.indicator_weights, expected(w_given), rtol=1e-12)
    assert r2.weights is w_given


def test_global_weights_of_the_uzbekistan_case():
    case = uz_case()
    w = weights_of(case.weighting)
    r = pipeline.rank(case)
    crit = {i: case.catalogue.indicator(i)[0].id for i in r.indicators}
    count = {c: sum(1 for i in r.indicators if crit[i] == c) for c in w.criteria}
    # Indicator weights in this case are all equal (empty [indicator_weights]).
    expected = [w.of(crit[i]) / count[crit[i]] for i in r.indicators]
    np.testing.assert_allclose(r.indicator_weights, expected, rtol=1e-12)
    assert r.indicator_weights.sum() == pytest.approx(1.0, abs=1e-12)


# --------------------------------------------------------------------------- 5. degenerate data


def test_constant_indicator_is_dropped_and_its_criterion_keeps_its_weight():
    case = uz_case()
    wage_col = dict(case.indicators)["avg_wage_usd"].column
    const = with_cells(case, {(rid, wage_col): 250.0 for rid in case.data.ids})
    r = pipeline.rank(const)
    assert "avg_wage_usd" not in r.indicators
    assert any("avg_wage_usd" in w and "same value" in w for w in r.warnings)

    dropped = replace(case, indicators=tuple(x for x in case.indicators if x[0] != "avg_wage_usd"),
                      indicator_weights=tuple(x for x in case.indicator_weights if x[0] != "avg_wage_usd"))
    ref = pipeline.rank(dropped)
    assert r.indicators == ref.indicators
    np.testing.assert_allclose(r.indicator_weights, ref.indicator_weights, rtol=0, atol=1e-15)
    np.testing.assert_allclose(r.scores, ref.scores, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(r.ranks, ref.ranks)
    # The labour criterion keeps its whole weight, now shared by its two remaining indicators.
    w = weights_of(case.weighting)
    labour = [k for k, i in enumerate(r.indicators) if i in ("students_per_1000", "unemployment_rate")]
    assert len(labour) == 2
    np.testing.assert_allclose(r.indicator_weights[labour], [w.of("labour") / 2] * 2, rtol=1e-12)


def test_criterion_whose_only_indicator_is_constant_passes_its_weight_to_the_others():
    rng = np.random.default_rng(7)
    matrix = rng.uniform(1, 100, size=(6, 4))
    matrix[:, 3] = 42.0
    types, groups = [1, -1, 1, 1], [0, 0, 1, 2]
    r = pipeline.rank(synthetic_case(matrix, types, groups, crit_weights=[2, 3, 5]))
    assert r.indicators == ("i0", "i1", "i2")
    assert any("i3" in w for w in r.warnings)
    assert any("c2" in w and "no usable indicator" in w for w in r.warnings)
    # Same as a case without c2, whose direct weights 2:3 are rescaled to sum 1.
    ref = pipeline.rank(synthetic_case(matrix[:, :3], types[:3], groups[:3], crit_weights=[2, 3]))
    np.testing.assert_allclose(r.indicator_weights, [0.2, 0.2, 0.6], rtol=1e-12)
    np.testing.assert_allclose(r.scores, ref.scores, rtol=0, atol=1e-12)


def test_promethee_thresholds_follow_the_indicators_left_after_dropping_a_constant():
    rng = np.random.default_rng(11)
    matrix = rng.uniform(1, 100, size=(7, 4))
    matrix[:, 1] = 5.0
    types, groups = np.array([1, 1, -1, 1]), [0, 0, 1, 2]
    p = {"i0": 1.0, "i1": 1000.0, "i2": 30.0, "i3": 0.5}
    r = pipeline.rank(synthetic_case(matrix, types, groups, crit_weights=[1, 1, 2], p=p))
    assert r.indicators == ("i0", "i2", "i3")
    weights = np.array([0.25, 0.25, 0.5])  # c0 keeps its 1/4 on i0 alone
    np.testing.assert_allclose(r.indicator_weights, weights, rtol=1e-12)
    expected = quiet(pm.PROMETHEE_II("vshape", p=[1.0, 30.0, 0.5]), matrix[:, [0, 2, 3]], weights, types[[0, 2, 3]])
    np.testing.assert_allclose(r.scores, expected, rtol=0, atol=1e-12)


def test_every_indicator_constant_is_a_data_error():
    case = synthetic_case(np.full((4, 2), 3.0), [1, -1], [0, 1])
    with pytest.raises(DataError, match="same value"):
        pipeline.rank(case)


def test_single_region_is_a_data_error():
    case = uz_case()
    one = without_regions(case, set(case.data.ids[1:]))
    assert len(one.data.ids) == 1
    with pytest.raises(DataError, match="only 1 region"):
        pipeline.rank(one)


def test_two_regions_are_enough():
    case = uz_case()
    two = without_regions(case, set(case.data.ids[2:]))
    r = pipeline.rank(two)
    assert sorted(r.ranks) == [1, 2]


# Cells blanked in the Uzbekistan case for the missing-value tests. Indicator ids and the
# columns they come from (all three without a denominator, so a hand-filled raw value is
# the indicator value itself).
UNEMP, WAGE, GRPPC = "unemployment_rate", "avg_wage_usd", "grp_per_capita_usd"
BLANKS = [("andijan", UNEMP), ("bukhara", WAGE), ("jizzakh", WAGE), ("bukhara", GRPPC)]


def blanked(case, policy):
    cols = dict(case.indicators)
    return replace(with_cells(case, {(rid, cols[iid].column): None for rid, iid in BLANKS}), missing=policy)


def observed(case, iid):
    """Observed values of a no-denominator indicator, the blanked cells left out (plain Python)."""
    col = dict(case.indicators)[iid]
    gone = {rid for rid, i in BLANKS if i == iid}
    return [raw(case, rid, col.column) * col.factor for rid in case.data.ids if rid not in gone]


def hand_filled(case, fill):
    cols = dict(case.indicators)
    assert all(cols[iid].factor == 1.0 for _, iid in BLANKS)
    return with_cells(case, {(rid, cols[iid].column): fill(iid) for rid, iid in BLANKS})


def test_missing_policy_error_names_region_and_indicator():
    case = uz_case()
    col = dict(case.indicators)[WAGE].column
    broken = replace(with_cells(case, {("bukhara", col): None}), missing="error")
    with pytest.raises(DataError) as err:
        pipeline.rank(broken)
    assert "bukhara" in str(err.value) and WAGE in str(err.value)


def test_missing_policy_worst_equals_hand_filled_worst_values():
    case = uz_case()
    r = pipeline.rank(blanked(case, "worst"))
    # worst: the largest unemployment (direction min), the smallest wage / GRP (direction max)
    worst = {UNEMP: max(observed(case, UNEMP)), WAGE: min(observed(case, WAGE)), GRPPC: min(observed(case, GRPPC))}
    ref = pipeline.rank(hand_filled(case, worst.get))
    assert set(r.imputed) == set(BLANKS) and len(r.imputed) == len(BLANKS)
    for rid, iid in BLANKS:
        assert r.matrix[r.ids.index(rid), r.indicators.index(iid)] == worst[iid]
    np.testing.assert_allclose(r.scores, ref.scores, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(r.ranks, ref.ranks)
    assert any("worst" in w and "andijan" in w and "bukhara" in w and "jizzakh" in w for w in r.warnings)


def test_missing_policy_worst_on_a_per_population_indicator():
    """The worst value is taken on the indicator (students per 1,000 people), not the raw column."""
    case = uz_case()
    cols, dens = dict(case.indicators), dict(case.denominators)
    stud, pop = cols["students_per_1000"], dens["population"]

    def per_1000(rid):  # catalogue: per population, scale 1000
        return raw(case, rid, stud.column) * stud.factor / (raw(case, rid, pop.column) * pop.factor) * 1000

    worst = min(per_1000(rid) for rid in case.data.ids if rid != "namangan")
    r = pipeline.rank(replace(with_cells(case, {("namangan", stud.column): None}), missing="worst"))
    assert r.imputed == (("namangan", "students_per_1000"),)
    assert r.matrix[r.ids.index("namangan"), r.indicators.index("students_per_1000")] == pytest.approx(worst, rel=1e-14)
    # Hand-filled: the raw student count that gives exactly that rate.
    filled = worst / 1000 * raw(case, "namangan", pop.column) * pop.factor / stud.factor
    ref = pipeline.rank(with_cells(case, {("namangan", stud.column): filled}))
    np.testing.assert_allclose(r.scores, ref.scores, rtol=0, atol=1e-12)


def test_missing_policy_median_equals_hand_filled_medians():
    case = uz_case()
    r = pipeline.rank(blanked(case, "median"))
    med = {iid: statistics.median(observed(case, iid)) for iid in (UNEMP, WAGE, GRPPC)}
    ref = pipeline.rank(hand_filled(case, med.get))
    assert set(r.imputed) == set(BLANKS)
    for rid, iid in BLANKS:
        assert r.matrix[r.ids.index(rid), r.indicators.index(iid)] == pytest.approx(med[iid], rel=1e-15)
    np.testing.assert_allclose(r.scores, ref.scores, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(r.ranks, ref.ranks)
    assert any("median" in w for w in r.warnings)


def test_missing_policy_exclude_region():
    case = uz_case()
    r = pipeline.rank(blanked(case, "exclude-region"))
    gone = ["andijan", "bukhara", "jizzakh"]
    assert r.excluded == tuple(gone)  # in data order
    assert not set(gone) & set(r.ids)
    assert len(r.ids) == 11 and sorted(r.ranks) == list(range(1, 12))
    assert r.imputed == ()
    assert any(all(g in w for g in gone) and "exclude-region" in w for w in r.warnings)
    ref = pipeline.rank(without_regions(case, set(gone)))
    assert r.ids == ref.ids
    np.testing.assert_allclose(r.scores, ref.scores, rtol=0, atol=1e-12)


def test_exclude_region_leaving_one_region_is_a_data_error():
    case = synthetic_case([[1.0, 2.0], [np.nan, 3.0], [4.0, np.nan]], [1, 1], [0, 1], missing="exclude-region")
    with pytest.raises(DataError, match="only 1 region"):
        pipeline.rank(case)


def test_indicator_missing_everywhere_is_a_data_error_naming_it():
    case = synthetic_case([[1.0, np.nan], [2.0, np.nan], [3.0, np.nan]], [1, 1], [0, 1], missing="worst")
    with pytest.raises(DataError, match="indicator i1 has no value"):
        pipeline.rank(case)


def test_wsm_sum_normalisation_with_a_zero_is_a_data_error_naming_region_and_indicator():
    case = uz_case()
    col = dict(case.indicators)[UNEMP].column
    zero = with_cells(case, {("jizzakh", col): 0.0})
    with pytest.raises(DataError) as err:
        pipeline.rank(zero, method=MethodSpec("wsm"))
    assert "jizzakh" in str(err.value) and UNEMP in str(err.value)
    with pytest.raises(DataError, match="jizzakh"):
        pipeline.rank(zero, method=MethodSpec("copras"))  # a zero cost breaks COPRAS too
    # Vector normalisation accepts a zero: TOPSIS ranks the same data.
    r = pipeline.rank(zero)
    assert np.all(np.isfinite(r.scores)) and sorted(r.ranks) == list(range(1, 15))


def test_negative_value_is_refused_by_max_normalisation():
    matrix = np.array([[1.0, 2.0], [-1.0, 3.0], [2.0, 1.0]])
    case = synthetic_case(matrix, [1, 1], [0, 1], method=MethodSpec("topsis", "max"))
    with pytest.raises(DataError, match="R01"):
        pipeline.rank(case)
    assert np.all(np.isfinite(pipeline.rank(case, method=MethodSpec("topsis", "minmax")).scores))


# --------------------------------------------------------------------------- 6. shipped cases


def test_russia_case_ranks_85_regions_and_imputes_exactly_the_empty_cells_with_the_worst_value():
    case = load(RU)
    r = pipeline.rank(case)
    assert len(r.ids) == 85
    assert np.all(np.isfinite(r.scores))
    np.testing.assert_array_equal(r.ranks, rankdata(-r.scores))

    with open(RU / "case.toml", "rb") as f:
        cfg = tomllib.load(f)
    with open((RU / cfg["catalogue"]).resolve(), "rb") as f:
        cat = tomllib.load(f)
    direction = {ind["id"]: ind["direction"] for c in cat["criteria"] for ind in c["indicators"]}
    with open(RU / cfg["data"]["file"], newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    id_col = cfg["data"]["id_column"]

    expected = set()
    for iid, spec in cfg["indicators"].items():
        column = spec if isinstance(spec, str) else spec["column"]
        factor = 1.0 if isinstance(spec, str) else spec.get("factor", 1.0)
        values = [float(row[column]) * factor for row in rows if row[column].strip()]
        worst = min(values) if direction[iid] == "max" else max(values)
        for row in rows:
            if not row[column].strip():
                expected.add((row[id_col], iid))
                assert r.matrix[r.ids.index(row[id_col]), r.indicators.index(iid)] == pytest.approx(worst, rel=1e-12)
    assert expected  # the shipped data do have gaps
    assert len(r.imputed) == len(expected) and set(r.imputed) == expected


def test_uzbekistan_case_ranks_14_regions():
    r = pipeline.rank(uz_case())
    assert len(r.ids) == 14
    assert sorted(r.ranks) == list(range(1, 15))
    assert np.all(np.isfinite(r.scores))
    np.testing.assert_array_equal(r.ranks, rankdata(-r.scores))
    assert r.imputed == () and r.excluded == ()


@pytest.mark.parametrize("name,norm", ALL_SPECS)
def test_every_method_ranks_the_uzbekistan_case(name, norm):
    r = pipeline.rank(uz_case(), method=MethodSpec(name, norm))
    assert r.method.name == name
    assert np.all(np.isfinite(r.scores))
    order = -r.scores if r.higher_is_better else r.scores
    np.testing.assert_array_equal(r.ranks, rankdata(order))


# --------------------------------------------------------------------------- 7. VIKOR ranks ascending


def test_vikor_lower_score_is_better():
    r = pipeline.rank(uz_case(), method=MethodSpec("vikor"))
    assert r.higher_is_better is False
    assert r.ranks[int(np.argmin(r.scores))] == 1
    assert r.ranks[int(np.argmax(r.scores))] == len(r.ids)
    np.testing.assert_array_equal(r.ranks, rankdata(r.scores))
    assert "lower score is better" in describe(r.method)


def test_resolved_and_describe_state_the_defaults():
    assert resolved(MethodSpec("topsis")).normalization == "vector"  # not pymcdm's min-max
    assert dict(resolved(MethodSpec("vikor")).params) == {"v": 0.5}
    assert dict(resolved(MethodSpec("vikor", params=(("v", 0.2),))).params) == {"v": 0.2}
    assert "vector normalisation" in describe(MethodSpec("topsis"))
    assert "minmax normalisation" in describe(MethodSpec("topsis", "minmax"))
    for name in ("topsis", "promethee2", "copras", "wsm", "waspas"):
        assert describe(MethodSpec(name)).endswith("higher score is better")
