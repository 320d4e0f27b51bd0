"""Budget allocation: the LP against scipy's linprog, duals against finite differences,
the MILP against brute force, properties, infeasibility diagnosis, the CLI verb."""
from __future__ import annotations

import dataclasses
import itertools
import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pulp
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from mcda.allocation.benefit import benefit
from mcda.allocation.lp import check_status, chosen_solver
from mcda.allocation.resample import Reallocator
from mcda.allocation.rules import prepare
from mcda.cli import cli
from mcda.errors import AllocationError, CaseError
from mcda.inputs.fields import parse_sweep
from mcda.inputs.load import load
from mcda.inputs.overrides import apply
from mcda.model import Budget, GroupShare, Table
from mcda.pipeline import allocate, rank, sweep

ROOT = Path(__file__).resolve().parents[2]
UZ_PATH = ROOT / "cases" / "uzbekistan-regions"
UZ = load(UZ_PATH)
UZ_RANK = rank(UZ)
SOLVERS = ["cbc", "highs"]


# --------------------------------------------------------------------------- synthetic cases


def make_case(scores, caps, total, floors=None, grants=None, K=3, decay=0.7, groups=(), mandatory=(),
              excluded=(), solver="cbc"):
    """A case whose regions r0..r(n-1) have these scores and per-region floors, caps and minimum grants."""
    n = len(scores)
    floors = np.zeros(n) if floors is None else np.asarray(floors, float)
    grants = np.zeros(n) if grants is None else np.asarray(grants, float)
    ids = tuple(f"r{i}" for i in range(n))
    table = Table(file="synthetic.csv", ids=ids, names=tuple(f"Region {i}" for i in range(n)),
                  columns=("cap", "floor", "grant"),
                  values=tuple((float(c), float(f), float(g)) for c, f, g in zip(caps, floors, grants)))
    budget = Budget(total=float(total), segments=K, decay=decay, cap_column="cap", floor_column="floor",
                    min_grant_column="grant", mandatory=tuple(mandatory), excluded=tuple(excluded),
                    groups=tuple(groups), solver=solver)
    case = dataclasses.replace(UZ, data=table, budget=budget)
    scores = np.asarray(scores, float)
    ranks = np.argsort(np.argsort(-scores)) + 1.0
    ranking = dataclasses.replace(UZ_RANK, ids=ids, names=table.names, scores=scores, ranks=ranks)
    return case, ranking


def oracle(scores, caps, total, floors, K, decay, groups=(), fixed_zero=()):
    """The same LP built independently for scipy's linprog (HiGHS): (status, optimum, budget dual)."""
    n = len(scores)
    r = (np.asarray(scores)[:, None] * decay ** np.arange(K)).ravel()
    bounds = [(0.0, 0.0 if i in fixed_zero else caps[i] / K) for i in range(n) for _ in range(K)]
    seg = np.kron(np.eye(n), np.ones(K))  # region x segments
    rows, rhs = [np.ones(n * K)], [total]
    for i in range(n):
        if floors[i] > 0:
            rows.append(-seg[i])
            rhs.append(-floors[i])
    for members, lo, hi in groups:
        member = np.isin(np.arange(n), members).astype(float)
        if lo > 0:
            rows.append(-np.repeat(member - lo, K))
            rhs.append(0.0)
        if hi < 1:
            rows.append(np.repeat(member - hi, K))
            rhs.append(0.0)
    res = linprog(-r, A_ub=np.array(rows), b_ub=np.array(rhs), bounds=bounds, method="highs")
    if res.status != 0:
        return res.status, None, None
    return 0, -res.fun, -res.ineqlin.marginals[0]


def solve(case, ranking, solver=None):
    return allocate(case, ranking, solver=solver)


instances = st.integers(2, 7).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0.01, 1.0), min_size=n, max_size=n),
    st.lists(st.floats(1.0, 100.0), min_size=n, max_size=n),
    st.lists(st.one_of(st.just(0.0), st.floats(0.0, 1.0)), min_size=n, max_size=n),  # floor as a share of cap
    st.floats(1.0, 400.0),
    st.integers(1, 5),
    st.floats(0.3, 1.0),
))


