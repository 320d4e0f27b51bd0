"""Linear-time paths of ranking and allocation (issue 15) give what the quadratic ones gave.

mcda.ranking.matrix.impute once ordered the regions with imputed values by ``ids.index`` (one scan
of the ids per region: 100,000 regions with 10% of them incomplete took 15 s) and picked the rows
to keep with one ``miss[k].any()`` per region; ``prepare`` builds ``excluded`` against a set of the
kept ids; allocation.rules.prepare builds each group's mask against a set of its members. Each is
checked here against the old way, written out below, on the shipped cases and on random cases
(hypothesis): identical values, imputed cells, kept rows, warnings, excluded lists, ranks and group
masks, and allocations to 1e-9. Speed is measured in bench/bench_scale.py, never here.
"""
from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda import pipeline
from mcda.allocation import rules
from mcda.inputs.load import load
from mcda.model import Budget, GroupShare, Table
from mcda.ranking import matrix as mx
from tests.synthetic import synthetic_case

ROOT = Path(__file__).resolve().parents[2]
CASES = ("uzbekistan-regions", "russia-regions-research", "uzbekistan-committee", "uzbekistan-monitoring")
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
POLICIES = ("median", "worst", "exclude-region")


def impute_before(values, case, types):
    """matrix.impute as it was before issue 15 (quadratic in the regions with gaps), the oracle."""
    ids = case.data.ids
    miss = np.isnan(values)
    keep = list(range(len(ids)))
    if not miss.any():
        return values, [], keep, []
    iids = case.indicator_ids
    if case.missing == "exclude-region":
        keep = [k for k in range(len(ids)) if not miss[k].any()]
        dropped = [ids[k] for k in range(len(ids)) if miss[k].any()]
        return values[keep], [], keep, [f"{len(dropped)} region(s) left out because of missing values "
                                        f"(policy exclude-region): {', '.join(dropped)}"]
    out = values.copy()
    if case.missing == "worst":
        fill = np.where(types == 1, np.nanmin(values, axis=0), np.nanmax(values, axis=0))
        how = "the worst observed value of the indicator (policy worst: a gap never earns points)"
    else:
        fill = np.nanmedian(values, axis=0)
        how = "the indicator's median (policy median)"
    rows, cols = np.nonzero(miss)
    out[rows, cols] = fill[cols]
    cells = [(ids[r], iids[c]) for r, c in zip(rows, cols)]
    regions = sorted({ids[r] for r in rows}, key=ids.index)
    return out, cells, keep, [f"{len(cells)} missing value(s) in {len(regions)} region(s) replaced by {how}: "
                              + ", ".join(regions)]


def assert_same_impute(case):
    types = np.array([case.catalogue.indicator(i)[1].direction.sign for i in case.indicator_ids])
    values = mx.indicator_values(case)
    new, old = mx.impute(values, case, types), impute_before(values, case, types)
    np.testing.assert_array_equal(new[0], old[0])
    assert new[1:] == old[1:]
    assert all(type(k) is int for k in new[2])


def gappy_case(data, policy, with_duplicate=False):
    """A random case with some cells missing (every column keeps at least two values)."""
    n = data.draw(st.integers(3, 40), label="regions")
    m = data.draw(st.integers(1, 5), label="indicators")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    rng = np.random.default_rng(seed)
    values = rng.choice([1.0, 2.0, 3.5, 7.0, 10.0], size=(n, m)) if seed % 3 == 0 else rng.uniform(1, 100, (n, m))
    gaps = rng.random((n, m)) < data.draw(st.sampled_from([0.0, 0.1, 0.4]), label="gap share")
    gaps[:2] = False
    values[gaps] = np.nan
    case = synthetic_case(values, rng.choice([1, -1], size=m))
    table = case.data
    if with_duplicate:  # an id given twice (no reader lets it through, but the order rule must not change)
        ids = list(table.ids)
        ids[-1] = ids[int(rng.integers(0, n - 1))]
        table = dataclasses.replace(table, ids=tuple(ids))
    return dataclasses.replace(case, data=table, missing=policy)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("policy", POLICIES)
def test_impute_equals_before_on_shipped_cases(name, policy):
    case = load(ROOT / "cases" / name)
    assert_same_impute(case)
    # the same case with a few cells blanked, under each policy
    t = case.data
    rows = [list(r) for r in t.values]
    for k in range(0, len(rows), 3):
        rows[k][k % len(t.columns)] = None
    gappy = dataclasses.replace(case, data=dataclasses.replace(t, values=tuple(map(tuple, rows))), missing=policy)
    try:
        assert_same_impute(gappy)
    except Exception as e:  # a case whose gaps leave a denominator empty etc. must fail the same way
        with pytest.raises(type(e)):
            types = np.array([gappy.catalogue.indicator(i)[1].direction.sign for i in gappy.indicator_ids])
            impute_before(mx.indicator_values(gappy), gappy, types)


@PROPS
@given(data=st.data(), policy=st.sampled_from(POLICIES), duplicate=st.booleans())
def test_impute_equals_before_on_random_cases(data, policy, duplicate):
    assert_same_impute(gappy_case(data, policy, duplicate))


