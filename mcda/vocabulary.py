"""The words every floor shares: one meaning each, in readers, computation, text and report.

Readers validate against these names; computation gives them meaning; text and
report print them. Nothing here computes a result.

- the Saaty scale and how a judgement is written ("1/3");
- the random-index tables' names and where they come from (their values are
  weighting's, :mod:`mcda.weighting.random_index`);
- the scoring methods: names, defaults, normalisations, parameters, and the one
  line that describes a method in every output;
- missing-value policies, criterion kinds, solvers, budget keys and columns;
- how a rank is written, the budget rules in words, and what each allocation reason means.

>>> format_judgement(1/3), parse_judgement("1/3") == 1/3
('1/3', True)
>>> from mcda.model import MethodSpec
>>> describe(MethodSpec("vikor"))
"VIKOR, no normalisation (VIKOR's own scaling by the best and worst values) (v=0.5); lower score is better"
"""
from __future__ import annotations

import dataclasses
import math
import re
from typing import Optional

import numpy as np

# --------------------------------------------------------------------------- judgements

SCALE_MIN, SCALE_MAX = 1 / 9, 9.0
SAATY_SCALE = np.array([1 / k for k in range(9, 1, -1)] + list(range(1, 10)), dtype=float)
SAATY = ("1/9", "1/8", "1/7", "1/6", "1/5", "1/4", "1/3", "1/2", "1", "2", "3", "4", "5", "6", "7", "8", "9")
SAATY_VALUES = {s: (1.0 / int(s[2:]) if s.startswith("1/") else float(s)) for s in SAATY}
RECIPROCAL_TOLERANCE = 0.02  # "0.33" for 1/3 is accepted; "0.3" is not


def format_judgement(x: float) -> str:
    """Write a judgement the way people do: 3, 1/3, 2.5, 1/2.5.

    >>> format_judgement(1/3), format_judgement(4.0), format_judgement(2.5), format_judgement(0.4)
    ('1/3', '4', '2.5', '1/2.5')
    """
    if x >= 1 or x <= 0:
        return str(int(round(x))) if abs(x - round(x)) < 1e-9 * max(1.0, abs(x)) else f"{x:.3g}"
    return f"1/{format_judgement(1 / x)}"


