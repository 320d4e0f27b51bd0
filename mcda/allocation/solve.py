"""Ranking + budget rules -> Allocation: the optimum of the linear programme, and its working.

The model (README "Budget rules" gives the case keys):

- Region i's grant x_i is split into K segments y_ik of equal width cap_i / K; the
  k-th returns v_i * decay**k per unit, where v_i is the region's score turned into a
  non-negative benefit weight (see :func:`benefit_values`). The benefit is concave in
  x_i, so maximising it fills segments in order and the model stays linear: its duals
  mean something (Phillips & Bana e Costa 2007, value-for-money ordering).
- sum x_i <= total; floor_i <= x_i <= cap_i; each group's members receive between
  min_share and max_share of the amount allocated (sum x); with a minimum grant m_i
  a binary z_i gives x_i = 0 or m_i <= x_i <= cap_i (then a MILP); mandatory regions
  have z_i = 1, excluded ones x_i = 0.

Every solve's status is checked: infeasible rules are diagnosed (an elastic model
names the conflicting rules and by how much they conflict), a MILP stopped at its
time limit is an error, never a result. Duals are normalised to "benefit gained per
unit the rule is loosened" (CBC reports d objective / d rhs, HiGHS through pulp the
opposite); for a MILP they come from the LP with the binaries fixed at the optimum.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.ranking.score import rank
>>> from mcda.weighting.weights import weights
>>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
>>> a = allocate(case, rank(case, weights(case.weighting)))
>>> a.status, a.kind, round(a.used, 6) == a.total
('optimal', 'LP', True)
"""
from __future__ import annotations

import dataclasses
import math
from typing import Optional, Sequence

import numpy as np

from ..errors import AllocationError
from ..model import Allocation, Case, Comparison, Ranking, ShadowPrice, frozen_array
from .benefit import benefit, fmt, tolerance, violations
from .diagnose import diagnose
from .lp import Infeasible, Model, solver_label
from .reasons import reasons
from .rules import Rules, prepare


def solve_rules(r: Rules):
    """Solve; for a MILP also the LP with the binaries fixed (duals) and the gap. Returns (lp model, info)."""
    model = Model(r)
    try:
        model.solve()
    except Infeasible:
        raise diagnose(r) from None
    info = {"kind": "MILP" if model.is_mip else "LP", "gap": None, "gap_note": "",
            "dual_note": "LP duals of the optimum", "algorithm": getattr(model, "algorithm", "")}
    if not model.is_mip:
        return model, info
    z = np.zeros(len(r.ids))
    for j, on in model.funded().items():
        z[model.idx[j]] = 1.0 if on else 0.0
    objective = model.objective()
    if model.solver_name == "highs":
        info["gap"] = model.mip_gap()
        info["gap_note"] = (f"proven optimal: the relative MILP gap reported by HiGHS, within budget.mip_gap = "
                            f"{r.budget.mip_gap:g}")
    else:
        relaxed = Model(r, relax=True)
        relaxed.solve()
        bound = relaxed.objective()
        to_relaxation = max(0.0, (bound - objective) / max(abs(objective), 1e-12))
        info["gap"] = min(to_relaxation, r.budget.mip_gap)
        info["gap_note"] = (f"proven optimal: at most budget.mip_gap = {r.budget.mip_gap:g}, the gap below which "
                            f"CBC stops and calls a MILP optimal (CBC reports no bound through PuLP); the gap to the "
                            f"LP relaxation is {to_relaxation:.2g}")
    fixed = Model(r, fixed=z)
    fixed.solve()
    if abs(fixed.objective() - objective) > 1e-6 * max(1.0, abs(objective)):  # pragma: no cover
        raise AllocationError("the LP with the binaries fixed does not reproduce the MILP optimum "
                              f"({fixed.objective():.9g} vs {objective:.9g}); this is a bug", where=r.where)
    info["dual_note"] = ("MILP: the duals are those of the LP with the binaries (funded or not) fixed at the "
                         "optimum; they hold while the set of funded regions stays the same")
    return fixed, info


