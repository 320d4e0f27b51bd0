"""Small phrases every sentence of the decision in words uses: regions by name, lists, ordinals."""
from __future__ import annotations

from ..model import Decision


def names(decision: Decision) -> dict[str, str]:
    """Region id -> name (every region of the case)."""
    out = dict(zip(decision.case.data.ids, decision.case.data.names))
    out.update(zip(decision.ranking.ids, decision.ranking.names))
    return out


def listing(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