def parse_judgement(raw: object) -> Optional[float]:
    """One cell of a pairwise matrix: a number, a fraction "1/3", or empty (None).

    Raises ValueError with a message fit for the user.

    >>> parse_judgement("1/3"), parse_judgement(" 5 "), parse_judgement(""), parse_judgement(0.5)
    (0.3333333333333333, 5.0, None, 0.5)
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = str(raw).strip()
        if text in ("", "-"):
            return None
        try:
            if "/" in text:
                num, den = text.split("/", 1)
                value = float(num) / float(den)
            else:
                value = float(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"'{text}' is not a number or a fraction like 1/3") from None
    if not np.isfinite(value):
        raise ValueError(f"{raw!r} is not a finite number")
    if value <= 0:
        raise ValueError(f"{format_judgement(value) if value else '0'} is not positive; "
                         "judgements are ratios of importance (1/9 .. 9)")
    # A rounded reciprocal of 9 ("0.11") is on the scale, as "0.33" stands for 1/3.
    if value < SCALE_MIN * (1 - RECIPROCAL_TOLERANCE) or value > SCALE_MAX * (1 + RECIPROCAL_TOLERANCE):
        raise ValueError(f"{format_judgement(value)} is not on the Saaty scale (1/9 .. 9)")
    return min(max(value, SCALE_MIN), SCALE_MAX)


# --------------------------------------------------------------------------- random-index tables

# name -> where the table comes from (the values: mcda.weighting.random_index)
RI_TABLES = {
    "saaty1980": "Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill",
    "alonso-lamata-2006": "Alonso & Lamata (2006), Int. J. Uncertainty, Fuzziness & Knowledge-Based Systems 14(4)",
    "tummala-ling-1998": "Tummala & Ling (1998), Theory and Decision 44(3) (pymcdm's table)",
    "donegan-dodd-1991": "Donegan & Dodd (1991), A note on Saaty's random indexes, Mathematical and Computer "
                         "Modelling 15(10), 135-137 (AHPy's default table)",
}
DEFAULT_RI_TABLE = "saaty1980"
DEFAULT_THRESHOLD = 0.10

# --------------------------------------------------------------------------- scoring methods

# default normalisation (None: fixed by the method), normalisations accepted, parameters with
# their defaults, and whether a higher score is better
METHODS: dict[str, dict] = {
    "topsis": dict(label="TOPSIS", default="vector", normalizations=("vector", "minmax", "max", "sum", "linear"),
                   params={}, higher_is_better=True),
    "vikor": dict(label="VIKOR", default="none", normalizations=("none", "vector", "minmax", "max", "sum", "linear"),
                  params={"v": 0.5}, higher_is_better=False),
    "promethee2": dict(label="PROMETHEE II", default=None, normalizations=(),
                       params={"preference_function": "usual", "p": None, "q": None}, higher_is_better=True),
    "copras": dict(label="COPRAS", default=None, normalizations=(), params={}, higher_is_better=True),
    "wsm": dict(label="WSM", default="sum", normalizations=("sum", "vector", "minmax", "max", "linear"),
                params={}, higher_is_better=True),
    "waspas": dict(label="WASPAS", default="linear", normalizations=("linear", "max", "sum", "vector"),
                   params={"l": 0.5}, higher_is_better=True),
    # AHP synthesis: the composite is the weighted sum of local priorities (Saaty 1980); each column is made a
    # local priority by "sum" (distributive mode; a cost's reciprocals, as pymcdm's sum normalisation) or "max"
    # (ideal mode: divided by the largest; a cost's reciprocals likewise, min/x); judged columns already are
    "ahp": dict(label="AHP synthesis", default="sum", normalizations=("sum", "max"), params={},
                higher_is_better=True),
}
METHOD_ALIASES = {"promethee_ii": "promethee2", "promethee-ii": "promethee2", "promethee": "promethee2"}
# PROMETHEE II's preference functions and the thresholds each needs
PREFERENCE_FUNCTIONS = {"usual": (), "ushape": ("q",), "vshape": ("p",), "level": ("p", "q"),
                        "vshape_2": ("p", "q")}


def resolved(method):
    """The MethodSpec with the method's default normalisation and parameters filled in."""
    spec = METHODS[method.name]
    norm = method.normalization if method.normalization is not None else spec["default"]
    params = {**spec["params"], **dict(method.params)}
    return dataclasses.replace(method, normalization=norm, params=tuple(params.items()))


def describe(method) -> str:
    """One line naming a MethodSpec's method and normalisation, for every output.

    >>> from mcda.model import MethodSpec
    >>> describe(MethodSpec("topsis"))
    'TOPSIS, vector normalisation (Hwang & Yoon 1981; pymcdm would default to min-max); higher score is better'
    """
    m = resolved(method)
    spec = METHODS[m.name]
    if m.name == "topsis" and m.normalization == "vector":
        norm = "vector normalisation (Hwang & Yoon 1981; pymcdm would default to min-max)"
    elif m.name == "copras":
        norm = "sum normalisation (built into COPRAS; Zavadskas & Kaklauskas 1996, computed by cluster-mcda)"
    elif m.name == "ahp":
        norm = ("distributive mode: each indicator's values divided by their sum, a cost's reciprocals likewise"
                if m.normalization == "sum" else
                "ideal mode: each indicator's values divided by the largest, a cost's reciprocals likewise")
        norm += "; the score is the weighted sum of these local priorities (Saaty 1980)"
    elif m.name == "promethee2":
        norm = "no normalisation (preference functions on raw differences)"
    elif m.normalization == "none":
        norm = "no normalisation (VIKOR's own scaling by the best and worst values)"
    else:
        norm = f"{m.normalization} normalisation"
    params = ", ".join(f"{k}={v}" for k, v in m.params if v is not None and k not in ("p", "q"))
    better = "higher" if spec["higher_is_better"] else "lower"
    return f"{spec['label']}, {norm}{f' ({params})' if params else ''}; {better} score is better"


# --------------------------------------------------------------------------- cases

