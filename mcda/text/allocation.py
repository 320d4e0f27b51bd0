"""Allocation and budget sweep -> text tables, CSV and JSON (the shapes README documents).

The words (why each amount, funded or held at the floor, the logic of the split) come from
:mod:`mcda.text.split`; with the case, data columns are named by what they measure.
"""
from __future__ import annotations

import math

import numpy as np

from ..inputs.budget import budget_table
from ..model import Allocation, Case, Sweep
from ..vocabulary import rank_value, rules_text
from .split import amount_words, column_names, decimals, funded_words, funding_status, reason_words, split_logic
from .tables import csv_text, json_float, text_table


def _amount(x: float) -> str:
    return f"{x:,.2f}"


def _order(a: Allocation) -> list[int]:
    """Regions best first (unranked last)."""
    return sorted(range(len(a.ids)), key=lambda k: (math.isnan(a.ranks[k]), a.ranks[k] if not math.isnan(a.ranks[k])
                                                    else 0, a.ids[k]))


# --------------------------------------------------------------------------- one allocation


def allocation_json(a: Allocation, case: Case | None = None) -> dict:
    """The allocation as JSON; per region also what the rules guarantee it, whether it is funded (more than
    that, as SMAA counts it) and why it got its amount in words (``case`` names the data columns)."""
    why, status, funded, guaranteed = reason_words(a, case), funding_status(a), a.funded, a.guaranteed
    return {
        "case": a.case_title,
        "budget": a.total, "unit": a.budget.unit, "note": a.budget.note,
        "used": a.used, "status": a.status, "solver": a.solver, "kind": a.kind,
        "objective": a.objective, "marginal_value": a.marginal_value,
        "gap": a.gap, "gap_note": a.gap_note, "dual_note": a.dual_note, "value_note": a.value_note,
        "rules": budget_table(a.budget), "funded_rule": funded_words(a), "tolerance": a.tolerance,
        "split": split_logic(a, case),
        "allocation": [{"id": a.ids[k], "name": a.names[k], "score": json_float(a.scores[k]),
                        "rank": rank_value(a.ranks[k]),
                        "amount": float(a.amounts[k]), "share": float(a.shares[k]), "floor": float(a.floors[k]),
                        "cap": float(a.caps[k]), "min_grant": float(a.min_grants[k]),
                        "benefit_weight": float(a.values[k]), "next_return": float(a.next_return[k]),
                        "reason": a.reasons[k], "guaranteed": float(guaranteed[k]), "funded": bool(funded[k]),
                        "funding": status[k], "why": why[k]} for k in _order(a)],
        "shadow_prices": [{"rule": p.rule, "kind": p.kind, "target": p.target, "value": p.value, "per": p.per}
                          for p in a.shadow_prices],
        "comparison": [{"name": c.name, "objective": c.objective, "ratio": json_float(c.ratio),
                        "violations": list(c.violations),
                        "allocation": {i: float(x) for i, x in zip(a.ids, c.amounts)}} for c in a.comparison],
        "warnings": list(a.warnings),
    }


def allocation_csv(a: Allocation, case: Case | None = None) -> str:
    why, funded, guaranteed = reason_words(a, case), a.funded, a.guaranteed
    rows = [[rank_value(a.ranks[k]) if not math.isnan(a.ranks[k]) else "", a.ids[k], a.names[k],
             "" if math.isnan(a.scores[k]) else repr(float(a.scores[k])), repr(float(a.amounts[k])),
             repr(float(a.shares[k])), repr(float(a.floors[k])), repr(float(a.caps[k])),
             repr(float(a.min_grants[k])), repr(float(a.next_return[k])), a.reasons[k],
             repr(float(guaranteed[k])), "true" if funded[k] else "false", why[k]] for k in _order(a)]
    return csv_text(["rank", "id", "name", "score", "amount", "share", "floor", "cap", "min_grant", "next_return",
                     "reason", "guaranteed", "funded", "why"], rows)