# --------------------------------------------------------------------------- the LP against scipy


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances, st.sampled_from(SOLVERS))
def test_lp_matches_scipy_linprog_to_1e_7(instance, solver):
    scores, caps, floor_share, total, K, decay = instance
    floors = np.array(floor_share) * np.array(caps) * 0.5
    status, best, _ = oracle(scores, caps, total, floors, K, decay)
    case, ranking = make_case(scores, caps, total, floors=floors, K=K, decay=decay, solver=solver)
    if status == 2:  # infeasible for scipy: our diagnosis, not a result
        with pytest.raises(AllocationError, match="cannot all hold"):
            solve(case, ranking)
        return
    a = solve(case, ranking)
    assert a.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    assert a.used <= total * (1 + 1e-12)
    assert np.all(a.amounts >= floors * (1 - 1e-12)) and np.all(a.amounts <= np.array(caps) * (1 + 1e-12))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances, st.floats(0.05, 0.95), st.floats(0.05, 0.95), st.sampled_from(SOLVERS))
def test_group_shares_match_scipy_linprog(instance, lo, hi, solver):
    scores, caps, _, total, K, decay = instance
    n = len(scores)
    members = list(range(0, n, 2))
    lo, hi = min(lo, hi), max(lo, hi)
    status, best, _ = oracle(scores, caps, total, np.zeros(n), K, decay, groups=[(members, lo, hi)])
    group = GroupShare("even", tuple(f"r{i}" for i in members), lo, hi)
    case, ranking = make_case(scores, caps, total, K=K, decay=decay, groups=[group], solver=solver)
    assert status == 0  # x = 0 always satisfies share rules
    a = solve(case, ranking)
    assert a.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    share = a.amounts[members].sum() / a.used
    assert lo - 1e-7 <= share <= hi + 1e-7


def test_uzbekistan_case_matches_an_independent_lp():
    r = prepare(UZ, UZ_RANK)
    g = UZ.budget.groups[0]
    members = [UZ.data.ids.index(i) for i in g.regions]
    status, best, lam = oracle(r.values, r.caps, r.total, r.floors, UZ.budget.segments, UZ.budget.decay,
                               groups=[(members, g.min_share, g.max_share)])
    a = allocate(UZ, UZ_RANK)
    assert status == 0 and a.objective == pytest.approx(best, rel=1e-7)
    assert a.marginal_value == pytest.approx(lam, rel=1e-6)
    # The case's rules: caps are 50,000 UZS (0.00005 billion) per resident; the capital area at most 20%.
    pop = UZ.data.column("population_2022_01_01_persons")
    assert a.caps == pytest.approx(0.00005 * pop)
    assert a.used == pytest.approx(1000.0)
    assert a.amounts[members].sum() <= 0.2 * a.used + 1e-7
    assert np.all(a.amounts >= 10 - 1e-7)


# --------------------------------------------------------------------------- duals


def _objective(case, ranking, solver):
    return allocate(case, ranking, solver=solver).objective


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("seed", range(4))
def test_budget_dual_is_the_finite_difference(seed, solver):
    rng = np.random.default_rng(seed)
    n = 6
    scores, caps = rng.uniform(0.05, 1, n), rng.uniform(5, 50, n)
    total = float(caps.sum() * rng.uniform(0.3, 0.8))
    floors = np.where(rng.random(n) < 0.5, caps * 0.3, 0.0)
    case, ranking = make_case(scores, caps, total, floors=floors, K=4, decay=0.75, solver=solver)
    a = allocate(case, ranking)
    d = 1e-3 * total
    up = _objective(dataclasses.replace(case, budget=dataclasses.replace(case.budget, total=total + d)), ranking, solver)
    down = _objective(dataclasses.replace(case, budget=dataclasses.replace(case.budget, total=total - d)), ranking,
                      solver)
    fwd, bwd = (up - a.objective) / d, (a.objective - down) / d
    assert fwd <= a.marginal_value + 1e-6 and a.marginal_value <= bwd + 1e-6  # a subgradient
    if abs(fwd - bwd) < 1e-6:  # no breakpoint near this budget: the dual is the derivative
        assert a.marginal_value == pytest.approx(fwd, rel=1e-5)
        checked.append(seed)
    assert a.marginal_value > 0


