"""HiGHS through highspy's arrays (mcda.allocation.highs) gives the allocations of the PuLP path.

Equality, not speed (bench/bench_allocation_scale.py times it): the array model against the same
model in PuLP solved by HiGHS (the path it replaces) to 1e-9, against CBC to the 8 significant
digits of CBC's solution file, and against scipy's linprog as an independent oracle; with both
algorithms (dual simplex, and the interior point with crossover that large LPs take), on the
shipped cases and on random ones. The MILP's per-segment minimum-grant rows against the PuLP
model's single row and against brute force.
"""
from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import mcda.allocation.highs as highs_mod
import mcda.allocation.solve as solve_mod
from mcda.allocation.benefit import benefit
from mcda.allocation.highs import HighsModel
from mcda.allocation.lp import Model, PulpModel
from mcda.allocation.rules import prepare
from mcda.allocation.solve import allocate_rules
from mcda.inputs.load import load
from mcda.model import Budget, GroupShare, Table
from mcda.pipeline import rank

ROOT = Path(__file__).resolve().parents[2]
CASES = [p for p in sorted((ROOT / "cases").iterdir()) if (p / "case.toml").exists()]
UZ = load(ROOT / "cases" / "uzbekistan-regions")
UZ_RANK = rank(UZ)


def rules_for(scores, caps, total, floors=None, grants=None, K=3, decay=0.7, groups=(), solver="highs"):
    """Prepared rules for regions r0..r(n-1) with these scores, caps, floors and minimum grants."""
    n = len(scores)
    floors = np.zeros(n) if floors is None else np.asarray(floors, float)
    grants = np.zeros(n) if grants is None else np.asarray(grants, float)
    ids = tuple(f"r{i}" for i in range(n))
    table = Table(file="synthetic.csv", ids=ids, names=ids, columns=("cap", "floor", "grant"),
                  values=tuple((float(c), float(f), float(g)) for c, f, g in zip(caps, floors, grants)))
    budget = Budget(total=float(total), segments=K, decay=decay, cap_column="cap", floor_column="floor",
                    min_grant_column="grant", groups=tuple(groups), solver=solver)
    case = dataclasses.replace(UZ, data=table, budget=budget)
    scores = np.asarray(scores, float)
    ranking = dataclasses.replace(UZ_RANK, ids=ids, names=ids, scores=scores,
                                  ranks=np.argsort(np.argsort(-scores)) + 1.0)
    return prepare(case, ranking)


def with_solver(r, solver):
    return dataclasses.replace(r, budget=dataclasses.replace(r.budget, solver=solver))


def old_path(r, solver, monkeypatch):
    """The allocation as before highspy's arrays: the PuLP model, solved by ``solver`` through PuLP."""
    with monkeypatch.context() as m:
        m.setattr(solve_mod, "Model", lambda rules, values=None, fixed=None, relax=False, solver=None:
                  PulpModel(rules, values, fixed, relax, solver=solver_name))
        solver_name = solver
        return allocate_rules(with_solver(r, solver))


def same(a, b, tol):
    scale = max(1.0, a.total)
    assert np.abs(a.amounts - b.amounts).max() <= tol * scale
    assert a.objective == pytest.approx(b.objective, rel=tol, abs=tol)
    assert a.kind == b.kind


def same_prices(a, b, tol):
    pa = {p.rule: p.value for p in a.shadow_prices}
    pb = {p.rule: p.value for p in b.shadow_prices}
    assert pa.keys() == pb.keys()
    for k in pa:
        assert pa[k] == pytest.approx(pb[k], rel=tol, abs=tol)


