"""The budget split in plain words, built from an Allocation: why each region got its amount, whether it
is funded or held at its floor, and one sentence on the logic of the whole split.

``mcda allocate`` (text, CSV, JSON), the report's Allocation sheet and the Summary's headline all draw
their words from here, so a region reads the same everywhere. Amounts are in the case's unit with
decimals that suit the budget's size (:func:`decimals`); data columns are named by what they measure
(the case's ``[denominators]`` key, or the catalogue's indicator name), never by the raw column.

"Funded" is :attr:`mcda.model.Allocation.funded`: more than the rules guarantee (a floor, or a mandatory
region's minimum grant) by more than the tolerance, the test SMAA's funded probability counts.
"""
from __future__ import annotations

import math

import numpy as np

from ..model import Allocation, Case
from ..vocabulary import plain_number, rate_words, reason_key

# --------------------------------------------------------------------------- numbers and names


def decimals(total: float) -> int:
    """Decimals for amounts of a budget this size: about 5 significant digits of the total (1,000 -> 1).

    >>> decimals(1000), decimals(1500), decimals(20), decimals(2e6)
    (1, 1, 3, 0)
    """
    if not total or not math.isfinite(total):
        return 2
    return max(0, min(6, 4 - math.floor(math.log10(abs(total)))))


def amount_words(x: float, total: float) -> str:
    """An amount in a sentence: the budget's decimals, none when it is a whole number (a floor of 10).

    >>> amount_words(156.2764, 1000), amount_words(10.0000001, 1000), amount_words(1000, 1000)
    ('156.3', '10', '1,000')
    """
    d = decimals(total)
    if abs(x - round(x)) < 0.5 * 10.0 ** -(d + 1):
        return f"{round(x):,.0f}"
    return f"{x:,.{d}f}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st.

    >>> [ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 102)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def listed(items) -> str:
    """Names joined as people write them: "a", "a and b", "a, b and c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"


def column_name(case: Case | None, column: str) -> str:
    """What a data column measures: the case's [denominators] key that reads it, else the catalogue's name
    of the indicator that reads it, else the column's words (underscores as spaces)."""
    if case is not None:
        for key, source in case.denominators:
            if source.column == column:
                return key.replace("_", " ")
        for iid, source in case.indicators:
            if source.column == column:
                try:
                    return case.catalogue.indicator(iid)[1].name
                except KeyError:
                    return iid.replace("_", " ")
    return column.replace("_", " ")


def column_names(case: Case | None, alloc: Allocation) -> dict[str, str]:
    """Readable names of the data columns the budget rules read (for vocabulary.rules_text)."""
    return {c: column_name(case, c) for c in alloc.budget.columns.values()}


def _returns(x: float, limit: float) -> tuple[str, str]:
    """Two returns with just enough decimals to tell them apart (3 at least): ('0.0313', '0.0314')."""
    for d in range(3, 9):
        a, b = f"{x:.{d}f}", f"{limit:.{d}f}"
        if a != b:
            return a, b
    return f"{x:.4g}", f"{limit:.4g}"


# --------------------------------------------------------------------------- funded or held


def funding_status(a: Allocation) -> tuple[str, ...]:
    """Per region (following ``a.ids``): "funded", "held at the floor", "held at its minimum grant" or
    "not funded" (nothing, or outside the allocation)."""
    out = []
    funded, guaranteed = a.funded, a.guaranteed  # properties: computed once
    for k in range(len(a.ids)):
        if funded[k]:
            out.append("funded")
        elif guaranteed[k] > 0:
            out.append("held at its minimum grant" if a.min_grants[k] > a.floors[k] else "held at the floor")
        else:
            out.append("not funded")
    return tuple(out)


def funded_words(a: Allocation) -> str:
    """What "funded" means for this allocation, in one sentence (the same test as SMAA's)."""
    unit = f" {a.budget.unit}" if a.budget.unit else ""
    g = a.guaranteed[a.guaranteed > 0]
    if not len(g):
        return f"Funded: a grant above {plain_number(a.tolerance)}{unit} (the tolerance, 1e-06 x the budget total)."
    lo, hi = amount_words(g.min(), a.total), amount_words(g.max(), a.total)
    shown = lo if lo == hi else f"{lo} to {hi}"
    return (f"Funded: more than the rules guarantee the region (its floor, or a mandatory region's minimum grant: "
            f"{shown}{unit} here) by more than {plain_number(a.tolerance)}{unit}. A region held at its floor is "
            "not funded: the floor is a guarantee, not a decision.")


# --------------------------------------------------------------------------- why each amount


