"""The efficient frontier: the optimum over a range of budgets, caps and floors held at the case's.

>>> from pathlib import Path
>>> from mcda.inputs.load import load
>>> from mcda.ranking.score import rank
>>> from mcda.weighting.weights import weights
>>> case = load(Path(__file__).parents[2] / "cases" / "uzbekistan-regions")
>>> s = sweep(case, (0.5, 1.0), rank(case, weights(case.weighting)))
>>> [p.status for p in s.points]
['optimal', 'optimal']
"""
from __future__ import annotations

import dataclasses
from typing import Optional, Sequence

import numpy as np

from ..errors import InfeasibleError
from ..model import Case, Ranking, Sweep, SweepPoint, frozen_array
from .benefit import benefit, tolerance
from .diagnose import diagnose
from .lp import Infeasible, Model, chosen_solver, solver_label
from .rules import prepare
from .solve import solve_rules


def sweep(case: Case, multiples: Sequence[float], ranking: Ranking, solver: Optional[str] = None) -> Sweep:
    """The optimum at ``multiples`` x the case's budget, caps and floors held at the case's values."""
    base = prepare(case, ranking)
    if solver:
        base = dataclasses.replace(base, budget=dataclasses.replace(base.budget, solver=solver))
    points = []
    model = None
    for m in multiples:
        r = dataclasses.replace(base, total=base.total * m)
        try:
            if base.is_mip:
                lp, _ = solve_rules(r)
            else:
                model = model or Model(r)
                model.set_total(r.total)
                try:
                    model.solve()
                except Infeasible:
                    raise diagnose(r) from None
                lp = model
        except InfeasibleError as e:
            points.append(SweepPoint(r.total, f"infeasible: {e.what}", None, None, None))
            continue
        x = np.zeros(len(r.ids))
        x[lp.idx] = lp.amounts()
        points.append(SweepPoint(r.total, "optimal", benefit(x, r), max(0.0, lp.dual("budget")), frozen_array(x)))
    tol = tolerance(base.total) * 10
    entry, full = np.full(len(base.ids), np.nan), np.full(len(base.ids), np.nan)
    for p in points:
        if p.amounts is None:
            continue
        new = np.isnan(entry) & (p.amounts > tol)
        entry[new] = p.budget
        new = np.isnan(full) & (p.amounts >= base.caps - tol) & (base.caps > 0)
        full[new] = p.budget
    return Sweep(ids=base.ids, names=base.names, base=base.total, multiples=tuple(multiples), points=tuple(points),
                 entry=frozen_array(entry), full=frozen_array(full), unit=base.budget.unit,
                 kind="MILP" if base.is_mip else "LP",
                 solver=solver_label(chosen_solver(base, solver or base.budget.solver)))