MISSING_POLICIES = ("error", "exclude-region", "worst", "median")
KINDS = ("infrastructure", "component")  # of a criterion: the article's four, or a further component
WEIGHTING_METHODS = ("ahp", "direct")
# how a committee's judgements are combined: aggregation of individual judgements (element-wise weighted
# geometric mean) or of individual priorities (weighted geometric mean of each expert's priority vector,
# normalised); Forman, E. & Peniwati, K. (1998) Aggregating individual judgments and priorities with the
# analytic hierarchy process. European Journal of Operational Research 108(1), 165-169.
AGGREGATIONS = ("aij", "aip")
JUDGED_MODES = ("pairwise", "rating")  # how experts judge the regions under a judged indicator
GOALPOSTS = ("period", "case")  # a panel's fixed goalposts: over the whole period, or set in the case
OUTSIDE_GOALPOSTS = ("clip", "error")  # a value outside goalposts set in the case
MONITOR_METHODS = ("topsis", "wsm")  # the methods mcda monitor scores on fixed goalposts
TREATMENTS = ("none", "winsorise", "log", "sqrt")  # of the indicators the audit flags, before normalising
AUDIT_WEIGHTS = ("around", "simplex")  # how the audit's Monte-Carlo draws criteria weights
OBJECTIVE_WEIGHTS = ("equal", "entropy", "critic", "std")  # pymcdm's weighting methods the audit compares

# --------------------------------------------------------------------------- budget

SOLVERS = ("auto", "cbc", "highs")  # auto: the faster of the two for the model's size (mcda.allocation.lp)
# seconds: a MILP time limit below this gives a different answer from run to run (mcda.allocation.lp)
MIN_TIME_LIMIT = 1.0
BUDGET_KEYS = ("total", "unit", "note", "segments", "decay", "floor", "floor_column", "cap", "cap_column",
               "cap_rate", "cap_rate_column", "min_grant", "min_grant_column", "mandatory", "excluded",
               "groups", "solver", "time_limit", "mip_gap")
BUDGET_COLUMNS = ("floor_column", "cap_column", "cap_rate_column", "min_grant_column")  # keys naming a data column
GROUP_KEYS = ("name", "regions", "min_share", "max_share", "note")

# Why a region got what it got (mcda allocate's "reason"; README lists them).
REASONS = {
    "at cap": "the region has all its cap allows",
    "at floor": "the region gets its floor and no more: more would return less than the marginal value",
    "at minimum grant": "the region must be funded and gets its minimum grant and no more",
    "below minimum grant": "not funded: its minimum grant would return less than the same money elsewhere",
    "not funded": "even its first unit returns less than the marginal value",
    "marginal": "the region takes the last unit of budget: its next unit returns the marginal value (with a binding "
                "group share, the last unit is split between the group and the rest)",
    "segments": "k/K segments: the region's response is filled up to a breakpoint; its next segment returns less "
                "than the marginal value",
    "at group share": "the region's allocation is set by its group's binding share rule",
    "excluded": "excluded by budget.excluded",
    "not ranked": "left out of the ranking (missing data), so given nothing",
    "cap below minimum grant": "its cap is below its minimum grant, so it cannot be funded",
    "cap is 0": "its cap is 0",
}


def reason_key(reason: str) -> str:
    """The REASONS entry a reason belongs to ("3/5 segments" -> "segments").

    >>> reason_key("at group share: capital_area"), reason_key("2/5 segments"), reason_key("at cap")
    ('at group share', 'segments', 'at cap')
    """
    if reason.startswith("at group share"):
        return "at group share"
    if reason.endswith("segments"):
        return "segments"
    return reason


def reason_legend(reasons) -> list[str]:
    """What each reason given means, each once, in the order they first appear.

    >>> reason_legend(("at cap", "at cap"))
    ['  at cap: the region has all its cap allows']
    """
    seen = list(dict.fromkeys(reason_key(r) for r in reasons))
    return [f"  {k}: {REASONS[k]}" for k in seen if k in REASONS]


# A unit's first word as a multiple of the unit after it ("billion UZS" = 1e9 UZS).
MULTIPLES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
PEOPLE = ("population", "people", "persons", "residents", "inhabitants")  # a quantity counting people


def plain_number(x: float) -> str:
    """A number as people write it: thousands separated, no exponent, at most 6 significant digits.

    >>> plain_number(50000.0), plain_number(0.00005), plain_number(1234567.0)
    ('50,000', '0.00005', '1,234,567')
    """
    if abs(x) >= 1e6:
        return f"{x:,.0f}"
    if abs(x) >= 1:
        return f"{x:,.6g}"
    return np.format_float_positional(x, precision=6, fractional=False, trim="-")


