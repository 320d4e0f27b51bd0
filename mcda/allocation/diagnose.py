"""Why budget rules cannot all hold: an elastic model names the conflicting rules and by how much.

Every rule gets a penalised slack; the optimum is the least total change (in budget units)
that makes the rules hold, and the rules with a non-zero dual in that LP form a conflicting
set (a Farkas certificate): those are named, with a change that would make them hold.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pulp
from pulp import LpAffineExpression, LpConstraint, LpProblem

from ..errors import AllocationError, InfeasibleError
from ..model import Budget
from .benefit import fmt, tolerance
from .lp import GE, LE, cbc
from .rules import Rules


def diagnose(rules: Rules, total: Optional[float] = None) -> InfeasibleError:
    """Why the rules cannot all hold: an elastic model (every rule gets a penalised slack).

    Its optimum is the least total change (in budget units) that makes the rules
    hold; the rules with a non-zero dual in that LP form a conflicting set (a Farkas
    certificate): those are named.
    """
    r = rules
    total = r.total if total is None else total
    elastic = _Elastic(r, total, None)
    if any(r.binary[r.model]):  # duals need an LP: fix the binaries where the elastic MILP put them
        elastic = _Elastic(r, total, elastic.binaries())
    p, rows = elastic.prob, elastic.rows
    amount = float(sum(row[4].varValue or 0.0 for row in rows))
    tol = tolerance(total) * 10
    conflict = [row for row in rows if abs(p.get_constraint_by_name(row[0]).pi or 0.0) > 1e-9]
    relaxed = [(row, float(row[4].varValue or 0.0)) for row in rows if (row[4].varValue or 0.0) > tol]
    unit = f" {r.budget.unit}" if r.budget.unit else ""
    fixes = _fixes(relaxed, unit)
    return InfeasibleError(
        f"the budget rules cannot all hold: {'; '.join(_describe_rules(conflict, r.budget))} conflict by "
        f"{fmt(amount)}{unit} (the least total change, in budget units, that would make them hold)",
        where=r.where, fix=f"Change one of these rules; for example {' and '.join(fixes)}." if fixes else
        "Change one of these rules.")


class _Elastic:
    """The rules with a penalised slack on each, solved (CBC); ``fixed``: the binaries fixed (an LP).

    ``rows``: (row name, family, target, bound, slack variable) for every rule.
    """

    def __init__(self, rules: Rules, total: float, fixed: Optional[np.ndarray]):
        self.r, self.fixed = rules, fixed
        self.prob = p = LpProblem("elastic", pulp.LpMinimize)
        self.x = [p.add_variable(f"x{j}", 0.0) for j in range(len(rules.model))]
        self.rows, self.slacks, cons = [], [], []
        s = self._slack("budget")
        cons.append(LpConstraint(LpAffineExpression([*((v, 1.0) for v in self.x), (s, -1.0)]), LE, "budget", total))
        self.rows.append(("budget", "budget", "", total, s))
        for j, k in enumerate(rules.model):
            cons += self._binary(j, k) if rules.binary[k] else self._bounds(j, k)
        cons += self._groups()
        for c in cons:
            p.addConstraint(c)
        # Ties broken towards raising the budget: one knob rather than many floors.
        p.setObjective(LpAffineExpression([(s, 1.0 - 1e-7 * (k == 0)) for k, s in enumerate(self.slacks)]))
        p.solve(cbc(msg=False))
        if p.status != pulp.LpStatusOptimal or p.sol_status != pulp.LpSolutionOptimal:  # pragma: no cover
            raise AllocationError("the budget rules cannot all hold, and the diagnosis failed "
                                  f"(status {pulp.LpStatus[p.status]})", where=rules.where)

    def _slack(self, name: str):
        s = self.prob.add_variable(f"s_{name}", 0.0)
        self.slacks.append(s)
        return s

    def _rule(self, name: str, terms, sense, rhs: float, family: str, target: str, bound: float, sign: float):
        s = self._slack(name)
        self.rows.append((name, family, target, bound, s))
        return LpConstraint(LpAffineExpression([*terms, (s, sign)]), sense, name, rhs)

    def _binary(self, j: int, k: int) -> list:
        """A region funded or not (its binary free, or fixed): its cap and minimum grant."""
        r, x = self.r, self.x[j]
        if self.fixed is None:
            z = self.prob.add_variable(f"z{j}", 0, 1, pulp.LpBinary)
            zs, zm, cap, grant = [(z, -float(r.caps[k]))], [(z, -float(r.grants[k]))], 0.0, 0.0
        else:
            on = self.fixed[j] > 0.5
            zs, zm = [], []
            cap, grant = (float(r.caps[k]), float(r.grants[k])) if on else (0.0, 0.0)
        return [self._rule(f"cap{j}", [(x, 1.0), *zs], LE, cap, "cap", r.ids[k], float(r.caps[k]), -1.0),
                self._rule(f"mg{j}", [(x, 1.0), *zm], GE, grant, "grant", r.ids[k], float(r.grants[k]), 1.0)]

    def _bounds(self, j: int, k: int) -> list:
        """A region's cap, and its floor (or a mandatory region's minimum grant)."""
        r, x = self.r, self.x[j]
        out = [self._rule(f"cap{j}", [(x, 1.0)], LE, float(r.caps[k]), "cap", r.ids[k], float(r.caps[k]), -1.0)]
        if r.lower[k] > 0:
            family = "mandatory grant" if r.lower_from_grant[k] else "floor"
            out.append(self._rule(f"lo{j}", [(x, 1.0)], GE, float(r.lower[k]), family, r.ids[k], float(r.lower[k]),
                                  1.0))
        return out

    def _groups(self) -> list:
        out = []
        for g_no, (g, mask) in enumerate(self.r.groups):
            member = mask[self.r.model]
            for kind, share, sense, sign in (("min", g.min_share, GE, 1.0), ("max", g.max_share, LE, -1.0)):
                if (kind == "min" and share <= 0) or (kind == "max" and share >= 1):
                    continue
                terms = [(v, float(c)) for v, c in zip(self.x, np.where(member, 1.0 - share, -share)) if c != 0]
                out.append(self._rule(f"g{g_no}{kind}", terms, sense, 0.0, f"group {kind}", g.name, share, sign))
        return out

    def binaries(self) -> np.ndarray:
        """Where the elastic MILP put each region's binary (1 for a region without one)."""
        found = self.prob.variablesDict()
        return np.array([(found[f"z{j}"].varValue or 0.0) if self.r.binary[k] else 1.0
                         for j, k in enumerate(self.r.model)])