checked: list[int] = []


def test_most_budget_duals_were_checked_away_from_breakpoints():
    assert len(checked) >= 4  # of the 8 cases above (runs after them: pytest keeps file order)


@pytest.mark.parametrize("solver", SOLVERS)
def test_floor_and_group_shadow_prices_are_finite_differences(solver):
    scores = [0.9, 0.8, 0.2, 0.1, 0.5]
    caps = [40.0, 40.0, 40.0, 40.0, 40.0]
    floors = [0, 0, 0, 15.0, 0]
    group = GroupShare("top", ("r0", "r1"), 0.0, 0.4)
    case, ranking = make_case(scores, caps, 100.0, floors=floors, K=4, decay=0.8, groups=[group], solver=solver)
    a = allocate(case, ranking)
    prices = {p.rule: p for p in a.shadow_prices}
    assert set(prices) == {"budget.total", "floor of r3", "group top max_share"}
    d = 1e-3
    lower = make_case(scores, caps, 100.0, floors=[0, 0, 0, 15 - d, 0], K=4, decay=0.8, groups=[group],
                      solver=solver)
    assert prices["floor of r3"].value == pytest.approx((allocate(*lower).objective - a.objective) / d, rel=1e-5)
    wider = dataclasses.replace(group, max_share=0.4 + d / 100)  # one thousandth of a percentage point
    looser = make_case(scores, caps, 100.0, floors=floors, K=4, decay=0.8, groups=[wider], solver=solver)
    assert prices["group top max_share"].value == pytest.approx((allocate(*looser).objective - a.objective) / d,
                                                                rel=1e-4)
    assert a.reasons[1] == "at group share: top"  # r1 is held by the group's share, not its cap
    assert all(p.value > 0 for p in a.shadow_prices)


def test_group_min_share_price_is_a_finite_difference():
    scores, caps = [0.9, 0.8, 0.2, 0.1], [50.0] * 4
    group = GroupShare("low", ("r2", "r3"), 0.3, 1.0)
    case, ranking = make_case(scores, caps, 100.0, K=2, decay=0.8, groups=[group])
    a = allocate(case, ranking)
    price = next(p for p in a.shadow_prices if p.kind == "group_min")
    d = 1e-3
    looser = make_case(scores, caps, 100.0, K=2, decay=0.8, groups=[dataclasses.replace(group, min_share=0.3 - d / 100)])
    assert price.value == pytest.approx((allocate(*looser).objective - a.objective) / d, rel=1e-4)


# --------------------------------------------------------------------------- MILP


def brute_force(scores, caps, grants, total, K, decay, floors=None):
    """Best objective over every funded/unfunded choice, each an LP (scipy)."""
    n = len(scores)
    floors = np.zeros(n) if floors is None else floors
    best = None
    for z in itertools.product((0, 1), repeat=n):
        if any(z[i] == 0 and floors[i] > 0 for i in range(n)):
            continue
        if any(z[i] == 1 and grants[i] > caps[i] for i in range(n)):
            continue
        lower = np.array([max(floors[i], grants[i]) if z[i] else 0.0 for i in range(n)])
        status, obj, _ = oracle(scores, caps, total, lower, K, decay, fixed_zero=[i for i in range(n) if not z[i]])
        if status == 0 and (best is None or obj > best):
            best = obj
    return best


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 5).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n),
    st.lists(st.floats(10.0, 60.0), min_size=n, max_size=n),
    st.lists(st.floats(0.0, 0.9), min_size=n, max_size=n),
    st.floats(10.0, 150.0))), st.sampled_from(SOLVERS))