def allocation_text(a: Allocation, case: Case | None = None) -> str:
    """The table ``mcda allocate`` prints: per region the amount and whether it is funded, then why each got
    its amount in words, the logic of the split, totals, duals and simpler splits."""
    unit = a.budget.unit or "units"
    d = decimals(a.total)
    out = [f"{a.case_title}: budget allocation", *rules_text(a.budget, column_names(case, a) if case else None),
           f"Benefit weights: {a.value_note}", ""]
    status, why = funding_status(a), reason_words(a, case)
    rows = []
    for k in _order(a):
        rows.append([rank_value(a.ranks[k]) if not math.isnan(a.ranks[k]) else "-", a.ids[k], a.names[k],
                     "-" if math.isnan(a.scores[k]) else f"{a.scores[k]:.4f}", f"{a.amounts[k]:,.{d}f}",
                     f"{a.shares[k]:.1%}", f"{a.floors[k]:,.{d}f}", f"{a.caps[k]:,.{d}f}",
                     f"{a.next_return[k]:.4f}", status[k]])
    heads = ["rank", "region", "name", "score", f"amount ({unit})", "share", "floor", "cap", "next return",
             "funded"]
    if a.min_grants.any():
        for row, k in zip(rows, _order(a)):
            row.insert(8, f"{a.min_grants[k]:,.{d}f}")
        heads.insert(8, "min grant")
    out.append(text_table(heads, rows, align="r<<rrrrrrr<" if a.min_grants.any() else "r<<rrrrrr<"))
    out += ["", "Why each amount:", *(f"  {a.names[k]} ({a.amounts[k]:,.{d}f}): {why[k]}" for k in _order(a)),
            "", f"The split: {split_logic(a, case)}", funded_words(a)]
    out += ["", (f"Total: {amount_words(a.used, a.total)} of {amount_words(a.total, a.total)} {unit} allocated; "
                 f"total benefit {a.objective:.4f} (sum of score x response)"),
            f"Solver: {a.solver}; status {a.status}; {a.kind}"
            + (f", gap {a.gap:.2g} ({a.gap_note})" if a.gap is not None else ""),
            f"Marginal value: one more {unit} of budget adds {a.marginal_value:.6f} benefit",
            f"Duals: {a.dual_note}"]
    if a.shadow_prices:
        out += ["", ("Shadow prices (benefit gained per unit the binding rule is loosened; the price of fairness "
                     "for floors and group shares):"),
                text_table(["rule", "price", "per"], [[p.rule, f"{p.value:.6f}", p.per] for p in a.shadow_prices],
                           align="<r<")]
    if a.comparison:
        out += ["", "What optimisation buys (each allocation's benefit under the same model):",
                text_table(["allocation", "benefit", "vs optimum", "rules broken"],
                           [[c.name, f"{c.objective:.4f}", f"{c.ratio:.1%}" if not math.isnan(c.ratio) else "-",
                             "; ".join(c.violations) or "none"] for c in a.comparison], align="<rr<")]
    out += ["", "Warnings:", *(f"  - {w}" for w in a.warnings)] if a.warnings else ["", "Warnings: none"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- sweep


def sweep_json(s: Sweep) -> dict:
    return {
        "base_budget": s.base, "unit": s.unit, "kind": s.kind, "solver": s.solver,
        "sweep": [{"budget": p.budget, "multiple": m, "status": p.status, "objective": p.objective,
                   "marginal_value": p.marginal_value,
                   "allocation": None if p.amounts is None else {i: float(x) for i, x in zip(s.ids, p.amounts)}}
                  for m, p in zip(s.multiples, s.points)],
        "regions": [{"id": i, "name": n, "enters_at": json_float(e), "cap_reached_at": json_float(f)}
                    for i, n, e, f in zip(s.ids, s.names, s.entry, s.full)],
    }


def sweep_csv(s: Sweep) -> str:
    rows = []
    for m, p in zip(s.multiples, s.points):
        cells = [repr(p.budget), repr(m), p.status.split(":")[0], "" if p.objective is None else repr(p.objective),
                 "" if p.marginal_value is None else repr(p.marginal_value)]
        cells += [""] * len(s.ids) if p.amounts is None else [repr(float(x)) for x in p.amounts]
        rows.append(cells)
    return csv_text(["budget", "multiple", "status", "objective", "marginal_value", *s.ids], rows)


def sweep_text(s: Sweep, title: str) -> str:
    unit = s.unit or "units"
    out = [f"{title}: budget sweep ({s.kind}; {s.solver}; caps and floors held at the case's values)", "",
           "Efficient frontier:"]
    rows = []
    for m, p in zip(s.multiples, s.points):
        if p.amounts is None:
            rows.append([f"{m:g}", _amount(p.budget), "-", "-", "-", p.status])
        else:
            rows.append([f"{m:g}", _amount(p.budget), _amount(float(np.sum(p.amounts))), f"{p.objective:.4f}",
                         f"{p.marginal_value:.6f}", "optimal"])
    out.append(text_table(["x budget", f"budget ({unit})", "used", "benefit", "marginal value", "status"], rows,
                          align="rrrrr<"))
    out += ["", "When each region is funded and reaches its cap (first budget of the sweep; '-' not within it):"]
    order = sorted(range(len(s.ids)), key=lambda k: (math.isnan(s.entry[k]), s.entry[k] if not math.isnan(s.entry[k])
                                                     else 0, s.ids[k]))
    out.append(text_table(["region", "name", "funded from", "at cap from"],
                          [[s.ids[k], s.names[k], "-" if math.isnan(s.entry[k]) else _amount(s.entry[k]),
                            "-" if math.isnan(s.full[k]) else _amount(s.full[k])] for k in order], align="<<rr"))
    bad = [p for p in s.points if p.amounts is None]
    if bad:
        out += ["", "Budgets at which the rules cannot hold:", *(f"  {_amount(p.budget)}: {p.status}" for p in bad)]
    return "\n".join(out) + "\n"