VERBS = {"budget": "raise budget.total", "cap": "raise the cap of", "floor": "lower the floor of",
         "mandatory grant": "lower the minimum grant of", "grant": "lower the minimum grant of",
         "group min": "lower the min_share of group", "group max": "raise the max_share of group"}


def _fixes(relaxed, unit: str) -> list[str]:
    """The changes the elastic optimum made, as advice ("lower floors of 4 regions by 120 in all (...)")."""
    families: dict[str, list] = {}
    for (name, family, target, bound, _), s in relaxed:
        families.setdefault(family, []).append((target, s))
    fixes = []
    for family, items in families.items():
        if family == "budget":
            fixes.append(f"raise budget.total by {fmt(items[0][1])}")
        elif family.startswith("group"):
            side = "short of" if family == "group min" else "over"
            fixes += [f"{VERBS[family]} {t} (its members are {fmt(s)}{unit} {side} it)" for t, s in items]
        elif len(items) == 1:
            fixes.append(f"{VERBS[family]} {items[0][0]} by {fmt(items[0][1])}")
        else:
            listed = ", ".join(f"{t} by {fmt(s)}" for t, s in items[:4]) + (", ..." if len(items) > 4 else "")
            fixes.append(f"{VERBS[family].replace(' of', 's of').replace('the ', '')} {len(items)} regions by "
                         f"{fmt(sum(s for _, s in items))} in all ({listed})")
    return fixes


def _describe_rules(rows, budget: Budget) -> list[str]:
    """Name conflicting rules, grouping many floors or caps into one phrase."""
    out = []
    by = {}
    for name, family, target, bound, _ in rows:
        by.setdefault(family, []).append((target, bound))
    labels = {"floor": ("floor of {}", "floors of {} regions"), "cap": ("cap of {}", "caps of {} regions"),
              "mandatory grant": ("minimum grant of {} (which must be funded)",
                                  "minimum grants of {} regions that must be funded"),
              "grant": ("minimum grant of {}", "minimum grants of {} regions")}
    for family in ("budget", "floor", "mandatory grant", "grant", "cap", "group min", "group max"):
        items = by.get(family, [])
        if not items:
            continue
        if family == "budget":
            out.append(f"budget.total = {fmt(items[0][1])}")
        elif family.startswith("group"):
            for target, share in items:
                out.append(f"group {target} {family.split()[1]}_share = {share:g}")
        elif len(items) <= 3:
            out.extend(f"{labels[family][0].format(t)} ({fmt(v)})" for t, v in items)
        else:
            vals = [v for _, v in items]
            each = f"{fmt(vals[0])} each" if max(vals) == min(vals) else f"{fmt(min(vals))} to {fmt(max(vals))}"
            names = ", ".join(t for t, _ in items[:3])
            out.append(f"{labels[family][1].format(len(items))} ({names}, ...; {each}, {fmt(sum(vals))} in all)")
    return out