def test_milp_matches_brute_force(instance, solver):
    scores, caps, grant_share, total = instance
    grants = np.array(grant_share) * np.array(caps) + 1.0
    best = brute_force(scores, caps, grants, total, 3, 0.7)
    case, ranking = make_case(scores, caps, total, grants=grants, K=3, decay=0.7, solver=solver)
    a = allocate(case, ranking)
    assert a.kind == "MILP" and a.gap is not None and 0 <= a.gap <= 1e-6
    assert a.objective == pytest.approx(best, rel=1e-6, abs=1e-7)
    funded = a.amounts > 1e-9
    assert np.all(a.amounts[funded] >= grants[funded] - 1e-7)  # nothing between 0 and the minimum grant
    assert "fixed" in a.dual_note


@pytest.mark.parametrize("solver", SOLVERS)
def test_milp_duals_come_from_the_lp_with_fixed_binaries(solver):
    scores, caps, grants = [0.9, 0.6, 0.3, 0.2], [40.0] * 4, [20.0, 20.0, 20.0, 25.0]
    case, ranking = make_case(scores, caps, 90.0, grants=grants, K=4, decay=0.8, solver=solver)
    a = allocate(case, ranking)
    funded = [i for i in range(4) if a.amounts[i] > 1e-9]
    unfunded = [i for i in range(4) if i not in funded]
    status, obj, lam = oracle(scores, caps, 90.0, np.where(np.isin(range(4), funded), grants, 0), 4, 0.8,
                              fixed_zero=unfunded)
    assert obj == pytest.approx(a.objective, rel=1e-7) and a.marginal_value == pytest.approx(lam, rel=1e-6)
    assert [a.reasons[i] for i in unfunded] == ["below minimum grant"] * len(unfunded)


def test_mandatory_region_is_funded_at_least_its_minimum_grant():
    scores, caps, grants = [0.9, 0.6, 0.05], [40.0] * 3, [20.0, 20.0, 20.0]
    case, ranking = make_case(scores, caps, 70.0, grants=grants, K=2, mandatory=("r2",))
    free = allocate(*make_case(scores, caps, 70.0, grants=grants, K=2))
    forced = allocate(case, ranking)
    assert free.amounts[2] == 0 and forced.amounts[2] == pytest.approx(20.0)
    assert forced.reasons[2] == "at minimum grant" and forced.objective < free.objective


def test_a_time_limited_milp_that_pulp_calls_optimal_is_an_error():
    # pulp reports status Optimal with sol_status IntegerFeasible when a MILP stops at its time limit.
    fake = SimpleNamespace(status=pulp.LpStatusOptimal, sol_status=pulp.LpSolutionIntegerFeasible)
    with pytest.raises(AllocationError, match="not proven optimal") as e:
        check_status(fake, Budget(total=1, time_limit=2.0), True, "cbc")
    assert "budget.time_limit" in str(e.value) and "2 s" in str(e.value)
    for status, sol, text in ((pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound, "before finding any"),
                              (pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded, "unbounded"),
                              (pulp.LpStatusUndefined, pulp.LpSolutionNoSolutionFound, "could not solve")):
        with pytest.raises(AllocationError, match=text):
            check_status(SimpleNamespace(status=status, sol_status=sol), Budget(total=1), False, "cbc")


# --------------------------------------------------------------------------- properties


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances, st.floats(1.01, 3.0))
def test_more_budget_never_lowers_the_optimum_and_rules_hold(instance, factor):
    scores, caps, floor_share, total, K, decay = instance
    floors = np.array(floor_share) * np.array(caps) * 0.5
    assume(floors.sum() <= total)
    case, ranking = make_case(scores, caps, total, floors=floors, K=K, decay=decay)
    a = allocate(case, ranking)
    bigger = allocate(dataclasses.replace(case, budget=dataclasses.replace(case.budget, total=total * factor)),
                      ranking)
    assert bigger.objective >= a.objective - 1e-9
    for x in (a, bigger):
        assert x.used <= x.total * (1 + 1e-12)
        assert np.all(x.amounts >= floors - 1e-7) and np.all(x.amounts <= np.array(caps) + 1e-7)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(0.05, 1.0), st.floats(0.05, 1.0), st.floats(5.0, 50.0), st.floats(1.0, 120.0),
       st.floats(0.0, 20.0), st.sampled_from([False, True]))
