"""The benefit model: scores -> benefit weights, the benefit of any allocation, the rules it breaks.

Region i's grant x_i is split into K segments of equal width cap_i / K; the k-th returns
v_i * decay**k per unit, where v_i is the region's score turned into a non-negative benefit
weight (:func:`benefit_values`). The benefit is concave in x_i, so maximising it fills
segments in order and the model stays linear (Phillips & Bana e Costa 2007).
"""
from __future__ import annotations

import numpy as np

from ..errors import AllocationError
from ..vocabulary import METHODS


def tolerance(scale: float) -> float:
    """The solvers' feasibility tolerance at this scale of amounts."""
    return 1e-7 * max(1.0, abs(scale))


def fmt(x: float) -> str:
    """An amount in a message: 6 significant digits, thousands separated."""
    return f"{x:,.6g}"


VALUE_RULES = {
    "vikor": ("1 - Q (VIKOR's Q is in [0, 1], lower is better)", lambda s: 1.0 - s),
    "promethee2": ("(net flow + 1) / 2 (PROMETHEE II's net flow is in [-1, 1])", lambda s: (s + 1.0) / 2.0),
}


def benefit_values(scores: np.ndarray, method: str) -> tuple[np.ndarray, str]:
    """A method's scores as non-negative benefit weights (higher is better) and how they were made.

    >>> benefit_values(np.array([0.2, 0.9]), "vikor")[0]
    array([0.8, 0.1])
    """
    scores = np.asarray(scores, dtype=float)
    if method in VALUE_RULES:
        note, f = VALUE_RULES[method]
        values = f(scores)
    else:
        note, values = f"the {METHODS.get(method, {}).get('label', method)} score itself", scores.copy()
    if np.any(values < -1e-12) or not np.all(np.isfinite(values)):
        raise AllocationError(f"the {method} scores give negative benefit weights (lowest {values.min():g})",
                              where="method", fix="Allocate with a method whose scores are non-negative (topsis, "
                                                  "wsm, copras, waspas).")
    return np.clip(values, 0.0, None), note


def benefit(amounts: np.ndarray, rules) -> float:
    """Total benefit of any allocation under the model (amounts above a cap earn nothing)."""
    r = rules
    K = r.budget.segments
    width = r.caps / K
    total = 0.0
    for k in range(K):
        piece = np.clip(amounts - k * width, 0.0, width)
        total += float(np.sum(r.values * r.budget.decay ** k * piece))
    return total


def violations(amounts: np.ndarray, rules, total: float) -> tuple[str, ...]:
    """The rules an allocation breaks, in words."""
    r = rules
    tol = tolerance(total) * 10
    out = []
    if amounts.sum() > total + tol:
        out.append(f"spends {fmt(amounts.sum())}, more than the budget")
    inside = np.array([s == "" for s in r.state])
    for label, bad in (("above its cap", amounts > r.caps + tol),
                       ("below its floor", inside & (amounts < r.floors - tol)),
                       ("below its minimum grant", inside & (amounts > tol) & (amounts < r.grants - tol)),
                       ("given money though out of the model", ~inside & (amounts > tol))):
        if bad.any():
            ids = [r.ids[k] for k in np.flatnonzero(bad)]
            out.append(f"{len(ids)} region(s) {label} ({', '.join(ids[:3])}{', ...' if len(ids) > 3 else ''})")
    used = amounts.sum()
    for g, mask in r.groups:
        share = amounts[mask].sum() / used if used > 0 else 0.0
        if share < g.min_share - 1e-9:
            out.append(f"group {g.name} gets {share:.1%}, below its min_share {g.min_share:.0%}")
        if share > g.max_share + 1e-9:
            out.append(f"group {g.name} gets {share:.1%}, above its max_share {g.max_share:.0%}")
    return tuple(out)


