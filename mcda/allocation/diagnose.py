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
    idx = r.model
    b = r.budget
    unit = f" {b.unit}" if b.unit else ""

    def solve(fixed):
        p = LpProblem("elastic", pulp.LpMinimize)
        x = [p.add_variable(f"x{j}", 0.0) for j in range(len(idx))]
        rows = []  # (row name, family, target, bound, slack var)
        slacks = []

        def slack(name):
            s = p.add_variable(f"s_{name}", 0.0)
            slacks.append(s)
            return s

        cons = []
        s = slack("budget")
        cons.append(LpConstraint(LpAffineExpression([*((v, 1.0) for v in x), (s, -1.0)]), LE, "budget", total))
        rows.append(("budget", "budget", "", total, s))
        for j, k in enumerate(idx):
            if r.binary[k] and fixed is None:
                z = p.add_variable(f"z{j}", 0, 1, pulp.LpBinary)
                zs = [(z, -float(r.caps[k]))]
                zm = [(z, -float(r.grants[k]))]
            elif r.binary[k]:
                on = fixed[j] > 0.5
                zs, zm = [], []
                cap = float(r.caps[k]) if on else 0.0
                grant = float(r.grants[k]) if on else 0.0
            if r.binary[k]:
                s = slack(f"cap{j}")
                cap_rhs = 0.0 if fixed is None else cap
                cons.append(LpConstraint(LpAffineExpression([(x[j], 1.0), *zs, (s, -1.0)]), LE, f"cap{j}", cap_rhs))
                rows.append((f"cap{j}", "cap", r.ids[k], float(r.caps[k]), s))
                s = slack(f"mg{j}")
                mg_rhs = 0.0 if fixed is None else grant
                cons.append(LpConstraint(LpAffineExpression([(x[j], 1.0), *zm, (s, 1.0)]), GE, f"mg{j}", mg_rhs))
                rows.append((f"mg{j}", "grant", r.ids[k], float(r.grants[k]), s))
                continue
            s = slack(f"cap{j}")
            cons.append(LpConstraint(LpAffineExpression([(x[j], 1.0), (s, -1.0)]), LE, f"cap{j}", float(r.caps[k])))
            rows.append((f"cap{j}", "cap", r.ids[k], float(r.caps[k]), s))
            if r.lower[k] > 0:
                s = slack(f"lo{j}")
                cons.append(LpConstraint(LpAffineExpression([(x[j], 1.0), (s, 1.0)]), GE, f"lo{j}", float(r.lower[k])))
                rows.append((f"lo{j}", "mandatory grant" if r.lower_from_grant[k] else "floor", r.ids[k],
                             float(r.lower[k]), s))
        for g_no, (g, mask) in enumerate(r.groups):
            member = mask[idx]
            for kind, share, sense, sign in (("min", g.min_share, GE, 1.0), ("max", g.max_share, LE, -1.0)):
                if (kind == "min" and share <= 0) or (kind == "max" and share >= 1):
                    continue
                s = slack(f"g{g_no}{kind}")
                terms = [(v, float(c)) for v, c in zip(x, np.where(member, 1.0 - share, -share)) if c != 0]
                cons.append(LpConstraint(LpAffineExpression([*terms, (s, sign)]), sense, f"g{g_no}{kind}", 0.0))
                rows.append((f"g{g_no}{kind}", f"group {kind}", g.name, share, s))
        for c in cons:
            p.addConstraint(c)
        # Ties broken towards raising the budget: one knob rather than many floors.
        p.setObjective(LpAffineExpression([(s, 1.0 - 1e-7 * (k == 0)) for k, s in enumerate(slacks)]))
        p.solve(cbc(msg=False))
        if p.status != pulp.LpStatusOptimal or p.sol_status != pulp.LpSolutionOptimal:  # pragma: no cover
            raise AllocationError("the budget rules cannot all hold, and the diagnosis failed "
                                  f"(status {pulp.LpStatus[p.status]})", where=r.where)
        if fixed is not None:
            return p, rows, fixed
        found = p.variablesDict()
        zvals = np.array([(found[f"z{j}"].varValue or 0.0) if r.binary[k] else 1.0 for j, k in enumerate(idx)])
        return p, rows, zvals

    p, rows, zvals = solve(None)
    if any(r.binary[idx]):  # duals need an LP: fix the binaries where the elastic MILP put them
        p, rows, _ = solve(zvals)
    amount = float(sum(row[4].varValue or 0.0 for row in rows))
    tol = tolerance(total) * 10
    conflict = [row for row in rows if abs(p.get_constraint_by_name(row[0]).pi or 0.0) > 1e-9]
    relaxed = [(row, float(row[4].varValue or 0.0)) for row in rows if (row[4].varValue or 0.0) > tol]
    parts = _describe_rules(conflict, b)
    verbs = {"budget": "raise budget.total", "cap": "raise the cap of", "floor": "lower the floor of",
             "mandatory grant": "lower the minimum grant of", "grant": "lower the minimum grant of",
             "group min": "lower the min_share of group", "group max": "raise the max_share of group"}
    families: dict[str, list] = {}
    for (name, family, target, bound, _), s in relaxed:
        families.setdefault(family, []).append((target, s))
    fixes = []
    for family, items in families.items():
        if family == "budget":
            fixes.append(f"raise budget.total by {fmt(items[0][1])}")
        elif family.startswith("group"):
            side = "short of" if family == "group min" else "over"
            fixes += [f"{verbs[family]} {t} (its members are {fmt(s)}{unit} {side} it)" for t, s in items]
        elif len(items) == 1:
            fixes.append(f"{verbs[family]} {items[0][0]} by {fmt(items[0][1])}")
        else:
            listed = ", ".join(f"{t} by {fmt(s)}" for t, s in items[:4]) + (", ..." if len(items) > 4 else "")
            fixes.append(f"{verbs[family].replace(' of', 's of').replace('the ', '')} {len(items)} regions by "
                         f"{fmt(sum(s for _, s in items))} in all ({listed})")
    return InfeasibleError(
        f"the budget rules cannot all hold: {'; '.join(parts)} conflict by {fmt(amount)}{unit} "
        "(the least total change, in budget units, that would make them hold)",
        where=r.where, fix=f"Change one of these rules; for example {' and '.join(fixes)}." if fixes else
        "Change one of these rules.")


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