def test_of_two_regions_identical_but_for_score_the_higher_never_gets_less(s1, s2, cap, total, grant, milp):
    assume(abs(s1 - s2) > 1e-6)
    grants = [grant, grant, 0.0] if milp else None
    case, ranking = make_case([s1, s2, 0.3], [cap, cap, 30.0], total, grants=grants, K=3, decay=0.8)
    a = allocate(case, ranking)
    hi, lo = (0, 1) if s1 > s2 else (1, 0)
    assert a.amounts[hi] >= a.amounts[lo] - 1e-7


def test_allocation_never_exceeds_the_budget_on_the_shipped_case():
    for total in (50, 200, 1000, 5000):
        a = allocate(apply(UZ, [f"budget.total={total}", "budget.floor=0"]), UZ_RANK)
        assert a.used <= total + 1e-7
        assert np.all(a.amounts <= a.caps + 1e-7)


# --------------------------------------------------------------------------- comparison rows


def test_comparison_rows_are_evaluated_under_the_same_benefit_model():
    a = allocate(UZ, UZ_RANK)
    names = [c.name for c in a.comparison]
    assert names == ["optimised", "proportional to score", "equal shares"]
    r = prepare(UZ, UZ_RANK)
    prop = a.comparison[1]
    assert prop.amounts.sum() == pytest.approx(UZ.budget.total)
    assert prop.amounts / prop.amounts.sum() == pytest.approx(r.values / r.values.sum())
    # Benefit by hand: each unit in segment k of a region returns v * decay**k, nothing beyond the cap.
    k = UZ.data.ids.index("tashkent_city")
    width = a.caps[k] / 5
    by_hand = sum(r.values[k] * 0.8 ** s * min(max(prop.amounts[k] - s * width, 0), width) for s in range(5))
    assert benefit(np.where(np.arange(len(a.ids)) == k, prop.amounts, 0), r) == pytest.approx(by_hand)
    assert prop.amounts[k] > a.caps[k] and any("above its cap" in v for v in prop.violations)
    assert a.comparison[0].objective == pytest.approx(a.objective) and a.comparison[0].violations == ()
    equal = a.comparison[2]
    assert np.allclose(equal.amounts, UZ.budget.total / 14) and equal.objective <= a.objective


# --------------------------------------------------------------------------- infeasible rules


def _diagnosis(case, ranking):
    with pytest.raises(AllocationError) as e:
        allocate(case, ranking)
    return str(e.value)


def test_floors_above_the_total_name_the_floors_the_budget_and_the_gap():
    case, ranking = make_case([0.5, 0.4, 0.3], [50.0] * 3, 60.0, floors=[30.0, 30.0, 30.0])
    msg = _diagnosis(case, ranking)
    assert "cannot all hold" in msg and "budget.total = 60" in msg
    assert "floors of" not in msg or "3 regions" in msg
    assert all(f"floor of r{i} (30)" in msg for i in range(3))
    assert "conflict by 30 " in msg  # 90 of floors, 60 of budget
    assert msg.startswith(f"{UZ.path}: budget")


def test_a_cap_below_a_floor_is_named_with_the_difference():
    case, ranking = make_case([0.5, 0.4], [50.0, 10.0], 100.0, floors=[0.0, 25.0])
    msg = _diagnosis(case, ranking)
    assert "floor of r1 (25)" in msg and "cap of r1 (10)" in msg and "conflict by 15" in msg
    assert "budget.total" not in msg  # the budget is not part of this conflict


def test_group_shares_that_cannot_hold_name_the_groups():
    a = GroupShare("a", ("r0",), 0.6, 1.0)
    b = GroupShare("b", ("r1",), 0.6, 1.0)
    case, ranking = make_case([0.5, 0.4, 0.3], [50.0] * 3, 100.0, floors=[0, 0, 10.0], groups=[a, b])
    msg = _diagnosis(case, ranking)
    assert "group a min_share = 0.6" in msg and "group b min_share = 0.6" in msg and "conflict by" in msg