def rate_words(rate: float, unit: str, quantity: str) -> str:
    """An amount per unit of a quantity in words, in the unit's base currency when the rate is below 1.

    >>> rate_words(0.00005, "billion UZS", "population"), rate_words(2.5, "", "area km2")
    ('50,000 UZS per resident', '2.5 per unit of area km2')
    """
    words = unit.split()
    if rate < 1 and len(words) > 1 and words[0].lower() in MULTIPLES:
        rate, unit = rate * MULTIPLES[words[0].lower()], " ".join(words[1:])
    per = "per resident" if quantity.lower() in PEOPLE else f"per unit of {quantity}"
    return f"{plain_number(rate)}{f' {unit}' if unit else ''} {per}"


def rules_text(b, names=None, regions=None) -> list[str]:
    """A Budget's rules in words (one line each); ``names`` gives data columns readable names
    (column -> name; mcda.text.split.column_names finds them in the case), ``regions`` region ids
    their names."""
    names, regions = names or {}, regions or {}

    def named(ids) -> str:
        return ", ".join(regions.get(r, r) for r in ids)

    unit = f" {b.unit}" if b.unit else ""
    out = [f"Budget: {b.total:,.6g}{unit}" + (f" ({b.note})" if b.note else "")]
    cap = []
    if b.cap is not None:
        cap.append(f"{b.cap:,.6g}")
    if b.cap_rate is not None:
        cap.append(rate_words(b.cap_rate, b.unit, names.get(b.cap_rate_column, b.cap_rate_column)))
    caps = " and ".join(cap) if cap else "the total"
    caps = ("the smaller of " + caps) if len(cap) > 1 else caps
    if b.cap_column:
        caps += f" (overridden by {names.get(b.cap_column, b.cap_column)} where filled)"
    floor = f"{b.floor:,.6g}" + (f" (overridden by {names.get(b.floor_column, b.floor_column)} where filled)"
                                 if b.floor_column else "")
    out.append(f"Rules: floor {floor}; cap {caps}")
    if b.min_grant or b.min_grant_column:
        column = names.get(b.min_grant_column, b.min_grant_column)
        out.append(f"  minimum grant {b.min_grant:,.6g}" + (f" (overridden by {column} where filled)"
                                                           if b.min_grant_column else "")
                   + ": a region gets nothing or at least this")
    if b.mandatory:
        out.append(f"  mandatory: {named(b.mandatory)}")
    if b.excluded:
        out.append(f"  excluded: {named(b.excluded)}")
    for g in b.groups:
        share = []
        if g.min_share > 0:
            share.append(f"at least {g.min_share:.0%}")
        if g.max_share < 1:
            share.append(f"at most {g.max_share:.0%}")
        out.append(f"  group {g.name} ({named(g.regions)}): {' and '.join(share) or 'no share rule'} of the "
                   "amount allocated")
    out.append(f"Benefit: score x a concave response: {b.segments} equal segments of each region's cap, each "
               f"returning {b.decay:g} x the one before")
    return out


def rank_value(x: float) -> float | int | None:
    """A rank as an int when whole (ties give averages such as 1.5); None when unranked (NaN)."""
    x = float(x)
    if math.isnan(x):
        return None
    return int(x) if x.is_integer() else x


# --------------------------------------------------------------------------- a title's count of regions

# a whole number, then at most three words (letters, an apostrophe or a hyphen), then "regions"
_COUNT = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})*|\d+)\s+(?:[^\W\d_][\w'\u2019-]*\s+){0,3}"
                    r"regions\b", re.IGNORECASE)


def title_regions(title: str) -> Optional[int]:
    """The number of regions the title names ("85 Russian regions" -> 85), or None when it names
    none, or names more than one different count (then it is not a claim about the data)."""
    counts = {int(re.sub(r"\D", "", m.group(1))) for m in _COUNT.finditer(title or "")}
    return counts.pop() if len(counts) == 1 else None


def title_count_warning(title: str, regions: int) -> Optional[str]:
    """A warning when the title names a number of regions other than ``regions`` (the data's), else None:
    the title is printed on every output, so "85 regions" over 46 ranked misleads.

    >>> title_count_warning("Research and innovation potential: 85 Russian regions (2022)", 46)
    'the title says 85 regions, the data has 46: check that no region is missing from the data, or correct the title'
    >>> title_count_warning("Regional ranking (2022)", 3) is None  # no count named: nothing to check
    True
    """
    said = title_regions(title)
    if said is None or said == regions:
        return None
    return (f"the title says {said} regions, the data has {regions}: check that no region is missing from "
            "the data, or correct the title")