def _cap_sources(a: Allocation, case: Case | None) -> list[str]:
    """Which rule sets each region's cap: "column" (its own cell in the data), "rate", "fixed", "total" or
    "other" (none of the rules gives this cap: an allocation made by hand)."""
    b, tol = a.budget, a.tolerance
    own = np.zeros(len(a.ids), dtype=bool)
    if b.cap_column and case is not None:
        filled = dict(zip(case.data.ids, ~np.isnan(case.data.column(b.cap_column))))
        own = np.array([bool(filled.get(i, False)) for i in a.ids], dtype=bool)
    fixed = b.cap if b.cap is not None else math.inf
    out = []
    for k, cap in enumerate(a.caps):
        if own[k]:
            out.append("column")
        elif b.cap_rate is not None and (case is not None or not b.cap_column) and cap < fixed - tol:
            out.append("rate")
        elif b.cap is not None and abs(cap - b.cap) <= tol:
            out.append("fixed")
        elif not b.cap_column and abs(cap - a.total) <= tol:
            out.append("total")
        else:
            out.append("column" if b.cap_column else "rate" if b.cap_rate is not None else "other")
    return out


def cap_label(a: Allocation, case: Case | None, k: int) -> str:
    """Region k's cap named by its rule: "population cap", "own cap", "cap"."""
    source = _cap_sources(a, case)[k]
    if source == "rate":
        return f"{column_name(case, a.budget.cap_rate_column)} cap"
    return "own cap" if source == "column" else "cap"


def _cap_words(a: Allocation, case: Case | None, k: int, source: str) -> str:
    """Why region k gets its cap and no more, by the rule that sets the cap (``source``, from _cap_sources)."""
    cap = amount_words(a.caps[k], a.total)
    if source == "rate":
        quantity = column_name(case, a.budget.cap_rate_column)
        return f"capped at {rate_words(a.budget.cap_rate, a.budget.unit, quantity)}: {cap}"
    if source == "fixed":
        return f"capped at {cap}, the cap every region has"
    if source == "total":
        return f"gets {cap}: all a region may get (no cap below the budget total)"
    if source == "other":
        return f"capped at {cap}"
    name = f" ({column_name(case, a.budget.cap_column)})" if case is not None else ""
    return f"capped at its own cap in the data{name}: {cap}"


def _binding(a: Allocation) -> dict[str, list[str]]:
    """Region id -> the binding groups (those with a shadow price) it belongs to."""
    bound = {p.target for p in a.shadow_prices if p.kind.startswith("group_")}
    out: dict[str, list[str]] = {}
    for g in a.budget.groups:
        if g.name in bound:
            for r in g.regions:
                out.setdefault(r, []).append(g.name)
    return out


def _threshold(a: Allocation) -> tuple[float, str]:
    """What one more unit must return to be given, and its name ("{}" for the number).

    The marginal value, unless a group share binds: then an added unit of budget is split between
    the group and the rest, and a region outside the group competes with the last unit the
    marginal region outside groups takes."""
    marginal = [k for k, r in enumerate(a.reasons) if r == "marginal"]
    if _binding(a) and marginal:
        k = min(marginal, key=lambda j: (a.ranks[j], a.ids[j]))
        return float(a.next_return[k]), f"the {{}} the last unit of budget earns in {a.names[k]}"
    return float(a.marginal_value), "the marginal value {}"


def _less(a: Allocation, k: int, context: tuple, which: str = "next") -> str:
    """Why region k gets no more: what its next (or first) unit would return against what the last unit earns;
    for a member of a binding group, the group's share."""
    x = float(a.next_return[k])
    binding, (limit, name) = context  # _binding(a) and _threshold(a), computed once per allocation
    groups = binding.get(a.ids[k])
    if groups:
        return f"{_group_words(a, groups)} {'binds' if len(groups) == 1 else 'bind'}, though its {which} unit " \
               f"would return {x:.3g}"
    if x <= 0:
        return f"its {which} unit would return nothing"
    mine, theirs = _returns(x, limit)
    return f"its {which} unit would return {mine}, less than {name.format(theirs)}"


def _group_words(a: Allocation, names) -> str:
    """ "the capital area group's share (at most 20% of the amount allocated)" for these groups."""
    rules = []
    for name in names:
        g = next((g for g in a.budget.groups if g.name == name), None)
        share = [] if g is None else ([f"at least {g.min_share:.0%}"] if g.min_share > 0 else []) + (
            [f"at most {g.max_share:.0%}"] if g.max_share < 1 else [])
        rule = f" ({' and '.join(share)} of the amount allocated)" if share else ""
        rules.append(f"the {name.replace('_', ' ')} group's share{rule}")
    return listed(rules)