def test_a_group_cap_below_its_members_floors_is_diagnosed():
    g = GroupShare("capital", ("r0", "r1"), 0.0, 0.1)
    case, ranking = make_case([0.5, 0.4, 0.3], [50.0, 50.0, 200.0], 100.0, floors=[10.0, 10.0, 0], groups=[g])
    msg = _diagnosis(case, ranking)
    assert "group capital max_share = 0.1" in msg and "floor of r0 (10)" in msg and "budget.total = 100" in msg
    assert "conflict by 10 " in msg  # 20 of floors, 10% of at most 100
    # With r2's cap at 50, only 70 can be allocated: the cap, not the budget, limits the dilution.
    case, ranking = make_case([0.5, 0.4, 0.3], [50.0] * 3, 100.0, floors=[10.0, 10.0, 0], groups=[g])
    msg = _diagnosis(case, ranking)
    assert "cap of r2 (50)" in msg and "budget.total" not in msg and "conflict by 13 " in msg
    assert "members are 13 over it" in msg


def test_a_mandatory_minimum_grant_above_the_cap_is_diagnosed():
    case, ranking = make_case([0.5, 0.4], [50.0, 10.0], 100.0, grants=[0, 20.0], mandatory=("r1",))
    msg = _diagnosis(case, ranking)
    assert "minimum grant of r1 (which must be funded) (20)" in msg and "cap of r1 (10)" in msg
    assert "conflict by 10" in msg


def test_a_mandatory_region_without_floor_or_grant_is_an_error():
    case, ranking = make_case([0.5, 0.4], [50.0, 10.0], 100.0, mandatory=("r1",))
    with pytest.raises(CaseError, match="neither a floor nor a minimum grant"):
        allocate(case, ranking)


INFEASIBLE = [
    (["budget.floor=100"], r"floors of 14 regions .*1,400 in all\) conflict by 400 billion UZS"),
    (["budget.floor=50", "budget.cap=40"], r"floors of 14 regions .*caps of 14 regions .*conflict by 140"),
    (["budget.groups.capital_area.max_share=0.01"],
     r"floor of tashkent_region \(10\); floor of tashkent_city \(10\); group capital_area max_share = 0.01 conflict by 10 "),
    (["budget.groups.capital_area.min_share=0.9", "budget.groups.capital_area.max_share=1"],
     r"floors of 12 regions .*; cap of tashkent_region \(147.081\); cap of tashkent_city \(143.026\); "
     r"group capital_area min_share = 0.9 conflict by 78.9893"),  # 0.9 x (290.1 + 120) - 290.1
    (["budget.mandatory=namangan", "budget.min_grant=200", "budget.floor=0"],
     r"minimum grant of namangan \(which must be funded\) \(200\); cap of namangan \(146.553\) conflict by 53.4467"),
]