def random_rules(seed, n, grants=False, groups=True, K=4):
    rng = np.random.default_rng(seed)
    caps = rng.uniform(10, 100, n)
    floors = np.where(rng.random(n) < 0.2, caps * rng.uniform(0.05, 0.3, n), 0.0) if not grants else None
    grant = caps * rng.uniform(0.2, 0.6, n) if grants else None
    share = [GroupShare("west", tuple(f"r{i}" for i in range(n // 3)), 0.15, 0.45)] if groups else []
    return rules_for(rng.uniform(0.01, 1, n), caps, caps.sum() * rng.uniform(0.2, 0.6), floors=floors,
                     grants=grant, K=K, decay=0.8, groups=share)


# --------------------------------------------------------------------------- shipped cases


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_shipped_cases_allocate_as_before(path, monkeypatch):
    case = load(path)
    if case.budget is None:
        pytest.skip("no budget rules")
    r = prepare(case, rank(case))
    new = allocate_rules(with_solver(r, "highs"))
    assert "highspy" in new.solver
    same(new, old_path(r, "highs", monkeypatch), 1e-9)
    same_prices(new, old_path(r, "highs", monkeypatch), 1e-7)
    same(new, old_path(r, "cbc", monkeypatch), 1e-7)  # CBC's solution file: 8 significant digits


# --------------------------------------------------------------------------- random cases


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ipm", [False, True], ids=["simplex", "ipm"])
def test_random_lps_allocate_as_the_pulp_path(seed, ipm, monkeypatch):
    r = random_rules(seed, 40 + 30 * seed)
    if ipm:
        monkeypatch.setattr(highs_mod, "IPM_FROM", 0)
    new = allocate_rules(with_solver(r, "highs"))
    assert ("interior point" in new.solver) == ipm
    old = old_path(r, "highs", monkeypatch)
    same(new, old, 1e-9)
    same_prices(new, old, 1e-7)
    same(new, old_path(r, "cbc", monkeypatch), 1e-7)


@pytest.mark.parametrize("seed", range(4))
def test_random_milps_allocate_as_cbc(seed, monkeypatch):
    r = random_rules(seed, 30 + 20 * seed, grants=True)
    new = allocate_rules(with_solver(r, "highs"))
    assert new.kind == "MILP" and "branch and cut" in new.solver
    old = old_path(r, "cbc", monkeypatch)
    assert new.objective >= old.objective * (1 - 1e-6)  # both within budget.mip_gap = 1e-6 of the optimum
    assert old.objective >= new.objective * (1 - 1e-6)
    same(new, old, 1e-6)
    same(new, old_path(r, "highs", monkeypatch), 1e-6)


def test_milp_matches_brute_force_over_funded_sets():
    rng = np.random.default_rng(7)
    n = 6
    caps = rng.uniform(10, 50, n)
    grants = caps * rng.uniform(0.3, 0.7, n)
    r = rules_for(rng.uniform(0.1, 1, n), caps, caps.sum() * 0.45, grants=grants, K=3, decay=0.6)
    got = allocate_rules(with_solver(r, "highs"))
    best = -np.inf
    for funded in itertools.product([0.0, 1.0], repeat=n):
        lp = HighsModel(r, fixed=np.array(funded))
        try:
            lp.solve()
        except Exception:  # funding this set cannot hold
            continue
        best = max(best, lp.objective())
    assert got.objective == pytest.approx(best, rel=1e-6)
    assert benefit(got.amounts, r) == pytest.approx(got.objective, rel=1e-9)


# --------------------------------------------------------------------------- scipy's linprog as the oracle


def linprog_optimum(r):
    K = r.budget.segments
    idx = r.model
    c = np.outer(r.values[idx], r.budget.decay ** np.arange(K)).ravel()
    seg = np.kron(np.eye(len(idx)), np.ones(K))
    rows, rhs = [np.ones(c.size)], [r.total]
    for j in np.flatnonzero(r.lower[idx] > 0):
        rows.append(-seg[j])
        rhs.append(-r.lower[idx][j])
    for g, mask in r.groups:
        member = np.repeat(mask[idx].astype(float), K)
        rows += [-(member - g.min_share), member - g.max_share]
        rhs += [0.0, 0.0]
    res = linprog(-c, A_ub=np.array(rows), b_ub=np.array(rhs),
                  bounds=np.column_stack([np.zeros(c.size), np.repeat(r.caps[idx] / K, K)]), method="highs")
    return res.status, (-res.fun if res.status == 0 else None), (res.x.reshape(len(idx), K).sum(axis=1)
                                                                  if res.status == 0 else None)


small = st.integers(2, 8).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n, unique=True),
    st.lists(st.floats(1.0, 100.0), min_size=n, max_size=n),
    st.lists(st.one_of(st.just(0.0), st.floats(0.0, 0.5)), min_size=n, max_size=n),
    st.floats(0.05, 0.9), st.integers(1, 5), st.floats(0.3, 0.95), st.booleans()))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=small, ipm=st.booleans())
def test_small_random_lps_match_scipy_linprog(instance, ipm):
    scores, caps, floor_share, budget_share, K, decay, grouped = instance
    caps = np.array(caps)
    groups = [GroupShare("g", ("r0",), 0.0, 0.6)] if grouped and len(scores) > 2 else []
    r = rules_for(scores, caps, caps.sum() * budget_share, floors=np.array(floor_share) * caps, K=K, decay=decay,
                  groups=groups)
    status, best, x = linprog_optimum(r)
    assume(status in (0, 2))
    model = Model(r)
    assert isinstance(model, HighsModel)
    saved, highs_mod.IPM_FROM = highs_mod.IPM_FROM, 0 if ipm else 10**9
    try:
        if status == 2:
            with pytest.raises(highs_mod.Infeasible):
                model.solve()
            return
        model.solve()
    finally:
        highs_mod.IPM_FROM = saved
    assert model.objective() == pytest.approx(best, rel=1e-7, abs=1e-7)
    np.testing.assert_allclose(model.amounts(), x, atol=1e-6 * max(1.0, r.total))


def test_large_lp_takes_the_interior_point_names_it_and_allocates_as_before(monkeypatch):
    r = random_rules(11, highs_mod.IPM_FROM + 100, groups=True, K=5)
    a = allocate_rules(with_solver(r, "highs"))
    assert "interior point with crossover" in a.solver and a.kind == "LP"
    old = old_path(r, "highs", monkeypatch)
    same(a, old, 1e-9)
    same_prices(a, old, 1e-7)