def allocate(case: Case, ranking: Ranking, solver: Optional[str] = None) -> Allocation:
    """Split the case's budget between its regions by their scores; see the module docstring for the model.

    Parameters
    ----------
    case : Case
        With budget rules (``case.budget``), checked against its data
        (mcda.inputs.budget.check_budget; mcda.pipeline.allocate does both).
    ranking : Ranking
        Scores to allocate by.
    solver : {"auto", "cbc", "highs"}, optional
        Instead of the case's ``budget.solver``.
    """
    r = prepare(case, ranking)
    if solver:
        r = dataclasses.replace(r, budget=dataclasses.replace(r.budget, solver=solver))
    return allocate_rules(r, title=case.title, warnings=ranking.warnings)


def allocate_rules(r: Rules, title: str = "", warnings: Sequence[str] = ()) -> Allocation:
    """The optimum for prepared rules (``prepare``, or built directly, e.g. in tests)."""
    model, info = solve_rules(r)
    n = len(r.ids)
    x = np.zeros(n)
    x[model.idx] = model.amounts()
    objective = benefit(x, r)
    used = float(x.sum())
    lam = max(0.0, model.dual("budget"))
    # Next unit's return: the segment the next unit falls in (0 at the cap).
    K = r.budget.segments
    width = np.where(r.caps > 0, r.caps / K, 1.0)
    seg = np.floor(x / width + 1e-9).astype(int)
    next_return = np.where((seg < K) & (r.caps > 0), r.values * r.budget.decay ** np.minimum(seg, K - 1), 0.0)
    next_return[[s != "" for s in r.state]] = 0.0
    unit = r.budget.unit or "unit"
    prices = []
    tol = 1e-9
    if lam > tol:
        prices.append(ShadowPrice("budget.total", "budget", "", lam, f"{unit} of budget"))
    for j, name in model.lower_rows.items():
        k = int(model.idx[j])
        value = -model.dual(name)
        if value > tol:
            grant = r.lower_from_grant[k] or (r.binary[k] and r.lower[k] == 0)
            prices.append(ShadowPrice(f"{'minimum grant' if grant else 'floor'} of {r.ids[k]}",
                                      "min_grant" if grant else "floor", r.ids[k], value, f"{unit} lowered"))
    binding_groups = []
    for name, g, kind, share in model.group_rows:
        mu = model.dual(name)
        value = (-mu if kind == "min" else mu) * used / 100.0
        if value > tol:
            prices.append(ShadowPrice(f"group {g.name} {kind}_share", f"group_{kind}", g.name, value,
                                      "percentage point loosened"))
            binding_groups.append((g, next(mask for gg, mask in r.groups if gg is g)))
    why = reasons(r, x, binding_groups)
    warnings = [*warnings, *r.warnings]
    if used < r.total - tolerance(r.total) * 10:
        warnings.append(f"{fmt(r.total - used)} of the budget is left: every region that can still gain is at "
                        "its cap (raise caps to use it)")
    compared = comparison(r, x, objective)
    b = r.budget
    return Allocation(
        case_title=title, budget=b, ids=r.ids, names=r.names, scores=frozen_array(r.scores),
        ranks=frozen_array(r.ranks), values=frozen_array(r.values), amounts=frozen_array(x),
        shares=frozen_array(x / used if used > 0 else x * 0), floors=frozen_array(r.floors),
        caps=frozen_array(r.caps), min_grants=frozen_array(r.grants), next_return=frozen_array(next_return),
        reasons=why, total=r.total, used=used, objective=objective, marginal_value=lam, status="optimal",
        solver=solver_label(model.solver_name, info["algorithm"]), kind=info["kind"], gap=info["gap"],
        gap_note=info["gap_note"],
        shadow_prices=tuple(prices), dual_note=info["dual_note"], comparison=compared, value_note=r.value_note,
        warnings=tuple(warnings))


def comparison(r: Rules, x: np.ndarray, objective: float) -> tuple[Comparison, ...]:
    inside = np.array([s in ("", "cap below minimum grant") for s in r.state])
    rows = [Comparison("optimised", frozen_array(x), objective, 1.0, violations(x, r, r.total))]
    n = int(inside.sum())
    if n:
        v = np.where(inside, r.values, 0.0)
        prop = r.total * v / v.sum() if v.sum() > 0 else np.where(inside, r.total / n, 0.0)
        equal = np.where(inside, r.total / n, 0.0)
        for name, amounts in (("proportional to score", prop), ("equal shares", equal)):
            obj = benefit(amounts, r)
            rows.append(Comparison(name, frozen_array(amounts), obj, obj / objective if objective > 0 else math.nan,
                                   violations(amounts, r, r.total)))
    return tuple(rows)