@pytest.mark.parametrize("settings_, message", INFEASIBLE)
def test_every_infeasible_combination_exits_1_with_its_located_message(settings_, message):
    args = ["allocate", str(UZ_PATH)] + [x for s in settings_ for x in ("--set", s)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {UZ_PATH / 'case.toml'}: budget: the budget rules cannot all hold")
    assert re.search(message, result.output), result.output
    assert "Traceback" not in result.output


def test_the_readme_infeasibility_example_is_what_the_tool_prints(monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ mcda allocate cases/uzbekistan-regions --set budget.floor=80\n", 1)[1]
    expected = block.split("\n", 1)[0]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["allocate", "cases/uzbekistan-regions", "--set", "budget.floor=80"])
    assert result.exit_code == 1 and result.output.strip() == expected


# --------------------------------------------------------------------------- sweep


def test_sweep_is_monotone_and_matches_single_solves():
    s = sweep(UZ, parse_sweep("0.25:2:0.25"), ranking=UZ_RANK)
    assert [p.budget for p in s.points] == pytest.approx([250 * k for k in range(1, 9)])
    objectives = [p.objective for p in s.points]
    assert objectives == sorted(objectives)
    lams = [p.marginal_value for p in s.points]
    assert all(a >= b - 1e-9 for a, b in zip(lams, lams[1:]))  # concave frontier
    one = allocate(apply(UZ, ["budget.total=750"]), UZ_RANK)
    assert s.points[2].objective == pytest.approx(one.objective, rel=1e-9)
    assert s.points[2].amounts == pytest.approx(one.amounts, abs=1e-6)
    # At 2x every cap is reached (the caps add up to 1,763.56).
    assert np.all(~np.isnan(s.full)) and s.points[-1].marginal_value == 0
    k = UZ.data.ids.index("bukhara")
    first_full = next(p.budget for p in s.points if p.amounts[k] >= s.points[-1].amounts[k] - 1e-6)
    assert s.full[k] == first_full


def test_sweep_reports_budgets_where_the_rules_cannot_hold():
    case = apply(UZ, ["budget.floor=30"])  # 420 of floors
    s = sweep(case, parse_sweep("0.2:1:0.2"), ranking=UZ_RANK)
    statuses = [p.status.split(":")[0] for p in s.points]
    assert statuses == ["infeasible", "infeasible", "optimal", "optimal", "optimal"]
    assert "conflict by 220" in s.points[0].status
    assert np.all(s.entry == 600.0)


def test_entry_budget_of_a_region_without_floor():
    s = sweep(apply(UZ, ["budget.floor=0"]), [0.05, 0.1, 0.5, 1.0], ranking=UZ_RANK)
    k = UZ.data.ids.index("tashkent_city")
    assert s.entry[k] == 50.0  # the best score is funded first
    assert np.isnan(s.entry).any() or s.entry.max() <= 1000


@pytest.mark.parametrize("text", ["1:0.5:0.1", "a:b:c", "0:1:0.1", "1:2", "0.1:1000:0.1"])
def test_bad_sweep_ranges_are_errors(text):
    with pytest.raises(CaseError, match="--sweep"):
        parse_sweep(text)


# --------------------------------------------------------------------------- many score vectors (SMAA)


@pytest.mark.parametrize("solver", SOLVERS)
def test_reallocator_equals_allocate_for_each_score_vector(solver):
    rng = np.random.default_rng(7)
    re_ = Reallocator(UZ, UZ_RANK, solver=solver)
    samples = np.vstack([UZ_RANK.scores, rng.uniform(0, 1, (3, len(UZ_RANK.ids)))])
    amounts, objectives = re_.solve_many(samples)
    for row, x, obj in zip(samples, amounts, objectives):
        ranking = dataclasses.replace(UZ_RANK, scores=row)
        a = allocate(UZ, ranking)
        assert obj == pytest.approx(a.objective, rel=1e-7)
        assert x.sum() == pytest.approx(a.used, rel=1e-9)


def test_reallocator_handles_a_milp():
    case = apply(UZ, ["budget.floor=0", "budget.min_grant=40"])
    re_ = Reallocator(case, UZ_RANK, solver="highs")
    rng = np.random.default_rng(3)
    for row in rng.uniform(0, 1, (3, 14)):
        x, obj = re_.solve(row)
        assert obj == pytest.approx(allocate(case, dataclasses.replace(UZ_RANK, scores=row)).objective, rel=1e-6)
        assert np.all((x < 1e-9) | (x >= 40 - 1e-7))


def test_vikor_scores_become_one_minus_q():
    case = apply(UZ, ["method.name=vikor"])
    r = rank(case)
    a = allocate(case, r)
    k = [UZ.data.ids.index(i) for i in r.ids]
    assert a.values[k] == pytest.approx(1 - r.scores)
    assert "1 - Q" in a.value_note


# --------------------------------------------------------------------------- the CLI verb


@pytest.mark.parametrize("regions, mip, chosen", [(14, False, "highs"), (100_000, False, "highs"),
                                                  (14, True, "highs"), (5_000, True, "highs")])
def test_auto_takes_highs_through_highspy_arrays_at_every_size(regions, mip, chosen):
    rules = SimpleNamespace(model=np.arange(regions), is_mip=mip)
    assert chosen_solver(rules, "auto") == chosen
    assert chosen_solver(rules, "cbc") == "cbc" and chosen_solver(rules, "highs") == "highs"


def test_allocate_table_shows_every_region_the_totals_solver_status_and_marginal_value():
    result = CliRunner().invoke(cli, ["allocate", str(UZ_PATH)])
    assert result.exit_code == 0, result.output
    out = result.output
    for name in UZ.data.names:
        assert name in out
    assert "Total: 1,000 of 1,000 billion UZS allocated" in out
    assert "status optimal; LP" in out and "HiGHS" in out  # budget.solver auto: HiGHS at 14 regions
    assert re.search(r"Marginal value: one more billion UZS of budget adds 0\.0369\d+ benefit", out)
    assert "ILLUSTRATIVE" in out and "held by the capital area group's share" in out
    assert "Samarkand region gets the most (156.3 of 1,000) although it ranks 9th" in out
    assert "held at the floor (10)" in out and "/5 segments" not in out  # words, not the reasons' keys
    assert "proportional to score" in out and "equal shares" in out


def test_allocate_json_has_the_documented_keys():
    result = CliRunner().invoke(cli, ["allocate", str(UZ_PATH), "--set", "budget.total=1500", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {"budget", "used", "status", "solver", "objective", "marginal_value", "allocation"} <= set(data)
    assert data["budget"] == 1500 and data["status"] == "optimal"
    row = data["allocation"][0]
    assert {"id", "name", "score", "rank", "amount", "share", "floor", "cap", "reason"} <= set(row)
    assert row["id"] == "tashkent_city" and row["rank"] == 1
    assert sum(r["amount"] for r in data["allocation"]) == pytest.approx(data["used"])
    assert sum(r["share"] for r in data["allocation"]) == pytest.approx(1.0)


def test_allocate_csv_and_highs_agree_with_cbc():
    cbc = CliRunner().invoke(cli, ["allocate", str(UZ_PATH), "--format", "csv"])
    highs = CliRunner().invoke(cli, ["allocate", str(UZ_PATH), "--format", "csv", "--solver", "highs"])
    assert cbc.exit_code == highs.exit_code == 0
    assert cbc.output.splitlines()[0] == ("rank,id,name,score,amount,share,floor,cap,min_grant,next_return,reason,"
                                          "guaranteed,funded,why")
    a = {line.split(",")[1]: float(line.split(",")[4]) for line in cbc.output.splitlines()[1:]}
    b = {line.split(",")[1]: float(line.split(",")[4]) for line in highs.output.splitlines()[1:]}
    assert a.keys() == b.keys() and all(a[k] == pytest.approx(b[k], abs=1e-6) for k in a)
    assert len(a) == 14


def test_allocate_sweep_json_and_csv():
    result = CliRunner().invoke(cli, ["allocate", str(UZ_PATH), "--sweep", "0.5:1.5:0.5", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [p["budget"] for p in data["sweep"]] == [500, 1000, 1500]
    assert set(data["sweep"][0]) >= {"budget", "objective", "marginal_value", "allocation"}
    assert set(data["sweep"][0]["allocation"]) == set(UZ.data.ids)
    csv_out = CliRunner().invoke(cli, ["allocate", str(UZ_PATH), "--sweep", "0.5:1.5:0.5", "--format", "csv"])
    assert csv_out.output.splitlines()[0].startswith("budget,multiple,status,objective,marginal_value,karakalpakstan")
    table = CliRunner().invoke(cli, ["allocate", str(UZ_PATH), "--sweep", "0.5:1.5:0.5"])
    assert "Efficient frontier" in table.output and "at cap from" in table.output


def test_allocate_milp_output_says_so():
    result = CliRunner().invoke(cli, ["allocate", str(UZ_PATH), "--set", "budget.floor=0", "--set",
                                      "budget.min_grant=40"])
    assert result.exit_code == 0
    assert "MILP, gap" in result.output and "binaries" in result.output
    assert "not funded: its minimum grant (40) would return less than the same money elsewhere" in result.output


def test_highs_banner_does_not_reach_json_output(tmp_path):
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "mcda", "allocate", str(UZ_PATH), "--solver", "highs", "--format",
                          "json"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["solver"].startswith("HiGHS")
