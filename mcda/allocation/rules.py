"""A case's budget rules and a ranking -> the numeric problem: every region's floor, cap,
minimum grant, benefit weight and whether the LP decides about it.

>>> import numpy as np
>>> from mcda.model import Budget, Table
>>> t = Table("t.csv", ("a", "b"), ("A", "B"), ("pop",), ((1000.0,), (3000.0,)))
>>> floors, caps, grants = limits(Budget(total=100, floor=5, cap_rate=0.01, cap_rate_column="pop"), t)
>>> floors.tolist(), caps.tolist(), grants.tolist()
([5.0, 5.0], [10.0, 30.0], [0.0, 0.0])
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..errors import AllocationError, CaseError
from ..model import Budget, Case, GroupShare, Ranking, Table
from .benefit import benefit_values


def limits(budget: Budget, table: Table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each region's floor, cap and minimum grant (in ``table.ids`` order), from the rules and columns.

    An empty cell in ``floor_column``, ``cap_column`` or ``min_grant_column`` means "use the
    default"; ``cap_rate_column`` is filled for every region (mcda.inputs.budget.check_budget).
    """
    n = len(table.ids)
    floors = np.full(n, float(budget.floor))
    if budget.floor_column:
        v = table.column(budget.floor_column)
        floors = np.where(np.isnan(v), floors, v)
    caps = np.full(n, budget.cap if budget.cap is not None else np.inf)
    if budget.cap_rate_column:
        caps = np.minimum(caps, budget.cap_rate * table.column(budget.cap_rate_column))
    caps = np.where(np.isinf(caps), budget.total, caps)
    if budget.cap_column:
        v = table.column(budget.cap_column)
        caps = np.where(np.isnan(v), caps, v)
    grants = np.full(n, float(budget.min_grant))
    if budget.min_grant_column:
        v = table.column(budget.min_grant_column)
        grants = np.where(np.isnan(v), grants, v)
    return floors, caps, grants


@dataclass(frozen=True)
class Rules:
    """The numeric problem: every region of the case, in the case's order.

    ``model`` holds the indices of the regions the LP decides about (ranked, not
    excluded, able to receive their minimum grant); ``lower`` is each region's forced
    lower bound (its floor, or its minimum grant when it must be funded).
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    scores: np.ndarray
    ranks: np.ndarray
    values: np.ndarray
    floors: np.ndarray
    caps: np.ndarray
    grants: np.ndarray
    lower: np.ndarray
    lower_from_grant: np.ndarray  # bool: the lower bound is a (mandatory) minimum grant
    binary: np.ndarray  # bool: 0 or at least its minimum grant
    model: np.ndarray  # int indices
    state: tuple[str, ...]  # "" or why a region is out of the model
    groups: tuple[tuple[GroupShare, np.ndarray], ...]  # (group, bool mask)
    budget: Budget
    total: float
    where: str
    value_note: str
    warnings: tuple[str, ...]

    @property
    def is_mip(self) -> bool:
        return bool(self.binary[self.model].any())


def prepare(case: Case, ranking: Ranking, total: Optional[float] = None) -> Rules:
    """The case's budget rules as arrays; ``total`` overrides the budget (caps keep the case's).

    The rules were checked against the data (mcda.inputs.budget.check_budget; the pipeline
    does it before every allocation).
    """
    b = case.budget
    where = f"{case.path}: budget"
    if b is None:
        raise CaseError("this case has no budget rules", where=case.path,
                        fix="Add a [budget] table (see README, 'Budget rules'), or try --set budget.total=<amount>.")
    t = case.data
    n = len(t.ids)
    floors, caps, grants = limits(b, t)
    pos = {r: k for k, r in enumerate(ranking.ids)}
    scores, ranks = np.full(n, np.nan), np.full(n, np.nan)
    ranked = np.array([r in pos for r in t.ids])
    order = [pos[r] for r in t.ids if r in pos]
    scores[ranked] = ranking.scores[order]
    ranks[ranked] = ranking.ranks[order]
    values = np.zeros(n)
    v, note = benefit_values(scores[ranked], ranking.method.name)
    values[ranked] = v
    state = ["" if ranked[k] else "not ranked" for k in range(n)]
    warnings = []
    if not ranked.all():
        warnings.append("not ranked (missing data), so given nothing: "
                        + ", ".join(t.ids[k] for k in np.flatnonzero(~ranked)))
    row = {r: k for k, r in enumerate(t.ids)}
    for r in b.excluded:
        state[row[r]] = "excluded"
    chosen = set(b.mandatory)
    mandatory = np.array([r in chosen for r in t.ids])
    for k in np.flatnonzero(mandatory):
        if not ranked[k]:
            raise AllocationError(f"mandatory region {t.ids[k]} was not ranked (missing data)",
                                  where=f"{where}.mandatory",
                                  fix="Fill in its data, choose a missing-value policy that keeps it, or drop it "
                                      "from mandatory.")
        if floors[k] <= 0 and grants[k] <= 0:
            raise CaseError(f"mandatory region {t.ids[k]} has neither a floor nor a minimum grant, so 'funded' "
                            "names no amount", where=f"{where}.mandatory",
                            fix="Give it a floor or a minimum grant (min_grant, or its min_grant_column cell).")
    inside = np.array([s == "" for s in state])
    forced = inside & ((floors > 0) | mandatory)
    lower = np.where(forced, np.maximum(floors, np.where(grants > 0, grants, 0.0)), 0.0)
    lower_from_grant = forced & (grants > floors)
    binary = inside & ~forced & (grants > 0)
    for k in np.flatnonzero(binary & (grants > caps)):
        state[k] = "cap below minimum grant"
        warnings.append(f"{t.ids[k]}'s cap ({caps[k]:g}) is below its minimum grant ({grants[k]:g}): it cannot be "
                        "funded")
    binary &= grants <= caps
    model = np.array([k for k in range(n) if state[k] == ""], dtype=int)
    groups = tuple((g, np.array([r in members for r in t.ids], dtype=bool))
                   for g in b.groups for members in [set(g.regions)])
    return Rules(ids=t.ids, names=t.names, scores=scores, ranks=ranks, values=values, floors=floors, caps=caps,
                 grants=grants, lower=lower, lower_from_grant=lower_from_grant, binary=binary, model=model,
                 state=tuple(state), groups=groups, budget=b, total=float(b.total if total is None else total),
                 where=where, value_note=note, warnings=tuple(warnings))
