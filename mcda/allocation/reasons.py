"""Why each region got what it got, in the words of mcda.vocabulary.REASONS."""
from __future__ import annotations

import numpy as np

from .benefit import tolerance
from .rules import Rules


def reasons(r: Rules, x: np.ndarray, binding_groups) -> tuple[str, ...]:
    """Why each region got what it got (README, `mcda allocate`, lists them)."""
    tol = tolerance(r.total) * 10
    K = r.budget.segments
    out = []
    for k in range(len(r.ids)):
        s = r.state[k]
        if s:
            out.append(s)
            continue
        in_groups = [g.name for g, mask in binding_groups if mask[k]]
        cap, xk = r.caps[k], x[k]
        if cap <= tol:
            out.append("cap is 0")
        elif xk >= cap - tol:
            out.append("at cap")
        elif r.lower[k] > 0 and xk <= r.lower[k] + tol:
            out.append("at minimum grant" if r.lower_from_grant[k] else "at floor")
        elif xk <= tol:
            out.append("below minimum grant" if r.binary[k] else "not funded")
        elif r.binary[k] and xk <= r.grants[k] + tol:
            out.append("at minimum grant")
        elif in_groups:
            out.append("at group share: " + ", ".join(in_groups))
        else:
            w = cap / K
            at_break = abs(xk / w - round(xk / w)) * w <= tol
            out.append(f"{int(round(xk / w))}/{K} segments" if at_break else "marginal")
    return tuple(out)