def reason_words(a: Allocation, case: Case | None = None) -> tuple[str, ...]:
    """Why each region got its amount, in plain words, one per region following ``a.ids``.

    ``case`` names the data columns the caps are read from (without it, their words).
    """
    total, guaranteed, binding = a.total, a.guaranteed, _binding(a)
    context, sources = (binding, _threshold(a)), _cap_sources(a, case)
    out = []
    for k, reason in enumerate(a.reasons):
        key, nr = reason_key(reason), float(a.next_return[k])
        floor, grant = amount_words(a.floors[k], total), amount_words(a.min_grants[k], total)
        if key == "at cap":
            out.append(_cap_words(a, case, k, sources[k]))
        elif key == "at floor":
            out.append(f"held at the floor ({floor}): {_less(a, k, context)}")
        elif key == "at minimum grant" and guaranteed[k] > 0:
            must = "must be funded, so " if a.ids[k] in a.budget.mandatory else ""
            out.append(f"{must}held at its minimum grant ({grant}), which the rules guarantee: {_less(a, k, context)}")
        elif key == "at minimum grant":
            out.append(f"gets its minimum grant ({grant}) and no more: {_less(a, k, context)}")
        elif key == "below minimum grant" and a.ids[k] in binding:
            out.append(f"not funded (a grant is at least its minimum grant, {grant}): {_less(a, k, context, 'first')}")
        elif key == "below minimum grant":
            out.append(f"not funded: its minimum grant ({grant}) would return less than the same money elsewhere")
        elif key == "not funded":
            out.append(f"not funded: {_less(a, k, context, 'first')}")
        elif key == "marginal":
            plain = "" if binding else ", the marginal value"
            out.append(f"takes the last unit of budget (its next unit returns {nr:.3g}{plain})")
        elif key == "segments":
            filled, K = reason.split()[0].split("/")
            out.append(f"{filled} of {K} response segments filled: {_less(a, k, context)}")
        elif key == "at group share":
            groups = [g.strip() for g in reason.split(":", 1)[1].split(",")]
            out.append(f"held by {_group_words(a, groups)}, though its next unit would return {nr:.3g}")
        elif key == "excluded":
            out.append("excluded by the budget rules: gets nothing")
        elif key == "not ranked":
            out.append("not ranked (missing data): gets nothing")
        elif key == "cap below minimum grant":
            out.append(f"cannot be funded: its cap ({amount_words(a.caps[k], total)}) is below its minimum grant "
                       f"({grant})")
        elif key == "cap is 0":
            out.append("its cap is 0: gets nothing")
        else:  # a reason this module does not know yet: its own words
            out.append(reason)
    return tuple(out)


def price_words(a: Allocation, price) -> str:
    """A binding rule of a ShadowPrice in words, regions by name ("floor of Namangan region")."""
    name = dict(zip(a.ids, a.names)).get(price.target, price.target)
    if price.kind == "budget":
        return "the budget total"
    if price.kind in ("floor", "min_grant"):
        return f"{'minimum grant' if price.kind == 'min_grant' else 'floor'} of {name}"
    if price.kind.startswith("group_"):
        side = "minimum" if price.kind == "group_min" else "maximum"
        return f"the {price.target.replace('_', ' ')} group's {side} share"
    return price.rule


# --------------------------------------------------------------------------- the logic of the split


def _ranked(a: Allocation) -> list[int]:
    return sorted((k for k in range(len(a.ids)) if not math.isnan(a.ranks[k])), key=lambda k: (a.ranks[k], a.ids[k]))


def _above_words(a: Allocation, above: list[int]) -> str:
    """Why the regions ranked above the largest grant get less, grouped by what holds each: its cap, a binding
    group share, its own falling returns (its next unit returns less), or another rule."""
    at_cap = [k for k in above if a.reasons[k] == "at cap"]
    if len(at_cap) == len(above):
        return ("the region ranked above it reached its own cap" if len(above) == 1
                else f"the {len(above)} regions ranked above it reached their own caps")
    parts = []
    if at_cap:
        parts.append(f"{len(at_cap)} of the {len(above)} regions ranked above it reached their own caps"
                     if len(at_cap) > 1 else f"{a.names[at_cap[0]]}, ranked above it, reached its cap")
    binding, groups, fuller, other = _binding(a), {}, [], []
    for k in above:
        key = reason_key(a.reasons[k])
        if k in at_cap:
            continue
        if a.ids[k] in binding:
            groups.setdefault(" and ".join(g.replace("_", " ") for g in binding[a.ids[k]]), []).append(a.names[k])
        elif key in ("segments", "marginal", "at floor", "not funded", "at minimum grant"):
            fuller.append(k)
        else:
            other.append(a.names[k])
    for g, names in groups.items():
        parts.append(f"{listed(names)} {'is' if len(names) == 1 else 'are'} held by the {g} group's share")
    if fuller:
        falling = all(reason_key(a.reasons[k]) in ("segments", "marginal") for k in fuller)
        parts.append(f"{listed([a.names[k] for k in fuller])} would gain less from "
                     f"{'its' if len(fuller) == 1 else 'their'} next unit"
                     + (" (diminishing returns)" if falling else ""))
    if other:
        parts.append(f"{listed(other)} {'is' if len(other) == 1 else 'are'} held by other rules")
    return listed(parts)