def rank_both_ways(case):
    """The case's ranking through today's prepare and through the one with the old impute."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        now = pipeline.rank(case)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(mx, "impute", impute_before)
            before = pipeline.rank(case)
    return now, before


def assert_same_ranking(now, before):
    assert now.ids == before.ids and now.excluded == before.excluded and now.imputed == before.imputed
    assert now.warnings == before.warnings
    np.testing.assert_array_equal(now.scores, before.scores)
    np.testing.assert_array_equal(now.ranks, before.ranks)


@PROPS
@given(data=st.data(), policy=st.sampled_from(POLICIES))
def test_prepare_excluded_and_ranks_equal_before(data, policy):
    case = gappy_case(data, policy)
    try:
        p = mx.prepare(case)
    except Exception:
        return  # a degenerate draw (e.g. every column constant) is refused, as before
    assert p.excluded == tuple(i for i in case.data.ids if i not in p.ids)  # the tuple test, as the issue had it
    assert_same_ranking(*rank_both_ways(case))


@pytest.mark.parametrize("name", CASES)
def test_prepare_on_shipped_cases(name):
    case = load(ROOT / "cases" / name)
    p = mx.prepare(case)
    assert p.excluded == tuple(i for i in case.data.ids if i not in p.ids)
    assert_same_ranking(*rank_both_ways(case))


def group_masks_before(case, r):
    return [np.array([i in g.regions for i in case.data.ids], dtype=bool) for g in case.budget.groups]


@pytest.mark.parametrize("name", [c for c in CASES if load(ROOT / "cases" / c).budget is not None])
def test_group_masks_and_allocation_on_shipped_cases(name):
    case = load(ROOT / "cases" / name)
    ranking = pipeline.rank(case)
    r = rules.prepare(pipeline.settled(case), ranking)
    for (g, mask), before in zip(r.groups, group_masks_before(case, r)):
        np.testing.assert_array_equal(mask, before)
    a = pipeline.allocate(case, ranking)
    again = pipeline.allocate(case, ranking)
    np.testing.assert_allclose(a.amounts, again.amounts, atol=1e-9, rtol=0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 60), groups=st.integers(1, 3))
def test_group_masks_on_random_rules(seed, n, groups):
    rng = np.random.default_rng(seed)
    base = load(ROOT / "cases" / "uzbekistan-regions")
    ranking = pipeline.rank(base)
    ids = tuple(f"r{i}" for i in range(n))
    caps = rng.uniform(10, 100, n)
    table = Table(file="t.csv", ids=ids, names=ids, columns=("cap",), values=tuple((c,) for c in caps.tolist()))
    gs = tuple(GroupShare(f"g{k}", tuple(rng.choice(ids, size=int(rng.integers(1, n + 1)), replace=False).tolist()),
                          0.0, 1.0) for k in range(groups))
    case = dataclasses.replace(base, data=table, budget=Budget(total=float(caps.sum() / 2), cap_column="cap",
                                                                groups=gs))
    scores = rng.uniform(0.01, 1, n)
    ranking = dataclasses.replace(ranking, ids=ids, names=ids, scores=scores,
                                  ranks=np.argsort(np.argsort(-scores)) + 1.0)
    r = rules.prepare(case, ranking)
    for (g, mask), before in zip(r.groups, group_masks_before(case, r)):
        np.testing.assert_array_equal(mask, before)


VIKOR_NORMS = ("none", "vector", "minmax", "max", "sum", "linear")


def pymcdm_vikor(matrix, weights, types, normalization, v):
    from pymcdm import methods as pm
    from pymcdm import normalizations as nz
    norm = None if normalization == "none" else getattr(nz, f"{normalization}_normalization")
    with np.errstate(all="ignore"):
        return pm.VIKOR(norm, v=v)(matrix, weights, types, validation=False)


@PROPS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 50), m=st.integers(1, 6),
       norm=st.sampled_from(VIKOR_NORMS), v=st.sampled_from([0.0, 0.3, 0.5, 1.0]), ties=st.booleans())
def test_vikor_kernel_equals_pymcdm_bit_for_bit(seed, n, m, norm, v, ties):
    from mcda.ranking.vikor_kernel import vikor
    rng = np.random.default_rng(seed)
    x = rng.choice([1.0, 2.0, 5.0, 9.0], size=(n, m)) if ties else rng.uniform(0.5, 1000, (n, m))
    w = rng.dirichlet(np.ones(m))
    types = rng.choice([1, -1], size=m)
    try:
        expected = pymcdm_vikor(x, w, types, norm, v)
    except ValueError:  # a column equal for every region after normalising: both refuse it
        with pytest.raises(ValueError):
            vikor(x, w, types, norm, v)
        return
    got = vikor(x, w, types, norm, v)
    np.testing.assert_array_equal(got, expected)  # the same bits, NaN where pymcdm's is NaN


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("norm", VIKOR_NORMS)
def test_vikor_kernel_on_shipped_cases(name, norm):
    from mcda.ranking.vikor_kernel import vikor
    case = load(ROOT / "cases" / name)
    p = mx.prepare(case)
    w = mx.spread(pipeline.weights(case), p.criteria, p.weight_map)
    if norm in ("sum", "linear", "max") and (p.matrix <= 0).any():
        return
    np.testing.assert_array_equal(vikor(p.matrix, w, p.types, norm, 0.5), pymcdm_vikor(p.matrix, w, p.types, norm, 0.5))