def _largest_words(a: Allocation, case: Case | None, top: int) -> str:
    """The first sentence: who gets the most and, when it is not the best ranked, why."""
    ranked = _ranked(a)
    amount = f"{amount_words(a.amounts[top], a.total)} of {amount_words(a.total, a.total)}"
    if not ranked or math.isnan(a.ranks[top]) or top == ranked[0]:
        full = ", its full cap" if a.reasons[top] == "at cap" else ""
        return f"{a.names[top]}, ranked first, gets the most ({amount}{full})"
    above = [k for k in ranked if a.ranks[k] < a.ranks[top]]
    if not above:  # tied for first
        return f"{a.names[top]}, ranked first with others, gets the most ({amount})"
    because = []
    cap, label = float(a.caps[top]), cap_label(a, case, top)
    others = np.delete(a.caps, top)
    if not len(others) or cap >= others.max() - a.tolerance:
        because.append(f"its {label} ({amount_words(cap, a.total)}) is the largest")
    elif above and cap > max(a.caps[k] for k in above) + a.tolerance:
        because.append(f"its {label} ({amount_words(cap, a.total)}) is larger than theirs")
    because.append(_above_words(a, above))
    rank = a.ranks[top]
    ranks = ordinal(int(rank)) if float(rank).is_integer() else f"{rank:g}th"
    return f"{a.names[top]} gets the most ({amount}) although it ranks {ranks}, because {', and '.join(because)}"


def _held_words(a: Allocation) -> str | None:
    """The regions held at their guarantee (floor or minimum grant), or None."""
    status, guaranteed = funding_status(a), a.guaranteed
    clauses = []
    for what, plural in (("held at the floor", "held at the floor"),
                         ("held at its minimum grant", "held at their minimum grants")):
        held = [k for k, s in enumerate(status) if s == what]
        if not held:
            continue
        values = sorted({amount_words(guaranteed[k], a.total) for k in held}, key=lambda s: float(s.replace(",", "")))
        shown = values[0] if len(values) == 1 else f"{values[0]} to {values[-1]}"
        who = listed([a.names[k] for k in held]) if len(held) <= 3 else f"{len(held)} regions"
        verb = "is" if len(held) == 1 else "are"
        clauses.append(f"{who} {verb} {what if len(held) == 1 else plural} ({shown})")
    return "; ".join(clauses) or None


def split_logic(a: Allocation, case: Case | None = None) -> str:
    """The logic of the split in one or two sentences, for a headline: who gets the most and why (when it is
    not the best-ranked region: its cap and what holds the regions above it), who is held at the floor, who
    gets nothing, and budget left unspent. Built from the results; each clause only when it holds."""
    if not (a.amounts > a.tolerance).any():
        return "No region gets any of the budget."
    most, tol = a.amounts.max(), a.tolerance
    top = max(range(len(a.ids)), key=lambda k: (a.amounts[k] > most - tol,
                                                -(a.ranks[k] if not math.isnan(a.ranks[k]) else math.inf)))
    clauses = [_largest_words(a, case, top)]
    held = _held_words(a)
    if held:
        clauses.append(held)
    status = funding_status(a)
    nothing = [k for k in range(len(a.ids)) if status[k] == "not funded" and a.amounts[k] <= tol]
    if nothing:
        who = listed([a.names[k] for k in nothing]) if len(nothing) <= 3 else f"{len(nothing)} regions"
        clauses.append(f"{who} {'gets' if len(nothing) == 1 else 'get'} nothing")
    text = "; ".join(clauses) + "."
    left = a.total - a.used
    if left > 10 * a.tolerance:
        text += (f" {amount_words(left, a.total)} of the budget is left: every region that could still gain is "
                 "at its cap.")
    return text
